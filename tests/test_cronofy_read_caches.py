"""The read path memoises pages per world version and rendered events per record identity;
these check that no write, rollback or calendar change is ever hidden by a cache."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

WORLD = json.loads((Path(__file__).parents[1] / "contracts" / "world.json").read_text())
TOKEN = {"Authorization": "Bearer contractAllScopesToken0000000001"}
CAL = "cal_c0ntract0001_work"
PARAMS = {"tzid": "Etc/UTC", "calendar_ids[]": CAL, "include_managed": "true"}


@pytest.fixture
def app():
    return create_app(fixture=WORLD)


@pytest.fixture
def client(app):
    with asgi_client(app) as c:
        yield c


def events(client) -> dict[str, dict]:
    body = client.get("/v1/events", params=PARAMS, headers=TOKEN).json()
    return {e["event_uid"]: e for e in body["events"]}


def test_a_write_between_two_identical_reads_is_seen(client):
    before = events(client)
    assert events(client) == before  # served from the memo, same answer
    day = datetime.now(UTC).date() + timedelta(days=2)
    body = {
        "event_id": "cache-1",
        "summary": "New",
        "start": day.isoformat(),
        "end": (day + timedelta(days=1)).isoformat(),
    }
    assert client.post(f"/v1/calendars/{CAL}/events", json=body, headers=TOKEN).status_code == 202
    after = events(client)
    assert len(after) == len(before) + 1
    assert any(e.get("event_id") == "cache-1" for e in after.values())


def test_a_rolled_back_write_changes_nothing_and_is_not_cached(app, client):
    before = events(client)
    world = app.state.server.world
    version = world.version
    with pytest.raises(RuntimeError), world.transaction():
        world.update_event("evt_external_c0ntract000000000000001", summary="never committed")
        raise RuntimeError
    assert world.version != version
    assert events(client) == before


def test_a_calendar_change_re_renders_its_events(app, client):
    uid = "evt_external_c0ntract000000000000001"
    assert events(client)[uid]["options"]["update"] is True
    world = app.state.server.world
    cal = world.calendars[CAL]
    world.put_calendar(dataclasses.replace(cal, permission_level="sandbox"))
    assert events(client)[uid]["options"]["update"] is False
