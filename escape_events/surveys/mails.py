"""The mail with a survey's link, stored in the outbox in the transaction that opens the survey."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from escape_events.core.headers import header_text
from escape_events.outbox.messages import EventMail
from escape_events.outbox.services import send_written_later

from .models import Survey


def _subject(survey: Survey) -> str:
    return header_text(
        gettext("How was %(event)s? A short feedback survey")
        % {"event": survey.event.localized_title}
    )


def send_invitation(*, survey: Survey, user) -> None:
    with translation.override(user.preferred_language):
        subject = _subject(survey)
    send_written_later(
        composer=invitation_mail,
        facts={"survey_id": survey.pk, "user_id": user.pk},
        to=user.email,
        subject=subject,
        event_id=survey.event_id,
    )


def invitation_mail(*, survey_id: int, user_id: int) -> EventMail | None:
    """None when there is nobody to write to any more (account or survey deleted)."""
    survey = Survey.objects.select_related("event").filter(pk=survey_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if survey is None or user is None:
        return None
    with translation.override(user.preferred_language):  # the person's language, not the sender's
        return _invitation_mail(survey, user)


def _invitation_mail(survey: Survey, user) -> EventMail:
    event = survey.event
    context = {
        "survey": survey,
        "event": event,
        "user": user,
        "count": survey.questions.count(),
        "closes_at": survey.closes_at,
        "survey_url": f"{settings.SITE_URL}{survey.get_absolute_url()}",
    }
    message = EventMail(
        event_id=event.pk,
        subject=_subject(survey),
        body=render_to_string("mail/surveys/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("mail/surveys/invitation.html", context), "text/html"
    )
    return message
