"""Input no form would send: NUL characters, numbers beyond any database integer, huge slugs.
Each is a clear 4xx, never a server error, on SQLite and PostgreSQL alike."""

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "/api/events", {"q": "a\x00b"}),
        ("get", "/api/events", {"series": "\x00"}),
        ("get", "/api/events/%00", {}),
        ("get", "/api/events/" + "x" * 5000, {}),
        ("get", "/api/series/%00/occurrences", {}),
        ("get", f"/api/me/registrations/{HUGE}", {}),
        ("post", f"/api/me/registrations/{HUGE}/cancel", {}),
        ("get", "/api/organise/events/swan-hands-on/participants", {"q": "\x00"}),
        ("get", "/api/organise/events/swan-hands-on/participants", {"question": HUGE}),
        ("post", f"/api/organise/events/swan-hands-on/participants/{HUGE}/approve", {}),
        ("post", "/api/organise/events/swan-hands-on/check-in", {"code": "a\x00"}),
        ("post", "/api/events/swan-hands-on/registrations",
         {"mode": "onsite", "answers": {HUGE: "x"}}),
        ("post", "/api/events/swan-hands-on/registrations",
         {"mode": "onsite", "answers": {"1": "CMS\x00"}}),
    ],
)  # fmt: skip
def test_hostile_input_is_a_4xx(api, organiser, make_token, hands_on, method, path, params):
    client = api(make_token(organiser, registrations=True, organiser="write"))
    response = client.get(path, params) if method == "get" else client.post(path, params)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/problem+json"
