"""Outbound notifications: how many deliveries per second the fake sends to a local receiver,
and what a triggering request costs with 0 and with 20 subscribers (it should not grow: the
request only queues its change; rendering and sending happen on the delivery thread).

    python bench/bench_deliveries.py [--edits 100] [--subscribers 20] [--requests 300]

It starts `python -m mockserver serve` on a free loopback port (pinned to CPU 0 with taskset
where available) and runs the receiver and the load generator here (pinned to CPU 1). The
trigger is the calendar owner moving an event (`POST /_mock/owner/events/{id}/move`), which
notifies every Cronofy channel on the account. Latency is measured three ways: with the
previous request's deliveries drained first (`POST /_mock/deliveries/flush`, not timed), back to
back (the delivery thread competing for the same CPU), and with Cronofy's deliveries paused
(`POST /_mock/deliveries/pause`: the engine still renders and signs each delivery, 2 ms after
the change, but sends none). Last, in-process, the triggering request's own CPU time with the delivery
thread never woken, for 0, 1, N and 3N subscribers: the request path alone. Every loop is
bounded in count and time; nothing is asserted."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mockserver.delivery.receiver import Receiver  # noqa: E402
from mockserver.testing import free_port  # noqa: E402

TOKEN = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
WORK = "cal_a11cedemo0001_work"
DEADLINE = 120.0  # seconds any one phase may take


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        cmd = ["taskset", "-c", "0", *cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_mock", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(
        "the server did not start: " + (proc.stderr.read().decode() if proc.stderr else "")
    )


def pin_here() -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})


def subscribe(client: httpx.Client, receiver: Receiver, n: int) -> None:
    for i in range(n):
        body = {"callback_url": f"{receiver.url}/chn/{i}"}
        assert client.post("/v1/channels", json=body, headers=TOKEN).status_code == 200


def flush(client: httpx.Client) -> None:
    client.post("/_mock/deliveries/flush", json={"timeout": 60}).raise_for_status()


def make_event(client: httpx.Client) -> str:
    made = client.post(
        f"/_mock/owner/calendars/{WORK}/events",
        json={"summary": "Bench", "start": "today+2dT09:00", "end": "today+2dT10:00"},
    )
    made.raise_for_status()
    return made.json()["uid"]


def throughput(client: httpx.Client, receiver: Receiver, edits: int, subscribers: int) -> None:
    client.post("/_mock/reset").raise_for_status()
    client.patch("/_mock/settings", json={"cronofy": {"coalesce_notifications": False}})
    subscribe(client, receiver, subscribers)
    flush(client)
    uid = make_event(client)
    flush(client)
    receiver.clear()
    expected = edits * subscribers
    started = time.perf_counter()
    for i in range(edits):
        hour = 9 + i % 8
        client.post(f"/_mock/owner/events/{uid}/move", json={"start": f"today+2dT{hour:02d}:00"})
        if time.perf_counter() - started > DEADLINE:
            break
    sent = time.perf_counter()
    with contextlib.suppress(AssertionError):
        receiver.wait_for(count=expected, timeout=DEADLINE)
    elapsed = time.perf_counter() - started
    got = len(receiver.received)
    print(f"throughput: {edits} owner edits x {subscribers} channels = {expected} deliveries")
    print(f"  triggering requests took {sent - started:6.2f} s")
    print(f"  {got} delivered in {elapsed:6.2f} s: {got / elapsed:8.0f} deliveries/s")


def in_process(edits: int, subscribers: int) -> None:
    """The engine alone: the same deliveries to an in-process receiver (no sockets), here."""
    from mockserver.app import create_app
    from mockserver.testing import asgi_client

    app = create_app()
    state = app.state.server
    receiver = Receiver()
    receiver.url = "http://receiver.bench"
    state.deliveries.mount(receiver.url, receiver.transport())
    state.settings.cronofy.coalesce_notifications = False
    with asgi_client(app) as client:
        subscribe(client, receiver, subscribers)
        state.deliveries.flush()
        ev = state.owner.create_event(
            WORK, summary="Bench", start="today+2dT09:00", end="today+2dT10:00"
        )
        state.deliveries.flush()
        receiver.clear()
        started = time.perf_counter()
        for i in range(edits):
            state.owner.move_event(ev.uid, f"today+2dT{9 + i % 8:02d}:00")
        receiver.wait_for(count=edits * subscribers, timeout=DEADLINE)
        elapsed = time.perf_counter() - started
    print(
        f"  in-process receiver (the engine alone): {edits * subscribers / elapsed:8.0f}"
        " deliveries/s"
    )


def latency(client: httpx.Client, receiver: Receiver, subscribers: int, requests: int) -> None:
    client.post("/_mock/reset").raise_for_status()
    subscribe(client, receiver, subscribers)
    flush(client)
    uid = make_event(client)
    flush(client)
    for mode in ("drained first", "back to back ", "paused       "):
        drained, paused = mode.startswith("drained"), mode.startswith("paused")
        if paused:  # rendered and held, not sent
            client.post("/_mock/deliveries/pause", json={"provider": "cronofy"}).raise_for_status()
        times = []
        started = time.perf_counter()
        for i in range(requests):
            if drained:
                flush(client)
            t0 = time.perf_counter()
            response = client.post(
                f"/_mock/owner/events/{uid}/move", json={"start": f"today+2dT{9 + i % 8:02d}:00"}
            )
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.text
            if time.perf_counter() - started > DEADLINE:
                break
        if paused:
            client.post("/_mock/deliveries/resume", json={}).raise_for_status()
        flush(client)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"  {subscribers:3d} subscribers, {mode}: p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"
            f"  ({len(times)} requests)"
        )


def request_path(receiver: Receiver, counts: tuple[int, ...], requests: int) -> None:
    """The triggering request's own CPU time, in-process (the ASGI app runs in this thread),
    with the delivery thread never woken: what the request path itself costs per subscriber
    count, apart from the deliveries' work beside it."""
    from mockserver.app import create_app
    from mockserver.testing import asgi_client

    app = create_app()
    engine = app.state.server.deliveries
    print("request path alone (in-process, delivery thread not woken), CPU time p50:")
    with asgi_client(app) as client:
        for n in counts:
            client.post("/_mock/reset").raise_for_status()
            subscribe(client, receiver, n)
            flush(client)
            uid = make_event(client)
            flush(client)
            engine.kick = lambda: None  # queued, never sent
            times = []
            try:
                for i in range(requests):
                    t0 = time.thread_time()
                    client.post(
                        f"/_mock/owner/events/{uid}/move",
                        json={"start": f"today+2dT{9 + i % 8:02d}:00"},
                    ).raise_for_status()
                    times.append((time.thread_time() - t0) * 1e6)
            finally:
                del engine.kick
                engine._inbox.clear()  # noqa: SLF001 - what was never to be sent
            print(f"  {n:3d} subscribers: {statistics.median(times):6.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--subscribers", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    pin_here()
    receiver = Receiver().serve()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            throughput(client, receiver, args.edits, args.subscribers)
            in_process(args.edits, args.subscribers)
            print("triggering request latency (owner moves an event):")
            for n in (0, args.subscribers):
                latency(client, receiver, n, args.requests)
        request_path(receiver, (0, 1, args.subscribers, 3 * args.subscribers), args.requests)
    finally:
        receiver.close()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
