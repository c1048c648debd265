"""Property tests: the availability engine (mockserver/core/availability.py) against the
brute-force minute-grid reference (tests/availability_reference.py), on random worlds whose
participants live in zones with DST changes (whole-hour, half-hour and midnight changes) and
half- or three-quarter-hour offsets, queried over days that contain those changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.core import availability as av
from mockserver.core.models import Account, Calendar, Event, Profile
from mockserver.core.world import World
from tests.availability_reference import Reference, day_minute
from tests.availability_reference import to_utc as ref_to_utc

ZONES = (
    "Europe/London",
    "Europe/Rome",
    "America/New_York",
    "America/St_Johns",  # -03:30 / -02:30
    "America/Santiago",  # changes at local midnight
    "Australia/Lord_Howe",  # a half-hour DST change
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # +05:30, no DST
    "Etc/UTC",
)
# The days of 2026 on which each zone changes its offset (and an ordinary day for all).
CHANGES = {
    "Europe/London": (date(2026, 3, 29), date(2026, 10, 25)),
    "Europe/Rome": (date(2026, 3, 29), date(2026, 10, 25)),
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "America/St_Johns": (date(2026, 3, 8), date(2026, 11, 1)),
    "America/Santiago": (date(2026, 4, 5), date(2026, 9, 6)),  # at local midnight
    "Australia/Lord_Howe": (date(2026, 4, 5), date(2026, 10, 4)),  # by half an hour
    "Pacific/Chatham": (date(2026, 4, 5), date(2026, 9, 27)),
    "Asia/Kolkata": (),
    "Etc/UTC": (),
}
ORDINARY = date(2026, 6, 16)
DAYS = tuple(sorted({d for days in CHANGES.values() for d in days} | {ORDINARY}))
SPAN_DAYS = 4  # the grid: from the day before the chosen day, four days long
NIGHT = (0, 30, 60, 90, 120, 150, 180, 210, 1410, 1439)  # minutes where changes happen
STATUSES = ("confirmed", "confirmed", "tentative", "cancelled")
TRANSPARENCY = ("opaque", "opaque", "opaque", "transparent")
PARTICIPATION = ("accepted", "needs_action", "declined", "tentative")


def minutes(lo: int = 0, hi: int = 1440) -> st.SearchStrategy[int]:
    """Minutes of the day, often at the times of night when zones change their offsets."""
    night = [m for m in NIGHT if lo <= m <= hi]
    if not night:
        return st.integers(lo, hi)
    return st.one_of(st.sampled_from(night), st.integers(lo, hi))


def zone_near(home: str) -> st.SearchStrategy[str]:
    """Mostly the scenario's home zone (whose offset changes in the window), sometimes any."""
    return st.one_of(st.just(home), st.just(home), st.sampled_from(ZONES))


@st.composite
def schedule(draw: st.DrawFn, first: date, home: str) -> av.Schedule:
    tzid = draw(zone_near(home))
    weekly = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(minutes(0, 1439))
        end = draw(minutes(start + 1, 1440))
        weekly.append(av.WeeklyWindow(draw(st.integers(0, 6)), start, end))
    overrides = []
    for _ in range(draw(st.integers(0, 3))):
        day = first + timedelta(days=draw(st.integers(-1, SPAN_DAYS)))
        start = draw(minutes(0, 1440))
        end = draw(st.one_of(st.just(start), minutes(start, 1440)))
        overrides.append(av.DateOverride(day, start, end))
    return av.Schedule(tzid, tuple(weekly), tuple(overrides))


@st.composite
def spans(draw: st.DrawFn, lo: int, hi: int, most: int) -> tuple[av.Interval, ...]:
    out = []
    for _ in range(draw(st.integers(0, most))):
        a = draw(st.integers(lo, hi - 1))
        b = draw(st.integers(a + 1, min(hi, a + 2000)))
        out.append((_at(a), _at(b)))
    return tuple(out)


def _at(minute: int) -> datetime:
    """The instant `minute` whole minutes after the epoch."""
    return datetime.fromtimestamp(minute * 60, UTC)


@st.composite
def scenario(draw: st.DrawFn) -> dict:
    home = draw(st.sampled_from(ZONES))
    first = draw(st.sampled_from((*CHANGES[home], ORDINARY))) - timedelta(days=1)
    lo = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()) // 60
    hi = lo + SPAN_DAYS * 1440
    inner_lo, inner_hi = lo + 120, hi - 120  # query periods stay clear of the grid's edges
    people = []
    events = []
    for i in range(draw(st.integers(1, 4))):
        tzid = draw(zone_near(home))
        kind = draw(st.sampled_from(("always", "always", "hours", "hours", "periods")))
        hours = None
        periods: tuple[av.Interval, ...] = ()
        if kind == "hours":
            hours = tuple(draw(schedule(first, home)) for _ in range(draw(st.integers(1, 2))))
            periods = draw(spans(lo, hi, 1))
        elif kind == "periods":
            hours = ()
            periods = draw(spans(lo, hi, 3))
        within = draw(st.one_of(st.none(), st.none(), st.none(), spans(lo, hi, 2)))
        busy = draw(spans(lo, hi, 1))
        cals = (f"cal_{i}_a", f"cal_{i}_b")
        counted = cals if draw(st.booleans()) else cals[:1]
        people.append(
            {
                "participant": av.Participant(
                    f"p{i}", counted, hours, periods, within, busy, tzid=tzid
                ),
                "calendars": cals,
            }
        )
        for _ in range(draw(st.integers(0, 8))):
            cal = draw(st.sampled_from(cals))
            all_day = draw(st.integers(0, 9)) == 0
            recurrence: tuple[str, ...] = ()
            if draw(st.integers(0, 5)) == 0:
                freq = draw(st.sampled_from(("DAILY", "WEEKLY")))
                recurrence = (f"RRULE:FREQ={freq};COUNT={draw(st.integers(1, 4))}",)
            common = {
                "status": draw(st.sampled_from(STATUSES)),
                "transparency": draw(st.sampled_from(TRANSPARENCY)),
                "participation_status": draw(st.sampled_from(PARTICIPATION)),
                "recurrence": recurrence,
                "deleted": draw(st.integers(0, 9)) == 0,
            }
            if all_day:
                day = first + timedelta(days=draw(st.integers(0, SPAN_DAYS - 1)))
                events.append(
                    (cal, day, day + timedelta(days=draw(st.integers(1, 2))), "Etc/UTC", common)
                )
            else:
                start = draw(st.integers(lo, hi - 1))
                length = draw(st.integers(1, 300))
                ev_tz = draw(zone_near(home))
                events.append((cal, _at(start), _at(start + length), ev_tz, common))
    groups = []
    ids = list(range(len(people)))
    for _ in range(draw(st.integers(1, 2))):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        required = draw(st.one_of(st.none(), st.integers(1, len(chosen))))
        groups.append(av.Group(tuple(people[j]["participant"] for j in chosen), required))
    query = av.Query(
        tuple(groups),
        draw(spans(inner_lo, inner_hi, 3)) or ((_at(inner_lo + 300), _at(inner_lo + 3000)),),
        timedelta(minutes=draw(st.sampled_from((1, 15, 30, 45, 60, 90, 120)))),
        before=timedelta(minutes=draw(st.sampled_from((0, 0, 5, 15, 30, 60)))),
        after=timedelta(minutes=draw(st.sampled_from((0, 0, 10, 15, 45)))),
        earliest=draw(st.one_of(st.none(), st.integers(lo, hi).map(_at))),
        max_results=draw(st.one_of(st.none(), st.none(), st.none(), st.integers(0, 6))),
    )
    grid = av.Grid(
        timedelta(minutes=draw(st.sampled_from((5, 7, 15, 30, 45, 60, 90)))),
        draw(
            st.one_of(
                st.none(),
                st.sampled_from((5, 7, 10, 15, 20, 30, 45, 60)).map(lambda m: timedelta(minutes=m)),
            )
        ),
        draw(zone_near(home)),
        overlapping=draw(st.booleans()),
    )
    return {"lo": lo, "hi": hi, "people": people, "events": events, "query": query, "grid": grid}


def build(sc: dict) -> tuple[World, list[Event]]:
    world = World()
    for i, person in enumerate(sc["people"]):
        world.put_account(Account(f"acc_{i}", f"p{i}@example.com", f"P{i}"))
        world.put_profile(Profile(f"pro_{i}", f"acc_{i}", "google", "google", f"p{i}@example.com"))
        for cal in person["calendars"]:
            world.put_calendar(Calendar(cal, f"pro_{i}", cal))
    for cal, start, end, tzid, common in sc["events"]:
        world.create_event(cal, summary="e", start=start, end=end, tzid=tzid, **common)
    return world, list(world.events.values())


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.rule("scheduling", "S-E9")
@SETTINGS
@given(scenario())
def test_rule_S_E9_periods_match_the_minute_grid(sc: dict) -> None:
    world, events = build(sc)
    ref = Reference(events, sc["query"], sc["lo"] * 60, sc["hi"] * 60)
    assert av.periods(world, sc["query"]) == ref.periods(None)


@pytest.mark.rule("scheduling", "S-E11")
@SETTINGS
@given(scenario())
def test_rule_S_E11_aligned_periods_match_the_minute_grid(sc: dict) -> None:
    world, events = build(sc)
    ref = Reference(events, sc["query"], sc["lo"] * 60, sc["hi"] * 60)
    assert av.periods(world, sc["query"], sc["grid"]) == ref.periods(sc["grid"])


@pytest.mark.rule("scheduling", "S-E10")
@SETTINGS
@given(scenario())
def test_rule_S_E10_slots_match_the_minute_grid(sc: dict) -> None:
    world, events = build(sc)
    ref = Reference(events, sc["query"], sc["lo"] * 60, sc["hi"] * 60)
    assert av.slots(world, sc["query"], sc["grid"]) == ref.slots(sc["grid"])


@pytest.mark.rule("scheduling", "S-E7")
@SETTINGS
@given(scenario(), st.lists(st.integers(0, SPAN_DAYS * 1440 - 1), min_size=1, max_size=8))
def test_rule_S_E7_free_members_match_the_minute_grid(sc: dict, offsets: list[int]) -> None:
    world, events = build(sc)
    ref = Reference(events, sc["query"], sc["lo"] * 60, sc["hi"] * 60)
    for off in offsets:
        start = _at(sc["lo"] + off)
        assert av.free_members(world, sc["query"], start) == ref.free_members(start), start


@pytest.mark.rule("scheduling", "S-E3")
@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ZONES), st.data())
def test_rule_S_E3_schedule_windows_match_wall_clock_placement(
    home: str, data: st.DataObject
) -> None:
    first = data.draw(st.sampled_from((*CHANGES[home], ORDINARY))) - timedelta(days=1)
    sch = data.draw(schedule(first, home))
    lo = datetime(first.year, first.month, first.day, tzinfo=UTC)
    hi = lo + timedelta(days=SPAN_DAYS)
    got = sch.windows(lo, hi)
    ref = Reference(
        [],
        av.Query((), ((lo, hi),), timedelta(minutes=1)),
        int(lo.timestamp()),
        int(hi.timestamp()),
    )
    mask = ref._open(av.Participant("x", hours=(sch,)))
    expected = []
    m = 0
    while m < len(mask):
        if mask[m]:
            end = m
            while end < len(mask) and mask[end]:
                end += 1
            expected.append((lo + timedelta(minutes=m), lo + timedelta(minutes=end)))
            m = end
        else:
            m += 1
    assert got == expected


@pytest.mark.rule("scheduling", "S-E3")
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.data())
def test_rule_S_E3_wall_times_are_placed_like_the_reference(tzid: str, data: st.DataObject) -> None:
    day = data.draw(st.sampled_from((*CHANGES[tzid], ORDINARY)))
    minute = data.draw(minutes())
    tz = ZoneInfo(tzid)
    assert av.local_instant(day, minute, tz) == day_minute(day, minute, tz)
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    assert ref_to_utc(naive, tz) == av.local_instant(day, minute, tz)
