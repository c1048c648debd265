"""Upstream replay: OAuth token, refresh and revoke.

Each test replays an SDK test of cronofy/pycronofy @ e0e3b3787d77, cronofy/cronofy-ruby
@ b75d79f275ca, cronofy/cronofy-node @ 042affa66fb2 or cronofy/cronofy-csharp @ 8b98dd70fc8c
over HTTP, with the body encoding, headers and extra fields that SDK sends; see
docs/EVIDENCE.md (Cronofy). Tests needing a fresh authorization code drive the fake's
/oauth/authorize and are skipped on live (there it is a browser login).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from contracts.cronofy.upstream import assert_keys_like

SCOPE = "read_events list_calendars create_event"  # cronofy-ruby auth_spec.rb's scope
UA_RUBY = "Cronofy Ruby 0.41.2"  # lib/cronofy/version.rb
UA_NODE = "Cronofy Node - 3.8.4"  # package.json
UA_PY = "PyCronofy 2.0.7"  # pycronofy/__init__.py __name__ and __version__
FORM = "application/x-www-form-urlencoded"
JSON_UTF8 = "application/json; charset=utf-8"

# cronofy-csharp CronofyOAuthClientTests/GetTokenFromCode.cs::CanRedeemToken and
# GetTokenFromRefreshToken.cs::CanRedeemToken; cronofy-node 'returns new token information';
# cronofy-ruby auth_spec.rb (refresh stub)
TOKEN = {
    "token_type": "bearer",
    "access_token": "asdnakjsdnas",
    "expires_in": 3600,
    "refresh_token": "jerwpmsdkjngvdsk",
    "scope": "read_events create_event delete_event",
}
# cronofy-csharp GetTokenFromCode.cs::CanRedeemTokenWithLinkingProfileInfo
TOKEN_WITH_LINKING_PROFILE = {
    **TOKEN,
    "account_id": "acc_567236000909002",
    "sub": "acc_567236000909002",
    "linking_profile": {
        "provider_name": "google",
        "provider_service": "gsuite",
        "profile_id": "pro_n23kjnwrw2",
        "profile_name": "example@cronofy.com",
    },
}


def authorize(cronofy, states, scope: str = SCOPE) -> str:
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
        },
    )
    assert response.status_code == 302, response.text
    return parse_qs(urlparse(response.headers["location"]).query)["code"][0]


def client(states) -> dict[str, str]:
    return {"client_id": states.get("client_id"), "client_secret": states.get("client_secret")}


def code_body(states, code: str) -> dict[str, str]:
    """In the order cronofy-csharp serialises it."""
    return {
        **client(states),
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": states.get("redirect_uri"),
    }


def refresh_body(states, refresh_token: str | None = None) -> dict[str, str]:
    return {
        **client(states),
        "grant_type": "refresh_token",
        "refresh_token": refresh_token or states.get("refresh_token"),
    }


def send(cronofy, path: str, body: dict[str, Any], style: str, **headers: str):
    """POST `body` the way one SDK does: ruby form-encodes (OAuth2 gem), C# JSON with charset,
    node JSON with `Bearer undefined`, pycronofy JSON with its current access token."""
    if style == "ruby":
        content, extra = urlencode(body), {"Content-Type": FORM, "User-Agent": UA_RUBY}
    elif style == "csharp":
        content, extra = json.dumps(body), {"Content-Type": JSON_UTF8}
    elif style == "node":
        content = json.dumps(body)
        extra = {
            "Content-Type": "application/json",
            "Authorization": "Bearer undefined",
            "User-Agent": UA_NODE,
            "Accept-Encoding": "gzip, deflate",
        }
    else:  # pycronofy
        content = json.dumps(body)
        extra = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {headers.pop('stale_token', 'paw')}",
            "User-Agent": UA_PY,
        }
    return cronofy.post(path, token=False, content=content, headers={**extra, **headers})


def assert_token(response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert_keys_like(TOKEN, body)
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    assert body["scope"].split(" ")
    return body


# -- authorization code ---------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 10)
@pytest.mark.parametrize("style", ["csharp", "ruby", "pycronofy"])
def test_sdk_token_from_code(cronofy, states, style):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyOAuthClientTests/
    GetTokenFromCode.cs::CanRedeemToken @ 8b98dd70fc8c (JSON with charset); cronofy/cronofy-ruby
    spec/lib/cronofy/auth_spec.rb '#get_token_from_code' @ b75d79f275ca (form-encoded, its
    User-Agent; expects access_token, expires_in, refresh_token, scope); cronofy/pycronofy
    pycronofy/tests/test_client.py::test_get_authorization_from_code @ e0e3b3787d77 (JSON, a
    stale bearer token; reads access_token, refresh_token, expires_in)."""
    body = assert_token(
        send(cronofy, "/oauth/token", code_body(states, authorize(cronofy, states)), style)
    )
    assert body["scope"] == SCOPE


@pytest.mark.rule("cronofy", 10)
def test_ruby_token_from_code_exposes_account_and_linking_profile(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/auth_spec.rb '#get_token_from_code'
    "with account_id" and "with linking profile" @ b75d79f275ca: account_id and
    linking_profile {provider_name, profile_id, profile_name} (Credentials#to_h)."""
    code = authorize(cronofy, states)
    body = assert_token(send(cronofy, "/oauth/token", code_body(states, code), "ruby"))
    assert body["account_id"] == states.get("account_id")
    profile = body["linking_profile"]
    assert {"provider_name", "profile_id", "profile_name"} <= set(profile)
    assert all(isinstance(profile[k], str) for k in ("provider_name", "profile_id", "profile_name"))


@pytest.mark.rule("cronofy", 10)
def test_csharp_token_from_code_with_linking_profile(cronofy, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyOAuthClientTests/
    GetTokenFromCode.cs::CanRedeemTokenWithLinkingProfileInfo @ 8b98dd70fc8c: the code grant
    answers account_id, sub and linking_profile {provider_name, provider_service, profile_id,
    profile_name} (the C# LinkingProfile maps all four)."""
    code = authorize(cronofy, states)
    response = send(cronofy, "/oauth/token", code_body(states, code), "csharp")
    assert response.status_code == 200, response.text
    body = response.json()
    assert_keys_like(TOKEN_WITH_LINKING_PROFILE, body)
    assert body["sub"] == body["account_id"]


@pytest.mark.rule("cronofy", 3)
def test_node_request_access_token_with_extra_refresh_token(cronofy, states):
    """Source: cronofy/cronofy-node src/index.js requestAccessToken @ 042affa66fb2: the body is
    the caller's options plus client_id, client_secret and the configured refresh_token (the
    test/index.spec.js client has one), sent as JSON with `Authorization: Bearer undefined`."""
    body = {**code_body(states, authorize(cronofy, states)), "refresh_token": "5hdSBZHgjA4xcQAe"}
    assert_token(send(cronofy, "/oauth/token", body, "node"))


@pytest.mark.rule("cronofy", 11)
@pytest.mark.parametrize("style", ["csharp", "ruby"])
def test_sdk_bad_code_is_400_invalid_grant(cronofy, states, style):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyOAuthClientTests/
    GetTokenFromCode.cs::ExceptionWhenBadRequest @ 8b98dd70fc8c (400 {"error":"invalid_grant"});
    cronofy/cronofy-ruby spec/lib/cronofy/auth_spec.rb 'an authorization request' "with 400"
    @ b75d79f275ca (BadRequestError)."""
    response = send(cronofy, "/oauth/token", code_body(states, "zyxvut987654"), style)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant"}


# -- refresh ---------------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 12)
@pytest.mark.parametrize("style", ["csharp", "ruby", "node", "pycronofy"])
def test_sdk_refresh(cronofy, states, style):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyOAuthClientTests/
    GetTokenFromRefreshToken.cs::CanRedeemToken @ 8b98dd70fc8c; cronofy/cronofy-ruby
    spec/lib/cronofy/auth_spec.rb '#refresh!' @ b75d79f275ca (form-encoded); cronofy/cronofy-node
    test/index.spec.js 'token refresh' 'returns new token information' @ 042affa66fb2;
    cronofy/pycronofy pycronofy/tests/test_client.py::test_refresh @ e0e3b3787d77 (the new
    access token differs from the old one; refresh_token and expires_in are read)."""
    body = assert_token(send(cronofy, "/oauth/token", refresh_body(states), style))
    assert body["access_token"] != states.get("access_token")
    me = cronofy.get("/v1/account", token=body["access_token"])
    assert me.status_code == 200


@pytest.mark.rule("cronofy", 12)
@pytest.mark.parametrize("style", ["node", "csharp"])
def test_sdk_unrecognized_refresh_token_is_invalid_grant(cronofy, states, style):
    """Sources: cronofy/cronofy-node test/index.spec.js 'returns context for unrecognized token'
    @ 042affa66fb2 (400, entity {"error": "invalid_grant"}); cronofy/cronofy-csharp
    test/Cronofy.Test/CronofyOAuthClientTests/GetTokenFromRefreshToken.cs::
    ExceptionWhenBadRequest @ 8b98dd70fc8c."""
    response = send(cronofy, "/oauth/token", refresh_body(states, "12312312nakjsdnasd"), style)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant"}


# -- revoke ----------------------------------------------------------------------------------------


def fresh_tokens(cronofy, states) -> dict[str, Any]:
    code = authorize(cronofy, states)
    return assert_token(send(cronofy, "/oauth/token", code_body(states, code), "csharp"))


@pytest.mark.rule("cronofy", 13)
def test_pycronofy_revoke(cronofy, states):
    """Source: cronofy/pycronofy pycronofy/tests/test_client.py::test_revoke @ e0e3b3787d77
    (client.py revoke_authorization: JSON {client_id, client_secret, token: access_token}, the
    access token also as bearer): 200, and the SDK forgets both tokens, which no longer work."""
    tokens = fresh_tokens(cronofy, states)
    body = {**client(states), "token": tokens["access_token"]}
    response = send(
        cronofy, "/oauth/token/revoke", body, "pycronofy", stale_token=tokens["access_token"]
    )
    assert response.status_code == 200
    assert cronofy.get("/v1/account", token=tokens["access_token"]).status_code == 401
    again = send(cronofy, "/oauth/token", refresh_body(states, tokens["refresh_token"]), "csharp")
    assert again.status_code == 400


@pytest.mark.rule("cronofy", 13)
def test_ruby_revoke_sends_the_refresh_token(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/auth_spec.rb '#revoke!' "access_token and
    refresh_token present" @ b75d79f275ca: form {client_id, client_secret, token: refresh_token},
    200; the access token of that authorization stops working."""
    tokens = fresh_tokens(cronofy, states)
    body = {**client(states), "token": tokens["refresh_token"]}
    assert send(cronofy, "/oauth/token/revoke", body, "ruby").status_code == 200
    assert cronofy.get("/v1/account", token=tokens["access_token"]).status_code == 401


@pytest.mark.rule("cronofy", 13)
@pytest.mark.parametrize(
    ("style", "which"),
    [
        ("ruby", {"sub": "random_sub_value"}),
        ("ruby", {"token": "random_token_value"}),
        ("csharp", {"token": "jerwpmsdkjngvdsk"}),
        ("csharp", {"sub": "acc_1234567890"}),
        ("csharp", {"sub": "acc_1234567890", "request_pii_erasure": True}),
    ],
    ids=["ruby-sub", "ruby-token", "csharp-token", "csharp-sub", "csharp-pii-erasure"],
)
def test_sdk_revoke_unknown_values_is_200(cronofy, states, style, which):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/auth_spec.rb '#revoke_by_sub',
    '#revoke_by_token' @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyOAuthClientTests/RevokeToken.cs::CanRevokeToken, CanRevokeSub,
    CanRevokeWithRemovePiiRequest @ 8b98dd70fc8c (an extra `request_pii_erasure: true`). Their
    values were never issued: 200, as RFC 7009 and the docs' Revoke page say."""
    response = send(cronofy, "/oauth/token/revoke", {**client(states), **which}, style)
    assert response.status_code == 200
    assert response.content == b""
    assert cronofy.get("/v1/account").status_code == 200  # nothing real was revoked


@pytest.mark.rule("cronofy", 13)
def test_csharp_revoke_with_bad_client_is_invalid_client(cronofy, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyOAuthClientTests/RevokeToken.cs::
    RevokeAuthorizationThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c: 400 with the body
    {"error":"invalid_client"} (replayed with a client secret that is not the app's)."""
    body = {
        "client_id": states.get("client_id"),
        "client_secret": "s3cr3t1v3",
        "sub": "acc_1234567890",
        "request_pii_erasure": True,
    }
    response = send(cronofy, "/oauth/token/revoke", body, "csharp")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client"}


@pytest.mark.rule("cronofy", 3)
def test_node_revoke_authorization_body(cronofy, states):
    """Source: cronofy/cronofy-node src/index.js revokeAuthorization @ 042affa66fb2 (README:
    revokeAuthorization(callback)): the body is {client_id, client_secret, refresh_token} (no
    `token`), JSON with `Bearer undefined`; the SDK rejects on any status >= 400. Whether Cronofy
    revokes a token sent under `refresh_token` is not known, so only the status is checked."""
    body = {**client(states), "refresh_token": "5hdSBZHgjA4xcQAelyAYWDfezZv0-9yP"}
    assert send(cronofy, "/oauth/token/revoke", body, "node").status_code == 200
