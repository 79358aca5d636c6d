"""Signals that let higher apps react to events without the events app knowing them.

event_changed: sent by events.services inside the transaction of the change, when an event moved,
changed place or was cancelled. Arguments: sender=Event, event=<Event>, changed=<list of field
names>, cancelled=<bool>. registrations listens and tells the registrants; what a receiver
stores goes with the transaction (mails into the outbox), and a receiver that raises rolls the
change back.

event_rescheduled: sent by events.services inside the transaction that changes an event's start,
end or time zone, before it commits. Arguments: sender=Event, event=<Event, new times saved>,
previous_start=<datetime>, previous_time_zone=<str>. The timetable moves the agenda along; a
receiver that raises ValidationError refuses the change (it is rolled back).
"""

from django.dispatch import Signal

event_changed = Signal()
event_rescheduled = Signal()
