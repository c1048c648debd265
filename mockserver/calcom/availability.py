"""A Cal.com host's availability for one event type, in the core engine's terms
(mockserver/core/availability.py): the schedule the type uses, busy time from the selected and
destination calendars, the host's bookings and the type's reservations, buffers, minimum notice,
the booking window and booking limits (docs/reference/scheduling.md §1, §3.2, §3.6). GET
/v2/slots and the booking checks both ask `HostAvailability`, so they cannot disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.core import availability as engine
from mockserver.core.busy import busy_blocks
from mockserver.core.timeutil import day_start, zone

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend
    from mockserver.calcom.store import Booking, CalcomStore, EventType, User

WEEKDAY = {
    name: i
    for i, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
}
# the step grid's alignment: the first of these that divides the slot frequency
INTERVALS = (60, 30, 20, 15, 10, 5)
LIVE = ("accepted", "pending", "awaiting_host")
# Minutes a setting may move a time by: the DTOs bound none of them, and past this (a century)
# every answer is the same; it keeps date arithmetic inside Python's range for any input.
MAX_SPAN = 100 * 366 * 24 * 60


def span(minutes: float) -> timedelta:
    """`timedelta(minutes=n)` of a client-given number, bounded by MAX_SPAN."""
    return timedelta(minutes=max(-MAX_SPAN, min(MAX_SPAN, minutes)))


def engine_schedule(
    tzid: str, rows: tuple[Any, ...], overrides: tuple[Any, ...]
) -> engine.Schedule:
    """Weekly rows and date overrides as the engine's Schedule: "23:59" as an end is midnight
    (S-E5); a row whose end is not after its start is ignored (the API does not refuse it)."""
    weekly = []
    for days, start, end in rows:
        lo = engine.clock_minutes(start)
        hi = engine.clock_minutes(end, end=True, midnight_2359=True)
        if lo < hi:
            weekly += [engine.WeeklyWindow(WEEKDAY[d], lo, hi) for d in days if d in WEEKDAY]
    dated = []
    for day, start, end in overrides:
        lo = engine.clock_minutes(start)
        hi = engine.clock_minutes(end, end=True, midnight_2359=True)
        dated.append(engine.DateOverride(date.fromisoformat(day), lo, max(lo, hi)))
    return engine.Schedule(tzid, tuple(weekly), tuple(dated))


def grid_interval(frequency: int) -> int:
    return next((n for n in INTERVALS if frequency % n == 0), 1)


@dataclass(frozen=True, slots=True)
class Ask:
    """One availability question about an event type."""

    et: EventType
    length: int  # minutes: `duration` or the type's length
    ignore_booking: str | None = None  # bookingUidToReschedule / the booking being rescheduled
    # reservations hide slots; a booking is checked against them separately (Slots.claim)
    reservations: bool = True


class HostAvailability:
    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def store(self) -> CalcomStore:
        return self.be.store

    # -- the pieces ----------------------------------------------------------------------

    def calendars(self, user: User) -> list[str]:
        """Busy times come from the selected calendars and the destination calendar."""
        found = [c for cred in self.store.credentials_of(user.id) for c in cred.selected]
        dest = self.store.destination(user, self.be.world)
        if dest is not None and dest.id not in found:
            found.append(dest.id)
        return found

    def _blocks(self, b: Booking, user: User) -> bool:
        if b.status == "accepted":
            return True
        et = self.store.event_types.get(b.event_type_id)
        return b.status == "pending" and et is not None and et.unconfirmed_blocks

    def _mine(self, b: Booking, user: User) -> bool:
        return b.user_id == user.id or any(
            a.email.lower() == user.email.lower() for a in b.attendees
        )

    def seat_counts(self, ask: Ask, lo: datetime, hi: datetime) -> dict[datetime, Booking]:
        """The seated bookings of this type in [lo, hi), by start."""
        return {
            b.start: b
            for b in self.store.bookings.values()
            if b.event_type_id == ask.et.id
            and b.status == "accepted"
            and lo <= b.start < hi
            and b.uid != ask.ignore_booking
        }

    def busy(self, ask: Ask, lo: datetime, hi: datetime) -> list[engine.Interval]:
        """Busy time of the host in [lo, hi) (already widened by each booking's own buffers;
        the engine adds the asked type's). The booking being rescheduled, and its calendar
        event, are not busy."""
        et, user = ask.et, self.store.users[ask.et.user_id]
        now = self.be.now()
        out: list[engine.Interval] = []
        seats = et.seats
        skipped = {ask.ignore_booking} if ask.ignore_booking else set()
        for b in self.store.bookings.values():
            if b.end <= lo - timedelta(days=1) or b.start >= hi + timedelta(days=1):
                continue
            if b.uid == ask.ignore_booking or not self._mine(b, user) or not self._blocks(b, user):
                continue
            if seats and b.event_type_id == et.id and len(b.attendees) < seats:
                skipped.add(b.uid)  # a seated booking with seats left does not block its slot
                continue
            other = self.store.event_types.get(b.event_type_id)
            before = span(other.before_buffer if other else 0)
            after = span(other.after_buffer if other else 0)
            out.append((b.start - before, b.end + after))
        # the calendar events of skipped bookings do not count either
        events = set()
        for uid in skipped:
            booking = self.store.bookings.get(uid)
            ev = self.be.bookings.google_event_of(booking) if booking else None
            if ev is not None:
                events.add(ev.uid)
        for s, e, ev in busy_blocks(self.be.world, self.calendars(user), lo, hi, user.time_zone):
            if ev.uid not in events:
                out.append((s, e))
        for r in self.store.reservations.values() if ask.reservations else ():
            if r.event_type_id == et.id and r.until > now and r.start < hi and r.end > lo:
                out.append((r.start, r.end))
        out += self.limit_blocks(ask, lo, hi)
        return out

    def limit_blocks(self, ask: Ask, lo: datetime, hi: datetime) -> list[engine.Interval]:
        """bookingLimitsCount / bookingLimitsDuration: a day (week, month, year) of the host's
        zone that has reached its limit is busy as a whole."""
        spec = ask.et.spec
        counts = spec.get("bookingLimitsCount") or {}
        durations = spec.get("bookingLimitsDuration") or {}
        if not counts and not durations:
            return []
        user = self.store.users[ask.et.user_id]
        tz = user.time_zone
        taken = [
            b
            for b in self.store.bookings.values()
            if b.event_type_id == ask.et.id and b.status in LIVE and b.uid != ask.ignore_booking
        ]
        out = []
        for unit in ("day", "week", "month", "year"):
            if unit not in counts and unit not in durations:
                continue
            day = (lo - timedelta(days=1)).astimezone(zone(tz)).date()
            last = hi.astimezone(zone(tz)).date()
            while day <= last:
                start, end = _period(day, unit, user.week_start)
                lo_i, hi_i = day_start(start, tz), day_start(end, tz)
                inside = [b for b in taken if lo_i <= b.start < hi_i]
                minutes = sum((b.end - b.start).total_seconds() / 60 for b in inside)
                if (unit in counts and len(inside) >= counts[unit]) or (
                    unit in durations and minutes + ask.length > durations[unit]
                ):
                    out.append((lo_i, hi_i))
                day = end
        return out

    def participant(self, ask: Ask, lo: datetime, hi: datetime) -> engine.Participant:
        et = ask.et
        tzid, rows, overrides = self.be.schedules.of_event_type(et)
        pad = span(et.before_buffer + et.after_buffer + ask.length) + timedelta(days=1)
        return engine.Participant(
            id=str(et.user_id),
            hours=(engine_schedule(tzid, rows, overrides),),
            busy=tuple(self.busy(ask, lo - pad, hi + pad)),
            tzid=self.store.users[et.user_id].time_zone,
        )

    def earliest(self, et: EventType) -> datetime:
        """now + minimum notice (at least a minute: the slot builder's `notice || 1`)."""
        return self.be.now() + span(max(et.minimum_notice, 1))

    def window_end(self, et: EventType) -> datetime | None:
        """The end of the booking window, or None. Rolling windows are treated as fixed ones
        (the next N days from today), in the host's zone."""
        window = et.booking_window
        if window is None:
            return None
        tz = self.store.users[et.user_id].time_zone
        today = self.be.now().astimezone(zone(tz)).date()
        kind, value = window.get("type"), window.get("value")
        if kind == "range":
            try:
                return day_start(date.fromisoformat(str(value[-1])[:10]) + timedelta(days=1), tz)
            except (ValueError, IndexError, TypeError):
                return None
        days = max(0, math.ceil(float(value or 0)))
        if kind == "businessDays":
            day, counted = today, 0
            while counted < days:
                if day.weekday() < 5:
                    counted += 1
                day += timedelta(days=1)
            return day_start(day, tz)
        return day_start(today + timedelta(days=days), tz)

    def window_start(self, et: EventType) -> datetime | None:
        window = et.booking_window
        if window is None or window.get("type") != "range":
            return None
        tz = self.store.users[et.user_id].time_zone
        try:
            return day_start(date.fromisoformat(str(window["value"][0])[:10]), tz)
        except (ValueError, IndexError, TypeError, KeyError):
            return None

    def query(self, ask: Ask, lo: datetime, hi: datetime) -> engine.Query | None:
        """The engine query for [lo, hi), clipped to the booking window (None: nothing left)."""
        et = ask.et
        end = self.window_end(et)
        start = self.window_start(et)
        if end is not None:
            hi = min(hi, end)
        if start is not None:
            lo = max(lo, start)
        if lo >= hi:
            return None
        return engine.Query(
            groups=(engine.Group((self.participant(ask, lo, hi),)),),
            periods=((lo, hi),),
            duration=span(ask.length),
            before=span(et.before_buffer),
            after=span(et.after_buffer),
            earliest=self.earliest(et),
        )

    # -- the questions -------------------------------------------------------------------

    def slots(
        self, ask: Ask, lo: datetime, hi: datetime, tzid: str, frequency: int
    ) -> list[datetime]:
        """Slot starts in [lo, hi): a grid of `frequency` minutes aligned in `tzid` to the
        first of 60/30/20/15/10/5 that divides it (S-E10)."""
        q = self.query(ask, lo, hi)
        if q is None:
            return []
        grid = engine.Grid(
            step=span(frequency),
            align=span(grid_interval(frequency)),
            tzid=tzid,
        )
        return [a.start for a in engine.slots(self.be.world, q, grid)]

    def free(self, ask: Ask, start: datetime) -> bool:
        """Whether a booking [start, start + length) fits the host's free time."""
        end = start + span(ask.length)
        q = self.query(ask, start, end)
        if q is None:
            return False
        q = engine.Query(q.groups, q.periods, q.duration, q.before, q.after, None)
        return engine.free_members(self.be.world, q, start) is not None

    def in_bounds(self, et: EventType, start: datetime) -> bool:
        """Minimum notice and the booking window (booking_time_out_of_bounds_error)."""
        if start < self.be.now() + span(et.minimum_notice):
            return False
        end, begin = self.window_end(et), self.window_start(et)
        return (end is None or start < end) and (begin is None or start >= begin)


def _period(day: date, unit: str, week_start: str) -> tuple[date, date]:
    """The [first, next) dates of the day / week / month / year containing `day`."""
    if unit == "day":
        return day, day + timedelta(days=1)
    if unit == "week":
        first = day - timedelta(days=(day.weekday() - WEEKDAY.get(week_start, 0)) % 7)
        return first, first + timedelta(days=7)
    if unit == "month":
        first = day.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt
    first = day.replace(month=1, day=1)
    return first, first.replace(year=first.year + 1)
