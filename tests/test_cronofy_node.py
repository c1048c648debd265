"""The npm `cronofy` package (3.8.4) against a live fake, with nothing changed but its API URL:
push notification channels (create, list, close) and its own `hmacValid` on a real delivery.
The package is installed once by tests/node_cronofy.py; without node and npm the module is
skipped with the reason."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from node_cronofy import installed

from mockserver.delivery.receiver import Receiver
from mockserver.testing import LiveServer

DRIVER = Path(__file__).with_name("cronofy_node_channels.js")
TOKEN = "cronofyDemoAliceAllScopes0000001"
SECRET = "cronofy_demo_client_secret_00000000000001"


def drive(*args: str, stdin: str | None = None) -> dict:
    env = {**os.environ, "NODE_PATH": str(installed().parent)}
    result = subprocess.run(
        ["node", str(DRIVER), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, Receiver]]:
    receiver = Receiver().serve()
    with LiveServer() as server:
        yield server, receiver
    receiver.close()


@pytest.mark.rule("webhooks", "cronofy-14")
def test_the_node_sdk_subscribes_verifies_and_closes(live):
    server, receiver = live
    seen = drive("subscribe", server.url, TOKEN, receiver.url + "/node")
    channel = seen["created"]["channel"]
    assert channel["callback_url"] == receiver.url + "/node" and channel["filters"] == {}
    assert [c["channel_id"] for c in seen["listed"]["channels"]] == [channel["channel_id"]]
    (got,) = receiver.wait_for(lambda r: r.path == "/node")
    assert got.json()["notification"] == {"type": "verification"}
    verdict = drive(
        "verify",
        SECRET,
        stdin=json.dumps({"hmac": got.header("cronofy-hmac-sha256"), "body": got.text}),
    )
    assert verdict == {"valid": True, "wrong": False}
    closed = drive("close", server.url, TOKEN, channel["channel_id"])
    assert closed["after"] == {"channels": []}
