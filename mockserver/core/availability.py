"""The availability engine: when can these people meet? Written once, here, and spoken by every
dialect (Cronofy's availability and sequenced availability, Cal.com's slots and booking checks,
Truto's availability); it names no provider.

Inputs, all provider-neutral:

* a `Schedule` is working hours in one zone: weekly windows at wall-clock times plus date
  overrides that replace a local date's windows;
* a `Participant` is someone whose time counts: the calendars whose events make them busy (read
  from the world's time index through the one busy predicate of `core/busy.py`), their
  schedules, explicit available periods, a further restriction, and extra busy time the dialect
  knows of (bookings, reservations);
* a `Group` is participants of whom all, or at least N, must be free;
* a `Query` is groups, the periods to look in, a duration, buffers, the earliest allowed start
  (now + minimum notice) and a result limit;
* a `Grid` says where slots may start: a step, an alignment in a zone, overlapping or not.

Outputs are `Available` (start, end, the free participants' ids): maximal periods (`periods`),
slots on a grid (`slots`), a yes/no for one interval (`free_members`), chains of slots
(`sequences`), and the free time of one participant (`free_time`).

Semantics (the numbered S-E rules of docs/reference/scheduling.md):

* all arithmetic is on UTC instants, half-open `[start, end)` (S-E2, S-E14); results carry aware
  UTC datetimes, rendering is the dialect's business;
* a weekly window is expanded on every local date of its zone at the same wall-clock time, also
  on DST change days (S-E3): a local time that does not exist (the spring-forward gap) moves
  forward by the gap, an ambiguous one (fall-back) is its first occurrence — what zoneinfo's
  `fold=0`, java.time, Luxon and dayjs all do;
* a date override replaces every weekly window of its local date; a zero-length override makes
  the date unavailable; several overrides of one date all count (S-E4); minute 1440 is the next
  local midnight, and `clock_minutes("23:59", end=True)` gives it (S-E5);
* a participant's windows merge when they overlap or touch (S-E6); their free time is windows
  minus busy time, where busy `[s, e)` is widened to `[s - after, e + before)` by the query's
  buffers, so buffers separate a slot from busy time, never from a window's edge (S-E7, S-E8);
* a time is available when, in every group, every member (or at least N) is free; a result
  names every free member of every group (S-E9);
* nothing starts before `Query.earliest` (minimum notice, S-E12).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mockserver.core import intervals
from mockserver.core.busy import busy_spans
from mockserver.core.intervals import Span
from mockserver.core.timeutil import zone

if TYPE_CHECKING:
    from mockserver.core.world import World

Interval = tuple[datetime, datetime]  # aware datetimes, half-open [start, end)
DAY_MINUTES = 1440
MAX_RESULTS = 10_000  # a bound on one answer whatever the caller asks: a query cannot stall
MAX_SEQUENCE_WORK = 20_000  # candidate placements one sequences() call may try
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


# -- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """Open every `weekday` (0 = Monday ... 6 = Sunday, as `date.weekday()`) from `start` to
    `end`, in minutes after local midnight (`0 <= start < end <= 1440`; 1440 = the next
    midnight)."""

    weekday: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday}")
        if not 0 <= self.start < self.end <= DAY_MINUTES:
            raise ValueError(f"a window needs 0 <= start < end <= 1440: {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class DateOverride:
    """On local date `day`, open from `start` to `end` minutes after midnight instead of the
    weekly windows (`start == end`: closed all day). Several overrides of one date add up."""

    day: date
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end <= DAY_MINUTES:
            raise ValueError(
                f"an override needs 0 <= start <= end <= 1440: {self.start}-{self.end}"
            )


@dataclass(frozen=True, slots=True)
class Schedule:
    """Working hours in one zone."""

    tzid: str
    weekly: tuple[WeeklyWindow, ...] = ()
    overrides: tuple[DateOverride, ...] = ()

    def windows(self, lo: datetime, hi: datetime) -> list[Interval]:
        """The open intervals overlapping `[lo, hi)`, clipped to it, merged."""
        return _to_intervals(self.spans(_sec(lo), _sec(hi)))

    def spans(self, lo: int, hi: int) -> list[Span]:
        """`windows` in epoch seconds."""
        if lo >= hi:
            return []
        tz = zone(self.tzid)
        # Every local date that can touch the window (a zone is at most 14 h off UTC, and a
        # window ends at most at the next midnight).
        first = (datetime.fromtimestamp(lo, UTC) - timedelta(days=1)).astimezone(tz).date()
        last = (datetime.fromtimestamp(hi, UTC) + timedelta(days=1)).astimezone(tz).date()
        by_date: dict[date, list[tuple[int, int]]] = {}
        for o in self.overrides:
            if first <= o.day <= last:
                by_date.setdefault(o.day, []).append((o.start, o.end))
        by_weekday: dict[int, list[tuple[int, int]]] = {}
        for w in self.weekly:
            by_weekday.setdefault(w.weekday, []).append((w.start, w.end))
        out: list[Span] = []
        day = first
        while day <= last:
            rows = by_date.get(day)
            if rows is None:
                rows = by_weekday.get(day.weekday(), ())
            for start, end in rows:
                if start < end:
                    out.append((local_instant(day, start, tz), local_instant(day, end, tz)))
            day += timedelta(days=1)
        return intervals.clip(intervals.normalize(out), lo, hi)


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone whose time counts, named by the dialect's own `id` (a Cronofy sub, a Cal.com user
    id). Open time: with `hours=None` always open; else the union of every schedule's windows
    and the explicit `periods` (so `hours=()` means "only the periods"). `within`, when given,
    further restricts the open time (intersection). Busy time: the blocking events of
    `calendar_ids` (all-day dates placed in `tzid`) plus `busy`, intervals the dialect adds
    (bookings, reservations; widened by their own buffers already)."""

    id: str
    calendar_ids: tuple[str, ...] = ()
    hours: tuple[Schedule, ...] | None = None
    periods: tuple[Interval, ...] = ()
    within: tuple[Interval, ...] | None = None
    busy: tuple[Interval, ...] = ()
    tzid: str = "Etc/UTC"


@dataclass(frozen=True, slots=True)
class Group:
    """Participants of whom every one (`required=None`) or at least `required` must be free."""

    members: tuple[Participant, ...]
    required: int | None = None

    def needed(self) -> int:
        return len(self.members) if self.required is None else self.required


@dataclass(frozen=True, slots=True)
class Query:
    """Look inside `periods` (merged first when they overlap or touch) for time of at least
    `duration` when every group is satisfied. `before` / `after`: free time a result needs
    before / after it, measured against busy time only. `earliest`: nothing starts before it
    (now + minimum notice). `max_results`: at most that many results, the earliest ones. A
    participant named in several groups is one person (its first definition counts)."""

    groups: tuple[Group, ...]
    periods: tuple[Interval, ...]
    duration: timedelta
    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)
    earliest: datetime | None = None
    max_results: int | None = None


@dataclass(frozen=True, slots=True)
class Grid:
    """Where slots start. Inside each stretch of available time the first candidate is the first
    aligned instant at or after the stretch's start (and `earliest`); the next one is the first
    aligned instant at or after `step` later — or, with `overlapping=False`, at or after the end
    of the slot just found. An instant is aligned when its wall-clock time in `tzid`, counted
    from local midnight, is a whole multiple of `align` (None: every instant is, and starts are
    only rounded up to the whole second)."""

    step: timedelta
    align: timedelta | None = None
    tzid: str = "Etc/UTC"
    overlapping: bool = True


@dataclass(frozen=True, slots=True)
class Available:
    """One answer: `[start, end)` (aware UTC) and the ids of every free participant, in query
    order, each once."""

    start: datetime
    end: datetime
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a sequence: its own query and grid, and how far it may start after the step
    before it ends (`min_gap` at least, `max_gap` at most; None: no limit). `key` is the
    dialect's name for the step, handed back untouched."""

    key: Any
    query: Query
    grid: Grid
    min_gap: timedelta = timedelta(0)
    max_gap: timedelta | None = None


# -- time helpers ------------------------------------------------------------------------------


def clock_minutes(value: str, *, end: bool = False, midnight_2359: bool = False) -> int:
    """`"HH:MM"` -> minutes after midnight. For an end, `"24:00"` is 1440 and, with
    `midnight_2359`, so is `"23:59"` (the latest value some APIs accept, meaning the end of the
    day: S-E5). Raises ValueError for anything else."""
    if end and value == "24:00":
        return DAY_MINUTES
    m = _HHMM.match(value) if isinstance(value, str) else None
    if m is None:
        raise ValueError(f"not a HH:MM time: {value!r}")
    minutes = int(m[1]) * 60 + int(m[2])
    if end and midnight_2359 and minutes == DAY_MINUTES - 1:
        return DAY_MINUTES
    return minutes


def local_instant(day: date, minutes: int, tz: Any) -> int:
    """Epoch seconds of `minutes` after midnight on local date `day` in zone `tz` (1440: the
    next midnight). A wall time in a DST gap moves forward by the gap; an ambiguous one is its
    first occurrence (zoneinfo's fold=0)."""
    if minutes >= DAY_MINUTES:
        day = day + timedelta(days=minutes // DAY_MINUTES)
        minutes %= DAY_MINUTES
    naive = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
    return int(naive.replace(tzinfo=tz).timestamp())


@lru_cache(maxsize=64)
def _fixed_offset(tzid: str) -> int | None:
    """The zone's UTC offset in seconds if it never changes (UTC and friends), else None."""
    if tzid in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT"):
        return 0
    return None


def _offset(t: int, tzid: str) -> int:
    fixed = _fixed_offset(tzid)
    if fixed is not None:
        return fixed
    off = datetime.fromtimestamp(t, zone(tzid)).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def align_up(t: int, grid: Grid) -> int:
    """The first instant at or after `t` (epoch seconds) that `grid` allows a slot to start at."""
    if grid.align is None:
        return t
    step = int(grid.align.total_seconds())
    if step <= 0:
        return t
    u = t
    for _ in range(8):  # each turn moves past one offset change; zones change at most twice a day
        off = _offset(u, grid.tzid)
        of_day = (u + off) % 86400  # seconds since local midnight
        rem = of_day % step
        # the grid starts again at every local midnight (a step that does not divide the day)
        cand = u if rem == 0 else u + min(step - rem, 86400 - of_day)
        if _offset(cand, grid.tzid) == off:
            return cand
        # The offset changes in (u, cand]: no aligned instant before the change; find it.
        a, b = u, cand
        while b - a > 1:
            mid = (a + b) // 2
            if _offset(mid, grid.tzid) == off:
                a = mid
            else:
                b = mid
        u = b
    return u


def _sec(value: datetime) -> int:
    return int(value.timestamp())


def _to_intervals(spans: Iterable[Span]) -> list[Interval]:
    return [(datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC)) for s, e in spans]


def _spans(items: Iterable[Interval]) -> list[Span]:
    return intervals.normalize((_sec(s), _sec(e)) for s, e in items)


# -- one participant ---------------------------------------------------------------------------


def open_spans(p: Participant, lo: int, hi: int) -> list[Span]:
    """Where `p` could meet inside `[lo, hi)` ignoring busy time: schedules ∪ periods, ∩ within."""
    if p.hours is None:
        out: list[Span] = [(lo, hi)] if lo < hi else []
    else:
        parts = [s.spans(lo, hi) for s in p.hours]
        parts.append(intervals.clip(_spans(p.periods), lo, hi))
        out = intervals.union(*parts)
    if p.within is not None:
        out = intervals.intersect(out, _spans(p.within))
    return out


def free_spans(
    world: World, p: Participant, lo: int, hi: int, before: int = 0, after: int = 0
) -> list[Span]:
    """`p`'s free time inside `[lo, hi)`: open time minus busy time widened by the buffers (a
    busy `[s, e)` blocks `[s - after, e + before)`). Busy time is read from the time index over
    the window grown by the buffers, never by scanning the calendars."""
    opened = open_spans(p, lo, hi)
    if not opened:
        return []
    # busy [s, e) blocks [s - after, e + before): what starts before hi + after and ends
    # after lo - before can touch the open time
    read_lo, read_hi = opened[0][0] - before, opened[-1][1] + after
    busy = busy_spans(world, p.calendar_ids, read_lo, read_hi, p.tzid) if p.calendar_ids else []
    if p.busy:
        busy = intervals.union(busy, _spans(p.busy))
    return intervals.subtract(opened, intervals.widen(busy, after, before))


def free_time(
    world: World,
    p: Participant,
    lo: datetime,
    hi: datetime,
    before: timedelta = timedelta(0),
    after: timedelta = timedelta(0),
) -> list[Interval]:
    """`free_spans` as datetimes: the intervals inside `[lo, hi)` where `p` is free."""
    return _to_intervals(
        free_spans(
            world, p, _sec(lo), _sec(hi), int(before.total_seconds()), int(after.total_seconds())
        )
    )


# -- a query -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Prepared:
    """A query's free time, computed once: per distinct member its free spans; per group the
    indexes of its members."""

    ids: list[str]
    free: list[list[Span]]
    groups: list[tuple[list[int], int]]  # (member indexes, how many must be free)
    windows: list[Span]  # the merged query periods, from `earliest` on
    duration: int
    limit: int
    seen: dict[str, int] = field(default_factory=dict)


def _prepare(world: World, q: Query) -> _Prepared:
    duration = int(q.duration.total_seconds())
    if duration <= 0:
        raise ValueError("duration must be positive")
    windows = _spans(q.periods)
    if q.earliest is not None:
        windows = intervals.subtract(windows, [(-(2**62), _sec(q.earliest))])
    before, after = int(q.before.total_seconds()), int(q.after.total_seconds())
    limit = MAX_RESULTS if q.max_results is None else max(0, min(q.max_results, MAX_RESULTS))
    prep = _Prepared([], [], [], windows, duration, limit)
    lo = windows[0][0] if windows else 0
    hi = windows[-1][1] if windows else 0
    for g in q.groups:
        members: list[int] = []
        for p in g.members:
            idx = prep.seen.get(p.id)
            if idx is None:
                idx = prep.seen[p.id] = len(prep.ids)
                prep.ids.append(p.id)
                free = free_spans(world, p, lo, hi, before, after) if windows else []
                prep.free.append(intervals.intersect(free, windows))
            if idx not in members:
                members.append(idx)
        prep.groups.append((members, g.needed()))
    return prep


def _satisfied(prep: _Prepared, free: frozenset[int] | set[int]) -> bool:
    for members, needed in prep.groups:
        if needed > len(members):
            return False
        if sum(1 for m in members if m in free) < needed:
            return False
    return True


def _pieces(prep: _Prepared) -> list[tuple[int, int, frozenset[int]]]:
    """Where the query is satisfied: consecutive pieces with the set of free members."""
    if not prep.groups:
        return []
    return [piece for piece in intervals.coverage(prep.free) if _satisfied(prep, piece[2])]


def _stretches(pieces: list[tuple[int, int, frozenset[int]]]) -> list[Span]:
    return intervals.normalize((s, e) for s, e, _ in pieces)


def _names(prep: _Prepared, members: Iterable[int]) -> tuple[str, ...]:
    return tuple(prep.ids[i] for i in sorted(members))


def periods(world: World, q: Query, grid: Grid | None = None) -> list[Available]:
    """Maximal periods of at least `q.duration` when the query is satisfied and the set of free
    members does not change (where it changes, a new period begins: each period names exactly
    the members free throughout it), inside the query periods, from `earliest` on. With `grid`,
    a period's start moves up to the grid's alignment (its end stays). Earliest first, at most
    `q.max_results`."""
    prep = _prepare(world, q)
    out: list[Available] = []
    merged: list[tuple[int, int, frozenset[int]]] = []
    for s, e, members in _pieces(prep):
        if merged and merged[-1][1] == s and merged[-1][2] == members:
            merged[-1] = (merged[-1][0], e, members)
        else:
            merged.append((s, e, members))
    for s, e, members in merged:
        if len(out) >= prep.limit:
            break
        start = align_up(s, grid) if grid is not None else s
        if e - start >= prep.duration:
            out.append(_available(prep, start, e, members))
    return out


def slots(world: World, q: Query, grid: Grid) -> list[Available]:
    """Slots exactly `q.duration` long, starting where `grid` allows, lying in one stretch of
    available time, each naming every member free for the whole slot (with buffers). Earliest
    first, at most `q.max_results`."""
    prep = _prepare(world, q)
    return list(_grid_slots(prep, grid, prep.limit))


def _grid_slots(prep: _Prepared, grid: Grid, limit: int) -> Iterable[Available]:
    step = max(1, int(grid.step.total_seconds()))
    found = 0
    if limit <= 0:
        return
    for s, e in _stretches(_pieces(prep)):
        t = align_up(s, grid)
        while t + prep.duration <= e:
            members = _free_for(prep, t, t + prep.duration)
            if members is not None:
                yield _available(prep, t, t + prep.duration, members)
                found += 1
                if found >= limit:
                    return
                nxt = t + step if grid.overlapping else t + max(step, prep.duration)
            else:
                nxt = t + step
            t = align_up(nxt, grid)


def _free_for(prep: _Prepared, start: int, end: int) -> list[int] | None:
    """The members free for all of `[start, end)`, if they satisfy every group."""
    free = [i for i, spans in enumerate(prep.free) if intervals.contains(spans, start, end)]
    return free if _satisfied(prep, set(free)) else None


def _available(prep: _Prepared, start: int, end: int, members: Iterable[int]) -> Available:
    return Available(
        datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), _names(prep, members)
    )


def free_members(world: World, q: Query, start: datetime) -> tuple[str, ...] | None:
    """Whether `[start, start + q.duration)` is available for the query (inside one of its
    periods, not before `earliest`, every group satisfied, buffers kept): the free members'
    ids, or None. Reads only that interval (and its buffers) from the world: booking checks and
    Cronofy's `query_slots` use this."""
    lo, hi = _sec(start), _sec(start + q.duration)
    windows = _spans(q.periods)
    if q.earliest is not None and lo < _sec(q.earliest):
        return None
    if not intervals.contains(windows, lo, hi):
        return None
    narrowed = Query(q.groups, ((start, start + q.duration),), q.duration, q.before, q.after)
    prep = _prepare(world, narrowed)
    members = _free_for(prep, lo, hi)
    return None if members is None else _names(prep, members)


def sequences(world: World, steps: Sequence[Step], limit: int = 20) -> list[list[Available]]:
    """Chains of one slot per step, in step order: each step's slot starts between `min_gap` and
    `max_gap` after the previous one ends. Chains do not overlap one another: the next chain
    starts no earlier than the previous one ends. Earliest first, at most `limit` chains (and a
    bounded amount of search)."""
    if not steps:
        return []
    candidates: list[list[Available]] = []
    for st in steps:
        prep = _prepare(world, st.query)
        grid = Grid(st.grid.step, st.grid.align, st.grid.tzid, overlapping=True)
        candidates.append(list(_grid_slots(prep, grid, MAX_RESULTS)))
    starts = [[c.start for c in cands] for cands in candidates]
    budget = [MAX_SEQUENCE_WORK]
    out: list[list[Available]] = []
    floor: datetime | None = None
    for first in candidates[0]:
        if len(out) >= limit or budget[0] <= 0:
            break
        if floor is not None and first.start < floor:
            continue
        chain = _extend([first], steps, candidates, starts, budget)
        if chain is not None:
            out.append(chain)
            floor = chain[-1].end
    return out


def _extend(
    chain: list[Available],
    steps: Sequence[Step],
    candidates: list[list[Available]],
    starts: list[list[datetime]],
    budget: list[int],
) -> list[Available] | None:
    k = len(chain)
    if k == len(steps):
        return chain
    prev = chain[-1]
    lo = prev.end + steps[k].min_gap
    hi = prev.end + steps[k].max_gap if steps[k].max_gap is not None else None
    for i in range(bisect.bisect_left(starts[k], lo), len(candidates[k])):
        cand = candidates[k][i]
        if hi is not None and cand.start > hi:
            return None
        budget[0] -= 1
        if budget[0] <= 0:
            return None
        done = _extend([*chain, cand], steps, candidates, starts, budget)
        if done is not None:
            return done
    return None
