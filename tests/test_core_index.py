"""The time index against a brute-force reading of its rule.

An occurrence is in a window when `start < to` and `end >= from`, with all-day dates placed at
midnight in the window's tzid. For random worlds (timed and all-day events in many zones, some
recurring, some deleted, some managed by an app) and random windows:
  * World.count(sources) == len(list(World.scan(sources))) == the brute-force filter;
  * scan yields (start key, uid) in strictly increasing order;
  * scanning with `after=` any key resumes exactly after it;
  * all of that still holds after updates (moves, shrinking, kind changes) and deletes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.core.clock import Clock
from mockserver.core.index import SERIES_HORIZON, Window, instance_uid
from mockserver.core.models import Account, Calendar, Event, Profile
from mockserver.core.timeutil import sort_key
from mockserver.core.world import World

ZONES = [
    "Etc/UTC",
    "Europe/London",
    "America/New_York",
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
    "Etc/GMT+12",  # -12
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # half-hour DST
    "America/Santiago",
]
CALENDARS = ["cal_a", "cal_b", "cal_c"]
APPS = [None, "app_1", "app_2"]
BASE = datetime(2026, 3, 20, tzinfo=UTC)  # spans the March/April DST changes both hemispheres
SPAN_MINUTES = 60 * 24 * 20
NUDGES = [timedelta(seconds=s) for s in (-1, 0, 1)] + [
    timedelta(hours=h) for h in (-14, -13, -12, -1, 1, 12, 13, 14)
]

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def new_world() -> World:
    clock = Clock()
    clock.freeze(datetime(2026, 3, 1, 12, tzinfo=UTC))
    world = World(clock)
    world.put_account(Account("acc_1", "a@example.com", "A"))
    world.put_profile(Profile("pro_1", "acc_1", "google", "google", "a@example.com"))
    for cal in CALENDARS:
        world.put_calendar(Calendar(cal, "pro_1", cal))
    return world


# -- strategies --------------------------------------------------------------------------------

offsets = st.integers(-SPAN_MINUTES, SPAN_MINUTES)


@st.composite
def event_shapes(draw: st.DrawFn) -> dict[str, Any]:
    """The fields of an event that decide where it sits in time."""
    tzid = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        start: datetime | date = BASE + timedelta(minutes=draw(offsets))
        end: datetime | date = start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 3)))
        until = "UNTIL=20260501T000000Z"
    else:
        start = (BASE + timedelta(minutes=draw(offsets))).date()
        end = start + timedelta(days=draw(st.integers(0, 4)))
        until = "UNTIL=20260501"
    rules: tuple[str, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        rule = draw(
            st.sampled_from(
                [
                    "RRULE:FREQ=DAILY;COUNT={n}",
                    "RRULE:FREQ=WEEKLY;COUNT={n};BYDAY=MO,WE,SA",
                    "RRULE:FREQ=DAILY;INTERVAL=3;COUNT={n}",
                    "RRULE:FREQ=WEEKLY;" + until,
                    "RRULE:FREQ=MONTHLY;COUNT={m}",  # < 2 years: inside SERIES_HORIZON
                ]
            )
        )
        n = draw(st.integers(1, 25))
        rules = (rule.format(n=n, m=min(n, 20)),)
    return {"start": start, "end": end, "tzid": tzid, "recurrence": rules}


@st.composite
def new_events(draw: st.DrawFn) -> dict[str, Any]:
    app = draw(st.sampled_from(APPS))
    return {
        "calendar_id": draw(st.sampled_from(CALENDARS)),
        "app_id": app,
        "app_event_id": draw(st.text("xyz", min_size=1, max_size=3)) if app else None,
        "deleted": draw(st.integers(0, 4)) == 0,
        **draw(event_shapes()),
    }


bounds = st.none() | offsets.map(lambda m: BASE + timedelta(minutes=m))


@st.composite
def windows(draw: st.DrawFn, bounded: bool = True) -> Window:
    lo = BASE + timedelta(minutes=draw(offsets))
    hi = lo + timedelta(minutes=draw(st.integers(-60 * 24, 60 * 24 * 20)))
    if not bounded:
        lo, hi = draw(st.sampled_from([(None, hi), (lo, None), (None, None)]))
    return Window(lo, hi, draw(st.sampled_from(ZONES)))


@st.composite
def selections(draw: st.DrawFn) -> tuple[list[str], dict[tuple[str, bool], bool]]:
    """Which calendars, and which (app, deleted) buckets of them, a read takes."""
    cals = draw(st.lists(st.sampled_from(CALENDARS), min_size=1, max_size=3, unique=True))
    policy = {
        (app or "", deleted): draw(st.booleans()) for app in APPS for deleted in (False, True)
    }
    return cals, policy


# -- the brute force ---------------------------------------------------------------------------


def place(value: datetime | date, tzid: str) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(tzid)).astimezone(UTC)


def instances(ev: Event) -> list[tuple[datetime | date, datetime | date]]:
    """Every instance of an event (the generated rules are all finite)."""
    if not ev.recurrence:
        return [(ev.start, ev.end)]
    duration = ev.end - ev.start  # type: ignore[operator]
    if isinstance(ev.start, datetime):
        dtstart = ev.start.astimezone(ZoneInfo(ev.tzid))
        rules = rrulestr("\n".join(ev.recurrence), dtstart=dtstart, forceset=True)
        return [(o.astimezone(UTC), o.astimezone(UTC) + duration) for o in rules]
    dtstart = datetime(ev.start.year, ev.start.month, ev.start.day)
    rules = rrulestr("\n".join(ev.recurrence), dtstart=dtstart, forceset=True)
    return [(o.date(), o.date() + duration) for o in rules]


def expected(world: World, cals: list[str], policy: dict, window: Window) -> list[tuple]:
    out = []
    for ev in world.events.values():
        if ev.calendar_id not in cals or not policy[(ev.app_id or "", ev.deleted)]:
            continue
        lo, hi = window.lo, window.hi
        if ev.recurring and (lo is None or hi is None):
            # unbounded reads expand a series for SERIES_HORIZON past its first instance
            assert hi is None or lo is None
            first = place(ev.start, ev.tzid)
            hi = hi or (lo or first) + SERIES_HORIZON
        for start, end in instances(ev):
            if hi is not None and place(start, window.tzid) >= hi:
                continue
            if lo is not None and place(end, window.tzid) < lo:
                continue
            uid = instance_uid(ev.uid, start) if ev.recurring else ev.uid
            out.append(((sort_key(start), uid), ev.uid, start, end))
    return sorted(out)


def actual(world: World, sources: list, after: Any = None) -> list[tuple]:
    return [(key, occ.event.uid, occ.start, occ.end) for key, occ in world.scan(sources, after)]


def edge_window(world: World, data: Any) -> Window:
    """A window whose ends sit on (or just beside) an event's start and end placed in some zone:
    where the index's slack and span bounds have to be right."""
    ev = world.events[data.draw(st.sampled_from(sorted(world.events)), label="edge event")]
    extremes = ["Pacific/Kiritimati", "Etc/GMT+12", "Australia/Lord_Howe"]
    tzid = data.draw(st.sampled_from(ZONES + extremes), label="edge zone")
    lo = place(ev.end, tzid) + data.draw(st.sampled_from(NUDGES), label="lo nudge")
    hi = place(ev.start, tzid) + data.draw(st.sampled_from(NUDGES), label="hi nudge")
    if data.draw(st.booleans(), label="wide"):
        lo, hi = lo - timedelta(days=2), hi + timedelta(days=2)
    return Window(lo, hi, tzid)


def check_reads(world: World, cals: list[str], policy: dict, window: Window, data: Any) -> None:
    sources = world.sources(cals, window, include=lambda app, deleted: policy[(app, deleted)])
    want = expected(world, cals, policy, window)
    got = actual(world, sources)
    keys = [row[0] for row in got]
    assert keys == sorted(set(keys)), "scan must be in strictly increasing (start, uid) order"
    assert got == want
    assert world.count(sources) == len(want)
    # resuming: after any key the scan yields exactly the rest
    if got:
        i = data.draw(st.integers(0, len(got) - 1), label="resume at")
        assert actual(world, sources, got[i][0]) == got[i + 1 :]
    probe = (data.draw(offsets.map(lambda m: (BASE + timedelta(minutes=m)).timestamp())), "m")
    assert actual(world, sources, probe) == [row for row in got if row[0] > probe]


def populate(world: World, specs: list[dict[str, Any]]) -> None:
    taken: set[tuple] = set()
    for i, spec in enumerate(specs):
        spec = dict(spec)
        if spec["app_id"]:
            key = (spec["app_id"], spec["calendar_id"], spec["app_event_id"])
            if key in taken:  # one event per (app, calendar, event_id), as the API keeps it
                spec["app_event_id"] += str(len(taken))
            taken.add((spec["app_id"], spec["calendar_id"], spec["app_event_id"]))
        world.create_event(uid=f"evt_{i:03d}", summary="e", **spec)  # stable order for draws


# -- the tests ---------------------------------------------------------------------------------


@SETTINGS
@given(
    specs=st.lists(new_events(), max_size=25),
    reads=st.lists(st.tuples(windows(), selections()), min_size=1, max_size=4),
    data=st.data(),
)
def test_bounded_windows_match_brute_force(specs, reads, data) -> None:
    world = new_world()
    populate(world, specs)
    for window, (cals, policy) in reads:
        check_reads(world, cals, policy, window, data)
    if world.events:
        for _ in range(5):
            check_reads(world, *data.draw(selections()), edge_window(world, data), data)


@SETTINGS
@given(
    specs=st.lists(new_events(), max_size=20),
    reads=st.lists(st.tuples(windows(bounded=False), selections()), min_size=1, max_size=3),
    data=st.data(),
)
def test_unbounded_windows_match_brute_force(specs, reads, data) -> None:
    world = new_world()
    populate(world, specs)
    for window, (cals, policy) in reads:
        check_reads(world, cals, policy, window, data)


@SETTINGS
@given(
    specs=st.lists(new_events(), min_size=1, max_size=20),
    changes=st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.sampled_from(["move", "delete", "undelete", "recolor"]),
            event_shapes(),
        ),
        min_size=1,
        max_size=15,
    ),
    reads=st.lists(st.tuples(windows(), selections()), min_size=1, max_size=3),
    data=st.data(),
)
def test_updates_and_deletes_keep_the_index_right(specs, changes, reads, data) -> None:
    world = new_world()
    populate(world, specs)
    for pick, action, shape in changes:
        uids = sorted(world.events)
        uid = uids[pick % len(uids)]
        if action == "move":  # new times, possibly timed <-> all-day and single <-> series
            world.update_event(uid, **shape)
        elif action == "delete":
            world.delete_event(uid)
        elif action == "undelete":
            world.update_event(uid, deleted=False)
        else:
            world.update_event(uid, summary="changed")
        window, (cals, policy) = data.draw(st.sampled_from(reads), label="read between changes")
        check_reads(world, cals, policy, window, data)
        check_reads(world, cals, policy, edge_window(world, data), data)
    for window, (cals, policy) in reads:
        check_reads(world, cals, policy, window, data)


def test_a_read_with_no_sources_is_empty() -> None:
    world = new_world()
    world.create_event("cal_a", summary="e", start=BASE, end=BASE + timedelta(hours=1))
    assert world.count([]) == 0
    assert list(world.scan([])) == []


def test_window_edges_are_start_before_to_and_end_at_or_after_from() -> None:
    world = new_world()
    ev = world.create_event("cal_a", summary="e", start=BASE, end=BASE + timedelta(hours=1))
    everything = lambda app, deleted: True  # noqa: E731

    def uids(lo: datetime, hi: datetime, tzid: str = "Etc/UTC") -> list[str]:
        window = Window(lo, hi, tzid)
        sources = world.sources(["cal_a"], window, include=everything)
        assert world.count(sources) == len(list(world.scan(sources)))
        return [occ.event.uid for _, occ in world.scan(sources)]

    hour = timedelta(hours=1)
    assert uids(BASE - hour, BASE) == []  # start == to: out
    assert uids(BASE - hour, BASE + timedelta(seconds=1)) == [ev.uid]
    assert uids(BASE + hour, BASE + 2 * hour) == [ev.uid]  # end == from: in
    assert uids(BASE + hour + timedelta(seconds=1), BASE + 2 * hour) == []
    # an all-day event on 2026-03-01 is 2026-03-01T00:00 in whatever zone the reader uses
    day = world.create_event("cal_b", summary="d", start=date(2026, 3, 1), end=date(2026, 3, 2))
    window = Window(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), BASE + 30 * hour, "Asia/Kolkata")
    sources = world.sources(["cal_b"], window, include=everything)
    assert [occ.event.uid for _, occ in world.scan(sources)] == []  # ended 18:30Z
    window = Window(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), BASE + 30 * hour, "America/New_York")
    sources = world.sources(["cal_b"], window, include=everything)
    assert [occ.event.uid for _, occ in world.scan(sources)] == [day.uid]  # ends 05:00Z on 2nd
    assert world.count(sources) == 1


def test_unbounded_read_of_a_series_starting_on_feb_29() -> None:
    """`replace(year=year + 2)` on Feb 29 raised; the horizon is now a fixed timedelta."""
    world = new_world()
    start = datetime(2028, 2, 29, 10, tzinfo=UTC)
    ev = world.create_event(
        "cal_a",
        summary="leap",
        start=start,
        end=start + timedelta(hours=1),
        recurrence=("RRULE:FREQ=YEARLY",),
    )
    sources = world.sources(["cal_a"], Window(None, None), include=lambda app, deleted: True)
    got = [occ.start for _, occ in world.scan(sources)]
    assert got == [start]  # the next Feb 29 (2032) is past the two-year horizon
    assert world.count(sources) == 1
    day = world.create_event(
        "cal_b",
        summary="leap day",
        start=date(2028, 2, 29),
        end=date(2028, 3, 1),
        recurrence=("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28",),
    )
    sources = world.sources(["cal_b"], Window(None, None), include=lambda app, deleted: True)
    assert world.count(sources) == len(list(world.scan(sources))) > 0
    assert ev.uid != day.uid
