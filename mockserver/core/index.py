"""The time index: events bucketed by (calendar, managing app, deleted) and kept sorted by start,
so a window read is a bisect plus a page, not a scan of the calendar. Recurring events sit beside
the sorted list and are expanded per read."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sortedcontainers import SortedList

from mockserver.core import recurrence
from mockserver.core.models import Event, Occurrence
from mockserver.core.timeutil import MAX_ZONE_SHIFT, instant, sort_key, span_seconds

SLACK = MAX_ZONE_SHIFT.total_seconds()
# How far past its first instance an unbounded read expands a series (a timedelta, since
# replace(year=year + 2) fails on Feb 29).
SERIES_HORIZON = timedelta(days=731)
BucketKey = tuple[str, str, bool]  # (calendar_id, app_id or "", deleted)
Key = tuple[float, str]


@dataclass(slots=True)
class Window:
    """Occurrences with start < hi and end >= lo; dates are placed in tzid. None = unbounded."""

    lo: datetime | None
    hi: datetime | None
    tzid: str = "Etc/UTC"

    def overlaps(self, start: datetime | date, end: datetime | date) -> bool:
        if self.hi is not None and instant(start, self.tzid) >= self.hi:
            return False
        return not (self.lo is not None and instant(end, self.tzid) < self.lo)


@dataclass(slots=True)
class Bucket:
    singles: SortedList = field(default_factory=SortedList)  # (start key, uid)
    recurring: dict[str, Event] = field(default_factory=dict)
    max_span: float = 0.0


@dataclass(slots=True)
class Source:
    bucket: BucketKey
    window: Window


def copy_sorted(items: SortedList) -> SortedList:
    """An O(n) copy of a SortedList without re-sorting (SortedList.copy() sorts again, which
    for 10k tuples costs more than the rest of a world snapshot). Uses sortedcontainers'
    internals (stable since 2.0): the sublists and their maxima; the positional index is rebuilt
    lazily on first use."""
    out = SortedList()
    out._lists = [sub[:] for sub in items._lists]
    out._maxes = items._maxes[:]
    out._len = items._len
    out._load = items._load
    return out


class TimeIndex:
    def __init__(self) -> None:
        self._buckets: dict[BucketKey, Bucket] = {}
        self._by_calendar: dict[str, set[BucketKey]] = {}

    def copy(self) -> TimeIndex:
        """An independent index over the same (immutable) event records."""
        out = TimeIndex()
        out._buckets = {
            key: Bucket(copy_sorted(b.singles), dict(b.recurring), b.max_span)
            for key, b in self._buckets.items()
        }
        out._by_calendar = {cal: set(keys) for cal, keys in self._by_calendar.items()}
        return out

    @staticmethod
    def bucket_of(event: Event) -> BucketKey:
        return (event.calendar_id, event.app_id or "", event.deleted)

    def _bucket(self, key: BucketKey) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket()
            self._by_calendar.setdefault(key[0], set()).add(key)
        return bucket

    def add(self, event: Event) -> None:
        bucket = self._bucket(self.bucket_of(event))
        if event.recurring:
            bucket.recurring[event.uid] = event
        else:
            bucket.singles.add((sort_key(event.start), event.uid))
            bucket.max_span = max(bucket.max_span, span_seconds(event.start, event.end))

    def add_many(self, events: Iterable[Event]) -> None:
        """`add` for many events, each bucket's sorted list built in one sort."""
        pending: dict[BucketKey, list[Key]] = {}
        for event in events:
            key = self.bucket_of(event)
            bucket = self._bucket(key)
            if event.recurring:
                bucket.recurring[event.uid] = event
                continue
            start = sort_key(event.start)
            pending.setdefault(key, []).append((start, event.uid))
            span = sort_key(event.end) - start
            if span > bucket.max_span:
                bucket.max_span = span
        for key, keys in pending.items():
            self._buckets[key].singles.update(keys)

    def remove(self, event: Event) -> None:
        bucket = self._buckets.get(self.bucket_of(event))
        if bucket is None:
            return
        if event.recurring:
            bucket.recurring.pop(event.uid, None)
        else:
            bucket.singles.discard((sort_key(event.start), event.uid))

    def buckets(self, calendar_id: str) -> Iterable[BucketKey]:
        return tuple(self._by_calendar.get(calendar_id, ()))

    # -- reads ---------------------------------------------------------------------------

    def scan(
        self, sources: list[Source], events: dict[str, Event], after: Key | None = None
    ) -> Iterator[tuple[Key, Occurrence]]:
        """Occurrences from every source, merged in (start, uid) order, strictly after `after`."""
        streams = []
        for src in sources:
            bucket = self._buckets.get(src.bucket)
            if bucket is None:
                continue
            streams.append(self._singles(bucket, src.window, events, after))
            if bucket.recurring:
                streams.append(self._instances(bucket, src.window, after))
        if len(streams) == 1:  # the common case (one calendar, no series): skip the merge
            return streams[0]
        return heapq.merge(*streams, key=lambda item: item[0])

    def count(self, sources: list[Source], events: dict[str, Event]) -> int:
        total = 0
        for src in sources:
            bucket = self._buckets.get(src.bucket)
            if bucket is None:
                continue
            total += self._count_singles(bucket, src.window, events)
            if bucket.recurring:
                total += sum(1 for _ in self._instances(bucket, src.window, None))
        return total

    def _bounds(self, bucket: Bucket, window: Window) -> tuple[float, float]:
        lo = -math.inf if window.lo is None else window.lo.timestamp() - bucket.max_span - SLACK
        hi = math.inf if window.hi is None else window.hi.timestamp() + SLACK
        return lo, hi

    def _singles(
        self, bucket: Bucket, window: Window, events: dict[str, Event], after: Key | None
    ) -> Iterator[tuple[Key, Occurrence]]:
        lo, hi = self._bounds(bucket, window)
        if after is not None and after[0] >= lo:
            it = bucket.singles.irange(minimum=after, inclusive=(False, True))
        else:
            it = bucket.singles.irange(minimum=(lo,))
        # Between the edges every entry overlaps for certain (see _count_singles): no check.
        lo_edge = -math.inf if window.lo is None else window.lo.timestamp() + SLACK
        hi_edge = math.inf if window.hi is None else window.hi.timestamp() - SLACK
        for key in it:
            if key[0] >= hi:
                return
            ev = events[key[1]]
            if (lo_edge <= key[0] < hi_edge) or window.overlaps(ev.start, ev.end):
                yield key, Occurrence(ev, ev.start, ev.end, ev.uid)

    def _count_singles(self, bucket: Bucket, window: Window, events: dict[str, Event]) -> int:
        singles = bucket.singles
        lo, hi = self._bounds(bucket, window)
        # Inside [lo_edge, hi_edge) every entry overlaps for certain; only the edges need a look.
        lo_edge = -math.inf if window.lo is None else window.lo.timestamp() + SLACK
        hi_edge = math.inf if window.hi is None else window.hi.timestamp() - SLACK
        if lo_edge >= hi_edge:
            return sum(1 for _ in self._singles(bucket, window, events, None))
        total = singles.bisect_left((hi_edge,)) - singles.bisect_left((lo_edge,))
        for lo_k, hi_k in ((lo, lo_edge), (hi_edge, hi)):
            for key in singles.irange(minimum=(lo_k,), maximum=(hi_k,), inclusive=(True, False)):
                ev = events[key[1]]
                if window.overlaps(ev.start, ev.end):
                    total += 1
        return total

    def _instances(
        self, bucket: Bucket, window: Window, after: Key | None
    ) -> Iterator[tuple[Key, Occurrence]]:
        found: list[tuple[Key, Occurrence]] = []
        for ev in bucket.recurring.values():
            lo = window.lo or instant(ev.start, ev.tzid)
            hi = window.hi or lo + SERIES_HORIZON
            for start, end in recurrence.occurrences(
                ev.recurrence, ev.start, ev.end, ev.tzid, lo, hi
            ):
                if not window.overlaps(start, end):
                    continue
                uid = instance_uid(ev.uid, start)
                key = (sort_key(start), uid)
                if after is None or key > after:
                    found.append((key, Occurrence(ev, start, end, uid)))
        found.sort(key=lambda item: item[0])
        return iter(found)


def instance_uid(series_id: str, start: datetime | date) -> str:
    """One instance of a series, the way Google names it: `<series id>_<UTC start>`
    (`_20260105T090000Z`; all-day: `_20260105`). Every dialect's instance ids come from here."""
    stamp = (
        start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        if isinstance(start, datetime)
        else start.strftime("%Y%m%d")
    )
    return f"{series_id}_{stamp}"
