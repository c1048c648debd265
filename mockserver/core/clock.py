"""A controllable clock: real time, shifted by an offset, or frozen."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from mockserver.core.timeutil import MAX_YEAR, MIN_YEAR


def _in_range(at: datetime) -> datetime:
    """The clock stays within the years times may have, so `now` +- a read window or a token
    lifetime never leaves datetime's range."""
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise ValueError(f"the clock must stay within the years {MIN_YEAR}-{MAX_YEAR}")
    return at


class Clock:
    """Every time the fake hands out (stamps, expiry, windows, rate limits) comes from here."""

    def __init__(self) -> None:
        self._frozen: datetime | None = None
        self._offset = timedelta(0)
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after every set, advance, freeze, unfreeze and reset (what is
        scheduled on the clock, such as delivery retries, is checked again)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def now(self) -> datetime:
        if self._frozen is not None:
            return self._frozen
        return datetime.now(UTC) + self._offset

    def monotonic(self) -> float:
        """Seconds for rate windows; follows set/advance so tests can step through a window."""
        if self._frozen is not None:
            return self._frozen.timestamp()
        return time.time() + self._offset.total_seconds()

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> None:
        self._frozen = _in_range((at or self.now()).astimezone(UTC))
        self._changed()

    def unfreeze(self) -> None:
        if self._frozen is not None:
            self._offset = self._frozen - datetime.now(UTC)
            self._frozen = None
        self._changed()

    def set(self, at: datetime) -> None:
        at = _in_range(at.astimezone(UTC))
        if self._frozen is not None:
            self._frozen = at
        else:
            self._offset = at - datetime.now(UTC)
        self._changed()

    def advance(self, delta: timedelta) -> None:
        try:
            _in_range(self.now() + delta)
        except OverflowError as exc:
            raise ValueError("the clock cannot move that far") from exc
        if self._frozen is not None:
            self._frozen += delta
        else:
            self._offset += delta
        self._changed()

    def reset(self) -> None:
        self._frozen = None
        self._offset = timedelta(0)
        self._changed()

    def describe(self) -> dict:
        return {
            "now": self.now().isoformat().replace("+00:00", "Z"),
            "frozen": self.frozen,
            "offset_seconds": self._offset.total_seconds() if not self.frozen else None,
        }
