"""Transport and auth rules (reference/cronofy.md §8, rules 1-9)."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from contracts.cronofy.conftest import event as cronofy_event
from contracts.kit import fake_settings, frozen_clock
from contracts.kit import window as kit_window

JSON_UTF8 = "application/json;charset=utf-8"  # compared with spaces removed


event = partial(cronofy_event, summary="Contract transport event")  # 10:00-11:00, day 10
# read-events params covering day 10, where `event()` puts things
window = partial(kit_window, 9, 3, tzid="Etc/UTC")


def media_type(response) -> str:
    return response.headers.get("content-type", "").replace(" ", "").lower()


def advance(target, seconds: float) -> None:
    target.control("POST", "/_mock/clock", json={"advance": seconds})


# -- rule 1: no valid bearer token -> 401 ------------------------------------------------------


def v1_calls(states, unique_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    cal = states.get("writable_calendar")
    uid = states.get("editable_external_event")
    return [
        ("GET", "/v1/calendars", {}),
        ("POST", "/v1/calendars", {"json": {"profile_id": "pro_x", "name": unique_id}}),
        ("GET", "/v1/account", {}),
        ("GET", "/v1/userinfo", {}),
        ("GET", "/v1/profiles", {}),
        ("GET", "/v1/events", {"params": {"tzid": "Etc/UTC"}}),
        ("GET", "/v1/free_busy", {"params": {"tzid": "Etc/UTC"}}),
        ("POST", f"/v1/calendars/{cal}/events", {"json": event(unique_id)}),
        ("DELETE", f"/v1/calendars/{cal}/events", {"json": {"event_id": unique_id}}),
        ("DELETE", "/v1/events", {"json": {"calendar_ids": [cal]}}),
        (
            "POST",
            f"/v1/calendars/{cal}/events/{uid}/participation_status",
            {"json": {"status": "accepted"}},
        ),
        ("POST", "/v1/batch", {"json": {"batch": []}}),
    ]


@pytest.mark.rule("cronofy", 1)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token-at-all-000000000"],
    ids=["absent", "scheme-only", "basic", "unknown-token"],
)
def test_rule_1_missing_or_unknown_credentials_get_401(cronofy, states, unique_id, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    for method, path, kw in v1_calls(states, unique_id):
        response = cronofy.request(method, path, token=False, headers=headers, **kw)
        assert response.status_code == 401, (method, path, response.status_code, response.text)


@pytest.mark.rule("cronofy", 1)
def test_rule_1_token_without_bearer_scheme_gets_401(cronofy):
    response = cronofy.get("/v1/calendars", token=False, headers={"Authorization": cronofy.token})
    assert response.status_code == 401
    assert cronofy.get("/v1/calendars").status_code == 200  # the same token, properly sent


@pytest.mark.rule("cronofy", 1)
def test_rule_1_expired_token_gets_401(cronofy, states, unique_id):
    expired = states.get("expired_token")
    for method, path, kw in v1_calls(states, unique_id):
        response = cronofy.request(method, path, token=expired, **kw)
        assert response.status_code == 401, (method, path, response.status_code)


@pytest.mark.rule("cronofy", 1)
def test_rule_1_application_secret_is_not_an_access_token(cronofy, states):
    secret = states.get("client_secret")
    assert cronofy.get("/v1/calendars", token=secret).status_code == 401
    assert cronofy.get("/v1/events", token=secret, params={"tzid": "Etc/UTC"}).status_code == 401


@pytest.mark.rule("cronofy", 1)
def test_rule_1_refused_write_has_no_effect(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    refused = cronofy.upsert(cal, event(unique_id), token="unknownTokenNeverIssued000000001")
    assert refused.status_code == 401
    assert cronofy.find(event_id=unique_id, only_managed="true", **window()) is None


# -- rule 2: a valid token without the endpoint's scope -> 403 ---------------------------------


@pytest.mark.rule("cronofy", 2)
def test_rule_2_upsert_needs_create_event(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    refused = cronofy.upsert(cal, event(unique_id), token=states.get("free_busy_only_token"))
    assert refused.status_code == 403
    assert cronofy.find(event_id=unique_id, only_managed="true", **window()) is None
    allowed = cronofy.upsert(cal, event(unique_id), token=states.get("create_event_only_token"))
    assert allowed.status_code == 202
    assert cronofy.find(event_id=unique_id, only_managed="true", **window()) is not None


@pytest.mark.rule("cronofy", 2)
def test_rule_2_delete_needs_delete_event(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id)).status_code == 202
    create_only = states.get("create_event_only_token")
    refused = cronofy.delete(
        f"/v1/calendars/{cal}/events", json={"event_id": unique_id}, token=create_only
    )
    assert refused.status_code == 403
    bulk = cronofy.delete("/v1/events", json={"calendar_ids": [cal]}, token=create_only)
    assert bulk.status_code == 403
    assert cronofy.find(event_id=unique_id, only_managed="true", **window()) is not None


@pytest.mark.rule("cronofy", 2)
def test_rule_2_read_events_needs_read_events_unless_only_managed(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    for name in ("free_busy_only_token", "create_event_only_token"):
        response = cronofy.get("/v1/events", token=states.get(name), params=window())
        assert response.status_code == 403, name
    # only_managed=true needs no read_events: the app reads back its own events
    create_only = states.get("create_event_only_token")
    assert cronofy.upsert(cal, event(unique_id), token=create_only).status_code == 202
    response = cronofy.get(
        "/v1/events", token=create_only, params={**window(), "only_managed": "true"}
    )
    assert response.status_code == 200
    assert unique_id in [e.get("event_id") for e in response.json()["events"]]


@pytest.mark.rule("cronofy", 2)
def test_rule_2_free_busy_needs_read_free_busy_or_read_events(cronofy, states):
    params = {"tzid": "Etc/UTC"}
    refused = cronofy.get(
        "/v1/free_busy", token=states.get("create_event_only_token"), params=params
    )
    assert refused.status_code == 403
    for name in ("free_busy_only_token", "read_events_only_token", "access_token"):
        response = cronofy.get("/v1/free_busy", token=states.get(name), params=params)
        assert response.status_code == 200, name
        assert isinstance(response.json()["free_busy"], list)


@pytest.mark.rule("cronofy", 2)
def test_rule_2_create_calendar_needs_create_calendar(cronofy, states, unique_id):
    body = {"profile_id": states.get("profile_id"), "name": f"Scope check {unique_id}"}
    for name in ("free_busy_only_token", "create_event_only_token"):
        response = cronofy.post("/v1/calendars", json=body, token=states.get(name))
        assert response.status_code == 403, name
    names = [c["calendar_name"] for c in cronofy.get("/v1/calendars").json()["calendars"]]
    assert body["name"] not in names


@pytest.mark.rule("cronofy", 2)
def test_rule_2_participation_needs_change_participation_status(cronofy, states):
    cal = states.get("writable_calendar")
    uid = states.get("editable_external_event")
    before = cronofy.find(event_uid=uid, tzid="Etc/UTC", **{"calendar_ids[]": [cal]})
    assert before is not None, "the editable external event must be in the default window"
    response = cronofy.post(
        f"/v1/calendars/{cal}/events/{uid}/participation_status",
        json={"status": "declined" if before["participation_status"] != "declined" else "accepted"},
        token=states.get("create_event_only_token"),
    )
    assert response.status_code == 403
    after = cronofy.find(event_uid=uid, tzid="Etc/UTC", **{"calendar_ids[]": [cal]})
    assert after["participation_status"] == before["participation_status"]


# -- rule 3: /oauth/token* authenticate by body credentials, ignore Authorization --------------


def refresh_body(states) -> dict[str, str]:
    return {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        "grant_type": "refresh_token",
        "refresh_token": states.get("refresh_token"),
    }


@pytest.mark.rule("cronofy", 3)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer undefined", "Bearer staleTokenFromAnEarlierSession0001"],
    ids=["absent", "node-undefined", "pycronofy-stale"],
)
def test_rule_3_token_endpoint_ignores_authorization_header(cronofy, states, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = cronofy.post("/oauth/token", token=False, headers=headers, json=refresh_body(states))
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


@pytest.mark.rule("cronofy", 3)
def test_rule_3_token_endpoint_authenticates_by_body_credentials(cronofy, states):
    # A perfectly valid bearer token does not stand in for the client credentials.
    body = refresh_body(states)
    del body["client_secret"]
    missing = cronofy.post("/oauth/token", json=body)
    assert missing.status_code == 400
    assert missing.json() == {"error": "invalid_client"}
    wrong = cronofy.post("/oauth/token", json={**body, "client_secret": "not-the-secret"})
    assert wrong.status_code == 400
    assert wrong.json() == {"error": "invalid_client"}


@pytest.mark.rule("cronofy", 3)
def test_rule_3_revoke_ignores_authorization_header(cronofy, states):
    body = {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        "token": "neverIssuedToken0000000000000000",
    }
    response = cronofy.post(
        "/oauth/token/revoke", token=False, headers={"Authorization": "Bearer undefined"}, json=body
    )
    assert response.status_code == 200
    wrong = cronofy.post("/oauth/token/revoke", json={**body, "client_secret": "not-the-secret"})
    assert wrong.status_code == 400
    assert wrong.json() == {"error": "invalid_client"}


# -- rule 4: JSON (with or without charset) and form bodies ------------------------------------


@pytest.mark.rule("cronofy", 4)
def test_rule_4_form_encoded_upsert_is_accepted(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    response = cronofy.post(
        f"/v1/calendars/{cal}/events",
        content=urlencode(event(unique_id, summary="Sent as a form")),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 202, response.text
    found = cronofy.find(event_id=unique_id, only_managed="true", **window())
    assert found is not None
    assert found["summary"] == "Sent as a form"


@pytest.mark.rule("cronofy", 4)
@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8"], ids=["bare", "utf8"]
)
def test_rule_4_json_with_or_without_charset_is_accepted(cronofy, states, unique_id, content_type):
    import json

    cal = states.get("writable_calendar")
    body = event(unique_id, summary="Sent as JSON — ünïcode")
    response = cronofy.post(
        f"/v1/calendars/{cal}/events",
        content=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 202, response.text
    found = cronofy.find(event_id=unique_id, only_managed="true", **window())
    assert found is not None
    assert found["summary"] == body["summary"]


@pytest.mark.rule("cronofy", 4)
def test_rule_4_form_encoded_token_request_is_accepted(cronofy, states):
    response = cronofy.post(
        "/oauth/token",
        token=False,
        content=urlencode(refresh_body(states)),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"


# -- rule 5: GET with a JSON body {} ------------------------------------------------------------


@pytest.mark.rule("cronofy", 5)
def test_rule_5_get_with_empty_json_body_is_accepted(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id)).status_code == 202
    pycronofy_style = {"content": b"{}", "headers": {"Content-Type": "application/json"}}
    calendars = cronofy.get("/v1/calendars", **pycronofy_style)
    assert calendars.status_code == 200
    assert cal in [c["calendar_id"] for c in calendars.json()["calendars"]]
    assert cronofy.get("/v1/account", **pycronofy_style).status_code == 200
    events = cronofy.get(
        "/v1/events", params={**window(), "only_managed": "true"}, **pycronofy_style
    )
    assert events.status_code == 200
    assert unique_id in [e.get("event_id") for e in events.json()["events"]]


# -- rule 6: Python-style booleans in the query ---------------------------------------------------


def managed_ids(cronofy, **params: Any) -> set[str]:
    return {e.get("event_id") for e in cronofy.read_events(**params) if e.get("event_id")}


@pytest.mark.rule("cronofy", 6)
def test_rule_6_python_style_booleans_are_accepted(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id)).status_code == 202
    only_true = cronofy.read_events(**window(), only_managed="True", include_managed="True")
    assert unique_id in [e.get("event_id") for e in only_true]
    assert all(e.get("event_id") for e in only_true)  # only_managed=True really took effect
    excluded = managed_ids(cronofy, **window(), only_managed="False", include_managed="False")
    assert unique_id not in excluded  # include_managed=False really took effect
    assert unique_id in managed_ids(cronofy, **window(), include_managed="True")
    # and they mean exactly what the lower-case spelling means
    lower = managed_ids(cronofy, **window(), only_managed="true", include_managed="true")
    assert lower == {e["event_id"] for e in only_true}


# -- rule 7: array params as name[]=v -----------------------------------------------------------


@pytest.mark.rule("cronofy", 7)
def test_rule_7_bracket_array_params_filter_calendars(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    assert cronofy.upsert(first, event(unique_id)).status_code == 202
    assert cronofy.upsert(second, event(unique_id)).status_code == 202

    def mine(cal_ids: list[str]) -> list[str]:
        params: list[tuple[str, str]] = [(k, v) for k, v in window().items()]
        params += [("only_managed", "true")] + [("calendar_ids[]", c) for c in cal_ids]
        response = cronofy.get("/v1/events", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert all(e["calendar_id"] in cal_ids for e in body["events"])
        return sorted(e["calendar_id"] for e in body["events"] if e.get("event_id") == unique_id)

    assert mine([first]) == [first]
    assert mine([second]) == [second]
    assert mine([first, second]) == sorted([first, second])


# -- rule 8: JSON media type; 202 with an empty body ---------------------------------------------


@pytest.mark.rule("cronofy", 8)
def test_rule_8_json_responses_are_utf8_json(cronofy, states):
    cal = states.get("writable_calendar")
    responses = [
        cronofy.get("/v1/calendars"),
        cronofy.get("/v1/account"),
        cronofy.get("/v1/events", params={"tzid": "Etc/UTC"}),
        cronofy.upsert(cal, {"summary": "no event_id"}),  # 422
        cronofy.post(
            "/oauth/token",
            token=False,
            json={**refresh_body(states), "refresh_token": "unknownRefreshToken0000000000001"},
        ),  # 400
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 422, 400]
    for response in responses:
        assert media_type(response) == JSON_UTF8, (response.request.url, response.headers)
        response.json()


@pytest.mark.rule("cronofy", 8)
def test_rule_8_accepted_responses_have_empty_body(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    created = cronofy.upsert(cal, event(unique_id))
    assert created.status_code == 202
    assert created.content == b""
    updated = cronofy.upsert(cal, event(unique_id, summary="again"))
    assert updated.status_code == 202
    assert updated.content == b""
    deleted = cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": unique_id})
    assert deleted.status_code == 202
    assert deleted.content == b""


# -- rule 9: 429 above the application's budget --------------------------------------------------


@pytest.mark.rule("cronofy", 9)
def test_rule_9_forced_429(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    with fake_settings(cronofy.target, force_429=True):
        assert cronofy.get("/v1/calendars").status_code == 429
        assert cronofy.get("/v1/events", params={"tzid": "Etc/UTC"}).status_code == 429
        assert cronofy.upsert(cal, event(unique_id)).status_code == 429
    assert cronofy.get("/v1/calendars").status_code == 200
    assert cronofy.find(event_id=unique_id, only_managed="true", **window()) is None


@pytest.mark.rule("cronofy", 9)
def test_rule_9_more_than_50_requests_a_second_get_429(cronofy, states):
    target = cronofy.target
    with frozen_clock(target), fake_settings(target, rate_limit=True):
        statuses = [cronofy.get("/v1/account").status_code for _ in range(50)]
        assert statuses == [200] * 50
        assert cronofy.get("/v1/account").status_code == 429  # the 51st in the same second
        # the budget is the application's, not the token's
        other = states.get("free_busy_only_token")
        assert cronofy.get("/v1/account", token=other).status_code == 429
        advance(target, 1.0)
        assert cronofy.get("/v1/account").status_code == 200  # a new second, a new budget
    assert cronofy.get("/v1/account").status_code == 200


@pytest.mark.rule("cronofy", 9)
def test_rule_9_more_than_500_requests_a_minute_get_429(cronofy):
    target = cronofy.target
    with frozen_clock(target), fake_settings(target, rate_limit=True):
        for second in range(10):
            statuses = {cronofy.get("/v1/account").status_code for _ in range(50)}
            assert statuses == {200}, second
            advance(target, 1.0)
        # a fresh second, but the minute's 500 are spent
        assert cronofy.get("/v1/account").status_code == 429
        advance(target, 60.0)
        assert cronofy.get("/v1/account").status_code == 200


def fake_code(cronofy, states) -> str:
    """An authorization code from the fake's /oauth/authorize (a browser login on live)."""
    if not cronofy.target.is_fake:
        pytest.skip("/oauth/authorize is a browser login on Cronofy's app host")
    response = cronofy.get(
        "/oauth/authorize",
        token=False,
        params={
            "response_type": "code",
            "client_id": states.get("client_id"),
            "redirect_uri": states.get("redirect_uri"),
            "scope": "read_account list_calendars",
            "state": "s",
        },
    )
    assert response.status_code == 302
    return parse_qs(urlparse(response.headers["location"]).query)["code"][0]


@pytest.mark.rule("cronofy", 9)
def test_rule_9_throttled_token_request_has_no_effect(cronofy, states):
    """A 429 is a refusal: the single-use code it carried must still be usable afterwards."""
    code = fake_code(cronofy, states)
    body = {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": states.get("redirect_uri"),
    }
    with fake_settings(cronofy.target, force_429=True):
        assert cronofy.post("/oauth/token", token=False, json=body).status_code == 429
    response = cronofy.post("/oauth/token", token=False, json=body)
    assert response.status_code == 200, response.text
    assert cronofy.get("/v1/account", token=response.json()["access_token"]).status_code == 200
