"""Truto's pytest fixtures (registered by mockserver.plugin through the provider registry):

truto_base_url       (session) the base URL to give a Truto client
truto_credentials    TrutoCredentials: the API token and the integrated account ids by
                     integration (`.account("googlecalendar")`, `.account_labelled(label)`)
truto_client         httpx.Client with base_url and `Authorization: Bearer <api token>`
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
class TrutoCredentials:
    base_url: str
    api_token: str
    environment: str
    # integration -> integrated account ids (in the token's environment, active ones first,
    # sandboxes last): `accounts["googlecalendar"][0]`
    accounts: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    integrated_accounts: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def account(self, integration: str) -> str:
        """The first integrated account id for this integration (e.g. "googlecalendar")."""
        ids = self.accounts.get(integration)
        if not ids:
            raise KeyError(f"no Truto integrated account for {integration!r}")
        return ids[0]

    def account_labelled(self, label: str) -> str:
        """The id of the integrated account with this label in the world file."""
        for acc in self.integrated_accounts:
            if acc["label"] == label:
                return acc["id"]
        raise KeyError(f"no Truto integrated account labelled {label!r}")


def truto_credentials_of(state: ServerState, base_url: str) -> TrutoCredentials:
    """The loaded world's first Truto API token and the integrated accounts it reaches."""
    creds = state.backends["truto"].store.credentials_json(state.world)
    if not creds["api_tokens"]:
        raise LookupError("the loaded world has no Truto API token")
    token = creds["api_tokens"][0]
    mine = [a for a in creds["integrated_accounts"] if a["environment"] == token["environment"]]
    mine.sort(key=lambda a: (a["status"] != "active", bool(a["is_sandbox"])))
    accounts: dict[str, tuple[str, ...]] = {}
    for acc in mine:
        accounts[acc["integration"]] = (*accounts.get(acc["integration"], ()), acc["id"])
    return TrutoCredentials(
        base_url=base_url,
        api_token=token["token"],
        environment=token["environment"],
        accounts=accounts,
        integrated_accounts=tuple(creds["integrated_accounts"]),
    )


@pytest.fixture(scope="session")
def truto_base_url(mockserver_base_url: str) -> str:
    return mockserver_base_url


@pytest.fixture
def truto_credentials(mockserver_state: ServerState, truto_base_url: str) -> TrutoCredentials:
    return truto_credentials_of(mockserver_state, truto_base_url)


@pytest.fixture
def truto_client(
    truto_base_url: str,
    truto_credentials: TrutoCredentials,
    _mockserver_transport: httpx.BaseTransport,
) -> Iterator[httpx.Client]:
    """An httpx client for Truto's unified API with the world's API token."""
    headers = {"Authorization": f"Bearer {truto_credentials.api_token}"}
    with open_client(truto_base_url, _mockserver_transport, headers=headers) as client:
        yield client
