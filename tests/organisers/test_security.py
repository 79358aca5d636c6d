"""Attacks from a signed-in organiser on things that are not theirs, and on mail headers."""

import pytest
from django.urls import reverse

from escape_events.organisers.models import ParticipantMessage

from .test_events import event_form


def test_another_organisers_unlisted_event_is_neither_shown_nor_linkable(
    client, organiser, hands_on, make_event, make_person
):
    hidden = make_event(title="Hidden board meeting", is_listed=False)
    hidden.organisers.add(make_person())
    mine_hidden = make_event(title="My draft", is_listed=False)
    mine_hidden.organisers.add(organiser)
    client.force_login(organiser)
    edit = reverse("organisers:event_edit", args=[hands_on.slug])
    page = client.get(edit).content.decode()
    assert "Hidden board meeting" not in page and "My draft" in page

    data = event_form(status="scheduled", colocated_with=[str(hidden.pk)])
    response = client.post(edit, data)
    assert response.status_code == 400
    assert not hidden.colocated_with.exists()

    data = event_form(status="scheduled", colocated_with=[str(mine_hidden.pk)])
    assert client.post(edit, data).status_code == 302
    assert list(hands_on.colocated_with.all()) == [mine_hidden]


def test_a_message_subject_with_a_line_break_is_refused_before_anything_is_queued(
    client, organiser, hands_on, register, mailoutbox, django_capture_on_commit_callbacks
):
    register(hands_on)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisers:message_compose", args=[hands_on.slug]),
            {"subject": "Hi\r\nBcc: everyone@example.org", "body": "Hello", "send": ""},
        )
    assert response.status_code == 400
    assert "Keep this on one line, without tabs or control characters" in response.content.decode()
    assert not ParticipantMessage.objects.exists() and mailoutbox == []


def test_an_event_is_held_alongside_another_organisers_event_only_with_them(
    client, organiser, other_organiser, hands_on
):
    """Co-location shows one event's registration on the other's page, so both sides' organisers
    must agree: an organiser links only events they organise too."""
    theirs = other_organiser.organised_events.get()
    assert theirs.is_listed
    client.force_login(organiser)
    edit = reverse("organisers:event_edit", args=[hands_on.slug])
    page = client.get(edit).content.decode()
    assert "Otto&#x27;s event" not in page and "Otto's event" not in page
    response = client.post(edit, event_form(status="scheduled", colocated_with=[str(theirs.pk)]))
    assert response.status_code == 400
    assert not hands_on.colocated_with.exists()
    create = client.post(reverse("organisers:event_create"), event_form(colocated_with=[theirs.pk]))
    assert create.status_code == 400
    assert not theirs.colocated_with.exists()


def test_the_service_refuses_a_stranger_s_event_as_partner(organiser, other_organiser, hands_on):
    from django.core.exceptions import ValidationError

    from escape_events.events.services import update_event

    theirs = other_organiser.organised_events.get()
    with pytest.raises(ValidationError, match="events you organise"):
        update_event(event=hands_on, values={}, colocated_with=[theirs], by=organiser)
    assert not hands_on.colocated_with.exists()
    # Once they made this organiser a co-organiser of theirs, the link is fine.
    theirs.organisers.add(organiser)
    update_event(event=hands_on, values={}, colocated_with=[theirs], by=organiser)
    assert list(theirs.colocated_with.all()) == [hands_on]
