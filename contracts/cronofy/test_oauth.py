"""OAuth rules (reference/cronofy.md §8, rules 10-13).

The browser step (`GET /oauth/authorize`) lives on Cronofy's app host behind a login, so tests that
need a fresh authorization code drive the fake's authorize endpoint and are skipped on live.
Live runs of the refresh tests issue new access tokens for the configured authorization.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from contracts.kit import clock_moved

ALL_SCOPES = (
    "read_account list_calendars read_events create_event delete_event read_free_busy "
    "create_calendar change_participation_status"
)


def authorize(
    cronofy, states, scope: str = ALL_SCOPES, state: str = "contract-state", **extra: str
) -> str:
    """A fresh authorization code from the fake's /oauth/authorize (skipped on live)."""
    if not cronofy.target.is_fake:
        pytest.skip("/oauth/authorize is a browser login on Cronofy's app host")
    response = cronofy.get(
        "/oauth/authorize",
        token=False,
        params={
            "response_type": "code",
            "client_id": states.get("client_id"),
            "redirect_uri": states.get("redirect_uri"),
            "scope": scope,
            "state": state,
            **extra,
        },
    )
    assert response.status_code == 302, response.text
    location = urlparse(response.headers["location"])
    redirect = urlparse(states.get("redirect_uri"))
    assert (location.scheme, location.netloc, location.path) == (
        redirect.scheme,
        redirect.netloc,
        redirect.path,
    )
    query = parse_qs(location.query)
    assert query["state"] == [state]
    assert "error" not in query, query
    return query["code"][0]


def exchange(cronofy, states, code: str, **overrides: Any):
    body = {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": states.get("redirect_uri"),
        **overrides,
    }
    return cronofy.post("/oauth/token", token=False, json=body)


def refresh(cronofy, states, refresh_token: str | None = None, **overrides: Any):
    body = {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        "grant_type": "refresh_token",
        "refresh_token": refresh_token or states.get("refresh_token"),
        **overrides,
    }
    return cronofy.post("/oauth/token", token=False, json=body)


def revoke(cronofy, states, **which: str):
    body = {"client_id": states.get("client_id"), "client_secret": states.get("client_secret")}
    return cronofy.post("/oauth/token/revoke", token=False, json={**body, **which})


def assert_invalid_grant(response) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"error": "invalid_grant"}


def works(cronofy, access_token: str) -> bool:
    """Whether a token is accepted on /v1/* (checked on three endpoints, which must agree)."""
    statuses = {
        cronofy.get("/v1/account", token=access_token).status_code,
        cronofy.get("/v1/calendars", token=access_token).status_code,
        cronofy.get("/v1/events", token=access_token, params={"tzid": "Etc/UTC"}).status_code,
    }
    assert statuses in ({200}, {401}), statuses
    return statuses == {200}


# -- rule 10: authorization_code grant ------------------------------------------------------------


@pytest.mark.rule("cronofy", 10)
def test_rule_10_code_exchange_returns_the_documented_token(cronofy, states):
    code = authorize(cronofy, states)
    response = exchange(cronofy, states, code)
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers.get("cache-control", "")
    body = response.json()
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str)
    assert len(body["access_token"]) == 32
    assert body["access_token"].isascii()
    assert body["expires_in"] == 3600
    assert isinstance(body["refresh_token"], str)
    assert body["refresh_token"]
    assert set(body["scope"].split()) == set(ALL_SCOPES.split())
    assert body["account_id"] == body["sub"] == states.get("account_id")
    assert body["account_id"].startswith("acc_")
    assert len(body["account_id"]) == 28
    linking = body["linking_profile"]
    assert set(linking) >= {"provider_name", "profile_id", "profile_name"}
    # the new token acts for that account, and the linked profile is one of its profiles
    account = cronofy.get("/v1/account", token=body["access_token"])
    assert account.status_code == 200
    assert account.json()["account"]["account_id"] == body["account_id"]
    profiles = cronofy.get("/v1/profiles", token=body["access_token"]).json()["profiles"]
    assert linking["profile_id"] in [p["profile_id"] for p in profiles]


@pytest.mark.rule("cronofy", 10)
def test_rule_10_new_token_carries_the_granted_scope(cronofy, states, unique_id):
    code = authorize(cronofy, states, scope="read_free_busy")
    body = exchange(cronofy, states, code).json()
    assert body["scope"] == "read_free_busy"
    token = body["access_token"]
    assert cronofy.get("/v1/free_busy", token=token, params={"tzid": "Etc/UTC"}).status_code == 200
    cal = states.get("writable_calendar")
    event = {
        "event_id": unique_id,
        "summary": "s",
        "start": "2026-12-01T10:00:00Z",
        "end": "2026-12-01T11:00:00Z",
    }
    assert cronofy.upsert(cal, event, token=token).status_code == 403


# -- rule 11: codes are single use; reuse, expiry, redirect mismatch -> invalid_grant -------------


@pytest.mark.rule("cronofy", 11)
def test_rule_11_code_is_single_use(cronofy, states):
    code = authorize(cronofy, states)
    first = exchange(cronofy, states, code)
    assert first.status_code == 200
    assert_invalid_grant(exchange(cronofy, states, code))
    # the failed reuse does not undo the first exchange
    assert works(cronofy, first.json()["access_token"])


@pytest.mark.rule("cronofy", 11)
def test_rule_11_redirect_uri_mismatch_is_invalid_grant(cronofy, states):
    code = authorize(cronofy, states)
    other = states.get("redirect_uri").rstrip("/") + "/elsewhere"
    assert_invalid_grant(exchange(cronofy, states, code, redirect_uri=other))
    code = authorize(cronofy, states)
    assert_invalid_grant(exchange(cronofy, states, code, redirect_uri=None))


@pytest.mark.rule("cronofy", 11)
def test_rule_11_expired_code_is_invalid_grant(cronofy, states):
    code = authorize(cronofy, states)
    lifetime = cronofy.target.control("GET", "/_mock/settings").json()["cronofy"]["code_lifetime"]
    with clock_moved(cronofy.target, lifetime + 1):
        assert_invalid_grant(exchange(cronofy, states, code))


@pytest.mark.rule("cronofy", 11)
def test_rule_11_unknown_code_is_invalid_grant(cronofy, states):
    assert_invalid_grant(exchange(cronofy, states, "neverIssuedAuthorizationCode0001"))


# -- rule 12: refresh_token grant -------------------------------------------------------------------


@pytest.mark.rule("cronofy", 12)
def test_rule_12_refresh_returns_a_new_access_token(cronofy, states):
    response = refresh(cronofy, states)
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers.get("cache-control", "")
    body = response.json()
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) == 32
    assert body["access_token"] != states.get("access_token")
    assert isinstance(body["expires_in"], int)
    assert 0 < body["expires_in"] <= 2**31 - 1
    assert isinstance(body["refresh_token"], str)
    assert body["refresh_token"]
    assert isinstance(body["scope"], str)
    assert body["scope"].split()


@pytest.mark.rule("cronofy", 12)
def test_rule_12_unknown_refresh_token_is_invalid_grant(cronofy, states):
    assert_invalid_grant(refresh(cronofy, states, "neverIssuedRefreshToken000000001"))


@pytest.mark.rule("cronofy", 12)
def test_rule_12_wrong_client_secret_is_invalid_client(cronofy, states):
    response = refresh(cronofy, states, client_secret="not-the-client-secret")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client"}
    unknown_client = refresh(cronofy, states, client_id="not-a-client-id")
    assert unknown_client.status_code == 400
    assert unknown_client.json() == {"error": "invalid_client"}


# -- rule 13: refreshed tokens work; revoked ones do not; revoke always answers 200 ----------------


@pytest.mark.rule("cronofy", 13)
def test_rule_13_refreshed_access_token_works(cronofy, states):
    expected = cronofy.get("/v1/account").json()["account"]["account_id"]
    new = refresh(cronofy, states).json()["access_token"]
    assert works(cronofy, new)
    account = cronofy.get("/v1/account", token=new).json()
    assert account["account"]["account_id"] == expected


def fresh_authorization(cronofy, states, **extra: str) -> dict[str, Any]:
    response = exchange(cronofy, states, authorize(cronofy, states, **extra))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.rule("cronofy", 13)
@pytest.mark.parametrize("by", ["access_token", "refresh_token"])
def test_rule_13_revoking_a_token_ends_its_authorization(cronofy, states, by):
    grant = fresh_authorization(cronofy, states)
    second = refresh(cronofy, states, grant["refresh_token"]).json()["access_token"]
    assert works(cronofy, grant["access_token"])
    assert works(cronofy, second)
    response = revoke(cronofy, states, token=grant[by])
    assert response.status_code == 200
    assert response.content == b""
    assert not works(cronofy, grant["access_token"])
    assert not works(cronofy, second)
    assert_invalid_grant(refresh(cronofy, states, grant["refresh_token"]))
    # other authorizations of the same account are untouched
    assert works(cronofy, states.get("access_token"))


@pytest.mark.rule("cronofy", 13)
def test_rule_13_revoking_by_sub_ends_that_accounts_authorization(cronofy, states):
    grant = fresh_authorization(cronofy, states, login_hint=states.get("other_account_email"))
    assert grant["sub"] != states.get("account_id")
    assert works(cronofy, grant["access_token"])
    response = revoke(cronofy, states, sub=grant["sub"])
    assert response.status_code == 200
    assert not works(cronofy, grant["access_token"])
    assert_invalid_grant(refresh(cronofy, states, grant["refresh_token"]))
    assert works(cronofy, states.get("access_token"))  # a different account's authorization


@pytest.mark.rule("cronofy", 13)
def test_rule_13_revoke_answers_200_for_unknown_tokens(cronofy, states):
    for which in (
        {"token": "neverIssuedToken0000000000000001"},
        {"sub": "acc_000000000000000000000000"},
    ):
        response = revoke(cronofy, states, **which)
        assert response.status_code == 200, (which, response.text)
    assert works(cronofy, states.get("access_token"))


@pytest.mark.rule("cronofy", 13)
def test_rule_13_revoke_token_wins_over_sub(cronofy, states):
    """`token` wins if both are sent: revoking an unknown token with our sub revokes nothing."""
    grant = fresh_authorization(cronofy, states, login_hint=states.get("other_account_email"))
    response = revoke(cronofy, states, token="neverIssuedToken0000000000000002", sub=grant["sub"])
    assert response.status_code == 200
    assert works(cronofy, grant["access_token"])
