"""Cal.com's pytest fixtures (registered by mockserver.plugin through the provider registry):

calcom_base_url      (session) the base URL to give a Cal.com client
calcom_credentials   CalcomCredentials: the first user's API key and managed-user access token
                     (`.key(label)`, `.token(label)` for the others)
calcom_client        httpx.Client with base_url, `Authorization: Bearer <api key>` and
                     `cal-api-version: 2024-08-13`
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from mockserver.plugin import open_client

if TYPE_CHECKING:
    from mockserver.state import ServerState


# -- Cal.com ------------------------------------------------------------------------------

CALCOM_API_VERSION = "2024-08-13"


@dataclass(frozen=True)
class CalcomCredentials:
    base_url: str
    api_key: str
    access_token: str | None
    user_id: int
    username: str
    email: str
    api_version: str = CALCOM_API_VERSION
    users: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def key(self, label: str) -> str:
        """The API key with this label in the world file (any user)."""
        for user in self.users:
            for k in user["api_keys"]:
                if k["label"] == label:
                    return k["key"]
        raise KeyError(f"no Cal.com API key labelled {label!r}")

    def token(self, label: str) -> str:
        """The managed-user access token with this label in the world file (any user)."""
        for user in self.users:
            for t in user["access_tokens"]:
                if t["label"] == label:
                    return t["token"]
        raise KeyError(f"no Cal.com access token labelled {label!r}")


def calcom_credentials_of(state: ServerState, base_url: str) -> CalcomCredentials:
    """The loaded world's first Cal.com user with an unexpired API key: that key and the user's
    first unexpired managed-user access token (None if it has none)."""
    now = state.clock.now()
    users = state.backends["calcom"].store.credentials_json(state.world, now)["users"]
    for user in users:
        key = next((k for k in user["api_keys"] if not _expired(k["expires_at"], now)), None)
        if key is None:
            continue
        token = next((t for t in user["access_tokens"] if not t["expired"]), None)
        return CalcomCredentials(
            base_url=base_url,
            api_key=key["key"],
            access_token=token["token"] if token else None,
            user_id=user["user_id"],
            username=user["username"],
            email=user["email"],
            users=tuple(users),
        )
    raise LookupError("the loaded world has no Cal.com user with a usable API key")


def _expired(expires_at: str | None, now: datetime) -> bool:
    if expires_at is None:
        return False
    return datetime.fromisoformat(expires_at.replace("Z", "+00:00")) <= now


@pytest.fixture(scope="session")
def calcom_base_url(mockserver_base_url: str) -> str:
    return mockserver_base_url


@pytest.fixture
def calcom_credentials(mockserver_state: ServerState, calcom_base_url: str) -> CalcomCredentials:
    return calcom_credentials_of(mockserver_state, calcom_base_url)


@pytest.fixture
def calcom_client(
    calcom_base_url: str,
    calcom_credentials: CalcomCredentials,
    _mockserver_transport: httpx.BaseTransport,
) -> Iterator[httpx.Client]:
    """An httpx client for Cal.com's API v2: the first user's API key and `cal-api-version`."""
    headers = {
        "Authorization": f"Bearer {calcom_credentials.api_key}",
        "cal-api-version": calcom_credentials.api_version,
    }
    with open_client(calcom_base_url, _mockserver_transport, headers=headers) as client:
        yield client
