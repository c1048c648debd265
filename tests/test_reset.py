"""`POST /_mock/reset` restores what the server started with (world, settings, clock, fault
rules, journal), as the pytest plugin's reset does; `{"keep": [...]}` leaves some as they are.
`latency: null` turns latency off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

AUTH = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
WORK = "cal_a11cedemo0001_work"
DAY = date.today() + timedelta(days=5)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app()) as c:
        yield c


def dirty(c: httpx.Client) -> None:
    """A change of every kind reset covers."""
    body = {
        "event_id": "reset-me",
        "summary": "x",
        "start": f"{DAY}",
        "end": f"{DAY + timedelta(days=1)}",
    }
    assert c.post(f"/v1/calendars/{WORK}/events", json=body, headers=AUTH).status_code == 202
    assert c.patch("/_mock/settings", json={"cronofy": {"page_size": 7}}).status_code == 200
    latency = {"mock": {"latency": 0.25, "latency_max": 0.5}}
    assert c.patch("/_mock/settings", json=latency).status_code == 200
    assert c.post("/_mock/clock", json={"advance": 86400, "freeze": True}).status_code == 200
    assert c.post("/_mock/faults", json={"path": "/v9/nowhere", "status": 500}).status_code == 201


def managed(c: httpx.Client) -> set[str]:
    params = {"tzid": "Etc/UTC", "only_managed": "true", "from": f"{DAY - timedelta(days=2)}"}
    response = c.get(
        "/v1/events", params={**params, "to": f"{DAY + timedelta(days=3)}"}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    return {e["event_id"] for e in response.json()["events"]} & {"reset-me"}


def test_reset_restores_world_settings_clock_faults_and_journal(client):
    start_settings = client.get("/_mock/settings").json()
    dirty(client)
    assert managed(client) == {"reset-me"}
    response = client.post("/_mock/reset")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "reset"
    assert body["restored"] == ["world", "settings", "clock", "faults", "journal"]
    assert body["kept"] == []
    assert client.get("/_mock/settings").json() == start_settings
    clock = client.get("/_mock/clock").json()
    assert clock["frozen"] is False and abs(clock["offset_seconds"]) < 5
    assert client.get("/_mock/faults").json() == {"faults": []}
    assert client.get("/_mock/journal").json()["entries"] == []
    assert managed(client) == set()


def test_keep_leaves_the_named_parts_as_they_are(client):
    dirty(client)
    response = client.post("/_mock/reset", json={"keep": ["settings", "clock"]})
    assert response.status_code == 200
    assert response.json()["restored"] == ["world", "faults", "journal"]
    settings = client.get("/_mock/settings").json()
    assert settings["cronofy"]["page_size"] == 7
    assert settings["mock"]["latency"] == 0.25
    clock = client.get("/_mock/clock").json()
    assert clock["frozen"] is True
    assert clock["now"] > f"{date.today() + timedelta(days=1)}"
    assert client.get("/_mock/faults").json() == {"faults": []}
    assert managed(client) == set()


def test_keep_world_and_journal(client):
    dirty(client)
    before = client.get("/_mock/journal").json()["total"]
    assert before >= 1
    response = client.post("/_mock/reset", json={"keep": ["world", "journal", "faults"]})
    assert response.status_code == 200
    assert managed(client) == {"reset-me"}  # the write is still there
    assert client.get("/_mock/journal").json()["total"] > before  # the read above is journaled
    assert len(client.get("/_mock/faults").json()["faults"]) == 1
    assert client.get("/_mock/settings").json()["cronofy"]["page_size"] == 100


@pytest.mark.parametrize(
    "body, message",
    [
        ({"keep": ["everything"]}, "cannot keep 'everything'"),
        ({"keep": 3}, '"keep" must be a list of names'),
        ([1], '"keep" must be a list of names'),
    ],
)
def test_a_bad_keep_is_refused_and_changes_nothing(client, body, message):
    dirty(client)
    response = client.post("/_mock/reset", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid reset"
    assert any(message in p for p in response.json()["problems"])
    assert managed(client) == {"reset-me"}
    assert client.get("/_mock/settings").json()["cronofy"]["page_size"] == 7


def test_latency_null_turns_latency_off(client):
    latency = {"mock": {"latency": 0.2, "latency_max": 0.5}}
    assert client.patch("/_mock/settings", json=latency).status_code == 200
    response = client.patch("/_mock/settings", json={"mock": {"latency": None}})
    assert response.status_code == 200, response.text
    assert response.json()["mock"]["latency"] == 0.0
    assert response.json()["mock"]["latency_max"] == 0.0


def test_null_for_another_setting_is_still_refused(client):
    response = client.patch("/_mock/settings", json={"cronofy": {"page_size": None}})
    assert response.status_code == 400
    assert response.json()["problems"] == ["cronofy.page_size must be int"]
