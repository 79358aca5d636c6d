"""Signals that let higher apps react to events without the events app knowing them.

event_changed: sent (after commit) by events.services when an event moved, changed place or was
cancelled. Arguments: sender=Event, event=<Event>, changed=<list of field names>,
cancelled=<bool>. registrations listens and tells the registrants.

series_changed: sent (after commit) by events.services when a series' rule, times, place or title
changed. Arguments: sender=Series, series=<Series>, changed=<list of field names>.
registrations tells the people registered for its coming meetings.
"""

from django.dispatch import Signal

event_changed = Signal()
series_changed = Signal()
