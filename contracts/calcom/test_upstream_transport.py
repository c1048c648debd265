"""Replays of Cal.com's app-level e2e spec (rate limiting) and checks of what the app
bootstrap sets up for every request (CORS, helmet, versioning, the global ValidationPipe,
Express routing), over HTTP: the tolerances real clients lean on. The differences they showed
(DIFF-calcom-<n>, docs/EVIDENCE.md, Cal.com) are fixed."""

from __future__ import annotations

import pytest

from contracts.calcom.conftest import BOOKINGS_VERSION
from contracts.kit import fake_settings, frozen_clock

APP_E2E = (
    "calcom/cal.com apps/api/v2/src/app.e2e-spec.ts @ 03670679c00d600615e8df2bc64545bd51c61646"
)
BOOTSTRAP = "calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d"


def me(calcom, key: str):
    return calcom.get("/v2/me", token=key, wait_when_throttled=False)


@pytest.mark.fake_only
@pytest.mark.rule("calcom", 31)
def test_app_e2e_api_key_default_rate_limit(calcom, states, target):
    """calcom/cal.com apps/api/v2/src/app.e2e-spec.ts, "Rate limiting > api key with default
    rate limit - should enforce rate limits and reset after block duration" @
    03670679c00d600615e8df2bc64545bd51c61646, with its mocked limit (5) as the fake's
    api_key_limit: Limit/Remaining/Reset on each of the 5, the 6th is 429 with Remaining 0,
    and after the block the count starts again (Remaining limit - 1). Fake only: the limit is
    a setting and the clock is moved instead of waited out. The Reset of the 429 is
    test_app_e2e_blocked_reset_covers_the_block."""
    key = states.get("rate_limit_api_key")
    with fake_settings(target, "calcom", api_key_limit=5), frozen_clock(target):
        for i in range(1, 6):
            response = me(calcom, key)
            assert response.status_code == 200, response.text
            assert response.headers["x-ratelimit-limit-default"] == "5"
            assert response.headers["x-ratelimit-remaining-default"] == str(5 - i)
            assert int(response.headers["x-ratelimit-reset-default"]) > 0
        blocked = me(calcom, key)
        assert blocked.status_code == 429
        assert blocked.headers["x-ratelimit-limit-default"] == "5"
        assert blocked.headers["x-ratelimit-remaining-default"] == "0"
        target.control("POST", "/_mock/clock", json={"advance": 121})  # past window and block
        after = me(calcom, key)
        assert after.status_code == 200, after.text
        assert after.headers["x-ratelimit-limit-default"] == "5"
        assert after.headers["x-ratelimit-remaining-default"] == "4"
        assert int(after.headers["x-ratelimit-reset-default"]) > 0


@pytest.mark.fake_only
@pytest.mark.rule("calcom", 31)
def test_app_e2e_blocked_reset_covers_the_block(calcom, states, target):
    """calcom/cal.com apps/api/v2/src/app.e2e-spec.ts, "api key with default rate limit" @
    03670679c00d600615e8df2bc64545bd51c61646: the 429's X-RateLimit-Reset-Default is at least
    the block duration (blockDuration / 1000), the block running from the 429. With the real
    defaults (apps/api/v2/src/lib/throttler-guard.ts: ttl and block both 60 s) a key spent
    30 s into its window stays blocked 60 s from then, past the window's end."""
    key = states.get("rate_limit_api_key")
    with fake_settings(target, "calcom", api_key_limit=5), frozen_clock(target):
        assert me(calcom, key).status_code == 200
        target.control("POST", "/_mock/clock", json={"advance": 30})
        for _ in range(4):
            assert me(calcom, key).status_code == 200
        blocked = me(calcom, key)
        assert blocked.status_code == 429
        assert int(blocked.headers["x-ratelimit-reset-default"]) >= 60
        target.control("POST", "/_mock/clock", json={"advance": 31})  # window over, block not
        assert me(calcom, key).status_code == 429


def preflight(calcom):
    return calcom.request(
        "OPTIONS",
        "/v2/me",
        token=False,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,cal-api-version",
        },
    )


def test_bootstrap_cors_preflight(calcom):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    `app.enableCors({origin: "*", ..., maxAge: 86_400})`, answered by the cors middleware
    before any guard: 204 (its optionsSuccessStatus), any origin, a day's max-age."""
    response = preflight(calcom)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-max-age"] == "86400"


def test_bootstrap_cors_preflight_methods_and_headers(calcom):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    `methods: ["GET", "PATCH", "DELETE", "HEAD", "POST", "PUT", "OPTIONS"]` and the eight
    allowedHeaders, which the cors package joins with "," (no space) in that order."""
    response = preflight(calcom)
    assert response.headers["access-control-allow-methods"] == (
        "GET,PATCH,DELETE,HEAD,POST,PUT,OPTIONS"
    )
    assert response.headers["access-control-allow-headers"] == (
        "x-cal-client-id,x-cal-secret-key,x-cal-platform-embed,cal-api-version,Accept,"
        "Authorization,Content-Type,Origin"
    )


@pytest.mark.parametrize("path", ["/v2/me", "/v2/no-such-route"])
def test_bootstrap_helmet_headers(calcom, path):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    `app.use(helmet())` with its defaults, on every answer (also Nest's 404): the headers
    below have kept these values across helmet versions; X-Powered-By is removed."""
    response = calcom.get(path)
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-dns-prefetch-control"] == "off"
    assert headers["x-download-options"] == "noopen"
    assert headers["x-permitted-cross-domain-policies"] == "none"
    assert headers["referrer-policy"] == "no-referrer"
    assert "x-powered-by" not in headers


def test_bootstrap_header_names_are_case_insensitive(calcom, states):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    the version extractor reads `request.headers["cal-api-version"]` from Node's lowercased
    header map, and the auth strategy reads `authorization`, so clients' header casing does
    not matter."""
    uid = states.get("booking_uid")
    response = calcom.request(
        "GET",
        f"/v2/bookings/{uid}",
        token=False,
        headers={"CAL-API-VERSION": BOOKINGS_VERSION, "AUTHORIZATION": f"Bearer {calcom.key}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["uid"] == uid
    assert {"uid", "hosts", "eventType"} <= set(response.json()["data"])


@pytest.mark.rule("calcom", 17)
@pytest.mark.parametrize(
    "path",
    ["/v2/me/", "/api/v2/me/", "/v2/calendars/google/event/{uid}/", "/v2/bookings/{booking}/"],
)
def test_express_trailing_slash_is_the_same_route(calcom, states, path):
    """Express routes non-strictly (Nest's default with @nestjs/platform-express, calcom/cal.com
    apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d sets no strict
    routing): a trailing slash reaches the same handler."""
    url = path.format(uid=states.get("event_uid"), booking=states.get("booking_uid"))
    response = calcom.get(url, version=BOOKINGS_VERSION)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "success"


def test_validation_pipe_strips_unknown_query_parameters(calcom, states):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    the global ValidationPipe has `whitelist: true` and no forbidNonWhitelisted, so a query
    parameter GetBookingsInput_2024_08_13 does not declare is dropped, not refused (unlike
    the booking bodies' own pipes, DIFF-calcom-1)."""
    uid = states.get("booking_uid")
    plain = calcom.bookings("GET", params={"bookingUid": uid})
    extra = calcom.bookings("GET", params={"bookingUid": uid, "foo": "bar", "limit": "5"})
    assert plain.status_code == extra.status_code == 200, extra.text
    assert [b["uid"] for b in extra.json()["data"]] == [b["uid"] for b in plain.json()["data"]]
