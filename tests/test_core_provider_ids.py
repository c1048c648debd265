"""Provider event ids: every event gets one, lookups follow writes and rollbacks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from mockserver.core.models import Account, Calendar, Profile
from mockserver.core.world import World


@pytest.fixture
def world() -> World:
    w = World()
    w.put_account(Account("acc_1", "a@example.com", "A"))
    w.put_profile(Profile("pro_1", "acc_1", "google", "google", "a@example.com"))
    w.put_calendar(Calendar("cal_1", "pro_1", "Work"))
    return w


def make(world: World, **extra):
    start = datetime(2030, 1, 1, 10, tzinfo=UTC)
    return world.create_event(
        "cal_1", summary="s", start=start, end=start + timedelta(hours=1), **extra
    )


def test_created_events_get_a_google_style_id_that_finds_them(world):
    ev = make(world)
    assert re.fullmatch(r"[a-v0-9]{26}", ev.provider_event_id)
    assert world.event_by_provider_id(ev.provider_event_id) is ev
    assert make(world).provider_event_id != ev.provider_event_id


def test_a_given_id_is_kept_and_follows_updates_and_rollbacks(world):
    ev = make(world, provider_event_id="fixedid123")
    updated = world.update_event(ev.uid, summary="t")
    assert world.event_by_provider_id("fixedid123") is updated
    with pytest.raises(RuntimeError), world.transaction():
        world.update_event(ev.uid, summary="u")
        raise RuntimeError
    assert world.event_by_provider_id("fixedid123").summary == "t"
    with pytest.raises(RuntimeError), world.transaction():
        make(world, provider_event_id="rolledback")
        raise RuntimeError
    assert world.event_by_provider_id("rolledback") is None
