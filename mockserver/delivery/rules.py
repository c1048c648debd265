"""Delivery rules: what a test does to the next deliveries of a provider or to a target, counted
the way fault rules count calls (mockserver/faults.py: `nth`, `times`, `probability`, `seed`).

Actions:
  fail       the attempt is not made; it is recorded with `status` (default 500) or, with
             `error`, as a network error, and the provider's retry policy decides what follows
  drop       the delivery is discarded unsent (as if lost on the way)
  delay      the delivery waits `seconds` more on the fake clock
  duplicate  the delivery is sent twice (a second record, `duplicate_of` the first)
  reorder    the delivery is held back until the next delivery to the same target has been
             attempted (or until a flush finds nothing else to send)

A rule matches by `provider`, `target` (a URL; a trailing `*` matches any rest) and `kind` (the
provider's name for the notification: `change`, `BOOKING_CREATED`, `integrated_account:active`).
`times` defaults to 1 (the next matching delivery; `nth: N` the Nth), or to no limit when a
`probability` is given.
"""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from mockserver.faults import FaultError, parse_providers, parse_trial, trial

ACTIONS = ("fail", "drop", "delay", "duplicate", "reorder")
FIELDS = frozenset(
    {
        "action",
        "provider",
        "target",
        "kind",
        "status",
        "error",
        "seconds",
        "nth",
        "times",
        "probability",
        "seed",
        "name",
    }
)


def target_matches(pattern: str | None, url: str) -> bool:
    if pattern is None:
        return True
    if pattern.endswith("*"):
        return url.startswith(pattern[:-1])
    return url == pattern


@dataclass
class DeliveryRule:
    id: str
    action: str
    provider: frozenset[str] | None = None
    target: str | None = None
    kind: frozenset[str] | None = None
    status: int = 500
    error: str | None = None
    seconds: float = 0.0
    nth: int | None = None
    times: int | None = 1
    probability: float | None = None
    seed: int | None = None
    name: str | None = None
    matched: int = 0
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, provider: str, target: str, kind: str) -> bool:
        return (
            (self.provider is None or provider in self.provider)
            and (self.kind is None or kind in self.kind)
            and target_matches(self.target, target)
        )

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "action": self.action,
            "provider": sorted(self.provider) if self.provider else None,
            "target": self.target,
            "kind": sorted(self.kind) if self.kind else None,
            "status": self.status if self.action == "fail" and not self.error else None,
            "error": self.error,
            "seconds": self.seconds if self.action == "delay" else None,
            "nth": self.nth,
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
            "matched": self.matched,
            "fired": self.fired,
        }


def parse(spec: Any, rule_id: str) -> DeliveryRule:
    if not isinstance(spec, dict):
        raise FaultError(["a delivery rule must be an object"])
    problems: list[str] = []
    if unknown := set(spec) - FIELDS:
        problems.append(f"unknown field(s) {sorted(unknown)}")
    action = spec.get("action")
    if action not in ACTIONS:
        problems.append(f"action must be one of {', '.join(ACTIONS)}")
    rule = DeliveryRule(id=rule_id, action=action if isinstance(action, str) else "")
    rule.provider = parse_providers(spec.get("provider"), problems)
    target = spec.get("target")
    if target is not None and not isinstance(target, str):
        problems.append("target must be a URL (a trailing * matches any rest)")
    rule.target = target
    kinds = spec.get("kind")
    if isinstance(kinds, str):
        kinds = [kinds]
    if kinds is not None and not (
        isinstance(kinds, list) and kinds and all(isinstance(k, str) for k in kinds)
    ):
        problems.append("kind must be a string or a list of strings")
    rule.kind = frozenset(kinds) if isinstance(kinds, list) else None
    status = spec.get("status", 500)
    if not (isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599):
        problems.append("status must be an integer from 100 to 599")
    rule.status = status if isinstance(status, int) else 500
    error = spec.get("error")
    if error is not None and not isinstance(error, str):
        problems.append("error must be a string (the network error to record)")
    rule.error = error
    seconds = spec.get("seconds", 0)
    if not (isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0):
        problems.append("seconds must be a number >= 0")
    elif action == "delay" and not seconds:
        problems.append("a delay needs seconds > 0")
    rule.seconds = float(seconds) if isinstance(seconds, (int, float)) else 0.0
    counting = parse_trial(spec, problems)
    rule.nth = counting["nth"]
    default_times = None if counting["probability"] is not None else 1
    rule.times = counting["times"] if "times" in spec else default_times
    rule.probability, rule.seed, rule.rng = (
        counting["probability"],
        counting["seed"],
        counting["rng"],
    )
    name = spec.get("name")
    if name is not None and not isinstance(name, str):
        problems.append("name must be a string")
    rule.name = name
    if problems:
        raise FaultError(problems)
    return rule


class Rules:
    """The active delivery rules and pauses. Thread-safe: the control plane adds rules from
    the server's thread while the engine evaluates them on its own."""

    def __init__(self) -> None:
        self.rules: list[DeliveryRule] = []
        self.pauses: list[dict[str, Any]] = []  # {"provider": name | None, "target": pattern}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add_all(self, specs: list[Any]) -> list[DeliveryRule]:
        """Add several rules, all or none (FaultError names problems by index)."""
        rules, problems = [], []
        for i, spec in enumerate(specs):
            try:
                rules.append(parse(spec, ""))
            except FaultError as exc:
                problems += [f"[{i}]: {p}" for p in exc.problems]
        if problems:
            raise FaultError(problems)
        with self._lock:
            for rule in rules:
                rule.id = f"drl_{next(self._ids)}"
            self.rules = [*self.rules, *rules]
        return rules

    def add(self, spec: dict[str, Any] | None = None, **kwargs: Any) -> str:
        try:
            return self.add_all([{**(spec or {}), **kwargs}])[0].id
        except FaultError as exc:
            raise FaultError([p.partition(": ")[2] for p in exc.problems]) from None

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [r for r in self.rules if r.id != rule_id]
            found = len(kept) != len(self.rules)
            self.rules = kept
        return found

    def get(self, rule_id: str) -> DeliveryRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def clear(self) -> int:
        with self._lock:
            n = len(self.rules) + len(self.pauses)
            self.rules, self.pauses = [], []
        return n

    def pick(self, provider: str, target: str, kind: str, actions: tuple[str, ...]) -> list:
        """Every rule of these actions that fires on this delivery (each counts the call)."""
        with self._lock:
            fired = [
                r
                for r in self.rules
                if r.action in actions and r.matches(provider, target, kind) and trial(r)
            ]
        return fired

    # -- pauses --------------------------------------------------------------------------

    def pause(self, provider: str | None, target: str | None) -> dict[str, Any]:
        entry = {"provider": provider, "target": target}
        with self._lock:
            if entry not in self.pauses:
                self.pauses = [*self.pauses, entry]
        return entry

    def resume(self, provider: str | None = None, target: str | None = None) -> int:
        """Lift the pauses with exactly this provider and target (both None: every pause)."""
        with self._lock:
            if provider is None and target is None:
                n, self.pauses = len(self.pauses), []
                return n
            kept = [p for p in self.pauses if (p["provider"], p["target"]) != (provider, target)]
            n, self.pauses = len(self.pauses) - len(kept), kept
        return n

    def paused(self, provider: str, target: str) -> bool:
        return any(
            (p["provider"] is None or p["provider"] == provider)
            and target_matches(p["target"], target)
            for p in self.pauses
        )
