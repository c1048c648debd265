"""Time parsing and arithmetic shared by the dialects: instants are aware UTC datetimes, all-day
values are dates, and a date is placed on the time line in whichever zone the reader asks for."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_ZONE_SHIFT = timedelta(hours=14)  # the widest UTC offset in use; bounds all-day placement
# Years a parsed date or time may have: far enough inside datetime's 1..9999 that zone shifts,
# offsets and recurrence horizons never overflow (9999-12-31T23:00-05:00 has no UTC instant).
MIN_YEAR, MAX_YEAR = 1000, 8999

_ZERO = timedelta(0)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.(?P<frac>\d+))?)?"
    r"(?P<tz>Z|z|[+-]\d{2}:?\d{2})?$"
)


@lru_cache(maxsize=1024)
def zone(tzid: str) -> ZoneInfo:
    """The IANA zone for tzid; raises ValueError for anything that is not one."""
    if not isinstance(tzid, str) or not tzid or tzid.startswith(("/", ".")) or ".." in tzid:
        raise ValueError(f"unknown time zone {tzid!r}")
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {tzid!r}") from exc


def is_zone(tzid: object) -> bool:
    try:
        zone(tzid)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False
    return True


def parse_date(value: str) -> date:
    if not _DATE_RE.match(value):
        raise ValueError(f"not a date: {value!r}")
    return _in_range(date.fromisoformat(value), value)


def _in_range(d: date, value: str) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ValueError(f"year out of range {MIN_YEAR}-{MAX_YEAR}: {value!r}")
    return d


class TimeParts:
    """A parsed ISO 8601 time: which parts were present matters to some dialects."""

    __slots__ = ("naive", "offset", "fraction")

    def __init__(self, naive: datetime, offset: timedelta | None, fraction: str | None) -> None:
        self.naive = naive
        self.offset = offset
        self.fraction = fraction

    def aware(self, default_zone: str = "Etc/UTC") -> datetime:
        if self.offset is None:
            return self.naive.replace(tzinfo=zone(default_zone)).astimezone(UTC)
        return (self.naive - self.offset).replace(tzinfo=UTC)


def parse_time(value: str) -> TimeParts:
    """Parse `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH:MM]`; raises ValueError otherwise."""
    if type(value) is str and len(value) == 20 and value[19] == "Z" and value[10] == "T":
        # the common shape, `2026-01-05T10:00:00Z`: no regex (fromisoformat checks the rest)
        try:
            naive = datetime.fromisoformat(value[:19])
        except ValueError:
            naive = None
        if naive is not None and value[4] == value[7] == "-" and value[13] == value[16] == ":":
            _in_range(naive.date(), value)
            return TimeParts(naive, _ZERO, None)
    m = _TIME_RE.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"not a time: {value!r}")
    d = _in_range(date.fromisoformat(m["date"]), value)
    naive = datetime(d.year, d.month, d.day, int(m["h"]), int(m["m"]), int(m["s"] or 0))
    tz = m["tz"]
    offset: timedelta | None
    if tz is None:
        offset = None
    elif tz in ("Z", "z"):
        offset = timedelta(0)
    else:
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if tz[0] == "-":
            offset = -offset
        if abs(offset) > timedelta(hours=18):
            raise ValueError(f"bad offset in {value!r}")
    return TimeParts(naive, offset, m["frac"])


def format_utc(value: datetime) -> str:
    """Canonical `2014-08-05T14:30:00Z` (sub-seconds dropped). Runs four times per event in a
    Read Events page, so: plain isoformat() cut at the seconds, not the slower strftime."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat()[:19] + "Z"


def format_local(value: datetime, tzid: str) -> str:
    """`2014-09-13T23:00:00+02:00` in tzid."""
    return value.astimezone(zone(tzid)).isoformat(timespec="seconds")


def day_start(value: date, tzid: str) -> datetime:
    """Midnight at the start of a calendar date in tzid, as UTC."""
    return datetime(value.year, value.month, value.day, tzinfo=zone(tzid)).astimezone(UTC)


def instant(value: datetime | date, tzid: str = "Etc/UTC") -> datetime:
    """Place a start/end on the time line; a date becomes midnight in tzid."""
    if isinstance(value, datetime):
        return value
    return day_start(value, tzid)


def sort_key(value: datetime | date) -> float:
    """Index position: instants by their timestamp, dates at UTC midnight (off by < 14h)."""
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()


def span_seconds(start: datetime | date, end: datetime | date) -> float:
    return max(0.0, sort_key(end) - sort_key(start))


def truncate_seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def today(now: datetime, tzid: str) -> date:
    return now.astimezone(zone(tzid)).date()
