"""Fixed-window request counters keyed by whatever a provider budgets on (app, key, account).

Two ways a spent budget refuses:
- plain (`block` 0): refused until the window rolls over; refused requests are not counted;
- blocking (`block` > 0): the request that goes over the limit starts a block of `block`
  seconds, which outlasts the window if it is longer; every request is counted, refused ones
  too, so requests made during a block count in the window they fall in (a hit counter that is
  incremented first and checked after, as a shared-store throttler does)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Budget:
    limit: int
    seconds: float
    block: float = 0.0  # seconds a refusal lasts from the refused request (0: plain)


@dataclass(slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_in: float  # seconds until the tightest window rolls over, or the block ends


class RateLimiter:
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._windows: dict[tuple[str, float], tuple[float, int]] = {}
        self._blocked: dict[tuple[str, float], float] = {}  # block end, per blocking budget

    def hit(self, key: str, budgets: tuple[Budget, ...]) -> Verdict:
        """Count one request against every budget; refused if any is spent or blocked."""
        now = self._now()
        states = []
        for b in budgets:
            start, used = self._windows.get((key, b.seconds), (now, 0))
            if now - start >= b.seconds or now < start:
                start, used = now, 0
            states.append((b, start, used))
        refusal: Verdict | None = None
        for b, start, used in states:
            if b.block > 0:
                verdict = self._blocking(key, b, start, used + 1, now)
                if verdict is not None and refusal is None:
                    refusal = verdict
            elif used >= b.limit and refusal is None:
                refusal = Verdict(False, b.limit, 0, max(0.0, start + b.seconds - now))
        if refusal is not None:
            return refusal
        for b, start, used in states:
            if b.block <= 0:
                self._windows[(key, b.seconds)] = (start, used + 1)
        if not states:
            return Verdict(True, 0, 0, 0.0)
        b, start, used = min(states, key=lambda s: s[0].limit - s[2])
        return Verdict(True, b.limit, b.limit - used - 1, max(0.0, start + b.seconds - now))

    def _blocking(
        self, key: str, b: Budget, start: float, used: float, now: float
    ) -> Verdict | None:
        """Count the hit (always) and say whether this budget refuses it."""
        slot = (key, b.seconds)
        self._windows[slot] = (start, int(used))
        until = self._blocked.get(slot)
        if until is not None and now < until:
            return Verdict(False, b.limit, 0, until - now)
        self._blocked.pop(slot, None)
        if used > b.limit:
            self._blocked[slot] = now + b.block
            return Verdict(False, b.limit, 0, b.block)
        return None

    def clear(self) -> None:
        self._windows.clear()
        self._blocked.clear()
