"""A title typed with a line break must not break the mail header it lands in."""

import pytest

from escape_events.events.services import cancel_event
from escape_events.registrations import services
from escape_events.registrations.models import Registration

TITLE = "Rucio camp\r\nBcc: everyone@example.org"


def test_a_line_break_in_the_title_still_sends_a_one_line_subject(
    make_registrable, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_registrable(event_fields={"title": TITLE})
    person = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(event=event)
    assert len(mailoutbox) == 2
    for sent in mailoutbox:
        headers = sent.message()
        assert headers["Subject"].endswith("Rucio camp Bcc: everyone@example.org")
        assert headers["Bcc"] is None and sent.recipients() == [person.email]


@pytest.mark.parametrize("character", ["\u2028", "\x85", "\x0b", "\x07", "\x1b", "\x7f", "\u202e"])
def test_control_characters_in_a_stored_title_never_reach_the_subject(
    make_registrable, make_user, mailoutbox, django_capture_on_commit_callbacks, character
):
    event = make_registrable(event_fields={"title": f"Rucio{character}camp"})
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=make_user(), mode=Registration.Mode.ONSITE)
    (sent,) = mailoutbox
    assert sent.message()["Subject"] == "Your registration for Rucio camp"
