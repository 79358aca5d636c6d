"""Every read runs a fixed number of queries, however many items a page holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escape_events.registrations.models import Answer, Registration
from escape_events.timetable.models import Convener, Entry, Material, Session, Speaker

# (address, queries): the token's look-up counts one, on public reads too (sent with a token,
# they are counted per token, so the rate limit checks it).
READS = [
    ("/api/events?page_size=100", 3),
    # settings read with the event; the notice is cached; its translations (one query)
    ("/api/events/swan-hands-on", 7),
    # the token and who its owner is to the event: the materials they may open
    ("/api/events/swan-hands-on/agenda", 7),
    ("/api/series", 3),
    ("/api/series/escape-wp2-meeting/occurrences?after=2020-01-01T00:00:00Z", 3),
    ("/api/me/registrations?page_size=100", 2),
    ("/api/organise/events?page_size=100", 3),
    ("/api/organise/events/swan-hands-on", 5),
    ("/api/organise/events/swan-hands-on/participants?page_size=100", 5),
    ("/api/organise/events/swan-hands-on/participants?page_size=100&question=Q&answer=a", 5),
    ("/api/organise/events/swan-hands-on/export?columns=name&columns=answers", 7),
]


def grow(hands_on, organiser, make_event, make_user, times):
    """More of everything a read lists: events, registrations, answers, organised events."""
    question = hands_on.questions.get()
    for _ in range(times):
        event = make_event(start=hands_on.start + timedelta(days=1))
        event.organisers.add(organiser)
        Registration.objects.create(event=event, user=organiser, mode="remote", status="confirmed")
        registration = Registration.objects.create(
            event=hands_on, user=make_user(), mode="remote", status="confirmed"
        )
        Answer.objects.create(registration=registration, question=question, value="ATLAS")
        session = Session.objects.create(event=hands_on, title=f"Session {Session.objects.count()}")
        entry = Entry.objects.create(
            event=hands_on, session=session, title="Talk", start=hands_on.start,
            end=hands_on.start + timedelta(minutes=10),
        )  # fmt: skip
        Speaker.objects.create(entry=entry, name="Someone")
        Convener.objects.create(session=session, name="Chair")
        Material.objects.create(
            event=entry.event, entry=entry, title="Slides", url="https://example.org/s"
        )


def count(client, url, headers):
    client.get(url, **headers)  # the token's first use stamps it; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(("url", "queries"), READS)
def test_query_count_does_not_grow_with_the_page(
    client, url, queries, hands_on, organiser, make_event, make_user, make_token, wp2_series
):
    url = url.replace("question=Q", f"question={hands_on.questions.get().pk}")
    token = make_token(organiser, registrations=True, organiser="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    grow(hands_on, organiser, make_event, make_user, 1)
    few = count(client, url, headers)
    grow(hands_on, organiser, make_event, make_user, 25)
    many = count(client, url, headers)
    assert few == many == queries
