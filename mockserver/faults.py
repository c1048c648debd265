"""Fault injection: rules that make matching provider requests slow, fail with the provider's own
error body, or lose their connection.

A rule matches by provider, method and path (the journal's path patterns: `{id}` is one segment,
`{rest:path}` any rest). It then decides, call by call, whether it fires:

- `nth=N`: it fires from the Nth matching call on (counting from when the rule was added);
- `times=K`: it fires at most K times (default 1 when `nth` is given, else unlimited);
- `probability=p` (with `seed` for a repeatable sequence): each candidate call fires with p.

What a firing rule does: `latency` (seconds, or `[min, max]` drawn from the rule's seeded
random source) and at most one outcome: `status` (answered with that provider's error body —
its exceptions.py `fault_response`; `body` / `headers` override it) or `drop` (the connection is closed without
an answer). With `after=True` the request reaches the fake first (the world changes) and the
client still gets the fault: a write that happened but whose answer was lost.

Every rule is evaluated on every provider request; all matching rules count the call; latencies of
the rules that fire add up, and the first firing rule with an outcome decides it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.responses import Response

from mockserver import registry
from mockserver.journal import path_matches
from mockserver.web import empty, json_response


def known_providers() -> tuple[str, ...]:
    return (*registry.names(), registry.OTHER)


class FaultError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# -- provider error bodies -----------------------------------------------------------------


def other_fault(status: int, **_: object) -> Response:
    return empty(status)


def error_body(provider: str) -> Callable[..., Response]:
    """The provider's answer for an injected status (its exceptions.py `fault_response`)."""
    p = registry.get(provider)
    return p.error_body if p is not None else other_fault


# -- rules ------------------------------------------------------------------------------------


@dataclass
class Fault:
    id: str
    provider: frozenset[str] | None = None
    method: frozenset[str] | None = None
    path: str | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    message: str | None = None
    raw_response: Any = None
    drop: bool = False
    latency: tuple[float, float] | None = None
    after: bool = False
    nth: int | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    name: str | None = None
    matched: int = 0  # matching calls seen
    fired: int = 0  # calls it acted on
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, provider: str, method: str, path: str) -> bool:
        return (
            (self.provider is None or provider in self.provider)
            and (self.method is None or method in self.method)
            and path_matches(self.path, path)
        )

    def trial(self) -> bool:
        """Count one matching call; True if the rule fires on it."""
        return trial(self)

    def delay(self) -> float:
        if self.latency is None:
            return 0.0
        low, high = self.latency
        return low if high <= low else self.rng.uniform(low, high)

    @property
    def has_outcome(self) -> bool:
        return self.drop or self.status is not None

    def response(
        self, provider: str, path: str, query: str, now: datetime | None = None
    ) -> Response:
        assert self.status is not None
        if self.body is not None:
            if self.body == "":
                response: Response = empty(self.status)
            else:
                response = json_response(self.body, self.status)
        else:
            response = error_body(provider)(
                self.status,
                path=path,
                query=query,
                message=self.message,
                raw_response=self.raw_response,
                now=now,
            )
        for name, value in (self.headers or {}).items():
            response.headers[name] = value
        return response

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "provider": sorted(self.provider) if self.provider else None,
            "method": sorted(self.method) if self.method else None,
            "path": self.path,
            "status": self.status,
            "body": self.body,
            "headers": self.headers,
            "message": self.message,
            "raw_response": self.raw_response,
            "drop": self.drop,
            "latency": list(self.latency) if self.latency else None,
            "after": self.after,
            "nth": self.nth,
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
            "matched": self.matched,
            "fired": self.fired,
        }


def trial(rule: Any) -> bool:
    """The counting every rule shares (fault rules, delivery rules in mockserver/delivery/):
    count one matching call on `rule` (its matched / fired / nth / times / probability / rng)
    and say whether it fires on it."""
    rule.matched += 1
    if rule.nth is not None and rule.matched < rule.nth:
        return False
    limit = rule.times if rule.times is not None else (1 if rule.nth is not None else None)
    if limit is not None and rule.fired >= limit:
        return False
    if rule.probability is not None and rule.rng.random() >= rule.probability:
        return False
    rule.fired += 1
    return True


def parse_trial(spec: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The `nth`, `times`, `probability` and `seed` of a rule spec, checked (problems added)."""
    out: dict[str, Any] = {}
    for name in ("nth", "times"):
        value = spec.get(name)
        if value is not None and not (_is_int(value) and value >= 1):
            problems.append(f"{name} must be an integer >= 1")
        out[name] = value
    probability = spec.get("probability")
    if probability is not None and not (_is_num(probability) and 0 <= probability <= 1):
        problems.append("probability must be a number from 0 to 1")
    out["probability"] = float(probability) if _is_num(probability) else None
    seed = spec.get("seed")
    if seed is not None and not _is_int(seed):
        problems.append("seed must be an integer")
    out["seed"] = seed
    out["rng"] = random.Random(seed)
    return out


def parse_providers(value: Any, problems: list[str]) -> frozenset[str] | None:
    """A rule's `provider`: a registered provider's name or a list of them (None: any)."""
    return _names(value, "provider", problems, upper=False)


_FIELDS = {
    "provider",
    "method",
    "path",
    "status",
    "body",
    "headers",
    "message",
    "raw_response",
    "drop",
    "latency",
    "after",
    "nth",
    "times",
    "probability",
    "seed",
    "name",
}


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _names(value: Any, field_name: str, problems: list[str], upper: bool) -> frozenset | None:
    if value is None or value == "*":
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        problems.append(f"{field_name} must be a string or a list of strings")
        return None
    names = frozenset(v.upper() if upper else v.lower() for v in items)
    known = known_providers()
    if not upper and (unknown := names - set(known)):
        problems.append(f"unknown provider {sorted(unknown)}; known: {', '.join(known)}")
    return names


def parse(spec: dict[str, Any], fault_id: str) -> Fault:
    """A rule from its JSON / keyword form; FaultError lists every problem."""
    problems: list[str] = []
    if unknown := set(spec) - _FIELDS:
        problems.append(f"unknown field(s) {sorted(unknown)}")
    f = Fault(id=fault_id)
    f.provider = _names(spec.get("provider"), "provider", problems, upper=False)
    f.method = _names(spec.get("method"), "method", problems, upper=True)
    path = spec.get("path")
    if path is not None and not (isinstance(path, str) and path.startswith("/")):
        problems.append("path must be a string starting with /")
    f.path = path
    status = spec.get("status")
    if status is not None and not (_is_int(status) and 100 <= status <= 599):
        problems.append("status must be an integer from 100 to 599")
    f.status = status
    f.body = spec.get("body")
    if f.body is not None and status is None:
        problems.append("body needs a status")
    headers = spec.get("headers")
    if headers is not None and not (
        isinstance(headers, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())
    ):
        problems.append("headers must be an object of strings")
    f.headers = headers
    f.message = spec.get("message")
    if f.message is not None and not isinstance(f.message, str):
        problems.append("message must be a string")
    f.raw_response = spec.get("raw_response")
    for flag in ("drop", "after"):
        if not isinstance(spec.get(flag, False), bool):
            problems.append(f"{flag} must be true or false")
    f.drop = spec.get("drop", False) is True
    f.after = spec.get("after", False) is True
    if f.drop and status is not None:
        problems.append("a fault either answers with a status or drops the connection, not both")
    latency = spec.get("latency")
    if latency is not None:
        if _is_num(latency) and latency >= 0:
            f.latency = (float(latency), float(latency))
        elif (
            isinstance(latency, list)
            and len(latency) == 2
            and all(_is_num(v) and v >= 0 for v in latency)
            and latency[0] <= latency[1]
        ):
            f.latency = (float(latency[0]), float(latency[1]))
        else:
            problems.append("latency must be seconds >= 0 or [min, max]")
    counting = parse_trial(spec, problems)
    f.nth, f.times = counting["nth"], counting["times"]
    f.probability, f.seed, f.rng = counting["probability"], counting["seed"], counting["rng"]
    f.name = spec.get("name")
    if f.name is not None and not isinstance(f.name, str):
        problems.append("name must be a string")
    if not (f.has_outcome or f.latency):
        problems.append("a fault needs status, drop or latency")
    if problems:
        raise FaultError(problems)
    return f


class Faults:
    """The active rules, in the order they were added."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, spec: dict[str, Any] | None = None, **kwargs: Any) -> str:
        """Add a rule (a dict, as over HTTP, or keyword arguments); returns its id."""
        rule = parse({**(spec or {}), **kwargs}, f"flt_{next(self._ids)}")
        self.rules = [*self.rules, rule]  # copy-on-write: the middleware may be iterating
        return rule.id

    def add_all(self, specs: list[dict[str, Any]]) -> list[Fault]:
        """Add several rules, all or none: FaultError names the problems per rule index."""
        rules, problems = [], []
        for i, spec in enumerate(specs):
            if not isinstance(spec, dict):
                problems.append(f"[{i}]: a fault must be an object")
                continue
            try:
                rules.append(parse(spec, ""))
            except FaultError as exc:
                problems += [f"[{i}]: {p}" for p in exc.problems]
        if problems:
            raise FaultError(problems)
        for rule in rules:
            rule.id = f"flt_{next(self._ids)}"
        self.rules = [*self.rules, *rules]
        return rules

    def get(self, fault_id: str) -> Fault | None:
        return next((r for r in self.rules if r.id == fault_id), None)

    def remove(self, fault_id: str) -> bool:
        kept = [r for r in self.rules if r.id != fault_id]
        found = len(kept) != len(self.rules)
        self.rules = kept
        return found

    def clear(self) -> int:
        n = len(self.rules)
        self.rules = []
        return n

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self.rules))

    def to_list(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.rules]

    def pick(self, provider: str, method: str, path: str) -> tuple[float, Fault | None]:
        """Evaluate every rule for one request: (added latency, the rule that decides the
        outcome or None)."""
        delay, outcome = 0.0, None
        for rule in self.rules:
            if rule.matches(provider, method, path) and rule.trial():
                delay += rule.delay()
                if outcome is None and rule.has_outcome:
                    outcome = rule
        return delay, outcome


def budgets(settings: Any) -> dict[str, dict[str, Any]]:
    """Each provider's documented budget, whether it is on, and the numbers its settings
    section holds now (change them with PATCH /_mock/settings)."""
    out = {}
    for p in registry.providers():
        if p.budget is None:
            continue
        section = settings.section(p.name)
        out[p.name] = {
            "setting": f"{p.name}.{p.budget.switch}",
            "limits": list(p.budget.limits),
            "answer": p.budget.answer,
            "source": p.budget.source,
            "enabled": getattr(section, p.budget.switch),
            "configured": {k: getattr(section, k) for k in p.budget.fields},
        }
    return out


def switch_budgets(settings: Any, changes: dict[str, Any]) -> list[str]:
    """`{"<provider>": true}` or `{"<provider>": {"enabled": true}}`; returns problems, applies
    none if there are any."""
    problems, staged = [], []
    for provider, value in changes.items():
        if isinstance(value, dict) and set(value) == {"enabled"}:
            value = value["enabled"]
        p = registry.get(provider)
        if p is None or p.budget is None:
            problems.append(f"unknown provider {provider!r}")
            continue
        if not isinstance(value, bool):
            problems.append(f"{provider}: expected true/false or {{'enabled': bool}}")
            continue
        staged.append((settings.section(p.name), p.budget.switch, value))
    if not problems:
        for target, name, value in staged:
            setattr(target, name, value)
    return problems
