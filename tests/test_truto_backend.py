"""The Truto backend's own plumbing: the world-file section (every problem names its place),
credentials, dump and seed, reset, and its settings."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.kit import WORLD
from mockserver.app import create_app
from mockserver.state import check
from mockserver.testing import asgi_client

TOKEN = {"Authorization": "Bearer contractTrutoApiToken00000000001"}
ACCOUNT = "c0a7c7e5-7e57-4000-8000-000000000001"


def world_with(**truto: Any) -> dict[str, Any]:
    world = WORLD()
    world["truto"] = {**world["truto"], **truto}
    return world


def test_the_contract_and_demo_worlds_load():
    assert check(WORLD()) == []


@pytest.mark.parametrize(
    ("change", "place"),
    [
        ({"integration": "yahoo"}, "$.truto.integrated_accounts[0].integration"),
        ({"account": "acc_nobody"}, "$.truto.integrated_accounts[0].account"),
        ({"profile": "pro_nope"}, "$.truto.integrated_accounts[0].profile"),
        ({"profile": "pro_c0ntract0011"}, "$.truto.integrated_accounts[0].profile"),
        ({"event_types": [{"id": "x", "name": "X"}]}, "$.truto.integrated_accounts[0].event_types"),
        ({"id": "has a space"}, "$.truto.integrated_accounts[0].id"),
        ({"status": "asleep"}, "$.truto.integrated_accounts[0].status"),
    ],
)
def test_a_bad_integrated_account_names_its_place(change, place):
    world = WORLD()
    world["truto"]["integrated_accounts"][0].update(change)
    assert place in [p for p, _ in check(world)]


def test_duplicates_name_their_places():
    world = WORLD()
    accounts = world["truto"]["integrated_accounts"]
    accounts.append(copy.deepcopy(accounts[0]))
    tokens = world["truto"]["api_tokens"]
    tokens.append(copy.deepcopy(tokens[0]))
    accounts[4]["event_types"].append(copy.deepcopy(accounts[4]["event_types"][0]))
    places = [p for p, _ in check(world)]
    assert f"$.truto.integrated_accounts[{len(accounts) - 1}].id" in places
    assert f"$.truto.api_tokens[{len(tokens) - 1}].token" in places
    assert "$.truto.integrated_accounts[4].event_types[1].id" in places


def test_credentials_list_tokens_and_accounts_with_their_calendars():
    with asgi_client(create_app(fixture=WORLD())) as client:
        creds = client.get("/_mock/credentials").json()["truto"]
    assert creds["base_url"] == "http://testserver"
    assert {
        "token": "contractTrutoApiToken00000000001",
        "environment": "contract",
        "label": "contract",
    } in creds["api_tokens"]
    google = next(a for a in creds["integrated_accounts"] if a["id"] == ACCOUNT)
    assert google["integration"] == "googlecalendar"
    assert google["calendars"][0] == "cal_c0ntract0010_primary"  # primary first
    assert "cal_c0ntract0010_readonly" in google["calendars"]


def test_dump_and_seed_round_trip_the_truto_section():
    with asgi_client(create_app(fixture=WORLD())) as client:
        dumped = client.get("/_mock/state").json()
        assert dumped["truto"]["integrated_accounts"][0]["id"] == ACCOUNT
        client.post("/_mock/seed", json=dumped).raise_for_status()
        assert client.get("/_mock/state").json()["truto"] == dumped["truto"]


def test_reset_forgets_writes_and_idempotency_keys():
    body = {
        "calendar": {"id": "primary"},
        "title": "before reset",
        "start_time": "2030-02-01T10:00:00Z",
        "end_time": "2030-02-01T11:00:00Z",
        "timezone": "UTC",
    }
    params = {"integrated_account_id": ACCOUNT}
    key = {**TOKEN, "Idempotency-Key": "reset-test"}
    with asgi_client(create_app(fixture=WORLD())) as client:
        first = client.post("/unified/calendar/events", params=params, json=body, headers=key)
        assert first.status_code == 201
        client.post("/_mock/reset").raise_for_status()
        gone = client.get(
            f"/unified/calendar/events/{first.json()['id']}",
            params={**params, "calendar[id]": "primary"},
            headers=TOKEN,
        )
        assert gone.status_code == 404
        again = client.post("/unified/calendar/events", params=params, json=body, headers=key)
        assert again.status_code == 201
        assert "Idempotent-Replayed" not in again.headers
        assert again.json()["id"] != first.json()["id"]


@pytest.mark.parametrize(
    "change",
    [{"create_status": 204}, {"default_limit": 0}, {"retry_after": -1}, {"rate_limit": "yes"}],
)
def test_bad_truto_settings_are_refused(change):
    with asgi_client(create_app(fixture=WORLD())) as client:
        before = client.get("/_mock/settings").json()["truto"]
        assert client.patch("/_mock/settings", json={"truto": change}).status_code == 400
        assert client.get("/_mock/settings").json()["truto"] == before


def test_create_status_is_a_setting():
    body = {
        "calendar": {"id": "primary"},
        "title": "two hundred",
        "start_time": "2030-02-01T10:00:00Z",
        "end_time": "2030-02-01T11:00:00Z",
        "timezone": "UTC",
    }
    with asgi_client(create_app(fixture=WORLD())) as client:
        client.patch("/_mock/settings", json={"truto": {"create_status": 200}}).raise_for_status()
        created = client.post(
            "/unified/calendar/events",
            params={"integrated_account_id": ACCOUNT},
            json=body,
            headers=TOKEN,
        )
        assert created.status_code == 200


def test_single_events_expands_a_series_and_its_instances_read_and_delete():
    params = {
        "integrated_account_id": ACCOUNT,
        "calendar[id]": "primary",
        "title": "Truto daily",
        "start_time": "2000-01-01T00:00:00Z",
        "end_time": "2100-01-01T00:00:00Z",
    }
    with asgi_client(create_app(fixture=WORLD())) as client:
        series = client.get("/unified/calendar/events", params=params, headers=TOKEN).json()
        [master] = series["result"]
        assert master["recurrence"] == ["RRULE:FREQ=DAILY;COUNT=3"]
        expanded = client.get(
            "/unified/calendar/events", params={**params, "single_events": "true"}, headers=TOKEN
        ).json()["result"]
        assert len(expanded) == 3
        assert all(e["parent_event"]["id"] == master["id"] for e in expanded)
        one = expanded[1]["id"]
        got = client.get(
            f"/unified/calendar/events/{one}",
            params={"integrated_account_id": ACCOUNT, "calendar[id]": "primary"},
            headers=TOKEN,
        )
        assert got.status_code == 200 and got.json()["start_time"] == expanded[1]["start_time"]
        gone = client.delete(
            f"/unified/calendar/events/{one}",
            params={"integrated_account_id": ACCOUNT, "calendar[id]": "primary"},
            headers=TOKEN,
        )
        assert gone.status_code == 200
        left = client.get(
            "/unified/calendar/events", params={**params, "single_events": "true"}, headers=TOKEN
        ).json()["result"]
        assert [e["id"] for e in left] == [expanded[0]["id"], expanded[2]["id"]]


CALENDLY = "c0a7c7e5-7e57-4000-8000-000000000004"


def calendly_types(client) -> list[dict[str, Any]]:
    response = client.get(
        "/unified/calendar/event_types", params={"integrated_account_id": CALENDLY}, headers=TOKEN
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_event_type_times_are_stamped_once_and_survive_dump_and_seed():
    """Without `created` in the world file an event type is created when the world loads; that
    moment is kept (reads agree, a dump holds it, a seed from the dump shows the same)."""
    with asgi_client(create_app(fixture=WORLD())) as client:
        first = calendly_types(client)
        client.post("/_mock/clock", json={"advance": 3600}).raise_for_status()
        assert calendly_types(client) == first
        dumped = client.get("/_mock/state").json()
        stamped = next(a for a in dumped["truto"]["integrated_accounts"] if a["id"] == CALENDLY)
        assert all("created" in et and "updated" in et for et in stamped["event_types"])
        client.post("/_mock/seed", json=dumped).raise_for_status()
        assert [e["created_at"] for e in calendly_types(client)] == [e["created_at"] for e in first]


def test_event_type_times_from_the_world_file():
    world = WORLD()
    acc = next(a for a in world["truto"]["integrated_accounts"] if a["id"] == CALENDLY)
    acc["event_types"][0] |= {"created": "2024-03-01T09:00:00Z", "updated": "now-1d"}
    with asgi_client(create_app(fixture=world)) as client:
        et = calendly_types(client)[0]
    assert et["created_at"] == "2024-03-01T09:00:00.000Z"
    assert et["remote_data"]["created_at"] == "2024-03-01T09:00:00.000000Z"
    assert et["updated_at"] > et["created_at"]


@pytest.mark.parametrize("value", ["today+1d", "yesterday", "2024-03-01T09:00:00"])
def test_a_bad_event_type_time_names_its_place(value):
    world = WORLD()
    index, acc = next(
        (i, a) for i, a in enumerate(world["truto"]["integrated_accounts"]) if a["id"] == CALENDLY
    )
    acc["event_types"][0]["created"] = value
    places = [p for p, _ in check(world)]
    assert f"$.truto.integrated_accounts[{index}].event_types[0].created" in places
