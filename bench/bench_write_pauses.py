"""Where a write's tail comes from, without sockets: `python bench/bench_write_pauses.py [-n N]`.

Seeds the bench world (bench_cronofy.world: one calendar of --events events) into a
ServerState, then sends N managed upserts, each a new event_id, straight into the ASGI app one
after another (no client, no socket, no queueing behind other connections). It prints the
latency percentiles of those calls and, from `gc.callbacks`, how many collections of each
generation ran during them and how long they took: a percentile that matches a collection's
pause is the collector's; one that does not is the request's own work. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cronofy as bc  # noqa: E402

from mockserver.app import create_app  # noqa: E402
from mockserver.state import ServerState  # noqa: E402


def upsert_body(i: int, base: datetime) -> bytes:
    start = base + timedelta(minutes=i)
    end = start + timedelta(minutes=30)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    body = {"event_id": f"pause-{i}", "summary": "x", "start": start.strftime(fmt)}
    return json.dumps({**body, "end": end.strftime(fmt)}).encode()


async def call(app, body: bytes, token: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": bc.UPSERT_PATH,
        "raw_path": bc.UPSERT_PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", token),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status: list[int] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="upserts to time")
    parser.add_argument("--events", type=int, default=10_000, help="events seeded first")
    opts = parser.parse_args()
    now = datetime.now(UTC)
    state = ServerState(fixture=bc.world(opts.events, now))
    app = create_app(state=state)
    token = f"Bearer {bc.TOKEN}".encode()
    base = now.replace(second=0, microsecond=0) + timedelta(days=3)
    pauses: dict[int, list[float]] = defaultdict(list)
    began = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - began[0])

    async def run() -> list[float]:
        out = []
        for i in range(opts.n):
            body = upsert_body(i, base)
            t0 = time.perf_counter()
            status = await call(app, body, token)
            out.append(time.perf_counter() - t0)
            if status != 202:
                raise SystemExit(f"upsert {i} answered {status}")
        return out

    gc.callbacks.append(on_gc)
    try:
        latencies = sorted(asyncio.run(run()))
    finally:
        gc.callbacks.remove(on_gc)
    n = len(latencies)

    def pct(p: float) -> str:
        return f"{latencies[min(n - 1, int(n * p))] * 1e6:8.0f} µs"

    print(f"{n:,} upserts into a calendar of {opts.events:,} events, in-process, one at a time")
    print(
        f"  p50 {pct(0.5)}  p99 {pct(0.99)}  p99.9 {pct(0.999)}  max {latencies[-1] * 1e3:.2f} ms"
    )
    for gen in sorted(pauses):
        got = pauses[gen]
        print(
            f"  gc generation {gen}: {len(got):5d} collections, "
            f"max {max(got) * 1e3:6.2f} ms, total {sum(got) * 1e3:7.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
