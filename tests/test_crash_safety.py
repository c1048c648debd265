"""Crash safety of `mockserver serve --state-file`: a real server process is SIGKILLed while a
client writes and saves in a loop (POST /_mock/save), then started again on the same file.
Every save the server acknowledged must load intact after the kill, no temporary file may be
left once it is up again, and the final SIGTERM must save.

ROUNDS kills by default; MOCKSERVER_HEAVY=1 runs more. The figures (rounds, acknowledged
saves, temp files found and removed) are printed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import httpx

from mockserver.state import check
from tests.test_state_file import ALICE, WORK, Serve

HEAVY = os.environ.get("MOCKSERVER_HEAVY") == "1"
ROUNDS = 25 if HEAVY else 3
DEADLINE = 30  # seconds one round may take


def managed_ids(srv: Serve) -> set[str]:
    params = {"tzid": "Etc/UTC", "only_managed": "true"}
    ids: set[str] = set()
    url = f"{srv.url}/v1/events"
    for _ in range(100):
        page = httpx.get(url, params=params, headers=ALICE, timeout=10).json()
        ids |= {e["event_id"] for e in page["events"]}
        url, params = page["pages"].get("next_page"), {}
        if not url:
            break
    return ids


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


def write_and_save(srv: Serve, tag: str, acked: list[str], stop: threading.Event) -> None:
    """Upsert, then save; an event counts once its save was acknowledged (200)."""
    with httpx.Client(base_url=srv.url, timeout=10) as c:
        for i in range(10_000):
            if stop.is_set():
                return
            event_id = f"{tag}-{i}"
            body = {
                "event_id": event_id,
                "summary": event_id,
                "start": "2030-01-08T10:00:00Z",
                "end": "2030-01-08T11:00:00Z",
            }
            try:
                if (
                    c.post(f"/v1/calendars/{WORK}/events", json=body, headers=ALICE).status_code
                    != 202
                ):
                    return
                if c.post("/_mock/save").status_code == 200:
                    acked.append(event_id)
            except httpx.TransportError:
                return  # killed


def test_sigkill_during_saves_loses_no_acknowledged_save(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    acked: list[str] = []
    found_temp = 0
    rng = random.Random(7)
    for round_no in range(ROUNDS):
        srv = Serve("--state-file", str(state), "--log-level", "warning").wait_ready()
        assert temp_files(tmp_path) == []  # removed at start, whatever the kill left
        assert set(acked) <= managed_ids(srv)  # every acknowledged save came back
        stop = threading.Event()
        writer = threading.Thread(
            target=write_and_save, args=(srv, f"r{round_no}", acked, stop), daemon=True
        )
        writer.start()
        deadline = time.monotonic() + DEADLINE
        before = len(acked)
        while len(acked) < before + 3 and time.monotonic() < deadline and writer.is_alive():
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))  # somewhere inside the next save
        srv.stop(signal.SIGKILL)
        stop.set()
        writer.join(DEADLINE)
        assert len(acked) >= before + 3, "no saves were acknowledged in this round"
        found_temp += bool(temp_files(tmp_path))
        document = json.loads(state.read_bytes())  # never half a file
        assert check(document) == []
    srv = Serve("--state-file", str(state), "--log-level", "warning").wait_ready()
    assert temp_files(tmp_path) == []
    assert set(acked) <= managed_ids(srv)
    srv.upsert("after-the-kills")
    _, err = srv.stop(signal.SIGTERM)
    assert "state saved" in err, err
    assert temp_files(tmp_path) == []
    saved = json.loads(state.read_bytes())
    assert "after-the-kills" in json.dumps(saved)
    print(
        f"\ncrash safety: {ROUNDS} kill rounds, {len(acked)} acknowledged saves kept, "
        f"temp files left by a kill (and removed at restart) in {found_temp} rounds"
    )
