"""Server settings: the fake's own (`mock`) and one section per registered provider (each
provider's `settings` dataclass, e.g. mockserver/cronofy/settings.py). Where a provider's real
behaviour is not documented, the choice made is a setting of its section, so a user can match
what their live contract run shows."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from mockserver import registry


@dataclass
class MockSettings:
    """The fake's own behaviour, for every provider (see mockserver/middleware.py)."""

    journal_size: int = 1000  # requests the journal holds, oldest dropped first; 0 = off
    journal_body_limit: int = 64 * 1024  # bytes of each request body kept
    # bytes of each response body kept: a long page costs memory bandwidth on every request
    # while 1000 of them are held, so only its start is kept (the entry says it was truncated)
    journal_response_limit: int = 16 * 1024
    latency: float = 0.0  # seconds added to every provider request
    latency_max: float = 0.0  # if above `latency`: a uniform random delay in [latency, max]
    delivery_log_size: int = 1000  # outbound deliveries kept (GET /_mock/deliveries)
    change_feed_size: int = 10_000  # change records kept (GET /_mock/changes)

    def check(self, name: str, value: Any) -> str | None:
        if value < 0:
            return f"mock.{name} must be >= 0"
        if name in ("delivery_log_size", "change_feed_size") and value < 1:
            return f"mock.{name} must be >= 1"
        return None

    def null(self, name: str) -> dict[str, Any] | None:
        """What `null` for a setting means (None: null is not allowed): latency off."""
        if name in ("latency", "latency_max"):
            return {"latency": 0.0, "latency_max": 0.0}
        return None


class Settings:
    """`host`, `port`, `mock`, and each provider's section as an attribute of its name
    (`settings.cronofy.page_size`). `Settings(<provider>=<its section>)` replaces a default."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8765,
        mock: MockSettings | None = None,
        **sections: Any,
    ) -> None:
        self.host = host
        self.port = port
        self.mock = mock or MockSettings()
        self.sections: dict[str, Any] = {}
        for provider in registry.providers():
            given = sections.pop(provider.name, None)
            self.sections[provider.name] = given if given is not None else provider.settings()
        if sections:
            raise TypeError(f"unknown settings sections {sorted(sections)}")

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not plain attributes: provider sections, including
        # those of a provider registered after these settings were made.
        sections = self.__dict__.get("sections")
        if sections is None:
            raise AttributeError(name)
        if name not in sections:
            provider = registry.get(name)
            if provider is None:
                raise AttributeError(name)
            sections[name] = provider.settings()
        return sections[name]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.to_dict() == other.to_dict()

    def section(self, name: str) -> Any | None:
        """The section called `name` (`mock` or a provider's), or None."""
        if name == "mock":
            return self.mock
        try:
            return getattr(self, name) if name in registry.names() else None
        except AttributeError:
            return None

    def section_names(self) -> list[str]:
        return [*registry.names(), "mock"]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"host": self.host, "port": self.port}
        for name in self.section_names():
            out[name] = dataclasses.asdict(self.section(name))
        return out

    def restore(self, initial: Settings) -> None:
        """Every value back to `initial`'s, in place (backends hold their sections)."""
        self.host, self.port = initial.host, initial.port
        for name in self.section_names():
            start, now = initial.section(name), self.section(name)
            for f in dataclasses.fields(start):
                setattr(now, f.name, copy.deepcopy(getattr(start, f.name)))

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply `{"<section>": {"page_size": 5}}`-style changes; returns problems, applies
        none if there are any."""
        problems: list[str] = []
        staged: list[tuple[Any, str, Any]] = []
        for section, values in changes.items():
            target = self.section(section) if isinstance(section, str) else None
            if target is None or not isinstance(values, dict):
                problems.append(f"unknown settings section {section!r}")
                continue
            fields = {f.name: f for f in dataclasses.fields(target)}
            for name, value in values.items():
                if name not in fields:
                    problems.append(f"unknown setting {section}.{name}")
                    continue
                current = getattr(target, name)
                meaning = target.null(name) if value is None and hasattr(target, "null") else None
                if meaning is not None:
                    staged += [(target, n, v) for n, v in meaning.items()]
                    continue
                if type(current) is float and type(value) is int:
                    value = float(value)
                if type(value) is not type(current):
                    problems.append(f"{section}.{name} must be {type(current).__name__}")
                    continue
                problem = target.check(name, value) if hasattr(target, "check") else None
                if problem:
                    problems.append(problem)
                    continue
                staged.append((target, name, value))
        if not problems:
            for target, name, value in staged:
                setattr(target, name, value)
        return problems
