"""Truto and Cronofy over one calendar world: in the demo world Alice's Google Calendar
integrated account and the Cronofy app's token both see her Google Work calendar, so an event
written through one API reads back changed through the other (Truto's event id is the Google
event id Cronofy shows with google_event_ids=true)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
ALICE_GOOGLE = "0a11ce00-7e57-4d00-8000-000000000001"
WORK = "cal_a11cedemo0001_work"
EVENTS = "/unified/calendar/events"
START = (datetime.now(UTC) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app()) as c:
        yield c


def tick(client: httpx.Client, seconds: int = 5) -> None:
    """Stamps are whole seconds: move the clock so a write's `updated` visibly moves."""
    client.post("/_mock/clock", json={"advance": seconds}).raise_for_status()


def cronofy_events(client: httpx.Client, **extra: Any) -> dict[str, dict[str, Any]]:
    params = {
        "tzid": "Etc/UTC",
        "calendar_ids[]": WORK,
        "from": (START - timedelta(days=1)).date().isoformat(),
        "to": (START + timedelta(days=2)).date().isoformat(),
        "google_event_ids": "true",
        "include_managed": "true",
        **extra,
    }
    response = client.get("/v1/events", params=params, headers=CRONOFY)
    assert response.status_code == 200, response.text
    return {e["google_event_id"]: e for e in response.json()["events"]}


def truto_body(**extra: Any) -> dict[str, Any]:
    return {
        "calendar": {"id": "primary"},
        "title": "Written through Truto",
        "description": "shared",
        "start_time": stamp(START),
        "end_time": stamp(START + timedelta(hours=1)),
        "timezone": "Europe/London",
        **extra,
    }


def truto_get(client: httpx.Client, eid: str) -> httpx.Response:
    return client.get(
        f"{EVENTS}/{eid}",
        params={"integrated_account_id": ALICE_GOOGLE, "calendar[id]": "primary"},
        headers=TRUTO,
    )


def test_an_event_written_through_truto_shows_up_changed_through_cronofy(client):
    created = client.post(
        EVENTS, params={"integrated_account_id": ALICE_GOOGLE}, json=truto_body(), headers=TRUTO
    )
    assert created.status_code == 201, created.text
    eid = created.json()["id"]
    seen = cronofy_events(client)[eid]
    assert seen["summary"] == "Written through Truto"
    assert seen["start"] == stamp(START)
    assert "event_id" not in seen  # not the Cronofy app's: an external event to it
    tick(client)
    renamed = client.patch(
        f"{EVENTS}/{eid}",
        params={"integrated_account_id": ALICE_GOOGLE},
        json=truto_body(title="Renamed through Truto"),
        headers=TRUTO,
    )
    assert renamed.status_code == 200, renamed.text
    after = cronofy_events(client)[eid]
    assert after["summary"] == "Renamed through Truto"
    assert after["updated"] > seen["updated"]
    assert after["description"] == "shared"
    deleted = client.delete(
        f"{EVENTS}/{eid}",
        params={"integrated_account_id": ALICE_GOOGLE, "calendar[id]": "primary"},
        headers=TRUTO,
    )
    assert deleted.status_code == 200
    assert eid not in cronofy_events(client)
    assert cronofy_events(client, include_deleted="true")[eid]["deleted"] is True


def test_an_event_changed_through_cronofy_shows_up_changed_through_truto(client):
    upsert = client.post(
        f"/v1/calendars/{WORK}/events",
        json={
            "event_id": "shared-world-1",
            "summary": "Written through Cronofy",
            "description": "from the Cronofy app",
            "start": stamp(START),
            "end": stamp(START + timedelta(minutes=30)),
            "tzid": "Europe/London",
        },
        headers=CRONOFY,
    )
    assert upsert.status_code == 202, upsert.text
    eid = next(
        k for k, e in cronofy_events(client).items() if e.get("event_id") == "shared-world-1"
    )
    before = truto_get(client, eid)
    assert before.status_code == 200, before.text
    assert before.json()["title"] == "Written through Cronofy"
    assert before.json()["remote_data"]["summary"] == "Written through Cronofy"
    tick(client)
    again = client.post(
        f"/v1/calendars/{WORK}/events",
        json={
            "event_id": "shared-world-1",
            "summary": "Changed through Cronofy",
            "start": stamp(START + timedelta(hours=1)),
            "end": stamp(START + timedelta(hours=2)),
        },
        headers=CRONOFY,
    )
    assert again.status_code == 202
    after = truto_get(client, eid).json()
    assert after["title"] == "Changed through Cronofy"
    assert after["start_time"] == stamp(START + timedelta(hours=1))[:-1] + ".000Z"
    assert after["updated_at"] > before.json()["updated_at"]
    # and a Truto change to the Cronofy app's event is what the app then reads
    tick(client)
    client.patch(
        f"{EVENTS}/{eid}",
        params={"integrated_account_id": ALICE_GOOGLE},
        json=truto_body(title="Changed back through Truto"),
        headers=TRUTO,
    ).raise_for_status()
    assert cronofy_events(client)[eid]["summary"] == "Changed back through Truto"
    assert cronofy_events(client)[eid]["event_id"] == "shared-world-1"


def test_an_external_event_seeded_in_the_world_is_the_same_event_in_both(client):
    events = cronofy_events(
        client,
        **{
            "from": datetime.now(UTC).date().isoformat(),
            "to": (datetime.now(UTC) + timedelta(days=3)).date().isoformat(),
        },
    )
    external = next(e for e in events.values() if e["event_uid"].endswith("0002"))
    got = truto_get(client, external["google_event_id"]).json()
    assert got["title"] == external["summary"]
    assert {a["person"]["emails"][0]["email"] for a in got["attendees"]} == {
        a["email"] for a in external["attendees"]
    }
