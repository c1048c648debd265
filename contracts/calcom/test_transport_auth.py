"""Auth, the error envelope, rate limits and crashes (reference/calcom.md §1.7, §2; rules 7-10,
15, 31, 32)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from contracts.calcom.conftest import error_of
from contracts.kit import fake_settings, frozen_clock

NO_AUTH = "ApiAuthStrategy - No authentication method provided"
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def calls(states) -> list[tuple[str, str, dict]]:
    uid = states.get("event_uid")
    return [
        ("GET", f"/v2/calendars/google/event/{uid}", {}),
        ("PATCH", f"/v2/calendars/google/events/{uid}", {"json": {"title": "never applied"}}),
        ("GET", "/v2/me", {}),
        ("GET", "/v2/calendars", {}),
    ]


@pytest.mark.rule("calcom", 7)
def test_rule_7_no_authorization_gets_401(calcom, states):
    for method, path, kw in calls(states):
        response = calcom.request(method, path, token=False, **kw)
        assert response.status_code == 401, (path, response.text)
        error = error_of(response)
        assert error["code"] == "UnauthorizedException"
        assert error["message"].startswith(NO_AUTH)
    assert calcom.event(states.get("event_uid")).json()["data"]["title"] != "never applied"


@pytest.mark.rule("calcom", 8)
def test_rule_8_unknown_cal_key_gets_401(calcom, states):
    response = calcom.event(states.get("event_uid"), token="cal_test_unknownKey0000000000000001")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "UnauthorizedException"
    assert error["message"] in (
        "CustomThrottlerGuard - Invalid API Key",
        "ApiAuthStrategy - api key - Your api key is not valid",
    )


@pytest.mark.rule("calcom", 8)
def test_rule_8_unknown_access_token_gets_401(calcom, states):
    response = calcom.event(states.get("event_uid"), token="notAKnownAccessToken00000000001")
    assert response.status_code == 401
    assert error_of(response)["message"] == "Invalid Access Token."


@pytest.mark.rule("calcom", 8)
def test_rule_8_expired_managed_token_gets_498(calcom, states):
    response = calcom.event(states.get("event_uid"), token=states.get("expired_access_token"))
    assert response.status_code == 498
    error = error_of(response)
    assert error["code"] == "TokenExpiredException"
    assert error["message"] == "ACCESS_TOKEN_IS_EXPIRED"


@pytest.mark.rule("calcom", 8)
def test_rule_8_expired_api_key_gets_401(calcom, states):
    response = calcom.get("/v2/me", token=states.get("expired_api_key"))
    assert response.status_code == 401
    assert error_of(response)["message"] == "ApiAuthStrategy - api key - Your api key is expired"


@pytest.mark.rule("calcom", 8)
def test_rule_8_valid_access_token_works(calcom, states):
    response = calcom.event(states.get("event_uid"), token=states.get("access_token"))
    assert response.status_code == 200, response.text


@pytest.mark.rule("calcom", 9)
def test_rule_9_bearer_prefix_is_optional(calcom, states):
    uid = states.get("event_uid")
    bare = calcom.event(uid, token=False, headers={"Authorization": calcom.key})
    bearer = calcom.event(uid)
    assert bare.status_code == bearer.status_code == 200
    assert bare.json()["data"] == bearer.json()["data"]


@pytest.mark.rule("calcom", 9)
def test_rule_9_lower_case_bearer_is_not_stripped(calcom, states):
    response = calcom.event(
        states.get("event_uid"), token=False, headers={"Authorization": f"bearer {calcom.key}"}
    )
    assert response.status_code == 401
    assert error_of(response)["message"] == "Invalid Access Token."


@pytest.mark.rule("calcom", 10)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v2/calendars/outlook/event/{uid}", None),
        ("GET", "/v2/calendars/google/event/does-not-exist", None),
        ("PATCH", "/v2/calendars/google/events/{uid}", {"title": 5}),
        ("PATCH", "/v2/calendars/outlook/events/{uid}", {"status": "bogus"}),
    ],
)
def test_rule_10_auth_failure_wins_over_everything(calcom, states, method, path, body):
    url = path.format(uid=states.get("event_uid"))
    for token in (False, "cal_test_unknownKey0000000000000001", "unknownAccessToken000000000001"):
        kw = {"json": body} if body is not None else {}
        response = calcom.request(method, url, token=token, **kw)
        assert response.status_code == 401, (token, response.text)


@pytest.mark.rule("calcom", 15)
def test_rule_15_error_envelope_shape(calcom, states):
    uid = states.get("event_uid")
    response = calcom.get(f"/v2/calendars/google/event/nosuch-{uid}?probe=1")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == "error"
    assert ISO_MS.match(body["timestamp"]), body["timestamp"]
    datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    assert body["path"] == f"/v2/calendars/google/event/nosuch-{uid}?probe=1"
    assert body["error"] == {
        "code": "NotFoundException",
        "message": "Booking reference not found",
        "details": {
            "message": "Booking reference not found",
            "error": "Not Found",
            "statusCode": 404,
        },
    }


@pytest.mark.rule("calcom", 15)
def test_rule_15_envelope_on_every_kind_of_error(calcom, states):
    uid = states.get("event_uid")
    for response in (
        calcom.event(uid, token=False),
        calcom.event(uid, calendar="apple"),
        calcom.update(uid, {"title": 1}),
        calcom.get("/v2/nowhere"),
    ):
        body = response.json()
        assert body["status"] == "error"
        assert set(body["error"]) == {"code", "message", "details"}
        assert body["path"].startswith("/v2/")


@pytest.mark.rule("calcom", 31)
def test_rule_31_rate_limit_headers_and_the_121st_request(calcom, states, target):
    """120 requests per 60 s per API key; the 121st gets 429 with Remaining 0. A key of its own
    (`rate_limit_api_key`), so no other test is throttled afterwards. On a fake the clock is
    frozen so the window cannot roll over; against a real API an earlier run may have spent
    some of the budget, so the 429 may come sooner."""
    key = states.get("rate_limit_api_key")
    if target.is_fake:
        with frozen_clock(target):
            _spend_the_budget(calcom, key, exact=True)
    else:
        _spend_the_budget(calcom, key, exact=False)


def _spend_the_budget(calcom, key: str, exact: bool) -> None:
    first = calcom.get("/v2/me", token=key, wait_when_throttled=False)
    assert first.status_code == 200
    limit = int(first.headers["X-RateLimit-Limit-Default"])
    assert limit == 120
    remaining = int(first.headers["X-RateLimit-Remaining-Default"])
    assert int(first.headers["X-RateLimit-Reset-Default"]) <= 60
    if exact:
        assert remaining == limit - 1
    for _ in range(remaining):
        response = calcom.get("/v2/me", token=key, wait_when_throttled=False)
        if response.status_code == 429:
            break
        assert int(response.headers["X-RateLimit-Remaining-Default"]) < remaining
        remaining = int(response.headers["X-RateLimit-Remaining-Default"])
    blocked = calcom.get("/v2/me", token=key, wait_when_throttled=False)
    assert blocked.status_code == 429
    assert blocked.headers["X-RateLimit-Remaining-Default"] == "0"
    error = error_of(blocked)
    assert error["code"] == "ThrottlerException"
    assert error["message"] == "CustomThrottlerGuard - Too many requests. Please try again later."


@pytest.mark.rule("calcom", 31)
@pytest.mark.fake_only
def test_rule_31_access_tokens_get_500(calcom, states, target):
    response = calcom.get("/v2/me", token=states.get("access_token"))
    assert response.headers["X-RateLimit-Limit-Default"] == "500"
    with fake_settings(target, "calcom", access_token_limit=2):
        assert calcom.get("/v2/me", token=states.get("access_token")).status_code == 200
        assert calcom.get("/v2/me", token=states.get("access_token")).status_code == 429
        assert calcom.get("/v2/me").status_code == 200  # the API key has its own budget


@pytest.mark.rule("calcom", 32)
@pytest.mark.fake_only
def test_rule_32_non_http_failure_is_a_bare_500(calcom, states, target):
    uid = states.get("disposable_event_uid")
    with fake_settings(target, "calcom", null_attendees_crash=True):
        response = calcom.update(uid, {"attendees": None})
    assert response.status_code == 500
    assert response.json() == {"statusCode": 500, "message": "Internal server error"}
    assert response.headers.get("x-request-id")
    ignored = calcom.update(uid, {"attendees": None, "title": "kept"})  # the switch is off again
    assert ignored.status_code == 200
    assert ignored.json()["data"]["title"] == "kept"


@pytest.mark.rule("calcom", 32)
@pytest.mark.fake_only
def test_rule_32_injected_crash_has_no_envelope(calcom, states, target):
    uid = states.get("event_uid")
    target.control(
        "POST",
        "/_mock/faults",
        json={"provider": "calcom", "path": f"/v2/calendars/google/event/{uid}", "status": 500},
    )
    response = calcom.event(uid)
    assert response.status_code == 500
    assert response.json() == {"statusCode": 500, "message": "Internal server error"}
