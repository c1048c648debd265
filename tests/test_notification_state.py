"""Subscriptions are provider state: Cronofy channels, Cal.com and Truto webhooks are in the
`/_mock/state` dump (and load back from it through `/_mock/seed`), in snapshots, and gone after
a reset; a world file may declare them, checked against each section's schema."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CALCOM = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app()) as c:
        yield c


def subscribe(client: httpx.Client) -> dict:
    channel = client.post(
        "/v1/channels",
        json={"callback_url": "http://hooks.test/c", "filters": {"only_managed": True}},
        headers=CRONOFY,
    ).json()["channel"]
    hook = client.post(
        "/v2/webhooks",
        json={
            "subscriberUrl": "http://hooks.test/cal",
            "triggers": ["BOOKING_CREATED"],
            "active": True,
            "secret": "s",
            "payloadTemplate": "{}",
        },
        headers=CALCOM,
    ).json()["data"]
    truto = client.post(
        "/webhook",
        json={"target_url": "http://hooks.test/t", "event_types": ["test"]},
        headers=TRUTO,
    ).json()
    return {"channel": channel, "calcom": hook, "truto": truto}


def listed(client: httpx.Client) -> tuple:
    return (
        client.get("/v1/channels", headers=CRONOFY).json()["channels"],
        client.get("/v2/webhooks", headers=CALCOM).json()["data"],
        [w["id"] for w in client.get("/webhook", headers=TRUTO).json()["result"]],
    )


def test_subscriptions_dump_and_seed_back(client):
    made = subscribe(client)
    dumped = client.get("/_mock/state").json()
    assert dumped["cronofy"]["channels"][0]["filters"] == {"only_managed": True}
    assert dumped["calcom"]["webhooks"][0]["secret"] == "s"
    assert dumped["truto"]["webhooks"][0]["secret"] == made["truto"]["secret"]
    before = listed(client)
    client.post("/_mock/reset").raise_for_status()
    assert listed(client) == ([], [], [])  # reset: back to the world file, which has none
    assert client.post("/_mock/seed", json=dumped).status_code == 200
    assert listed(client) == before
    assert listed(client)[0] == [made["channel"]]
    assert listed(client)[1] == [made["calcom"]]


def test_snapshots_restore_subscriptions(client):
    state = client._transport._transport.app.state.server  # type: ignore[attr-defined]
    subscribe(client)
    snap = state.snapshot()
    client.delete(f"/v1/channels/{listed(client)[0][0]['channel_id']}", headers=CRONOFY)
    assert listed(client)[0] == []
    state.restore(snap)
    assert len(listed(client)[0]) == 1


@pytest.mark.parametrize(
    ("section", "entry", "place"),
    [
        (
            "cronofy",
            {
                "channels": [
                    {
                        "channel_id": "chn_1",
                        "app": "nope",
                        "account": "x",
                        "callback_url": "http://h",
                    }
                ]
            },
            "$.cronofy.channels[0].app",
        ),
        (
            "calcom",
            {"webhooks": [{"id": "w", "subscriberUrl": "http://h", "triggers": [], "user": 999}]},
            "$.calcom.webhooks[0].user",
        ),
        ("truto", {"webhooks": [{"id": "w", "target_url": "http://h"}]}, "$.truto.webhooks[0]"),
    ],
)
def test_a_bad_subscription_in_a_world_file_is_named(client, section, entry, place):
    world = client.get("/_mock/state").json()
    world[section] = {**world[section], **entry}
    refused = client.post("/_mock/seed", json=world)
    assert refused.status_code == 400
    assert place in [p["place"] for p in refused.json()["problems"]]
