"""Reset restores the snapshot taken when the world was loaded: every table, the time index, the
change feed and each provider's state come back exactly, the snapshot stays reusable, and no
cache keyed on the world's version can answer from a different world."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sortedcontainers import SortedList

from mockserver.app import create_app
from mockserver.builders import WorldBuilder, random_world
from mockserver.core.fixtures import demo_path, read
from mockserver.core.index import copy_sorted
from mockserver.state import REANCHOR_AFTER, ServerState, check
from mockserver.testing import asgi_client

ALICE = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CLIENT_ID = "cronofy_demo_client_id_0000000001"
SECRET = "cronofy_demo_client_secret_00000000000001"
REDIRECT = "http://127.0.0.1:8080/callback"
WORK = "cal_a11cedemo0001_work"
EXTERNAL = "evt_external_0a11ce0000000000000002"


@pytest.fixture
def state() -> ServerState:
    return ServerState(fixture=read(demo_path()))


@pytest.fixture
def client(state):
    with asgi_client(create_app(state=state)) as c:
        yield c


def day(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def upsert(client, event_id: str, n: int = 2) -> None:
    body = {
        "event_id": event_id,
        "summary": event_id,
        "start": f"{day(n)}T10:00:00Z",
        "end": f"{day(n)}T11:00:00Z",
    }
    response = client.post(f"/v1/calendars/{WORK}/events", json=body, headers=ALICE)
    assert response.status_code == 202, response.text


def read_all(client) -> list[dict]:
    params = {"tzid": "Etc/UTC", "include_managed": "true", "include_deleted": "true"}
    response = client.get("/v1/events", params=params, headers=ALICE)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def authorize(client) -> str:
    response = client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT,
            "scope": "read_events",
        },
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    return parse_qs(urlparse(response.headers["location"]).query)["code"][0]


def exchange(client, code: str):
    return client.post(
        "/oauth/token",
        json={
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
        },
    )


def test_reset_undoes_every_kind_of_write(state, client):
    before_dump, before_events = state.dump(), read_all(client)
    before_creds = state.credentials("http://x")
    upsert(client, "new-one")
    assert client.request(
        "DELETE", f"/v1/calendars/{WORK}/events", json={"event_id": "demo-lunch"}, headers=ALICE
    ).status_code in (202, 204)
    assert client.post(
        f"/v1/calendars/{WORK}/events",
        json={
            "event_uid": EXTERNAL,
            "summary": "changed by the test",
            "start": f"{day(4)}T10:00:00Z",
            "end": f"{day(4)}T11:00:00Z",
        },
        headers=ALICE,
    ).status_code in (202, 200)
    assert exchange(client, authorize(client)).status_code == 200
    refreshed = client.post(
        "/oauth/token",
        json={
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
            "grant_type": "refresh_token",
            "refresh_token": "cronofyDemoAliceRefresh000000001",
        },
    )
    assert refreshed.status_code == 200
    client.post(
        "/oauth/token/revoke",
        json={"client_id": CLIENT_ID, "client_secret": SECRET, "token": ALICE["Authorization"][7:]},
    )
    assert client.get("/v1/account", headers=ALICE).status_code == 401
    assert state.dump() != before_dump

    for _ in range(2):  # and the snapshot is still whole for the next reset
        assert client.post("/_mock/reset").status_code == 200
        assert state.dump() == before_dump
        assert read_all(client) == before_events
        assert state.credentials("http://x") == before_creds
        assert client.get("/v1/account", headers=ALICE).status_code == 200
        upsert(client, "again")


def test_the_version_only_moves_forward_so_no_memo_answers_for_another_world(state, client):
    version = state.world.version
    upsert(client, "first-world")
    assert any(e.get("event_id") == "first-world" for e in read_all(client))  # memoised
    state.reset()
    assert state.world.version > version + 1
    upsert(client, "second-world")  # as many writes as before the reset
    ids = {e.get("event_id") for e in read_all(client)}
    assert "second-world" in ids and "first-world" not in ids


def test_next_page_cursors_do_not_survive_a_reset(state, client):
    client.patch("/_mock/settings", json={"cronofy": {"page_size": 2}})
    body = client.get("/v1/events", params={"tzid": "Etc/UTC"}, headers=ALICE).json()
    next_page = body["pages"]["next_page"]
    state.reset()
    assert client.get(next_page, headers=ALICE).status_code == 404


def test_authorization_codes_are_copied_not_shared(state, client):
    code = authorize(client)
    snap = state.snapshot()
    assert exchange(client, code).status_code == 200
    assert exchange(client, code).status_code == 400  # single use
    state.restore(snap)
    assert exchange(client, code).status_code == 200  # unused again in the restored state
    state.restore(snap)
    assert exchange(client, code).status_code == 200  # and the snapshot's copy is untouched


def test_activate_makes_another_snapshot_the_reset_point(state):
    demo = state.loaded
    people = len(state.world.accounts)
    other = state.load(random_world(seed=3, events=4))
    assert len(state.world.events) == 4
    state.reset(to=demo)
    assert state.loaded is demo and len(state.world.accounts) == people
    state.reset()
    assert len(state.world.accounts) == people
    state.reset(to=other)
    assert len(state.world.events) == 4


def test_reset_can_also_restore_the_clock_and_settings(state, client):
    state.clock.advance(timedelta(minutes=10))
    client.patch("/_mock/settings", json={"cronofy": {"page_size": 7}})
    state.reset()
    assert state.settings.cronofy.page_size == 7  # a plain reset keeps both
    state.reset(clock=True, settings=True)
    assert state.settings.cronofy.page_size == 100
    assert state.cronofy.settings is state.settings.cronofy  # changed in place
    assert abs(state.clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def start_of(state: ServerState, uid: str):
    return state.world.events[uid].start


def test_relative_times_stay_as_loaded_while_the_clock_is_near(state):
    start = start_of(state, EXTERNAL)
    state.clock.advance(REANCHOR_AFTER / 2)
    state.reset()
    assert start_of(state, EXTERNAL) == start


def test_relative_times_follow_a_clock_moved_far_away(state):
    start = start_of(state, EXTERNAL)
    state.clock.advance(timedelta(days=3))
    state.reset()
    assert start_of(state, EXTERNAL) - start == timedelta(days=3)
    again = state.loaded
    state.reset()
    assert state.loaded is again  # rebuilt once, then restored from the new snapshot


def test_absolute_worlds_are_never_rebuilt(state):
    state.load(state.dump())  # a dump has absolute times only
    snap = state.loaded
    assert not snap.rebuildable
    state.clock.advance(timedelta(days=30))
    state.reset()
    assert state.loaded is snap


def test_sorted_list_copies_stay_correct_under_change():
    rng = random.Random(7)
    original = SortedList((rng.random(), str(i)) for i in range(5000))
    copied = copy_sorted(original)
    model = list(original)
    for step in range(3000):
        if step % 3 == 0 and model:
            victim = model.pop(rng.randrange(len(model)))
            copied.discard(victim)
        else:
            item = (rng.random(), f"n{step}")
            model.append(item)
            copied.add(item)
        if step % 500 == 0:
            model.sort()
            assert list(copied) == model
            k = rng.randrange(len(model))
            assert copied[k] == model[k]
            assert copied.bisect_left(model[k]) == k
    copied._check()
    assert len(original) == 5000  # the source is untouched
    original._check()


def internals(state: ServerState) -> tuple:
    w = state.world
    return (
        {k: (list(b.singles), dict(b.recurring), b.max_span) for k, b in w.index._buckets.items()},
        {k: set(v) for k, v in w.index._by_calendar.items()},
        list(w._changes),
        dict(w._managed),
    )


def test_restored_index_and_change_feed_are_as_loaded(state, client):
    loaded = internals(state)
    for i in range(20):
        upsert(client, f"bulk-{i}", n=i % 10)
    assert internals(state) != loaded
    state.reset()
    assert internals(state) == loaded
    for bucket in state.world.index._buckets.values():
        bucket.singles._check()


# -- builders ----------------------------------------------------------------------------------


def test_builders_are_deterministic_per_seed_and_valid():
    a = random_world(seed=11, accounts=2, calendars=2, events=6)
    assert a == random_world(seed=11, accounts=2, calendars=2, events=6)
    assert a != random_world(seed=12, accounts=2, calendars=2, events=6)
    assert check(a) == []


def test_builder_worlds_are_readable_through_the_api():
    b = WorldBuilder(seed=5)
    ada = b.account(name="Ada Lovelace", tzid="Europe/London")
    engines = ada.calendar("Engines")
    engines.event(summary="Review", start="today+1dT10:00", end="today+1dT11:00")
    engines.events(5, days=(1, 20))
    token = b.cronofy_token(ada)
    narrow = b.cronofy_token(ada, "read_free_busy", label="narrow")
    world = b.build()
    assert check(world) == []
    with asgi_client(create_app(fixture=world)) as c:
        auth = {"Authorization": f"Bearer {token}"}
        assert c.get("/v1/account", headers=auth).json()["account"]["name"] == "Ada Lovelace"
        events = c.get("/v1/events", params={"tzid": "Europe/London"}, headers=auth).json()
        assert len(events["events"]) == 6
        assert "Review" in {e["summary"] for e in events["events"]}
        narrow_auth = {"Authorization": f"Bearer {narrow}"}
        assert c.get("/v1/events", params={"tzid": "UTC"}, headers=narrow_auth).status_code == 403
