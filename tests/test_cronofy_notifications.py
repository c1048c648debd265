"""Cronofy push notifications, fake-internal side (reference/webhooks.md §1.3, §1.7): the
signature against the published test vectors and against pycronofy's own verifier on a real
delivery, several client secrets, and pycronofy's channel calls against the fake."""

from __future__ import annotations

from collections.abc import Iterator

import pycronofy
import pytest

from mockserver.app import create_app
from mockserver.core.fixtures import demo_path, read
from mockserver.cronofy.notifications import hmac_valid, sign
from mockserver.delivery.receiver import Receiver
from mockserver.testing import LiveServer, asgi_client

TOKEN = "cronofyDemoAliceAllScopes0000001"
CLIENT_ID = "cronofy_demo_client_id_0000000001"
SECRET = "cronofy_demo_client_secret_00000000000001"
WORK = "cal_a11cedemo0001_work"
WELL_KNOWN = b'{"example":"well-known"}'


@pytest.mark.rule("webhooks", "cronofy-16")
@pytest.mark.parametrize(
    ("secret", "header"),
    [
        # the older authentication page and cronofy-csharp's HmacVerification.cs
        ("pDY0Oi7TJSP2hfNmZNkm5", "6r2/HjBkqymGegX0wOfifieeUXbbHwtV/LohHS+jv6c="),
        # the current authentication page
        (
            "CRN_NggYusqPGLxwjw5FHOJYOqSrTPNXy8WQf14OID",
            "5DxentQi5YSXODEzTVv06sRwJ3pULIz1KrYv20qxEK0=",
        ),
        (
            "CRN_nGlYDFXwfSXgB9rvGNBJyfE454GGPtWIbNuPwr",
            "BmQmWVuZ70ILWjr1CAt5oC7YOolgnku4WZtlrKfx/6k=",
        ),
        # pycronofy/tests/common_data.py's secret, pycronofy/tests/test_client.py
        ("opposable thumbs", "38ArsN7+J/O8joGsgirVEdV16a/+eb+5QgHGIiuv4hk="),
    ],
)
def test_rule_16_signatures_reproduce_the_published_vectors(secret, header):
    assert sign(WELL_KNOWN, [secret]) == header
    assert hmac_valid(header, WELL_KNOWN, secret)
    assert not hmac_valid(header, WELL_KNOWN + b" ", secret)


@pytest.mark.rule("webhooks", "cronofy-15")
def test_rule_15_several_secrets_are_joined_by_a_bare_comma():
    secrets = [
        "CRN_NggYusqPGLxwjw5FHOJYOqSrTPNXy8WQf14OID",
        "CRN_nGlYDFXwfSXgB9rvGNBJyfE454GGPtWIbNuPwr",
    ]
    assert sign(WELL_KNOWN, secrets) == (
        "5DxentQi5YSXODEzTVv06sRwJ3pULIz1KrYv20qxEK0=,BmQmWVuZ70ILWjr1CAt5oC7YOolgnku4WZtlrKfx/6k="
    )


def rotated_world() -> dict:
    world = read(demo_path())
    world["cronofy"]["apps"][0]["other_client_secrets"] = ["a-second-active-secret"]
    return world


@pytest.mark.rule("webhooks", "cronofy-15")
def test_rule_15_a_rotation_signs_every_delivery_once_per_secret():
    app = create_app(fixture=rotated_world())
    receiver = Receiver()
    app.state.server.deliveries.mount("http://hooks.test", receiver.transport())
    with asgi_client(app) as client:
        created = client.post(
            "/v1/channels",
            json={"callback_url": "http://hooks.test/cronofy"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert created.status_code == 200, created.text
        (got,) = receiver.wait_for()
    values = got.header("cronofy-hmac-sha256").split(",")
    assert values == [sign(got.body, [SECRET]), sign(got.body, ["a-second-active-secret"])]
    # an SDK that knows only the new secret still accepts it
    assert hmac_valid(got.header("cronofy-hmac-sha256"), got.body, "a-second-active-secret")
    dumped = client_state_dump(app)
    assert dumped["cronofy"]["apps"][0]["other_client_secrets"] == ["a-second-active-secret"]


def client_state_dump(app) -> dict:
    return app.state.server.dump()


@pytest.fixture
def live() -> Iterator[tuple[LiveServer, Receiver]]:
    receiver = Receiver().serve()
    with LiveServer() as server:
        yield server, receiver
    receiver.close()


def pycronofy_client(base_url: str) -> pycronofy.Client:
    client = pycronofy.Client(client_id=CLIENT_ID, client_secret=SECRET, access_token=TOKEN)
    client.request_handler.base_url = base_url
    return client


@pytest.mark.rule("webhooks", "cronofy-14")
def test_pycronofy_verifies_a_real_delivery_with_its_own_helper(live):
    """The owner moves a meeting; the channel's notification passes pycronofy's hmac_valid."""
    server, receiver = live
    client = pycronofy_client(server.url)
    channel = client.create_notification_channel(receiver.url + "/cronofy/notify")
    assert channel["channel_id"].startswith("chn_")
    receiver.wait_for(lambda r: r.json()["notification"]["type"] == "verification")
    ev = server.state.owner.create_event(
        WORK, summary="Owner's meeting", start="today+2dT10:00", end="today+2dT11:00"
    )
    server.state.owner.move_event(ev.uid, "today+2dT15:00")
    (change, *_) = receiver.wait_for(lambda r: r.json()["notification"]["type"] == "change")
    header = change.header("cronofy-hmac-sha256")
    assert client.hmac_valid(header, change.text) is True
    assert client.hmac_valid(header, change.text.replace("change", "chanje")) is False
    wrong = pycronofy.Client(
        client_id=CLIENT_ID, client_secret="not-the-secret", access_token=TOKEN
    )
    assert wrong.hmac_valid(header, change.text) is False
    # and the sync loop closes: Read Events with last_modified=changes_since shows the move
    since = change.json()["notification"]["changes_since"]
    events = client.read_events(calendar_ids=(WORK,), last_modified=since, tzid="Etc/UTC")
    assert ev.uid in {e["event_uid"] for e in events}


def test_pycronofy_channel_calls_work_unchanged(live):
    server, receiver = live
    client = pycronofy_client(server.url)
    made = client.create_notification_channel(
        receiver.url + "/cronofy/filtered", calendar_ids=(WORK,), only_managed=True
    )
    assert made["filters"] == {"calendar_ids": [WORK], "only_managed": True}
    listed = client.list_notification_channels()
    assert [c["channel_id"] for c in listed] == [made["channel_id"]]
    client.close_notification_channel(made["channel_id"])
    assert client.list_notification_channels() == []


def test_a_rejected_write_notifies_nobody():
    """A request that fails changes nothing and emits nothing (the feed is transactional)."""
    app = create_app()
    state = app.state.server
    receiver = Receiver()
    state.deliveries.mount("http://hooks.test", receiver.transport())
    with asgi_client(app) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        client.post("/v1/channels", json={"callback_url": "http://hooks.test/c"}, headers=headers)
        state.deliveries.flush()
        mark = state.world.changes.last_seq
        batch = {
            "batch": [
                {
                    "method": "POST",
                    "relative_url": f"/v1/calendars/{WORK}/events",
                    "data": {"event_id": "half", "summary": "x", "start": "bad", "end": "bad"},
                }
            ]
        }
        assert client.post("/v1/batch", json=batch, headers=headers).status_code == 207
        state.deliveries.flush()
    assert state.world.changes.last_seq == mark
    assert [r.json()["notification"]["type"] for r in receiver.received] == ["verification"]
