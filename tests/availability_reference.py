"""A brute-force reference for the availability engine: everything on a grid of whole UTC
minutes, one byte per minute, with no interval arithmetic, no time index and no zoneinfo
localisation of wall times (a wall time is placed by trying the UTC offsets seen a day either
side of it). Slow and obviously right; the property tests compare the engine with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from mockserver.core import availability as av
from mockserver.core.models import Event


def wall(u: int, tz: ZoneInfo) -> datetime:
    """The naive local wall time of epoch second `u`."""
    return datetime.fromtimestamp(u, UTC).astimezone(tz).replace(tzinfo=None)


def offset_at(u: int, tz: ZoneInfo) -> int:
    return int(datetime.fromtimestamp(u, UTC).astimezone(tz).utcoffset().total_seconds())


def to_utc(local: datetime, tz: ZoneInfo) -> int:
    """Epoch seconds of naive wall time `local` in `tz`: the earliest instant showing that wall
    time; in a gap (no instant shows it), the wall time read with the offset in force before
    the gap."""
    as_utc = int(local.replace(tzinfo=UTC).timestamp())
    before = offset_at(as_utc - 86400, tz)
    after = offset_at(as_utc + 86400, tz)
    matches = [as_utc - o for o in {before, after} if wall(as_utc - o, tz) == local]
    if matches:
        return min(matches)
    return as_utc - before


def day_minute(day: date, minutes: int, tz: ZoneInfo) -> int:
    """Epoch seconds of `minutes` after local midnight of `day` (1440: the next midnight)."""
    base = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    return to_utc(base, tz)


@dataclass
class Grid:
    """Minute `i` of the grid is `[lo + 60 i, lo + 60 (i + 1))`."""

    lo: int  # epoch seconds, a whole minute
    n: int

    def index(self, t: int) -> int:
        return (t - self.lo) // 60

    def mark(self, mask: bytearray, start: int, end: int, value: int = 1) -> None:
        a = max(0, self.index(start))
        b = min(self.n, -(-(end - self.lo) // 60))
        for i in range(a, b):
            mask[i] = value


def blocks(ev: Event) -> bool:
    return (
        not ev.deleted
        and ev.status != "cancelled"
        and ev.transparency == "opaque"
        and ev.participation_status != "declined"
    )


def occurrences(ev: Event, tzid: str) -> list[tuple[int, int]]:
    """(start, end) epoch seconds of each instance; all-day dates placed in `tzid`."""
    if ev.all_day:
        tz = ZoneInfo(tzid)
        days = [ev.start]
        if ev.recurrence:
            rule = rrulestr(
                "\n".join(ev.recurrence), dtstart=datetime.combine(ev.start, datetime.min.time())
            )
            days = [d.date() for d in rule]
        length = (ev.end - ev.start).days
        return [(day_minute(d, 0, tz), day_minute(d + timedelta(days=length), 0, tz)) for d in days]
    start = int(ev.start.timestamp())
    length = int(ev.end.timestamp()) - start
    if not ev.recurrence:
        return [(start, start + length)]
    tz = ZoneInfo(ev.tzid)
    local = wall(start, tz)
    rule = rrulestr("\n".join(ev.recurrence), dtstart=local)
    return [(to_utc(s, tz), to_utc(s, tz) + length) for s in rule]


class Reference:
    """The engine's answers for one query, minute by minute."""

    def __init__(self, events: list[Event], q: av.Query, lo: int, hi: int) -> None:
        self.grid = Grid(lo, (hi - lo) // 60)
        self.q = q
        n = self.grid.n
        self.window = bytearray(n)
        for s, e in q.periods:
            self.grid.mark(self.window, int(s.timestamp()), int(e.timestamp()))
        if q.earliest is not None:
            self.grid.mark(self.window, lo, int(q.earliest.timestamp()), 0)
        self.ids: list[str] = []
        self.free: list[bytearray] = []
        self.groups: list[tuple[list[int], int]] = []
        before = int(q.before.total_seconds()) // 60
        after = int(q.after.total_seconds()) // 60
        for g in q.groups:
            members = []
            for p in g.members:
                if p.id not in self.ids:
                    self.ids.append(p.id)
                    self.free.append(self._free(p, events, before, after))
                idx = self.ids.index(p.id)
                if idx not in members:
                    members.append(idx)
            self.groups.append((members, len(g.members) if g.required is None else g.required))
        self.duration = int(q.duration.total_seconds()) // 60

    def _open(self, p: av.Participant) -> bytearray:
        n = self.grid.n
        if p.hours is None:
            mask = bytearray([1]) * n
        else:
            mask = bytearray(n)
            for sch in p.hours:
                tz = ZoneInfo(sch.tzid)
                first = wall(self.grid.lo, tz).date() - timedelta(days=2)
                last = wall(self.grid.lo + 60 * n, tz).date() + timedelta(days=2)
                day = first
                while day <= last:
                    rows = [(o.start, o.end) for o in sch.overrides if o.day == day]
                    if not any(o.day == day for o in sch.overrides):
                        rows = [(w.start, w.end) for w in sch.weekly if w.weekday == day.weekday()]
                    for start, end in rows:
                        if start < end:
                            self.grid.mark(
                                mask, day_minute(day, start, tz), day_minute(day, end, tz)
                            )
                    day += timedelta(days=1)
            for s, e in p.periods:
                self.grid.mark(mask, int(s.timestamp()), int(e.timestamp()))
        if p.within is not None:
            keep = bytearray(n)
            for s, e in p.within:
                self.grid.mark(keep, int(s.timestamp()), int(e.timestamp()))
            mask = bytearray(a & b for a, b in zip(mask, keep, strict=True))
        return mask

    def _free(self, p: av.Participant, events: list[Event], before: int, after: int) -> bytearray:
        n = self.grid.n
        busy = bytearray(n)
        for ev in events:
            if ev.calendar_id in p.calendar_ids and blocks(ev):
                for s, e in occurrences(ev, p.tzid):
                    self.grid.mark(busy, s, e)
        for s, e in p.busy:
            self.grid.mark(busy, int(s.timestamp()), int(e.timestamp()))
        opened = self._open(p)
        seen = [0] * (n + 1)  # seen[i]: busy minutes before minute i
        for i in range(n):
            seen[i + 1] = seen[i] + busy[i]
        free = bytearray(n)
        for m in range(n):
            # free at minute m: open, and no busy minute in [m - before, m + after]
            a, b = max(0, m - before), min(n - 1, m + after)
            if opened[m] and seen[b + 1] == seen[a]:
                free[m] = 1
        return free

    # -- answers ---------------------------------------------------------------------------

    def _members(self, m: int) -> frozenset[int]:
        return frozenset(i for i, f in enumerate(self.free) if f[m])

    def _ok(self, members: frozenset[int] | set[int]) -> bool:
        return all(
            needed <= len(ms) and sum(1 for x in ms if x in members) >= needed
            for ms, needed in self.groups
        ) and bool(self.groups)

    def _at(self, m: int) -> bool:
        return bool(self.window[m]) and self._ok(self._members(m))

    def _time(self, m: int) -> datetime:
        return datetime.fromtimestamp(self.grid.lo + 60 * m, UTC)

    def _aligned(self, m: int, grid: av.Grid) -> bool:
        if grid.align is None:
            return True
        step = int(grid.align.total_seconds()) // 60
        local = wall(self.grid.lo + 60 * m, ZoneInfo(grid.tzid))
        return (local.hour * 60 + local.minute) % step == 0

    def _next_aligned(self, m: int, grid: av.Grid, limit: int) -> int:
        while m < limit and not self._aligned(m, grid):
            m += 1
        return m

    def _names(self, members: set[int] | frozenset[int]) -> tuple[str, ...]:
        return tuple(self.ids[i] for i in sorted(members))

    def _limit(self) -> int:
        return 10**9 if self.q.max_results is None else self.q.max_results

    def periods(self, grid: av.Grid | None) -> list[av.Available]:
        out = []
        m, n = 0, self.grid.n
        while m < n:
            if not self._at(m):
                m += 1
                continue
            members = self._members(m)
            end = m
            while end < n and self._at(end) and self._members(end) == members:
                end += 1
            start = self._next_aligned(m, grid, end + 10**6) if grid is not None else m
            if end - start >= self.duration:
                out.append(av.Available(self._time(start), self._time(end), self._names(members)))
            m = end
        return out[: self._limit()]

    def slots(self, grid: av.Grid) -> list[av.Available]:
        out = []
        step = int(grid.step.total_seconds()) // 60
        m, n = 0, self.grid.n
        while m < n:
            if not self._at(m):
                m += 1
                continue
            end = m
            while end < n and self._at(end):
                end += 1
            t = self._next_aligned(m, grid, n + 10**6)
            while t + self.duration <= end:
                members = {i for i, f in enumerate(self.free) if all(f[t : t + self.duration])}
                if self._ok(members):
                    out.append(
                        av.Available(
                            self._time(t), self._time(t + self.duration), self._names(members)
                        )
                    )
                    nxt = t + step if grid.overlapping else t + max(step, self.duration)
                else:
                    nxt = t + step
                t = self._next_aligned(nxt, grid, n + 10**6)
            m = end
        return out[: self._limit()]

    def free_members(self, start: datetime) -> tuple[str, ...] | None:
        t = self.grid.index(int(start.timestamp()))
        if t < 0 or t + self.duration > self.grid.n:
            return None
        if not all(self.window[t : t + self.duration]):
            return None
        members = {i for i, f in enumerate(self.free) if all(f[t : t + self.duration])}
        return self._names(members) if self._ok(members) else None
