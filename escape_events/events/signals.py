"""Signals that let higher apps react to events without the events app knowing them.

event_changed: sent (after commit) by events.services when an event moved, changed place or was
cancelled. Arguments: sender=Event, event=<Event>, changed=<list of field names>,
cancelled=<bool>. registrations listens and tells the registrants.
"""

from django.dispatch import Signal

event_changed = Signal()
