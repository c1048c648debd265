"""Fixed-window request counters keyed by whatever a provider budgets on (app, key, account)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Budget:
    limit: int
    seconds: float


@dataclass(slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_in: float  # seconds until the tightest window rolls over


class RateLimiter:
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._windows: dict[tuple[str, float], tuple[float, int]] = {}

    def hit(self, key: str, budgets: tuple[Budget, ...]) -> Verdict:
        """Count one request against every budget; refused if any is spent (and not counted)."""
        now = self._now()
        states = []
        for b in budgets:
            start, used = self._windows.get((key, b.seconds), (now, 0))
            if now - start >= b.seconds or now < start:
                start, used = now, 0
            states.append((b, start, used))
        tight = min(states, key=lambda s: s[0].limit - s[2], default=None)
        if any(used >= b.limit for b, _, used in states):
            b, start, used = next(s for s in states if s[2] >= s[0].limit)
            return Verdict(False, b.limit, 0, max(0.0, start + b.seconds - now))
        for b, start, used in states:
            self._windows[(key, b.seconds)] = (start, used + 1)
        if tight is None:
            return Verdict(True, 0, 0, 0.0)
        b, start, used = tight
        return Verdict(True, b.limit, b.limit - used - 1, max(0.0, start + b.seconds - now))

    def clear(self) -> None:
        self._windows.clear()
