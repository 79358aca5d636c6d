"""Answers to accounts about one person: the events they organise and the meeting attendance
lists that name them (published records, which stay when the account goes)."""

from django.dispatch import receiver

from escape_events.accounts.signals import (
    account_deleting,
    account_deletion_preview,
    personal_data_requested,
)

from .models import Event, MeetingAttendance, Series


@receiver(personal_data_requested, dispatch_uid="events_personal_data")
def events_of_person(sender, *, user, **kwargs):
    return {
        "organiser_of_events": list(
            Event.objects.filter(organisers=user).order_by("start").values_list("title", flat=True)
        ),
        "organiser_of_series": list(
            Series.objects.filter(organisers=user).order_by("title").values_list("title", flat=True)
        ),
        "meeting_attendance_lists": [
            {
                "meeting": entry.event.title,
                "start": entry.event.start.isoformat(),
                "name": entry.name,
            }
            for entry in MeetingAttendance.objects.filter(user=user)
            .select_related("event")
            .order_by("event__start")
        ],
    }


@receiver(account_deletion_preview, dispatch_uid="events_deletion_preview")
@receiver(account_deleting, dispatch_uid="events_what_stays_on_deletion")
def what_stays(sender, *, user, **kwargs):
    """Meeting attendance lists keep the name the minutes record (a published record); only
    the link to the account goes (SET_NULL). Organised events stay with their other organisers."""
    lines = []
    named = MeetingAttendance.objects.filter(user=user).count()
    if named:
        lines.append(
            f"Your name stays on {named} meeting attendance list{'s' if named != 1 else ''}: "
            "they are published records of the collaboration."
        )
    organised = Event.objects.filter(organisers=user).count()
    if organised:
        lines.append(
            f"You stop organising {organised} event{'s' if organised != 1 else ''}; "
            "they stay with their other organisers and the site staff."
        )
    return lines
