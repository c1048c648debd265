"""The provider registry: what every shared module (the app, the server state, the middleware,
faults, settings, the control plane, world files, the CLI and the pytest plugin) knows about a
provider, in one object per provider. Shared modules iterate `providers()` and name none.

A provider package exports one `Provider` (see `mockserver/cronofy/__init__.py`). The built-in
ones are listed in `BUILTIN`; others are added with `register(provider)` at run time or through
the entry-point group `calendar_mockserver.providers` (an object or a module with `PROVIDER`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from mockserver.core.world import World

# The one list of built-in providers (the only place a shared module names them). Order is load
# order: a later provider's world-file section may add to what an earlier one loaded.
BUILTIN = ("mockserver.cronofy", "mockserver.calcom", "mockserver.truto")
ENTRY_POINT_GROUP = "calendar_mockserver.providers"
# Names a provider may not take: the fake's own sections and the journal's catch-all.
RESERVED = frozenset({"mock", "control", "other", "host", "port", "version", "accounts"})


@runtime_checkable
class Store(Protocol):
    """A provider's tenant tables (apps, tokens, keys, users, accounts), beside the world."""

    @classmethod
    def from_section(cls, section: dict[str, Any], world: World) -> Store:
        """Build from the world file's section (already schema-checked); raises FixtureError
        naming every bad place."""
        ...

    def copy(self) -> Store:
        """An independent copy (snapshots and resets restore from these)."""
        ...

    def dump(self, world: World) -> dict[str, Any]:
        """The world-file section that loads back into an equal store."""
        ...

    def credentials_json(self, world: World, now: datetime) -> dict[str, Any]:
        """What GET /_mock/credentials lists for this provider."""
        ...


@dataclass(frozen=True)
class Budget:
    """A provider's documented rate budget: `switch` is the boolean setting in its section that
    turns enforcement on; `fields` the other settings that shape it."""

    switch: str
    limits: tuple[dict[str, Any], ...]
    answer: str
    source: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CliOption:
    """A `mockserver serve` option that sets one setting of the provider's section."""

    flag: str  # "--calcom-profile"
    setting: str  # "profile"
    help: str
    choices: tuple[str, ...] | None = None
    env: str | None = None  # environment variable, if any


@dataclass(frozen=True)
class RecordingProfile:
    """What `mockserver record` and `mockserver compare` (mockserver/recording/) need to know
    about a provider's wire format to compare the real API's answers with the fake's."""

    # JSON keys whose values are ids: noted in cassettes, replaced by placeholders (`<id:1>`)
    # before comparing, and mapped from the real API's values to the fake's in later requests
    id_keys: frozenset[str] = frozenset()
    # keys whose values change on every call (timestamps, cursors): compared by JSON type only
    volatile_keys: frozenset[str] = frozenset()
    # the provider's section of GET /_mock/credentials -> the values a replay sends instead of
    # the recorded (masked) ones: lower-case header names and body/query field names
    replay_credentials: Callable[[dict[str, Any]], dict[str, str]] | None = None


@dataclass(frozen=True)
class Provider:
    """Everything the shared modules need to serve, control and test one provider."""

    name: str
    # Path prefixes the provider owns ("/v1", "/api/v2"): the journal, faults and latency use
    # them to name the provider of a request. Longest match wins.
    prefixes: tuple[str, ...]
    routes: list[BaseRoute]
    store: type[Store]
    # backend(world, store, settings_section) -> the provider's models object
    backend: Callable[[World, Any, Any], Any]
    settings: type  # a dataclass; its optional `check(name, value)` returns a problem or None
    # error_body(status, *, path, query, message, raw_response, now) -> the provider's answer
    # for an injected fault of that status
    error_body: Callable[..., Response]
    world_schema: Mapping[str, Any]  # JSON Schema of the world file's section
    budget: Budget | None = None
    # crash_body(*, path, query, now) -> the provider's own 500, answered when the fake itself
    # fails on one of its requests (an unexpected exception; app.py's last-resort handler).
    # None: error_body(500).
    crash_body: Callable[..., Response] | None = None
    # the provider's own developer API: routes whose paths start with /_mock/<name>
    control_routes: list[BaseRoute] = field(default_factory=list)
    # their OpenAPI 3.1 path items ({"/_mock/<name>/...": {"post": {...}}}), served in
    # GET /_mock/openapi.json beside the shared control plane's
    control_openapi: Mapping[str, Any] = field(default_factory=dict)
    testing: str | None = None  # module with the provider's pytest fixtures
    builder: type | None = None  # WorldBuilder part: `b.<name>` (mockserver.builders)
    cli_options: tuple[CliOption, ...] = ()
    secret_headers: frozenset[str] = frozenset()  # masked in the journal
    # calendar services the provider hosts itself, allowed as a profile's provider_name
    profile_providers: tuple[str, ...] = ()
    # Whether the section can be checked against the world file's accounts alone, so that a
    # file with core problems still gets this section's problems in the same report.
    checks_accounts_only: bool = False
    summary: str = ""  # one line for GET /_mock
    # Outbound change notifications (mockserver/delivery/__init__.py): an object that turns the
    # change feed into this provider's deliveries (targets, headers, signature, body).
    notifications: Any = None
    # render_event(backend, event) -> the provider's JSON for a core event as its API would
    # answer it (None if the provider does not show that event): the dashboard's event page
    render_event: Callable[[Any, Any], Any] | None = None
    recording: RecordingProfile | None = None  # for record / compare (mockserver/recording/)


_providers: dict[str, Provider] = {}
_loaded = False
_version = 0  # bumped on every change, for caches derived from the registry
_listeners: list[Callable[[Provider], None]] = []


def section_schema(package: str) -> dict[str, Any]:
    """A provider package's `world.schema.json`: the JSON Schema of its world-file section."""
    return json.loads(resources.files(package).joinpath("world.schema.json").read_text())


def _module_provider(target: Any) -> Provider:
    if isinstance(target, ModuleType):
        target = target.PROVIDER
    if not isinstance(target, Provider):
        raise TypeError(f"not a Provider: {target!r}")
    return target


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN:
        _add(_module_provider(importlib.import_module(module)))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        provider = _module_provider(ep.load())
        if provider.name not in _providers:
            _add(provider)


def _add(provider: Provider) -> None:
    global _version
    if provider.name in RESERVED or not provider.name.isidentifier():
        raise ValueError(f"{provider.name!r} cannot name a provider")
    if provider.name in _providers:
        raise ValueError(f"provider {provider.name!r} is already registered")
    if not provider.prefixes or not all(p.startswith("/") for p in provider.prefixes):
        raise ValueError(f"provider {provider.name!r}: prefixes must start with /")
    for route in provider.control_routes:
        path = getattr(route, "path", "")
        if path != f"/_mock/{provider.name}" and not path.startswith(f"/_mock/{provider.name}/"):
            raise ValueError(f"provider {provider.name!r}: control route {path!r} not under /_mock")
    _providers[provider.name] = provider
    _version += 1
    for listener in list(_listeners):
        listener(provider)


def register(provider: Provider) -> Provider:
    """Add a provider at run time (before the servers that should serve it are created)."""
    _ensure_loaded()
    _add(provider)
    return provider


def unregister(name: str) -> None:
    global _version
    _ensure_loaded()
    _providers.pop(name, None)
    _version += 1


def providers() -> list[Provider]:
    _ensure_loaded()
    return list(_providers.values())


def names() -> list[str]:
    return [p.name for p in providers()]


def get(name: str) -> Provider | None:
    _ensure_loaded()
    return _providers.get(name)


def version() -> int:
    _ensure_loaded()
    return _version


def on_register(listener: Callable[[Provider], None]) -> None:
    """Call `listener(provider)` for every provider registered from now on."""
    _listeners.append(listener)


# -- what requests belong to --------------------------------------------------------------

CONTROL = "control"
OTHER = "other"
_classifier: tuple[int, dict[str, list[tuple[str, str]]]] | None = None


def _table() -> dict[str, list[tuple[str, str]]]:
    """First path segment -> [(prefix, provider)], longest prefix first."""
    global _classifier
    current = version()
    if _classifier is None or _classifier[0] != current:
        table: dict[str, list[tuple[str, str]]] = {}
        for p in providers():
            for prefix in p.prefixes:
                first = prefix[1:].partition("/")[0]
                table.setdefault(first, []).append((prefix.rstrip("/"), p.name))
        for entries in table.values():
            entries.sort(key=lambda e: -len(e[0]))
        _classifier = (current, table)
    return _classifier[1]


def classify(path: str) -> str:
    """The provider whose prefix the path is under, `control` for /_mock, else `other`."""
    first = path[1:].partition("/")[0]
    if first == "_mock" or path == "/":  # the fake's own pages, never a provider's
        return CONTROL
    for prefix, name in _table().get(first, ()):
        if path == prefix or path.startswith(prefix + "/") or "/" not in prefix[1:]:
            return name
    return OTHER
