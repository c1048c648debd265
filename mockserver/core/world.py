"""The calendar world: accounts, profiles, calendars and events, with a time index, a change feed
and transactions. Every write goes through `_put_*`, which records an undo step, so a request
that fails half-way is rolled back and leaves the world exactly as it was."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sortedcontainers import SortedList

from mockserver.core import ids, recurrence
from mockserver.core.changes import ChangeFeed
from mockserver.core.clock import Clock
from mockserver.core.index import (
    SERIES_HORIZON,
    Key,
    Source,
    TimeIndex,
    Window,
    copy_sorted,
    instance_uid,
)
from mockserver.core.models import Account, Calendar, Event, Occurrence, Profile
from mockserver.core.timeutil import instant, sort_key, truncate_seconds


class WorldError(Exception):
    """A core rule was broken (unknown calendar, duplicate id...); dialects translate it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclasses.dataclass(frozen=True, slots=True)
class WorldSnapshot:
    """Every table of a world at one moment. Records are immutable and replaced on write, so
    the tables are shallow copies; only the containers are copied, never the records."""

    accounts: dict[str, Account]
    profiles: dict[str, Profile]
    calendars: dict[str, Calendar]
    events: dict[str, Event]
    index: TimeIndex
    managed: dict[tuple[str, str, str], str]
    changes: SortedList
    by_provider_id: dict[str, str]


class World:
    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.accounts: dict[str, Account] = {}
        self.profiles: dict[str, Profile] = {}
        self.calendars: dict[str, Calendar] = {}
        self.events: dict[str, Event] = {}
        self.index = TimeIndex()
        self._managed: dict[tuple[str, str, str], str] = {}  # (app, calendar, event_id) -> uid
        self._by_provider_id: dict[str, str] = {}  # provider_event_id -> uid
        self._changes: SortedList = SortedList()  # (updated timestamp, uid)
        self._undo: list[Callable[[], None]] | None = None
        # every change, published when its transaction commits (mockserver/core/changes.py)
        self.changes = ChangeFeed(self.clock)
        self.version = 0  # bumped by every write (and rollback): readers may memoise on it

    # -- snapshots ----------------------------------------------------------------------

    def snapshot(self) -> WorldSnapshot:
        if self._undo is not None:
            raise RuntimeError("cannot snapshot inside a transaction")
        return WorldSnapshot(
            dict(self.accounts),
            dict(self.profiles),
            dict(self.calendars),
            dict(self.events),
            self.index.copy(),
            dict(self._managed),
            copy_sorted(self._changes),
            dict(self._by_provider_id),
        )

    def restore(self, snap: WorldSnapshot) -> None:
        """Put every table back as it was in `snap` (which stays reusable). The version moves
        forward, never back, so nothing memoised on a version can match a different world."""
        if self._undo is not None:
            raise RuntimeError("cannot restore inside a transaction")
        self.accounts = dict(snap.accounts)
        self.profiles = dict(snap.profiles)
        self.calendars = dict(snap.calendars)
        self.events = dict(snap.events)
        self.index = snap.index.copy()
        self._managed = dict(snap.managed)
        self._changes = copy_sorted(snap.changes)
        self._by_provider_id = dict(snap.by_provider_id)
        self.changes.clear()  # the history since the snapshot no longer happened
        self.version += 1

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested use is a savepoint: a failing
        inner block undoes its own writes and re-raises; the outer one decides the rest (a
        request runs in one transaction, and each operation inside it in a nested one)."""
        if self._undo is not None:
            undo, mark = self._undo, len(self._undo)
            held = self.changes.mark()
            try:
                yield
            except BaseException:
                self.changes.rollback_to(held)  # the savepoint's change records go with it
                if len(undo) > mark:  # something to undo (a refusal before any write is not)
                    for step in reversed(undo[mark:]):
                        step()
                    del undo[mark:]
                    self.version += 1
                raise
            return
        self._undo = []
        self.changes.begin()
        try:
            yield
        except BaseException:
            undo, self._undo = self._undo, None
            self.changes.rollback()
            if undo:
                for step in reversed(undo):
                    step()
                self.version += 1  # forward, never back: memos of the failed writes are stale
            raise
        else:
            self._undo = None
            self.changes.commit()

    def _record(self, step: Callable[[], None]) -> None:
        if self._undo is not None:
            self._undo.append(step)

    # -- low-level puts (undo-logged) ----------------------------------------------------

    def _put(self, table: dict[str, Any], key: str, value: Any) -> None:
        old = table.get(key)
        table[key] = value
        self.version += 1
        self._record(lambda: table.__setitem__(key, old) if old is not None else table.pop(key))

    def put_account(self, account: Account) -> None:
        old = self.accounts.get(account.id)
        self._put(self.accounts, account.id, account)
        kind = "account.created" if old is None else "account.updated"
        self.changes.emit(kind, account_id=account.id, before=old, after=account)

    def put_profile(self, profile: Profile) -> None:
        if profile.account_id not in self.accounts:
            raise WorldError("unknown_account", f"no account {profile.account_id}")
        old = self.profiles.get(profile.id)
        self._put(self.profiles, profile.id, profile)
        if old is None:
            kind = "profile.created"
        elif old.connected != profile.connected:
            kind = "profile.connected" if profile.connected else "profile.disconnected"
        else:
            kind = "profile.updated"
        self.changes.emit(
            kind, account_id=profile.account_id, profile_id=profile.id, before=old, after=profile
        )

    def put_calendar(self, calendar: Calendar) -> None:
        if calendar.profile_id not in self.profiles:
            raise WorldError("unknown_profile", f"no profile {calendar.profile_id}")
        old = self.calendars.get(calendar.id)
        self._put(self.calendars, calendar.id, calendar)
        if old is None:
            kind = "calendar.created"
        elif calendar.deleted and not old.deleted:
            kind = "calendar.deleted"
        else:
            kind = "calendar.updated"
        self.changes.emit(
            kind,
            account_id=self.profiles[calendar.profile_id].account_id,
            profile_id=calendar.profile_id,
            calendar_id=calendar.id,
            before=old,
            after=calendar,
        )

    def put_event(self, event: Event) -> None:
        """Insert or replace an event, keeping the index, change feed and id map in step."""
        if event.calendar_id not in self.calendars:
            raise WorldError("unknown_calendar", f"no calendar {event.calendar_id}")
        old = self.events.get(event.uid)
        # An id map entry may name another event (a managed id re-created after its delete):
        # the undo puts the entries back as they were, not as `old` alone implies.
        entries = self._id_entries(old, event)
        self._swap_event(old, event)
        self._record(lambda: self._unswap(event, old, entries))
        if not self.changes.muted:
            self._announce(old, event)

    def _announce(self, old: Event | None, event: Event) -> None:
        if old is None:
            kind = "event.created"
        elif event.deleted and not old.deleted:
            kind = "event.deleted"
        else:
            kind = "event.updated"
        cal = self.calendars[event.calendar_id]
        self.changes.emit(
            kind,
            account_id=self.profiles[cal.profile_id].account_id,
            profile_id=cal.profile_id,
            calendar_id=cal.id,
            event_uid=event.uid,
            before=old,
            after=event,
        )

    def _id_entries(self, *events: Event | None) -> list[tuple[str, Any, str | None]]:
        out: list[tuple[str, Any, str | None]] = []
        for ev in events:
            if ev is not None and ev.app_id and ev.app_event_id:
                key = (ev.app_id, ev.calendar_id, ev.app_event_id)
                out.append(("_managed", key, self._managed.get(key)))
            if ev is not None and ev.provider_event_id:
                pid = ev.provider_event_id
                out.append(("_by_provider_id", pid, self._by_provider_id.get(pid)))
        return out

    def _unswap(
        self, new: Event, old: Event | None, entries: list[tuple[str, Any, str | None]]
    ) -> None:
        self._swap_event(new, old)
        for table, key, uid in reversed(entries):
            if uid is None:
                getattr(self, table).pop(key, None)
            else:
                getattr(self, table)[key] = uid

    def _swap_event(self, old: Event | None, new: Event | None) -> None:
        self.version += 1
        if old is not None:
            self.index.remove(old)
            self._changes.discard((old.updated.timestamp(), old.uid))
            if old.app_id and old.app_event_id:
                key = (old.app_id, old.calendar_id, old.app_event_id)
                if self._managed.get(key) == old.uid:
                    del self._managed[key]
            if old.provider_event_id and self._by_provider_id.get(old.provider_event_id) == old.uid:
                del self._by_provider_id[old.provider_event_id]
            del self.events[old.uid]
        if new is not None:
            self.events[new.uid] = new
            self.index.add(new)
            self._changes.add((new.updated.timestamp(), new.uid))
            if new.app_id and new.app_event_id:
                self._managed[(new.app_id, new.calendar_id, new.app_event_id)] = new.uid
            if new.provider_event_id:
                self._by_provider_id[new.provider_event_id] = new.uid

    def load_events(self, events: list[Event]) -> None:
        """Put many new events in at once, as a world file loads: no undo log, and each index
        bucket and the change feed sorted once rather than grown an event at a time. The
        events' calendars must exist and their uids be new (the loader checks both)."""
        if self._undo is not None:
            raise RuntimeError("cannot bulk-load inside a transaction")
        for ev in events:
            if ev.calendar_id not in self.calendars:
                raise WorldError("unknown_calendar", f"no calendar {ev.calendar_id}")
        table = self.events
        managed = self._managed
        by_provider = self._by_provider_id
        for ev in events:
            table[ev.uid] = ev
            if ev.app_id and ev.app_event_id:
                managed[(ev.app_id, ev.calendar_id, ev.app_event_id)] = ev.uid
            if ev.provider_event_id:
                by_provider[ev.provider_event_id] = ev.uid
        self.index.add_many(events)
        self._changes.update((ev.updated.timestamp(), ev.uid) for ev in events)
        self.version += 1

    # -- event operations ----------------------------------------------------------------

    def now(self) -> datetime:
        return truncate_seconds(self.clock.now())

    def create_event(
        self,
        calendar_id: str,
        *,
        uid: str | None = None,
        app_id: str | None = None,
        app_event_id: str | None = None,
        **fields: Any,
    ) -> Event:
        now = self.now()
        if uid is None:
            uid = ids.managed_event_uid() if app_id else ids.external_event_uid()
        fields.setdefault("created", now)
        fields.setdefault("updated", now)
        if not fields.get("provider_event_id"):
            fields["provider_event_id"] = ids.provider_event_id()
        event = Event(
            uid=uid, calendar_id=calendar_id, app_id=app_id, app_event_id=app_event_id, **fields
        )
        self.put_event(event)
        return event

    def update_event(self, uid: str, **changes: Any) -> Event:
        old = self.events.get(uid)
        if old is None:
            raise WorldError("unknown_event", f"no event {uid}")
        updated = max(self.now(), old.updated)
        new = dataclasses.replace(old, updated=updated, **changes)
        self.put_event(new)
        return new

    def delete_event(self, uid: str) -> Event:
        """Tombstone the event: it stays readable with include_deleted-style flags."""
        return self.update_event(uid, deleted=True)

    def event_by_provider_id(self, provider_event_id: str) -> Event | None:
        uid = self._by_provider_id.get(provider_event_id)
        return self.events.get(uid) if uid else None

    def managed_event(self, app_id: str, calendar_id: str, app_event_id: str) -> Event | None:
        uid = self._managed.get((app_id, calendar_id, app_event_id))
        return self.events.get(uid) if uid else None

    # -- lookups -------------------------------------------------------------------------

    def profiles_of(self, account_id: str) -> list[Profile]:
        return [p for p in self.profiles.values() if p.account_id == account_id]

    def calendars_of(self, account_id: str) -> list[Calendar]:
        profiles = {p.id for p in self.profiles_of(account_id)}
        return [c for c in self.calendars.values() if c.profile_id in profiles]

    def account_of_calendar(self, calendar_id: str) -> Account | None:
        cal = self.calendars.get(calendar_id)
        prof = self.profiles.get(cal.profile_id) if cal else None
        return self.accounts.get(prof.account_id) if prof else None

    # -- window reads --------------------------------------------------------------------

    def scan(
        self, sources: list[Source], after: Key | None = None
    ) -> Iterator[tuple[Key, Occurrence]]:
        return self.index.scan(sources, self.events, after)

    def count(self, sources: list[Source]) -> int:
        return self.index.count(sources, self.events)

    def changed_since(self, since: datetime) -> Iterator[Event]:
        for _, uid in self._changes.irange(minimum=(since.timestamp(),)):
            yield self.events[uid]

    def scan_changed(
        self, sources: list[Source], since: datetime, after: Key | None = None
    ) -> list[tuple[Key, Occurrence]]:
        """Incremental sync: occurrences of the events updated at or after `since` that lie in
        their source's window, in the same order (and past the same `after` key) as `scan`;
        series expand to the same horizon as the time index, so a sync returns what a full
        read would."""
        wanted = {s.bucket: s.window for s in sources}
        found: list[tuple[Key, Occurrence]] = []
        for ev in self.changed_since(since):
            window = wanted.get((ev.calendar_id, ev.app_id or "", ev.deleted))
            if window is None:
                continue
            if ev.recurring:
                lo = window.lo or instant(ev.start, ev.tzid)
                hi = window.hi or lo + SERIES_HORIZON
                for s, e in recurrence.occurrences(
                    ev.recurrence, ev.start, ev.end, ev.tzid, lo, hi
                ):
                    if window.overlaps(s, e):
                        uid = instance_uid(ev.uid, s)
                        found.append(((sort_key(s), uid), Occurrence(ev, s, e, uid)))
            elif window.overlaps(ev.start, ev.end):
                found.append(
                    ((sort_key(ev.start), ev.uid), Occurrence(ev, ev.start, ev.end, ev.uid))
                )
        found.sort(key=lambda item: item[0])
        return [item for item in found if after is None or item[0] > after]

    def sources(
        self,
        calendar_ids: list[str],
        window: Window,
        *,
        include: Callable[[str, bool], bool],
        window_for: Callable[[str], Window] | None = None,
    ) -> list[Source]:
        """Buckets of these calendars whose (app_id, deleted) passes `include`."""
        out = []
        for cal in calendar_ids:
            for bucket in self.index.buckets(cal):
                _, app, deleted = bucket
                if include(app, deleted):
                    out.append(Source(bucket, window_for(app) if window_for else window))
        return out
