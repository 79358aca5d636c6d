"""The API answers in the caller's language (Accept-Language): a problem's `title` and `detail`
are translated, its keys, `type`, `status` and `code` are not, nor is any key or enum value of
a successful answer.

The tests named `..._in_french` / `..._in_german` assert the text of the catalogues: they pass
once the catalogues are compiled (`make test` runs compilemessages)."""

from django.utils import translation

from escape_events.api.problems import TITLES, problem

FRENCH = {"Accept-Language": "fr"}


def test_a_french_problem_keeps_its_keys_status_and_code(api):
    english = api().get("/api/nowhere")
    french = api().get("/api/nowhere", **FRENCH)
    assert english.status_code == french.status_code == 404
    assert french["Content-Type"] == "application/problem+json"
    assert french.json().keys() == english.json().keys()
    assert (french.json()["type"], french.json()["code"]) == ("about:blank", "not_found")
    assert english.json()["title"] == "Not Found"


def test_answers_keep_their_keys_and_enum_values_in_every_language(api, make_event):
    make_event(title="Rucio coding camp", slug="rucio-camp", kind="coding_camp")
    english = api().get("/api/events/rucio-camp").json()
    for language in ("fr", "de", "it", "es"):
        other = api().get("/api/events/rucio-camp", **{"Accept-Language": language}).json()
        assert other.keys() == english.keys()
        assert other["kind"] == "coding_camp"


def test_every_status_the_api_answers_with_has_a_title_in_english():
    with translation.override("en-gb"):
        assert problem(422, "x")["title"] == "Unprocessable Content"
        assert problem(418, "x")["title"] == "I'm a Teapot"  # not ours: the RFC's phrase
    assert {400, 401, 403, 404, 409, 422, 429, 500} <= TITLES.keys()


def test_a_404_problem_is_in_french(api):
    french = api().get("/api/nowhere", **FRENCH).json()
    assert french["title"] == "Introuvable"
    assert french["detail"] == "L'API n'a pas cette adresse\u00a0; voir /api/docs."


def test_a_400_problem_is_in_french(api, wp2_series):
    url = "/api/series/escape-wp2-meeting/occurrences"
    query = {"after": "2019-01-01T00:00:00Z", "before": "2030-01-01T00:00:00Z"}
    response = api().get(url, query, **FRENCH)
    assert response.status_code == 400
    problem = response.json()
    assert (problem["title"], problem["code"]) == ("Requête incorrecte", "")
    assert problem["detail"] == "Demandez au plus deux ans de réunions à la fois."


def test_a_bad_token_is_refused_in_german(api, db):
    response = api("ee_nope").get("/api/me/registrations", **{"Accept-Language": "de"})
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Dieses API-Token ist unbekannt, abgelaufen oder widerrufen."
    )


def test_an_event_carries_its_translations_beside_its_original(api, hands_on):
    from escape_events.events.models import EventTranslation

    assert api().get("/api/events/swan-hands-on").json()["translations"] == {}
    EventTranslation.objects.create(
        event=hands_on, language="fr", title="Atelier SWAN", description="Apportez un **portable**."
    )
    EventTranslation.objects.create(event=hands_on, language="de", title="SWAN-Workshop")
    for headers in ({}, FRENCH):  # the same answer in every language
        body = api().get("/api/events/swan-hands-on", **headers).json()
        assert body["title"] == "SWAN hands-on"
        assert body["translations"] == {
            "de": {"title": "SWAN-Workshop", "description": ""},
            "fr": {"title": "Atelier SWAN", "description": "Apportez un **portable**."},
        }


def test_a_meeting_without_its_own_translation_carries_its_series(api, wp2_series):
    from escape_events.events.models import EventTranslation, SeriesTranslation
    from escape_events.events.selectors import next_occurrences
    from escape_events.events.services import materialise_occurrence

    SeriesTranslation.objects.create(series=wp2_series, language="fr", title="Réunion WP2")
    SeriesTranslation.objects.create(series=wp2_series, language="de", title="WP2-Sitzung")
    occurrence = next_occurrences(wp2_series, 1)[0]
    meeting = materialise_occurrence(series=wp2_series, recurrence_id=occurrence.recurrence_id)
    EventTranslation.objects.create(event=meeting, language="de", title="WP2-Sitzung im Juni")
    body = api().get(f"/api/events/{meeting.slug}").json()
    assert body["translations"] == {
        "de": {"title": "WP2-Sitzung im Juni", "description": ""},
        "fr": {"title": "Réunion WP2", "description": ""},
    }


def test_the_schema_documents_an_events_translations(api):
    schemas = api().get("/api/schema").json()["components"]["schemas"]
    translations = schemas["EventDetail"]["properties"]["translations"]
    assert "stay the original" in translations["description"]
    assert translations["additionalProperties"] == {"$ref": "#/components/schemas/TranslationOut"}
    assert set(schemas["TranslationOut"]["properties"]) == {"title", "description"}
