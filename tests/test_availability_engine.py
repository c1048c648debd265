"""The availability engine's rules (docs/reference/scheduling.md §1.9, S-E1..S-E14), one
worked example each; tests/test_availability_properties.py checks the same engine against a
brute-force reference on random worlds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mockserver.core import availability as av
from mockserver.core.busy import blocks_time, busy_intervals
from mockserver.core.models import Account, Calendar, Profile
from mockserver.core.world import World

MON = date(2050, 9, 5)  # a Monday (the cal.com e2e suite's week)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def world(*calendars: str) -> World:
    w = World()
    w.put_account(Account("acc_1", "a@example.com", "A"))
    w.put_profile(Profile("pro_1", "acc_1", "google", "google", "a@example.com"))
    for cal in calendars or ("cal_1",):
        w.put_calendar(Calendar(cal, "pro_1", cal))
    return w


def busy(w: World, start: datetime, end: datetime, cal: str = "cal_1", **fields) -> None:
    w.create_event(cal, summary="busy", start=start, end=end, **fields)


def nine_to_five(tzid: str = "Etc/UTC", days: range = range(5)) -> av.Schedule:
    return av.Schedule(tzid, tuple(av.WeeklyWindow(d, 9 * 60, 17 * 60) for d in days))


def query(*people: av.Participant, day: date = MON, minutes: int = 60, **kw) -> av.Query:
    period = ((at(day, 0), at(day + timedelta(days=1), 0)),)
    return av.Query((av.Group(people),), kw.pop("periods", period), minutes * M, **kw)


def hourly(tzid: str = "Etc/UTC") -> av.Grid:
    return av.Grid(H, H, tzid)


def starts(found: list[av.Available]) -> list[str]:
    return [a.start.strftime("%H:%M") for a in found]


@pytest.mark.rule("scheduling", "S-E1")
def test_rule_S_E1_only_opaque_live_undeclined_events_are_busy() -> None:
    w = world()
    busy(w, at(MON, 9), at(MON, 10))  # busy
    busy(w, at(MON, 10), at(MON, 11), transparency="transparent")  # free
    busy(w, at(MON, 11), at(MON, 12), status="cancelled")  # not there
    busy(w, at(MON, 12), at(MON, 13), status="tentative")  # blocks
    busy(w, at(MON, 13), at(MON, 14), participation_status="declined")  # the owner said no
    busy(w, at(MON, 14), at(MON, 15), deleted=True)  # gone
    got = busy_intervals(w, ["cal_1"], at(MON, 0), at(MON, 23))
    assert got == [(at(MON, 9), at(MON, 10)), (at(MON, 12), at(MON, 13))]
    assert [blocks_time(e) for e in sorted(w.events.values(), key=lambda e: e.start)] == [
        True,
        False,
        False,
        True,
        False,
        True,  # the predicate sees a tombstone as its last state; the index leaves it out
    ]
    p = av.Participant("a", ("cal_1",))
    assert starts(av.slots(w, query(p, periods=((at(MON, 9), at(MON, 15)),)), hourly())) == [
        "10:00",
        "11:00",
        "13:00",
        "14:00",
    ]


@pytest.mark.rule("scheduling", "S-E1")
def test_rule_S_E1_series_and_all_day_events_count() -> None:
    w = world()
    busy(w, at(MON, 10), at(MON, 11), recurrence=("RRULE:FREQ=DAILY;COUNT=3",))
    w.create_event(
        "cal_1", summary="off", start=MON + timedelta(days=1), end=MON + timedelta(days=2)
    )
    p = av.Participant("a", ("cal_1",), tzid="Europe/Rome")
    got = busy_intervals(w, ["cal_1"], at(MON, 0), at(MON, 0) + timedelta(days=3), "Europe/Rome")
    assert got == [
        (at(MON, 10), at(MON, 11)),
        # Tuesday's all-day event is the whole local day in Rome (22:00Z to 22:00Z), and it
        # swallows Tuesday's 10:00 instance
        (at(MON, 22), at(MON + timedelta(days=1), 22)),
        (at(MON + timedelta(days=2), 10), at(MON + timedelta(days=2), 11)),
    ]
    assert (
        av.free_members(w, query(p, day=MON + timedelta(days=1)), at(MON + timedelta(days=1), 15))
        is None
    )


@pytest.mark.rule("scheduling", "S-E2")
def test_rule_S_E2_intervals_are_half_open() -> None:
    w = world()
    busy(w, at(MON, 10), at(MON, 11))
    q = query(av.Participant("a", ("cal_1",)))
    assert av.free_members(w, q, at(MON, 9)) == ("a",)  # ends as the event starts
    assert av.free_members(w, q, at(MON, 11)) == ("a",)  # starts as it ends
    assert av.free_members(w, q, at(MON, 10, 59)) is None
    assert av.free_members(w, q, at(MON, 9, 1)) is None


@pytest.mark.rule("scheduling", "S-E3")
def test_rule_S_E3_weekly_hours_keep_wall_clock_time_across_dst() -> None:
    rome = nine_to_five("Europe/Rome")
    # cal.com e2e (expected-slots.ts): 09:00-17:00 Rome is 07:00-15:00Z in September ...
    assert rome.windows(at(MON, 0), at(MON, 23)) == [(at(MON, 7), at(MON, 15))]
    # ... and 08:00-16:00Z in winter; the week of the October change has both
    week = rome.windows(at(date(2026, 10, 23), 0), at(date(2026, 10, 27), 0))
    assert week == [
        (at(date(2026, 10, 23), 7), at(date(2026, 10, 23), 15)),  # Friday, summer time
        (at(date(2026, 10, 26), 8), at(date(2026, 10, 26), 16)),  # Monday, winter time
    ]


@pytest.mark.rule("scheduling", "S-E3")
def test_rule_S_E3_a_wall_time_in_the_spring_gap_moves_forward() -> None:
    # New York skips 02:00-03:00 on 2026-03-08: a 02:30-04:00 window opens at 03:30 EDT
    sch = av.Schedule("America/New_York", (av.WeeklyWindow(6, 150, 240),))
    got = sch.windows(at(date(2026, 3, 8), 0), at(date(2026, 3, 9), 0))
    assert got == [(at(date(2026, 3, 8), 7, 30), at(date(2026, 3, 8), 8))]
    # and the autumn's repeated 01:00-02:00 hour counts twice: 01:00-03:00 is three hours
    sch = av.Schedule("America/New_York", (av.WeeklyWindow(6, 60, 180),))
    got = sch.windows(at(date(2026, 11, 1), 0), at(date(2026, 11, 2), 0))
    assert got == [(at(date(2026, 11, 1), 5), at(date(2026, 11, 1), 8))]


@pytest.mark.rule("scheduling", "S-E4")
def test_rule_S_E4_date_overrides_replace_the_day() -> None:
    tue, wed, thu = (MON + timedelta(days=n) for n in (1, 2, 3))
    sch = av.Schedule(
        "Etc/UTC",
        nine_to_five().weekly,
        (
            av.DateOverride(tue, 10 * 60, 12 * 60),  # replaces 09-17
            av.DateOverride(wed, 0, 0),  # the day off
            av.DateOverride(thu, 8 * 60, 9 * 60),  # two overrides on one day both count
            av.DateOverride(thu, 18 * 60, 19 * 60),
        ),
    )
    got = sch.windows(at(MON, 0), at(MON + timedelta(days=4), 0))
    assert got == [
        (at(MON, 9), at(MON, 17)),
        (at(tue, 10), at(tue, 12)),
        (at(thu, 8), at(thu, 9)),
        (at(thu, 18), at(thu, 19)),
    ]


@pytest.mark.rule("scheduling", "S-E5")
def test_rule_S_E5_2359_means_the_end_of_the_day() -> None:
    assert av.clock_minutes("23:59", end=True, midnight_2359=True) == 1440
    assert av.clock_minutes("23:59", end=True) == 1439  # a dialect that does not say so
    assert av.clock_minutes("24:00", end=True) == 1440
    assert av.clock_minutes("09:30") == 570
    for bad in ("9:30", "24:00", "12:60", "", "09:30:00"):
        with pytest.raises(ValueError):
            av.clock_minutes(bad)
    sch = av.Schedule("Etc/UTC", (av.WeeklyWindow(0, 22 * 60, 1440), av.WeeklyWindow(1, 0, 60)))
    # Monday 22:00 to Tuesday 01:00 is one window
    assert sch.windows(at(MON, 0), at(MON, 0) + timedelta(days=2)) == [
        (at(MON, 22), at(MON + timedelta(days=1), 1))
    ]


@pytest.mark.rule("scheduling", "S-E6")
def test_rule_S_E6_overlapping_and_touching_windows_merge() -> None:
    sch = av.Schedule(
        "Etc/UTC",
        (av.WeeklyWindow(0, 9 * 60, 12 * 60), av.WeeklyWindow(0, 11 * 60, 13 * 60)),
    )
    p = av.Participant("a", hours=(sch,), periods=((at(MON, 13), at(MON, 14)),))
    w = world()
    assert av.periods(w, query(p)) == [av.Available(at(MON, 9), at(MON, 14), ("a",))]


@pytest.mark.rule("scheduling", "S-E7")
def test_rule_S_E7_free_time_is_windows_minus_busy() -> None:
    w = world()
    busy(w, at(MON, 10), at(MON, 11))
    busy(w, at(MON, 12), at(MON, 12, 15))
    p = av.Participant("a", ("cal_1",), hours=(nine_to_five(),))
    assert av.free_time(w, p, at(MON, 0), at(MON, 23)) == [
        (at(MON, 9), at(MON, 10)),
        (at(MON, 11), at(MON, 12)),
        (at(MON, 12, 15), at(MON, 17)),
    ]
    # explicit periods add to the hours; `within` restricts; `hours=()` is "periods only"
    extra = av.Participant("b", hours=(), periods=((at(MON, 18), at(MON, 19)),))
    assert av.free_time(w, extra, at(MON, 0), at(MON, 23)) == [(at(MON, 18), at(MON, 19))]
    narrowed = av.Participant("c", hours=(nine_to_five(),), within=((at(MON, 16), at(MON, 20)),))
    assert av.free_time(w, narrowed, at(MON, 0), at(MON, 23)) == [(at(MON, 16), at(MON, 17))]


@pytest.mark.rule("scheduling", "S-E8")
def test_rule_S_E8_buffers_widen_busy_time_not_windows() -> None:
    w = world()
    busy(w, at(MON, 12), at(MON, 13))
    p = av.Participant("a", ("cal_1",), hours=(nine_to_five(),))
    q = query(p, before=15 * M, after=10 * M)
    # a busy [12:00, 13:00) blocks [11:50, 13:15): a slot needs 15 free minutes before it and
    # 10 after it; the 09:00 slot keeps its place at the window's edge
    assert av.free_time(w, p, at(MON, 0), at(MON, 23), 15 * M, 10 * M) == [
        (at(MON, 9), at(MON, 11, 50)),
        (at(MON, 13, 15), at(MON, 17)),
    ]
    assert starts(av.slots(w, q, av.Grid(15 * M, 15 * M))) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "13:15",
        "13:30",
        "13:45",
        "14:00",
        "14:15",
        "14:30",
        "14:45",
        "15:00",
        "15:15",
        "15:30",
        "15:45",
        "16:00",
    ]
    # a booking's own buffers are the dialect's: it adds the widened interval as busy time
    booked = av.Participant("a", hours=(nine_to_five(),), busy=((at(MON, 9, 45), at(MON, 11, 10)),))
    assert starts(av.slots(w, query(booked, after=10 * M), hourly())) == [
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]


@pytest.mark.rule("scheduling", "S-E9")
def test_rule_S_E9_groups_all_or_n_and_every_free_member_named() -> None:
    w = world("cal_a", "cal_b", "cal_r1", "cal_r2", "cal_r3")
    a, b = av.Participant("a", ("cal_a",)), av.Participant("b", ("cal_b",))
    rooms = [av.Participant(f"r{i}", (f"cal_r{i}",)) for i in (1, 2, 3)]
    busy(w, at(MON, 10), at(MON, 11), "cal_b")
    busy(w, at(MON, 9), at(MON, 10), "cal_r1")
    busy(w, at(MON, 9), at(MON, 12), "cal_r2")
    busy(w, at(MON, 11), at(MON, 12), "cal_r3")
    busy(w, at(MON, 11), at(MON, 12), "cal_r1")
    q = av.Query(
        (av.Group((a, b)), av.Group(tuple(rooms), required=1)),
        ((at(MON, 9), at(MON, 13)),),
        H,
    )
    got = av.slots(w, q, hourly())
    assert [(starts([s])[0], s.participants) for s in got] == [
        ("09:00", ("a", "b", "r3")),  # 10:00 is out (b is busy); 11:00 needs a free room: none
        ("12:00", ("a", "b", "r1", "r2", "r3")),
    ]
    two_rooms = av.Query(q.groups[:1] + (av.Group(tuple(rooms), required=2),), q.periods, H)
    assert starts(av.slots(w, two_rooms, hourly())) == ["12:00"]
    # a period names exactly the members free throughout it
    assert [(p.start.hour, p.end.hour, p.participants) for p in av.periods(w, q)] == [
        (9, 10, ("a", "b", "r3")),
        (12, 13, ("a", "b", "r1", "r2", "r3")),
    ]


@pytest.mark.rule("scheduling", "S-E10")
def test_rule_S_E10_grid_starts_align_in_the_requested_zone() -> None:
    w = world()
    busy(w, at(MON, 12), at(MON, 12, 15))  # off-grid: the next hourly start is 13:00
    p = av.Participant("a", ("cal_1",), hours=(nine_to_five(),))
    assert starts(av.slots(w, query(p), hourly())) == [
        "09:00",
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
    # 45 minutes on a 15-minute alignment step 45: 09:00, 09:45, 10:30 ...
    q45 = query(p, minutes=45, periods=((at(MON, 9), at(MON, 12)),))
    assert starts(av.slots(w, q45, av.Grid(45 * M, 15 * M))) == ["09:00", "09:45", "10:30", "11:15"]
    # Asia/Kolkata is +05:30: hours on the local hour are :30 UTC
    kolkata = av.Participant("k", hours=(nine_to_five("Asia/Kolkata"),))
    assert starts(av.slots(w, query(kolkata), hourly("Asia/Kolkata"))) == [
        "03:30",
        "04:30",
        "05:30",
        "06:30",
        "07:30",
        "08:30",
        "09:30",
        "10:30",
    ]
    # the grid counts from local midnight, and starts again at every midnight
    late = av.Participant("n")
    night = query(
        late, minutes=15, periods=((at(MON, 23, 57), at(MON + timedelta(days=1), 0, 30)),)
    )
    assert starts(av.slots(w, night, av.Grid(7 * M, 7 * M))) == ["00:00", "00:07", "00:14"]
    # a slot may end exactly at the stretch's end; one that would not fit is not offered
    short = query(p, periods=((at(MON, 9), at(MON, 10, 59)),))
    assert starts(av.slots(w, short, hourly())) == ["09:00"]
    # non-overlapping: the next slot starts at or after the previous one's end
    every15 = av.Grid(15 * M, 15 * M, overlapping=False)
    assert starts(av.slots(w, query(p, periods=((at(MON, 9), at(MON, 11)),)), every15)) == [
        "09:00",
        "10:00",
    ]
    overlapping = av.Grid(15 * M, 15 * M)
    assert starts(av.slots(w, query(p, periods=((at(MON, 9), at(MON, 10, 30)),)), overlapping)) == [
        "09:00",
        "09:15",
        "09:30",
    ]


@pytest.mark.rule("scheduling", "S-E11")
def test_rule_S_E11_periods_are_maximal_and_long_enough() -> None:
    w = world()
    busy(w, at(MON, 10), at(MON, 10, 30))
    busy(w, at(MON, 11), at(MON, 14))
    p = av.Participant("a", ("cal_1",), hours=(nine_to_five(),))
    got = av.periods(w, query(p))
    # 10:30-11:00 is shorter than the hour asked for
    assert [(x.start, x.end) for x in got] == [
        (at(MON, 9), at(MON, 10)),
        (at(MON, 14), at(MON, 17)),
    ]
    # clipped to the query periods; touching query periods are one
    q = query(p, periods=((at(MON, 14, 30), at(MON, 15, 30)), (at(MON, 15, 30), at(MON, 16))))
    assert [(x.start, x.end) for x in av.periods(w, q)] == [(at(MON, 14, 30), at(MON, 16))]
    # with a grid, a period starts on it
    q = query(p, periods=((at(MON, 14, 10), at(MON, 16)),))
    assert [x.start for x in av.periods(w, q, av.Grid(30 * M, 30 * M))] == [at(MON, 14, 30)]
    # at most max_results, the earliest
    assert len(av.periods(w, query(p, max_results=1))) == 1


@pytest.mark.rule("scheduling", "S-E12")
def test_rule_S_E12_nothing_starts_before_the_minimum_notice() -> None:
    w = world()
    p = av.Participant("a", hours=(nine_to_five(),))
    now = at(MON, 10, 20)
    q = query(p, earliest=now + 120 * M)
    assert starts(av.slots(w, q, hourly())) == ["13:00", "14:00", "15:00", "16:00"]
    assert av.periods(w, q)[0].start == at(MON, 12, 20)
    assert av.free_members(w, q, at(MON, 12)) is None
    assert av.free_members(w, q, at(MON, 12, 20)) == ("a",)


@pytest.mark.rule("scheduling", "S-E13")
def test_rule_S_E13_held_time_hides_slots_until_released() -> None:
    w = world()
    held = ((at(MON, 10), at(MON, 11)),)  # a reservation the dialect still honours
    p = av.Participant("a", hours=(nine_to_five(),), busy=held)
    assert "10:00" not in starts(av.slots(w, query(p), hourly()))
    released = av.Participant("a", hours=(nine_to_five(),))
    assert "10:00" in starts(av.slots(w, query(released), hourly()))


@pytest.mark.rule("scheduling", "S-E14")
def test_rule_S_E14_answers_are_utc_instants() -> None:
    w = world()
    p = av.Participant("a", hours=(nine_to_five("Asia/Kolkata"),))
    found = av.slots(w, query(p), hourly("Asia/Kolkata")) + av.periods(w, query(p))
    assert found and all(a.start.tzinfo is UTC and a.end.tzinfo is UTC for a in found)


def test_sequences_chain_steps_in_order_without_overlap() -> None:
    w = world("cal_a", "cal_b")
    a, b = av.Participant("a", ("cal_a",)), av.Participant("b", ("cal_b",))
    busy(w, at(MON, 9), at(MON, 10), "cal_b")
    period = ((at(MON, 9), at(MON, 13)),)
    steps = [
        av.Step("first", av.Query((av.Group((a,)),), period, H), hourly()),
        av.Step("second", av.Query((av.Group((b,)),), period, H), hourly(), max_gap=timedelta(0)),
    ]
    chains = av.sequences(w, steps)
    assert [[(s.start.hour, s.participants) for s in c] for c in chains] == [
        [(9, ("a",)), (10, ("b",))],
        [(11, ("a",)), (12, ("b",))],
    ]
    # a gap that cannot be met gives nothing
    steps[1] = av.Step("second", steps[1].query, hourly(), min_gap=5 * H)
    assert av.sequences(w, steps) == []


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError):
        av.WeeklyWindow(7, 0, 60)
    with pytest.raises(ValueError):
        av.WeeklyWindow(0, 60, 60)
    with pytest.raises(ValueError):
        av.DateOverride(MON, 61, 60)
    with pytest.raises(ValueError):
        av.periods(world(), query(av.Participant("a"), minutes=0))
