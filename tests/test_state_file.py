"""`mockserver serve --state-file PATH`: load at start, save atomically on POST /_mock/save and
on shutdown (SIGTERM or Ctrl-C), in a real `python -m mockserver serve` process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client, free_port

ALICE = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
WORK = "cal_a11cedemo0001_work"
DEADLINE = 30  # seconds any one step may take


class Serve:
    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> Serve:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.proc.communicate()}")
            try:
                if httpx.get(self.url + "/_mock", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[str, str]:
        self.proc.send_signal(sig)
        try:
            return self.proc.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def upsert(self, event_id: str) -> None:
        when = date.today() + timedelta(days=2)
        body = {
            "event_id": event_id,
            "summary": event_id,
            "start": f"{when}T10:00:00Z",
            "end": f"{when}T11:00:00Z",
        }
        response = httpx.post(f"{self.url}/v1/calendars/{WORK}/events", json=body, headers=ALICE)
        assert response.status_code == 202, response.text

    def managed_ids(self) -> set[str]:
        response = httpx.get(
            f"{self.url}/v1/events",
            params={"tzid": "Etc/UTC", "only_managed": "true"},
            headers=ALICE,
        )
        return {e["event_id"] for e in response.json()["events"]}


@pytest.fixture
def servers():
    started: list[Serve] = []

    def start(*args: str) -> Serve:
        started.append(Serve(*args).wait_ready())
        return started[-1]

    yield start
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.communicate()


def managed_in(path: Path) -> set[str]:
    world = json.loads(path.read_text())
    return {
        e["managed_by"]["event_id"]
        for a in world["accounts"]
        for p in a["profiles"]
        for c in p["calendars"]
        for e in c["events"]
        if "managed_by" in e
    }


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_save_on_request_and_on_shutdown_then_load_at_start(tmp_path, servers, sig):
    path = tmp_path / "state.json"
    first = servers("--state-file", str(path))
    assert not path.exists()  # nothing there: the demo world was loaded
    first.upsert("saved-by-request")
    response = httpx.post(first.url + "/_mock/save")
    assert response.status_code == 200, response.text
    assert response.json()["path"] == str(path)
    assert "saved-by-request" in managed_in(path)

    first.upsert("saved-at-shutdown")
    _, err = first.stop(sig)
    assert "state saved to" in err
    assert {"saved-by-request", "saved-at-shutdown"} <= managed_in(path)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left

    second = servers("--state-file", str(path))
    assert {"saved-by-request", "saved-at-shutdown"} <= second.managed_ids()
    # reset goes back to the world the state file held, not to the demo world
    second.upsert("after-restart")
    httpx.post(second.url + "/_mock/reset").raise_for_status()
    ids = second.managed_ids()
    assert "saved-at-shutdown" in ids and "after-restart" not in ids


def test_a_broken_state_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"accounts": [{"id": "x"}]}')
    proc = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(free_port())]
        + ["--state-file", str(path)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert proc.returncode == 1
    assert "$.accounts[0]: 'email' is a required property" in proc.stderr
    assert path.read_text() == '{"accounts": [{"id": "x"}]}'


def test_save_without_a_state_file_is_refused():
    with asgi_client(create_app()) as client:
        response = client.post("/_mock/save")
    assert response.status_code == 409
    assert "--state-file" in response.json()["detail"]
