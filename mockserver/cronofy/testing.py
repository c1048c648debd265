"""Cronofy's pytest fixtures (registered by mockserver.plugin through the provider registry):

cronofy_base_url     (session) the base URL to give a Cronofy client (every provider is on
                     one port)
cronofy_credentials  CronofyCredentials: client id/secret, the broadest live access token,
                     its refresh token and account, and every token the world defines
cronofy_client       httpx.Client with base_url and `Authorization: Bearer <token>` set
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from mockserver.plugin import open_client

if TYPE_CHECKING:
    from mockserver.state import ServerState


@dataclass(frozen=True)
class CronofyCredentials:
    base_url: str
    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str
    account_id: str
    scope: str
    redirect_uri: str | None
    tokens: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def token(self, label: str) -> str:
        """The access token of the authorization with this label in the world file."""
        for tok in self.tokens:
            if tok["label"] == label:
                return tok["access_token"]
        raise KeyError(f"no Cronofy token labelled {label!r}")


def cronofy_credentials_of(state: ServerState, base_url: str) -> CronofyCredentials:
    """The loaded world's Cronofy app and its broadest usable (unrevoked, unexpired) token."""
    from mockserver.cronofy.store import expand

    oauth = state.backends["cronofy"].store
    now = state.clock.now()
    creds = oauth.credentials_json()
    best = None
    for tok in oauth.tokens.values():
        grant = oauth.grants[tok.grant_id]
        if grant.revoked or (tok.expires_at is not None and tok.expires_at <= now):
            continue
        if best is None or len(grant.scopes) > len(expand(best[1].scope)):
            best = (tok, grant)
    if best is None:
        raise LookupError("the loaded world has no usable Cronofy token")
    tok, grant = best
    app = oauth.apps[grant.client_id]
    return CronofyCredentials(
        base_url=base_url,
        client_id=app.client_id,
        client_secret=app.client_secret,
        access_token=tok.value,
        refresh_token=grant.refresh_token,
        account_id=grant.account_id,
        scope=grant.scope,
        redirect_uri=app.redirect_uris[0] if app.redirect_uris else None,
        tokens=tuple(creds["tokens"]),
    )


@pytest.fixture(scope="session")
def cronofy_base_url(mockserver_base_url: str) -> str:
    return mockserver_base_url


@pytest.fixture
def cronofy_credentials(mockserver_state: ServerState, cronofy_base_url: str) -> CronofyCredentials:
    return cronofy_credentials_of(mockserver_state, cronofy_base_url)


@pytest.fixture
def cronofy_client(
    cronofy_base_url: str,
    cronofy_credentials: CronofyCredentials,
    _mockserver_transport: httpx.BaseTransport,
) -> Iterator[httpx.Client]:
    """An httpx client for Cronofy's API with the ready-made all-scopes token."""
    headers = {"Authorization": f"Bearer {cronofy_credentials.access_token}"}
    with open_client(cronofy_base_url, _mockserver_transport, headers=headers) as client:
        yield client
