"""The agenda and its materials in the reader's language: days by CLDR (Babel) outside
English, the house style in English, and refusals as whole translated sentences.

The tests named `..._in_french` assert the text of the catalogues: they pass once the
catalogues are compiled (`make test` runs compilemessages)."""

from datetime import date, datetime

import pytest
from django.utils import translation

from escape_events.events import when
from escape_events.timetable import services
from escape_events.timetable.access import NOT_YET, REGISTER, SIGN_IN, Verdict
from escape_events.timetable.models import Audience
from tests.conftest import ZURICH

from .conftest import at

DAY = date(2030, 10, 15)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en-gb", "Tue 15 Oct", "Tuesday 15 October 2030"),
        ("fr", "mar. 15 oct.", "mardi 15 octobre 2030"),
        ("de", "Di., 15. Okt.", "Dienstag, 15. Oktober 2030"),
        ("it", "mar 15 ott", "martedì 15 ottobre 2030"),
        ("es", "mar, 15 oct", "martes, 15 de octubre de 2030"),
    ],
)
def test_agenda_days_read_as_each_language_writes_them(language, short, long):
    with translation.override(language):
        assert when.day_in_year_text(DAY) == short
        assert when.long_day_text(DAY) == long


def test_a_held_back_material_says_when_it_opens_in_english():
    opens = datetime(2030, 10, 14, 15, 0, tzinfo=ZURICH)
    verdict = Verdict(allowed=False, reason=NOT_YET, audience=Audience.REGISTRANTS, opens_at=opens)
    with translation.override("en-gb"):
        assert verdict.message == (
            "This material opens when its session starts: Monday 14 October 2030 at 15:00 "
            "(Europe/Zurich)."
        )


def test_each_refusal_is_one_sentence_per_audience():
    """No sentence built from pieces: each audience has its own message (and a translator sees
    it whole)."""
    refusals = [
        (SIGN_IN, [Audience.SIGNED_IN, Audience.REGISTRANTS, Audience.ONSITE, Audience.REMOTE]),
        (REGISTER, [Audience.REGISTRANTS, Audience.ONSITE, Audience.REMOTE]),
    ]
    with translation.override("en-gb"):
        messages = {
            Verdict(allowed=False, reason=reason, audience=audience).message
            for reason, audiences in refusals
            for audience in audiences
        }
    assert len(messages) == 7 and all(message.endswith("to open it.") for message in messages)


def test_a_refusal_is_in_french(client, hands_on, add):
    entry = add(hands_on, at(1, "15:00"), at(1, "15:45"), title="Exercise 1")
    notebook = services.add_material_link(
        entry=entry, title="Notebook", url="https://swan.example.org/nb", audience="registrants"
    )
    response = client.get(notebook.download_path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "Ce document est réservé aux inscrits confirmés\u00a0: connectez-vous pour l'ouvrir."
        in page.replace("&#x27;", "'")
    )
    assert "Se connecter" in page


def test_a_held_back_material_says_when_it_opens_in_french():
    opens = datetime(2030, 10, 14, 15, 0, tzinfo=ZURICH)
    verdict = Verdict(allowed=False, reason=NOT_YET, audience=Audience.REGISTRANTS, opens_at=opens)
    with translation.override("fr"):
        assert verdict.message == (
            "Ce document sera accessible au début de sa séance\u00a0: lundi 14 octobre 2030 à "
            "15:00 (Europe/Zurich)."
        )


def test_a_multi_day_agenda_names_its_days_in_german(client, camp, add):
    """Day names come from CLDR: right before the catalogues are compiled as after."""
    internals = services.add_session(
        event=camp, values={"title": "Rucio internals"}, conveners=[services.Person("Martin")]
    )
    add(camp, at(1, "09:00"), at(1, "10:00"), title="Opening")
    add(camp, at(2, "09:00"), at(2, "10:00"), title="Daemons", session=internals)
    response = client.get(camp.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert '<h3 id="day-2030-10-15" class="agenda-day">Dienstag, 15. Oktober 2030</h3>' in html
    assert '<a href="#day-2030-10-15">Di., 15. Okt.</a>' in html
    assert '<h4 class="agenda-session-title">Rucio internals</h4>' in html


def test_a_multi_day_agenda_is_in_french(client, camp, add):
    internals = services.add_session(
        event=camp, values={"title": "Rucio internals"}, conveners=[services.Person("Martin")]
    )
    add(camp, at(2, "09:00"), at(2, "10:00"), title="Daemons", session=internals)
    add(camp, at(2, "10:00"), at(2, "10:30"), title="Coffee", kind="break")
    html = client.get(camp.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<h2 id="agenda-heading">Programme</h2>' in html
    assert "Séance, <time" in html and "responsables\u00a0: Martin" in html
    assert '<span class="tag tag-entry">Pause</span>' in html
    assert "mardi 15 octobre 2030" in html
