"""A provider that exists only in the tests: one route, one store, one error dialect, its own
settings, budget, world-file section and pytest fixtures. Registered at run time
(`mockserver.registry.register(PROVIDER)`), it must get every shared feature — journal, faults in
its own error body, reset, state dump, credentials, settings, plugin fixtures — with no shared
module knowing it exists.

Wire: `GET /echo/notes` lists the caller's notes, `POST /echo/notes {"text"}` adds one; the
caller is `X-Echo-Key: <key>`. Errors: `{"echo_error": {"status": N, "text": "..."}}`.
Notifications: `POST /echo/hooks {"url"}` subscribes a URL; each new note is announced through
the change feed and delivered to every hook as `{"note": text}`, signed with `X-Echo-Signature`
(hex HMAC-SHA256 with the key), retried twice (10 s, then 30 s on the fake clock).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.changes import Change
from mockserver.core.fixtures import FixtureError
from mockserver.core.world import World
from mockserver.delivery import Delivery, Outbound, RetryPolicy
from mockserver.plugin import open_client
from mockserver.registry import Budget, Provider
from mockserver.web import BodyError, decode_json, json_response, read_body

# -- exceptions.py ----------------------------------------------------------------------------


class EchoError(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text

    def response(self) -> Response:
        return json_response(
            {"echo_error": {"status": self.status, "text": self.text}}, self.status
        )


def fault_response(status: int, message: str | None = None, **_: object) -> Response:
    return EchoError(status, message or "injected").response()


# -- settings and store -----------------------------------------------------------------------


@dataclass
class EchoSettings:
    shout: bool = False  # answer notes in upper case
    rate_limit: bool = False

    def check(self, name: str, value: Any) -> str | None:
        return None


@dataclass
class EchoStore:
    keys: dict[str, str] = field(default_factory=dict)  # key -> core account id
    notes: list[tuple[str, str]] = field(default_factory=list)  # (account id, text)
    hooks: list[str] = field(default_factory=list)  # subscribed URLs
    settled: list[tuple[str, str]] = field(default_factory=list)  # (delivery id, final status)

    @classmethod
    def from_section(cls, section: dict[str, Any], world: World) -> EchoStore:
        store = cls()
        for i, key in enumerate(section.get("keys", [])):
            if key["account"] not in world.accounts:
                raise FixtureError([(f"$.echo.keys[{i}].account", "no such account")])
            store.keys[key["key"]] = key["account"]
        store.notes = [(n["account"], n["text"]) for n in section.get("notes", [])]
        store.hooks = list(section.get("hooks", []))
        return store

    def copy(self) -> EchoStore:
        return dataclasses.replace(
            self,
            keys=dict(self.keys),
            notes=list(self.notes),
            hooks=list(self.hooks),
            settled=list(self.settled),
        )

    def dump(self, world: World) -> dict[str, Any]:
        out: dict[str, Any] = {
            "keys": [{"key": k, "account": a} for k, a in self.keys.items()],
            "notes": [{"account": a, "text": t} for a, t in self.notes],
        }
        if self.hooks:
            out["hooks"] = list(self.hooks)
        return out

    def credentials_json(self, world: World, now: datetime) -> dict[str, Any]:
        return {"keys": [{"key": k, "account_id": a} for k, a in self.keys.items()]}


SECTION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "keys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "account"],
                "properties": {"key": {"type": "string"}, "account": {"$ref": "#/$defs/id"}},
            },
        },
        "notes": {"type": "array", "items": {"type": "object"}},
        "hooks": {"type": "array", "items": {"type": "string"}},
    },
}


# -- models.py and responses.py ---------------------------------------------------------------


class EchoBackend:
    def __init__(self, world: World, store: EchoStore, settings: EchoSettings) -> None:
        self.world, self.store, self.settings = world, store, settings

    def caller(self, key: str | None) -> str:
        account = self.store.keys.get(key or "")
        if account is None:
            raise EchoError(401, "who are you?")
        return account

    def notes(self, account: str) -> list[str]:
        texts = [t for a, t in self.store.notes if a == account]
        return [t.upper() for t in texts] if self.settings.shout else texts


async def notes(request: Request) -> Response:
    be: EchoBackend = request.app.state.server.backends["echo"]
    try:
        account = be.caller(request.headers.get("x-echo-key"))
        if request.method == "POST":
            body = decode_json(await read_body(request))
            if not isinstance(body, dict) or not isinstance(body.get("text"), str):
                raise EchoError(400, "text is required")
            be.store.notes.append((account, body["text"]))
            be.world.changes.emit(
                "note.created", source="echo", account_id=account, data={"text": body["text"]}
            )
            return json_response({"notes": be.notes(account)}, 201)
        return json_response({"notes": be.notes(account)})
    except EchoError as exc:
        return exc.response()
    except BodyError:
        return EchoError(400, "not JSON").response()


async def hooks(request: Request) -> Response:
    be: EchoBackend = request.app.state.server.backends["echo"]
    try:
        be.caller(request.headers.get("x-echo-key"))
        body = decode_json(await read_body(request))
        if not isinstance(body, dict) or not isinstance(body.get("url"), str):
            raise EchoError(400, "url is required")
        be.store.hooks.append(body["url"])
        return json_response({"hooks": be.store.hooks}, 201)
    except EchoError as exc:
        return exc.response()


# -- notifications.py -------------------------------------------------------------------------

POLICY = RetryPolicy(attempts=3, backoff=(10.0, 30.0), timeout=5.0)


def signature(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class EchoNotifications:
    def wants(self, be: EchoBackend) -> bool:
        return bool(be.store.hooks)

    def render(self, be: EchoBackend, changes: list[Change]) -> list[Outbound]:
        out = []
        for change in changes:
            if change.source != "echo" or change.kind != "note.created":
                continue
            text = change.data["text"]
            if text == "boom":
                raise RuntimeError("the echo notifier cannot render 'boom'")
            body = b'{"note": "%s"}' % text.encode()
            key = next(k for k, a in be.store.keys.items() if a == change.account_id)
            for url in be.store.hooks:
                out.append(
                    Outbound(
                        provider="echo",
                        kind="note",
                        target=url,
                        body=body,
                        headers={
                            "Content-Type": "application/json",
                            "X-Echo-Signature": signature(key, body),
                        },
                        subscription=url,
                        policy=POLICY,
                        changes=(change.seq,),
                    )
                )
        return out

    def settled(self, be: EchoBackend, delivery: Delivery) -> None:
        be.store.settled.append((delivery.id, delivery.status))

    def verify(
        self, be: EchoBackend, headers: Mapping[str, str], body: bytes, url: str = ""
    ) -> bool | None:
        given = headers.get("x-echo-signature")
        if given is None:
            return None
        return any(hmac.compare_digest(given, signature(k, body)) for k in be.store.keys)


PROVIDER = Provider(
    name="echo",
    prefixes=("/echo",),
    routes=[
        Route("/echo/notes", notes, methods=["GET", "POST"]),
        Route("/echo/hooks", hooks, methods=["POST"]),
    ],
    store=EchoStore,
    backend=EchoBackend,
    settings=EchoSettings,
    error_body=fault_response,
    world_schema=SECTION_SCHEMA,
    budget=Budget(
        switch="rate_limit",
        limits=({"limit": 1, "seconds": 1, "per": "key"},),
        answer="429 echo_error",
        source="tests/echo_provider.py",
    ),
    testing="echo_provider",
    secret_headers=frozenset({"x-echo-key"}),
    summary="a provider defined only in the tests",
    notifications=EchoNotifications(),
)


def world(base: dict[str, Any]) -> dict[str, Any]:
    """`base` (any world file) with an echo section for its first account."""
    account = base["accounts"][0]["id"]
    return {
        **base,
        "echo": {"keys": [{"key": "echoKey0001", "account": account}], "notes": []},
    }


# -- testing.py: the provider's pytest fixtures --------------------------------------------------


@dataclass(frozen=True)
class EchoCredentials:
    base_url: str
    key: str


@pytest.fixture
def echo_credentials(mockserver_state: Any, mockserver_base_url: str) -> EchoCredentials:
    keys = mockserver_state.backends["echo"].store.keys
    return EchoCredentials(mockserver_base_url, next(iter(keys)))


@pytest.fixture
def echo_client(
    echo_credentials: EchoCredentials, _mockserver_transport: httpx.BaseTransport
) -> Iterator[httpx.Client]:
    headers = {"X-Echo-Key": echo_credentials.key}
    with open_client(echo_credentials.base_url, _mockserver_transport, headers=headers) as client:
        yield client
