"""World transactions and the change feed.

An exception inside `with world.transaction()` after any mix of writes leaves accounts, profiles,
calendars, events, the managed-id map, the time index and the change feed exactly as before;
nested transactions join the outer one; writes outside a transaction are not logged; and
`changed_since` lists exactly the events updated at or after a moment, in `updated` order.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.core.clock import Clock
from mockserver.core.index import Window
from mockserver.core.models import Account, Calendar, Profile
from mockserver.core.world import World, WorldError

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class Boom(Exception):
    pass


def new_world() -> World:
    clock = Clock()
    clock.freeze(T0)
    world = World(clock)
    world.put_account(Account("acc_1", "a@example.com", "A"))
    world.put_profile(Profile("pro_1", "acc_1", "google", "google", "a@example.com"))
    for cal in ("cal_a", "cal_b"):
        world.put_calendar(Calendar(cal, "pro_1", cal))
    for i in range(4):
        world.create_event(
            "cal_a" if i % 2 else "cal_b",
            uid=f"evt_seed_{i}",
            app_id="app" if i < 2 else None,
            app_event_id=f"id{i}" if i < 2 else None,
            summary=f"seed {i}",
            start=T0 + timedelta(hours=i),
            end=T0 + timedelta(hours=i + 1),
        )
    world.create_event(
        "cal_a",
        uid="evt_seed_series",
        summary="series",
        start=date(2026, 3, 2),
        end=date(2026, 3, 3),
        recurrence=("RRULE:FREQ=WEEKLY;COUNT=4",),
    )
    return world


def snapshot(world: World) -> Any:
    everything = lambda app, deleted: True  # noqa: E731
    window = Window(T0 - timedelta(days=400), T0 + timedelta(days=400))
    sources = world.sources(sorted(world.calendars), window, include=everything)
    return (
        dict(world.accounts),
        dict(world.profiles),
        dict(world.calendars),
        dict(world.events),
        dict(world._managed),
        dict(getattr(world, "_by_provider_id", {})),
        list(world._changes),
        {
            key: (list(b.singles), dict(b.recurring))
            for key, b in world.index._buckets.items()
            if b.singles or b.recurring
        },
        [(key, occ.instance_uid) for key, occ in world.scan(sources)],
        world.count(sources),
        [ev.uid for ev in world.changed_since(T0 - timedelta(days=1))],
    )


# -- random writes -----------------------------------------------------------------------------

ops = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create_managed",
                "create_external",
                "update",
                "move",
                "delete",
                "make_series",
                "add_calendar",
                "rename_calendar",
                "add_account",
                "disconnect_profile",
                "tick",
            ]
        ),
        st.integers(0, 10**6),
        st.sampled_from(["x", "y", "id0", "id1"]),  # managed ids collide with seeds and each other
    ),
    min_size=1,
    max_size=12,
)


def apply(world: World, op: str, n: int, key: str) -> None:
    uids = sorted(world.events)
    uid = uids[n % len(uids)]
    cals = sorted(world.calendars)
    cal = cals[n % len(cals)]
    start = T0 + timedelta(minutes=n % 5000)
    if op == "create_managed":
        existing = world.managed_event("app", cal, key)
        if existing is not None and not existing.deleted:
            world.update_event(existing.uid, summary="upserted")
        else:  # a true upsert: a deleted managed event is created again under a new uid
            world.create_event(
                cal,
                app_id="app",
                app_event_id=key,
                summary="new",
                start=start,
                end=start + timedelta(hours=1),
            )
    elif op == "create_external":
        world.create_event(cal, summary="ext", start=start.date(), end=start.date() + timedelta(1))
    elif op == "update":
        world.update_event(uid, summary=f"changed {n}")
    elif op == "move":
        world.update_event(uid, start=start, end=start + timedelta(minutes=n % 300), recurrence=())
    elif op == "delete":
        world.delete_event(uid)
    elif op == "make_series":
        ev = world.events[uid]
        world.update_event(uid, recurrence=("RRULE:FREQ=DAILY;COUNT=3",), start=ev.start)
    elif op == "add_calendar":
        world.put_calendar(Calendar(f"cal_new_{n}", "pro_1", "new"))
    elif op == "rename_calendar":
        world.put_calendar(dataclasses.replace(world.calendars[cal], name=f"renamed {n}"))
    elif op == "add_account":
        world.put_account(Account(f"acc_{n}", "b@example.com", "B"))
        world.put_profile(Profile(f"pro_{n}", f"acc_{n}", "apple", "icloud", "b@example.com"))
    elif op == "disconnect_profile":
        world.put_profile(dataclasses.replace(world.profiles["pro_1"], connected=False))
    else:
        world.clock.advance(timedelta(minutes=1 + n % 90))


@SETTINGS
@given(history=ops, doomed=ops)
def test_a_failed_transaction_leaves_everything_as_it_was(history, doomed) -> None:
    world = new_world()
    for op in history:  # committed writes, outside any transaction
        apply(world, *op)
    before = snapshot(world)
    with pytest.raises(Boom), world.transaction():
        for op in doomed:
            apply(world, *op)
        raise Boom
    assert snapshot(world) == before
    assert world._undo is None
    # and the world still works: the same writes commit normally afterwards
    with world.transaction():
        for op in doomed:
            apply(world, *op)


@SETTINGS
@given(outer=ops, inner=ops, where=st.sampled_from(["inner", "outer_after_inner"]))
def test_nested_transactions_join_the_outer_one(outer, inner, where) -> None:
    world = new_world()
    before = snapshot(world)
    with pytest.raises(Boom), world.transaction():
        for op in outer:
            apply(world, *op)
        with world.transaction():
            for op in inner:
                apply(world, *op)
            if where == "inner":
                raise Boom
        raise Boom
    assert snapshot(world) == before


@SETTINGS
@given(outer=ops, inner=ops, after=ops)
def test_an_inner_failure_caught_inside_the_outer_undoes_only_the_inner_block(
    outer, inner, after
) -> None:
    """Nested use is a savepoint: what the inner block wrote before failing is undone, what the
    outer block wrote before and after it commits (a request's transaction around the
    operations it runs, each in its own)."""
    world = new_world()
    with world.transaction():
        for op in outer:
            apply(world, *op)
        before_inner = snapshot(world)
        with pytest.raises(Boom), world.transaction():
            for op in inner:
                apply(world, *op)
            raise Boom
        assert snapshot(world) == before_inner
        for op in after:
            apply(world, *op)
        inside = snapshot(world)
    assert snapshot(world) == inside
    assert world._undo is None


def test_writes_outside_a_transaction_are_not_logged() -> None:
    world = new_world()
    world.update_event("evt_seed_0", summary="x")
    assert world._undo is None
    with world.transaction():
        world.update_event("evt_seed_0", summary="y")
        world.update_event("evt_seed_1", summary="z")
        assert world._undo is not None and len(world._undo) == 2
    assert world._undo is None
    assert world.events["evt_seed_0"].summary == "y"


def test_a_core_rule_broken_mid_transaction_rolls_back_the_earlier_writes() -> None:
    world = new_world()
    before = snapshot(world)
    with pytest.raises(WorldError) as info, world.transaction():
        world.delete_event("evt_seed_0")
        world.create_event("cal_b", summary="n", start=T0, end=T0 + timedelta(hours=1))
        world.put_calendar(Calendar("cal_z", "pro_1", "z"))
        world.create_event("cal_nope", summary="n", start=T0, end=T0)
    assert info.value.code == "unknown_calendar"
    assert snapshot(world) == before
    with pytest.raises(WorldError) as info:
        world.update_event("evt_nope", summary="x")
    assert info.value.code == "unknown_event"
    with pytest.raises(WorldError):
        world.put_profile(Profile("pro_x", "acc_nope", "google", "google", "x"))
    with pytest.raises(WorldError):
        world.put_calendar(Calendar("cal_x", "pro_nope", "x"))
    assert snapshot(world) == before


def test_rollback_restores_the_managed_id_of_a_recreated_event() -> None:
    """A deleted managed event and its re-creation share (app, calendar, event_id); undoing the
    re-creation must point the id back at the tombstone, not forget it."""
    world = new_world()
    world.delete_event("evt_seed_0")
    tomb = world.managed_event("app", "cal_b", "id0")
    assert tomb is not None and tomb.deleted
    before = snapshot(world)
    with pytest.raises(Boom), world.transaction():
        world.create_event(
            "cal_b", app_id="app", app_event_id="id0", summary="again", start=T0, end=T0
        )
        assert world.managed_event("app", "cal_b", "id0").summary == "again"
        raise Boom
    assert world.managed_event("app", "cal_b", "id0") == tomb
    assert snapshot(world) == before


# -- changed_since -----------------------------------------------------------------------------


@SETTINGS
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from(["update", "delete", "create"])),
        max_size=15,
    ),
    since=st.integers(-30, 24 * 60),
)
def test_changed_since_lists_exactly_the_events_updated_since(steps, since) -> None:
    world = new_world()
    for n, action in steps:
        world.clock.advance(timedelta(minutes=n % 120))
        uid = sorted(world.events)[n % len(world.events)]
        if action == "update":
            world.update_event(uid, summary=str(n))
        elif action == "delete":
            world.delete_event(uid)
        else:
            world.create_event("cal_a", summary="c", start=T0, end=T0 + timedelta(hours=1))
    moment = T0 + timedelta(minutes=since)
    got = list(world.changed_since(moment))
    want = [ev for ev in world.events.values() if ev.updated >= moment]
    assert sorted(ev.uid for ev in got) == sorted(ev.uid for ev in want)
    assert [ev.updated for ev in got] == sorted(ev.updated for ev in got)
    assert all(world.events[ev.uid] is ev for ev in got)  # the current version, once each


def test_updates_bump_updated_and_never_created() -> None:
    world = new_world()
    ev = world.events["evt_seed_2"]
    world.clock.advance(timedelta(minutes=5, seconds=30, microseconds=7))
    new = world.update_event(ev.uid, summary="later")
    assert new.created == ev.created
    assert new.updated == (T0 + timedelta(minutes=5, seconds=30)) > ev.updated
    assert [e.uid for e in world.changed_since(new.updated)] == [ev.uid]
    gone = world.delete_event(ev.uid)
    assert gone.deleted and gone.updated == new.updated
    world.clock.set(T0 - timedelta(days=1))  # the clock going back never moves `updated` back
    assert world.update_event(ev.uid, summary="x").updated == new.updated


@SETTINGS
@given(before=ops, after=ops)
def test_restoring_a_snapshot_gives_back_exactly_that_world(before, after) -> None:
    world = new_world()
    for op in before:
        apply(world, *op)
    expected = snapshot(world)
    saved = world.snapshot()
    for op in after:
        apply(world, *op)
    world.restore(saved)
    assert snapshot(world) == expected
    for ev in world.events.values():
        assert world.event_by_provider_id(ev.provider_event_id) is ev
    for op in after:  # the snapshot stays reusable
        apply(world, *op)
    world.restore(saved)
    assert snapshot(world) == expected
