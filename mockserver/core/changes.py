"""The change feed: one ordered record per change of the world (an event, calendar, profile or
account), and of any provider store change a provider chooses to announce (a booking, an
integrated account), each saying what changed, where, by whom, and what it was before and after.

Records are made inside `World.transaction()`: they are held until the outermost transaction
commits and then published together (one `tx` number), so a rolled-back request emits nothing.
A write outside any transaction is published at once. Sequence numbers are given at publication,
so published records are numbered without gaps, in commit order.

Who made a change is the *actor* of the context the write runs in (a `ContextVar`, so each
request task has its own): `OWNER` for the calendar owner's own edits (mockserver/core/owner.py),
`Actor.app(provider, id)` for an application calling a provider's API (each provider sets it when
it authenticates a request), `SYSTEM` otherwise (world files, tests writing to the world).

Subscribers (the delivery engine) get each published batch synchronously from the committing
thread; they must only queue it. The feed keeps the last `size` records for reading
(`GET /_mock/changes`)."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.timeutil import format_utc, truncate_seconds


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: `kind` is "owner", "app" (an application through `provider`'s API,
    `id` naming the application there) or "system"."""

    kind: str
    provider: str | None = None
    id: str | None = None

    @staticmethod
    def app(provider: str, app_id: str | None) -> Actor:
        return Actor("app", provider, app_id)

    def is_app(self, provider: str, app_id: str | None) -> bool:
        return self.kind == "app" and self.provider == provider and self.id == app_id

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "app":
            out |= {"provider": self.provider, "id": self.id}
        return out


OWNER = Actor("owner")
SYSTEM = Actor("system")

_actor: ContextVar[Actor] = ContextVar("mockserver_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _actor.get()


def act_as(actor: Actor) -> None:
    """Make `actor` the author of every later write in this context (a request's task)."""
    _actor.set(actor)


@contextmanager
def acting(actor: Actor) -> Iterator[None]:
    """Writes inside the block are `actor`'s."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    at: datetime  # the fake clock, whole seconds (what `updated` stamps carry)
    kind: str  # "event.created", "calendar.deleted", "profile.disconnected", "booking.created"...
    actor: Actor
    tx: int  # records published together share it
    account_id: str | None = None
    profile_id: str | None = None
    calendar_id: str | None = None
    event_uid: str | None = None
    before: Any = None
    after: Any = None
    source: str | None = None  # the provider whose own store changed; None: the world
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def record(self) -> Any:
        """The record as it is after the change, or as it was before a removal."""
        return self.after if self.after is not None else self.before

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": format_utc(self.at),
            "kind": self.kind,
            "source": self.source,
            "actor": self.actor.to_json(),
            "tx": self.tx,
            "account_id": self.account_id,
            "profile_id": self.profile_id,
            "calendar_id": self.calendar_id,
            "event_uid": self.event_uid,
            "before": plain(self.before),
            "after": plain(self.after),
            "data": plain(dict(self.data)),
        }


def plain(value: Any) -> Any:
    """A JSON-ready copy of a record (dataclasses, tuples, times) for the control plane."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


Subscriber = Callable[[list[Change]], None]


class ChangeFeed:
    def __init__(self, clock: Clock, size: int = 10_000) -> None:
        self.clock = clock
        self.records: deque[Change] = deque(maxlen=size)
        self._seq = itertools.count(1)
        self._tx = itertools.count(1)
        self.last_seq = 0
        self._pending: list[dict[str, Any]] | None = None
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self.muted = False  # while a world file loads: nothing is recorded

    # -- subscribers -------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers = [*self._subscribers, subscriber]

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers = [s for s in self._subscribers if s is not subscriber]

    # -- transactions (World.transaction calls these) ------------------------------------

    def begin(self) -> None:
        self._pending = []

    def commit(self) -> None:
        pending, self._pending = self._pending, None
        if pending:
            self._publish(pending)

    def rollback(self) -> None:
        self._pending = None

    def mark(self) -> int:
        """Where a savepoint starts (World.transaction nested): records held so far."""
        return len(self._pending) if self._pending is not None else 0

    def rollback_to(self, mark: int) -> None:
        """Drop the records held since `mark` (a failed savepoint emits nothing)."""
        if self._pending is not None:
            del self._pending[mark:]

    # -- emitting ------------------------------------------------------------------------

    def emit(self, kind: str, **fields: Any) -> None:
        """Record a change (fields as in `Change`, without seq, at, actor and tx)."""
        if self.muted:
            return
        fields["kind"] = kind
        fields.setdefault("actor", current_actor())
        fields.setdefault("at", truncate_seconds(self.clock.now()))
        if self._pending is not None:
            self._pending.append(fields)
        else:
            self._publish([fields])

    def _publish(self, pending: list[dict[str, Any]]) -> None:
        with self._lock:
            tx = next(self._tx)
            batch = [Change(seq=next(self._seq), tx=tx, **f) for f in pending]
            self.records.extend(batch)
            self.last_seq = batch[-1].seq
        for subscriber in self._subscribers:
            with contextlib.suppress(Exception):  # a subscriber's bug must not fail the write
                subscriber(batch)

    # -- reading -------------------------------------------------------------------------

    def since(self, seq: int = 0, limit: int | None = None) -> list[Change]:
        """Records after `seq` still held, oldest first (the newest `limit` if given)."""
        with self._lock:
            found = [c for c in self.records if c.seq > seq]
        return found[-limit:] if limit else found

    def clear(self) -> None:
        """Forget the held records (numbering goes on: a reader's `since` stays valid)."""
        with self._lock:
            self.records.clear()

    def resize(self, size: int) -> None:
        with self._lock:
            if size != self.records.maxlen:
                self.records = deque(self.records, maxlen=size)
