"""Write latency as one calendar grows: `python bench/bench_tails.py [--sizes 10000,...] [-d 5s]`.

For each size it seeds `mockserver serve` (pinned to CPU 0) with one calendar of that many events
(bench_cronofy.world) and runs wrk (pinned to CPU 1, 16 connections) against Upsert Event with a
new event_id per request, so the calendar keeps growing during the run. It prints req/s and the
p50 / p99 / max latency per size: p99 should stay flat as the calendar grows (a collector pass
over every record, or an index rebuilt per write, would show here). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_cronofy as bc  # noqa: E402 - the bench helpers: worlds, servers, wrk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,20000,30000,40000,50000")
    parser.add_argument("-d", "--duration", default="5s")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    opts = parser.parse_args(argv)
    opts.threads, opts.wrk_timeout, opts.warmup, opts.verbose = 2, "10s", "1s", False
    wrk_cmd = opts.wrk
    print(
        f"wrk -c{opts.connections} -d{opts.duration} on CPU 1, server on CPU 0; upsert, a new "
        "event per request"
    )
    print(f"{'events':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        script = work / "upsert.lua"
        script.write_text(bc.UPSERT_LUA + bc.DONE_LUA)
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1:  # wrk on CPU 1
            pinned = work / "wrk-pinned"
            pinned.write_text(f'#!/bin/sh\nexec taskset -c 1 {wrk_cmd} "$@"\n')
            pinned.chmod(0o755)
            opts.wrk = str(pinned)
        for n in (int(s) for s in opts.sizes.split(",")):
            port = bc.free_port()
            server = bc.Server(
                "fake",
                bc.fake_command(port),
                port,
                work / f"fake-{n}.log",
            )
            try:
                server.start("/_mock", timeout=120)
                bc.seed(server, n, work, timeout=600)
                res = bc.measure(
                    opts,
                    f"upsert-{n}",
                    n,
                    port,
                    bc.UPSERT_PATH,
                    script,
                    {**bc.auth_headers(), "Content-Type": "application/json"},
                    [f"tails{n}"],
                )
                print(
                    f"{n:>8,} {res.rps:>9.0f} {res.p50_ms:>8.2f} {res.p99_ms:>8.2f} "
                    f"{res.max_ms:>8.2f}",
                    flush=True,
                )
            finally:
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
