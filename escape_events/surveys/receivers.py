"""Survey answers follow the registrations' rules: purged with them when the retention period
is over, let go of when a person deletes their account, and part of a person's data export."""

from django.dispatch import receiver
from django.utils.translation import ngettext

from escape_events.accounts.signals import account_deleting, personal_data_requested
from escape_events.registrations.signals import registration_data_purged

from .selectors import personal_answers
from .services import forget_survey_person, purge_survey_answers


@receiver(registration_data_purged, dispatch_uid="surveys_purge_with_registrations")
def purge_with_registrations(sender, *, event, now, **kwargs):
    purge_survey_answers(event=event, now=now)


@receiver(account_deleting, dispatch_uid="surveys_forget_person")
def forget_person(sender, *, user, **kwargs):
    had = personal_answers(user)
    forget_survey_person(user=user)
    if not had:
        return []
    return [
        ngettext(
            "Your answers to %(count)s feedback survey are no longer linked to you.",
            "Your answers to %(count)s feedback surveys are no longer linked to you.",
            len(had),
        )
        % {"count": len(had)}
    ]


@receiver(personal_data_requested, dispatch_uid="surveys_personal_data")
def answers_of_person(sender, *, user, **kwargs):
    return {"survey_answers": personal_answers(user)}
