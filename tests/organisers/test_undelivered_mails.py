"""Organisers see which mails of their event did not arrive, why, and can send one again."""

from django.urls import reverse

from escape_events.outbox.models import OutgoingMail


def mail_for(event, *, status, attempts, error="", to="ada@example.org"):
    return OutgoingMail.objects.create(
        key=f"{event.pk}-{to}-{status}", event=event, from_email="events@example.org",
        recipients=[to], subject=f"Your registration for {event.title}", message=b"...",
        status=status, attempts=attempts, last_error=error,
    )  # fmt: skip


def test_the_event_overview_warns_and_the_messages_page_lists_undelivered_mails(
    client, organiser, hands_on, make_event
):
    failed = mail_for(
        hands_on, status="failed", attempts=1, error="SMTPRecipientsRefused: 550 No such user"
    )
    mail_for(hands_on, status="queued", attempts=2, error="TimeoutError: timed out", to="g@x.org")
    mail_for(hands_on, status="queued", attempts=0, to="new@example.org")  # not tried yet: fine
    mail_for(hands_on, status="sent", attempts=1, to="ok@example.org")
    mail_for(make_event(), status="failed", attempts=8, to="elsewhere@example.org")
    client.force_login(organiser)

    overview = client.get(reverse("organisers:event_overview", args=[hands_on.slug]))
    assert "2 mails to participants did not arrive yet" in overview.content.decode()

    page = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "ada@example.org" in page and "550 No such user" in page and "g@x.org" in page
    assert "new@example.org" not in page and "ok@example.org" not in page
    assert "elsewhere@example.org" not in page
    assert page.count(">Try again</button>") == 1  # only given-up mails; the other is retrying

    response = client.post(reverse("organisers:mail_retry", args=[hands_on.slug, failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "queued" and failed.attempts == 0


def test_a_mail_of_another_event_cannot_be_retried_through_this_one(
    client, organiser, hands_on, make_event
):
    other = mail_for(make_event(), status="failed", attempts=8)
    client.force_login(organiser)
    response = client.post(reverse("organisers:mail_retry", args=[hands_on.slug, other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "failed"
