"""The agenda follows its event: a moved event or meeting takes its agenda along."""

from django.dispatch import receiver

from escape_events.events.signals import event_rescheduled

from .services import reschedule_agenda


@receiver(event_rescheduled, dispatch_uid="timetable_follow_event")
def follow_event(sender, *, event, previous_start, previous_time_zone, **kwargs):
    reschedule_agenda(
        event=event, previous_start=previous_start, previous_time_zone=previous_time_zone
    )
