"""The core change feed (mockserver/core/changes.py): one ordered record per world change, made
inside World.transaction() so a rolled-back one emits nothing, with the actor of its context."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta

import pytest

from mockserver.core.changes import OWNER, Actor, act_as, acting, current_actor
from mockserver.core.clock import Clock
from mockserver.core.models import Account, Calendar, Profile
from mockserver.core.world import World

START = datetime(2030, 1, 7, 10, tzinfo=UTC)


def world() -> World:
    clock = Clock()
    clock.freeze(datetime(2030, 1, 1, 9, 0, 0, 500_000, tzinfo=UTC))
    w = World(clock)
    w.put_account(Account("acc_1", "a@example.com", "A"))
    w.put_profile(Profile("pro_1", "acc_1", "google", "google", "a@example.com"))
    w.put_calendar(Calendar("cal_1", "pro_1", "Work"))
    return w


def event(w: World, summary: str = "x"):
    return w.create_event("cal_1", summary=summary, start=START, end=START + timedelta(hours=1))


def test_each_write_is_one_record_with_where_and_before_after():
    w = world()
    mark = w.changes.last_seq
    ev = event(w)
    moved = w.update_event(ev.uid, start=START + timedelta(hours=2), end=START + timedelta(hours=3))
    w.delete_event(ev.uid)
    records = w.changes.since(mark)
    assert [c.kind for c in records] == ["event.created", "event.updated", "event.deleted"]
    assert [c.seq for c in records] == [mark + 1, mark + 2, mark + 3]
    created, updated, deleted = records
    assert (created.account_id, created.profile_id, created.calendar_id, created.event_uid) == (
        "acc_1",
        "pro_1",
        "cal_1",
        ev.uid,
    )
    assert created.before is None and created.after == ev
    assert updated.before == ev and updated.after == moved
    assert deleted.after.deleted and not deleted.before.deleted
    assert created.at == datetime(2030, 1, 1, 9, tzinfo=UTC)  # whole seconds, the clock's


def test_calendar_and_profile_changes_have_their_kinds():
    w = world()
    mark = w.changes.last_seq
    cal = w.calendars["cal_1"]
    w.put_calendar(dataclasses.replace(cal, deleted=True))
    prof = w.profiles["pro_1"]
    w.put_profile(dataclasses.replace(prof, connected=False))
    w.put_profile(dataclasses.replace(prof, connected=True))
    w.put_profile(dataclasses.replace(prof, name="renamed"))
    kinds = [c.kind for c in w.changes.since(mark)]
    assert kinds == [
        "calendar.deleted",
        "profile.disconnected",
        "profile.connected",
        "profile.updated",
    ]


def test_a_transaction_publishes_together_and_a_rollback_publishes_nothing():
    w = world()
    got: list = []
    w.changes.subscribe(got.append)
    mark = w.changes.last_seq
    with pytest.raises(RuntimeError), w.transaction():
        event(w, "never")
        assert w.changes.last_seq == mark  # held until commit
        raise RuntimeError("the request failed half-way")
    assert w.changes.since(mark) == [] and got == []
    with w.transaction():
        event(w, "one")
        event(w, "two")
    (batch,) = got
    assert [c.after.summary for c in batch] == ["one", "two"]
    assert len({c.tx for c in batch}) == 1
    assert [c.seq for c in batch] == [mark + 1, mark + 2]  # no gap for the rolled-back one


def test_a_failed_savepoint_drops_its_own_records_and_the_outer_commit_keeps_the_rest():
    """A nested transaction is a savepoint (a request's operations each run in one): when it
    fails, its writes and its change records go, and the outer transaction still commits."""
    w = world()
    got: list = []
    w.changes.subscribe(got.append)
    with w.transaction():
        event(w, "kept before")
        with pytest.raises(RuntimeError), w.transaction():
            event(w, "undone")
            raise RuntimeError("one operation of the request failed")
        event(w, "kept after")
    (batch,) = got
    assert [c.after.summary for c in batch] == ["kept before", "kept after"]
    assert {e.summary for e in w.events.values()} >= {"kept before", "kept after"}
    assert "undone" not in {e.summary for e in w.events.values()}


def test_the_actor_is_the_contexts():
    w = world()
    mark = w.changes.last_seq
    event(w, "system")
    with acting(OWNER):
        event(w, "owner")
    with acting(Actor.app("someprovider", "app-1")):
        event(w, "app")
    assert current_actor().kind == "system"
    actors = [c.actor for c in w.changes.since(mark)]
    assert [a.kind for a in actors] == ["system", "owner", "app"]
    assert actors[2].is_app("someprovider", "app-1")
    assert not actors[2].is_app("someprovider", "app-2")
    assert actors[2].to_json() == {"kind": "app", "provider": "someprovider", "id": "app-1"}


def test_act_as_stays_inside_its_thread():
    w = world()
    mark = w.changes.last_seq

    def request() -> None:
        act_as(Actor.app("p", "in-a-request"))
        event(w, "from the request")

    t = threading.Thread(target=request)
    t.start()
    t.join()
    event(w, "from the test")
    assert [c.actor.kind for c in w.changes.since(mark)] == ["app", "system"]


def test_the_feed_is_bounded_and_numbering_goes_on():
    w = world()
    w.changes.resize(3)
    for n in range(5):
        event(w, f"e{n}")
    held = w.changes.since(0)
    assert len(held) == 3 and held[-1].seq == w.changes.last_seq
    w.changes.clear()
    event(w, "after")
    assert [c.seq for c in w.changes.since(0)] == [held[-1].seq + 1]


def test_restoring_a_snapshot_forgets_the_history_since():
    w = world()
    snap = w.snapshot()
    event(w)
    w.restore(snap)
    assert w.changes.since(0) == []


def test_a_subscriber_that_fails_does_not_fail_the_write():
    w = world()

    def broken(batch) -> None:
        raise ValueError("a bug downstream")

    w.changes.subscribe(broken)
    ev = event(w)
    assert w.events[ev.uid] == ev


def test_a_world_file_loads_without_records(tmp_path):
    from mockserver.state import ServerState

    state = ServerState()
    assert state.world.changes.since(0) == []
    assert state.world.changes.muted is False


def test_changed_since_and_scan_changed_still_work():
    w = world()
    ev = event(w)
    assert [e.uid for e in w.changed_since(datetime(2030, 1, 1, tzinfo=UTC))] == [ev.uid]
