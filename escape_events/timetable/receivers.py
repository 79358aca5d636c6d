"""The agenda follows its event (a moved event or meeting takes its agenda along), and answers
accounts about the person: where they are named on an agenda, and what deleting them changes."""

from django.dispatch import receiver
from django.utils.translation import gettext

from escape_events.accounts.signals import account_deletion_preview, personal_data_requested
from escape_events.events.signals import event_rescheduled

from .selectors import agenda_roles
from .services import reschedule_agenda


@receiver(event_rescheduled, dispatch_uid="timetable_follow_event")
def follow_event(sender, *, event, previous_start, previous_time_zone, **kwargs):
    reschedule_agenda(
        event=event, previous_start=previous_start, previous_time_zone=previous_time_zone
    )


@receiver(personal_data_requested, dispatch_uid="timetable_personal_data")
def agenda_roles_of_person(sender, *, user, **kwargs):
    return {"agenda_roles": agenda_roles(user)}


@receiver(account_deletion_preview, dispatch_uid="timetable_deletion_preview")
def agenda_roles_to_unlink(sender, *, user, **kwargs):
    """A published programme is a record, as minutes are: the name stays as the organisers wrote
    it, only the link to the account goes (the foreign key is SET_NULL)."""
    if not agenda_roles(user):
        return []
    return [
        gettext(
            "Agendas that name you as a speaker or convener keep your name as the organisers "
            "wrote it; they no longer link to your account."
        )
    ]
