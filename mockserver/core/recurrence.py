"""Recurrence expansion with python-dateutil, evaluated in the event's own zone so that a weekly
10:00 meeting stays at 10:00 local across DST changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rruleset, rrulestr

from mockserver.core.timeutil import zone

MAX_INSTANCES = 5000  # bound on one expansion: a FREQ=MINUTELY rule cannot stall a request
# Occurrences one expansion may step through from the series start to reach its window
# (dateutil walks every one): a window further on than that (a daily series read 270 years
# after it began, a booking in the year 8999 checked against a daily stand-up) sees none of the
# series, rather than keeping the request busy for minutes.
MAX_SCAN = 100_000


def parse_rules(lines: tuple[str, ...] | list[str], start: datetime | date, tzid: str) -> rruleset:
    """Build the rule set; raises ValueError for a rule dateutil cannot read."""
    if isinstance(start, datetime):
        dtstart = start.astimezone(zone(tzid))
    else:
        dtstart = datetime(start.year, start.month, start.day)
    text = "\n".join(lines)
    try:
        rules = rrulestr(text, dtstart=dtstart, forceset=True, unfold=True)
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise ValueError(f"invalid recurrence: {exc}") from exc
    return rules  # type: ignore[return-value]


def validate(lines: list[str], start: datetime | date, tzid: str) -> None:
    rules = parse_rules(lines, start, tzid)
    try:
        next(iter(rules), None)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"invalid recurrence: {exc}") from exc


def occurrences(
    lines: tuple[str, ...],
    start: datetime | date,
    end: datetime | date,
    tzid: str,
    lo: datetime,
    hi: datetime,
) -> Iterator[tuple[datetime | date, datetime | date]]:
    """(start, end) of each instance overlapping [lo, hi), in start order, at most MAX_INSTANCES."""
    duration = _sub(end, start)
    rules = parse_rules(lines, start, tzid)
    timed = isinstance(start, datetime)
    try:
        if timed:
            after = (lo - duration).astimezone(zone(tzid))
            before = hi.astimezone(zone(tzid))
        else:  # naive dates; widen by a day each side, callers filter exactly
            after = (lo - duration - timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
            before = (hi + timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # a span of millennia runs off the calendar: start at the series start
        first = start.astimezone(zone(tzid)) if isinstance(start, datetime) else None
        after = first or datetime(start.year, start.month, start.day)
        before = (
            hi.astimezone(zone(tzid))
            if timed
            else (hi + timedelta(days=1)).astimezone(UTC).replace(tzinfo=None)
        )
    count = scanned = 0
    try:
        for occ in rules:
            scanned += 1
            if scanned > MAX_SCAN:
                return
            if occ >= before:
                break
            if occ < after:
                continue
            if timed:
                s: datetime | date = occ.astimezone(UTC)
                yield s, s + duration  # type: ignore[operator]
            else:
                d = occ.date()
                yield d, d + duration  # type: ignore[operator]
            count += 1
            if count >= MAX_INSTANCES:
                return
    except (ValueError, OverflowError):
        return


def _sub(end: datetime | date, start: datetime | date) -> timedelta:
    return end - start  # type: ignore[operator]
