"""Load-test the fake's Cal.com unified calendar-event routes with wrk, beside a bare Starlette
endpoint (the same machinery as bench_cronofy.py).

    python bench/bench_calcom.py            # -t2 -c16 -d10s per scenario
    python bench/bench_calcom.py --quick    # -d3s

It writes a world of N bookings (default 10,000; --bookings) for one Cal.com user, each with its
Google event in one calendar, starts `mockserver serve` on a free 127.0.0.1 port, seeds it through
POST /_mock/seed, switches Cal.com's rate limit off (PATCH /_mock/settings), and runs wrk against:

  get-event    GET  /v2/calendars/google/event/{eventUid}   (one booked event, read back)
  patch-event  PATCH /v2/calendars/google/events/{eventUid} (a new title on every request, so
               every request is a real write through the World's transaction)

Any non-2xx answer or socket error counted by wrk fails the run (exit status 1). It prints req/s,
p50 and p99 per scenario and each scenario's req/s as a share of the bare endpoint's. A tool for
people: nothing in pytest asserts timings.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cronofy import (  # noqa: E402 - the shared wrk machinery
    DONE_LUA,
    HOST,
    BenchError,
    Result,
    Server,
    free_port,
    measure,
    request,
)

KEY = "cal_bench00000000000000000000000001"
EVENT_UID = "benchcalc0m00000000000000"
SCENARIOS = ("bare", "get-event", "patch-event")

# A new title per request: `bench-<thread>-<n>`; the body and headers come from here and -H.
PATCH_LUA = r"""
local threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("tid", threads_made)
end
local counter = 0
function request()
  counter = counter + 1
  local body = string.format('{"title":"bench-%d-%d"}', tid, counter)
  return wrk.format("PATCH", nil, nil, body)
end
"""


def world(n: int, now: datetime) -> dict[str, Any]:
    """One Google calendar with n booked events, 30 minutes each, spread over 200 days."""
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    step = timedelta(days=200) / max(n, 1)
    bookings = []
    for i in range(n):
        at = start + step * i
        bookings.append(
            {
                "id": i + 1,
                "uid": f"benchBooking{i:010d}",
                "eventType": 1,
                "start": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "attendees": [{"name": f"Booker {i}", "email": f"b{i}@bench.example"}],
                "googleEventId": EVENT_UID if i == n // 2 else f"benchcalc0m{i:014d}",
            }
        )
    return {
        "version": 1,
        "accounts": [
            {
                "id": "acc_benchca1c0m0000000000001",
                "email": "host@bench.example",
                "name": "Bench Host",
                "profiles": [
                    {
                        "id": "pro_benchca1c01",
                        "provider_name": "google",
                        "name": "host@bench.example",
                        "calendars": [
                            {
                                "id": "cal_benchca1c01_main",
                                "name": "Main",
                                "primary": True,
                                "provider_id": "host@bench.example",
                            }
                        ],
                    }
                ],
            }
        ],
        "calcom": {
            "users": [
                {
                    "id": 1,
                    "username": "bench",
                    "account": "acc_benchca1c0m0000000000001",
                    "credentials": [{"id": 1, "profile": "pro_benchca1c01"}],
                    "apiKeys": [{"key": KEY}],
                }
            ],
            "eventTypes": [
                {"id": 1, "user": 1, "slug": "bench", "title": "Bench", "lengthInMinutes": 30}
            ],
            "bookings": bookings,
        },
    }


def headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}


def run(opts: argparse.Namespace, work: Path) -> list[Result]:
    done, patch = work / "done.lua", work / "patch.lua"
    done.write_text(DONE_LUA)
    patch.write_text(PATCH_LUA + DONE_LUA)
    results: list[Result] = []
    py = [sys.executable]
    if "bare" in opts.only:
        port = free_port()
        bare = Server(
            "bare app",
            [*py, str(HERE / "bare_app.py"), "--host", HOST, "--port", str(port),
             "--log-level", opts.log_level],
            port,
            work / "bare.log",
        )  # fmt: skip
        try:
            bare.start("/")
            results.append(measure(opts, "bare", None, port, "/", done, {}))
        finally:
            bare.stop()
    if not {"get-event", "patch-event"} & set(opts.only):
        return results
    port = free_port()
    server = shlex.split(opts.server) if opts.server else [*py, "-m", "mockserver"]
    mock = Server(
        "mockserver",
        [*server, "serve", "--host", HOST, "--port", str(port), "--log-level", opts.log_level],
        port,
        work / "mockserver.log",
    )
    try:
        mock.start("/_mock")
        body = json.dumps(world(opts.bookings, datetime.now(UTC))).encode()
        (work / "world.json").write_bytes(body)
        status, answer = request(port, "POST", "/_mock/seed", body, timeout=opts.seed_timeout)
        if status != 200:
            raise BenchError(f"seed: HTTP {status}: {answer[:300]!r}")
        off = json.dumps({"calcom": {"rate_limit": False}}).encode()
        if request(port, "PATCH", "/_mock/settings", off)[0] != 200:
            raise BenchError("could not switch the Cal.com rate limit off")
        get_path = f"/v2/calendars/google/event/{EVENT_UID}"
        patch_path = f"/v2/calendars/google/events/{EVENT_UID}"
        status, answer = request(port, "GET", get_path, headers=headers())
        if status != 200 or json.loads(answer)["data"]["id"] != EVENT_UID:
            raise BenchError(f"GET preflight: HTTP {status}: {answer[:300]!r}")
        status, answer = request(port, "PATCH", patch_path, b'{"title":"x"}', headers())
        if status != 200 or json.loads(answer)["data"]["title"] != "x":
            raise BenchError(f"PATCH preflight: HTTP {status}: {answer[:300]!r}")
        n = opts.bookings
        if "get-event" in opts.only:
            results.append(measure(opts, "get-event", n, port, get_path, done, headers()))
        if "patch-event" in opts.only:
            results.append(measure(opts, "patch-event", n, port, patch_path, patch, headers()))
    finally:
        mock.stop()
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-t", "--threads", type=int, default=2)
    p.add_argument("-c", "--connections", type=int, default=16)
    p.add_argument("-d", "--duration", default="10s")
    p.add_argument("--quick", action="store_true", help="-d3s")
    p.add_argument("--warmup", default="1s")
    p.add_argument("--wrk", default="wrk")
    p.add_argument("--wrk-timeout", default="5s")
    p.add_argument("--bookings", type=int, default=10_000)
    p.add_argument("--only", default=",".join(SCENARIOS))
    p.add_argument("--server", help="command taking serve --host --port --log-level")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--seed-timeout", type=float, default=300.0)
    p.add_argument("--keep", help="keep the world, Lua scripts and logs in this directory")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("-v", "--verbose", action="store_true")
    opts = p.parse_args(argv)
    if opts.quick:
        opts.duration = "3s"
    opts.only = [s for s in opts.only.split(",") if s]
    if bad := [s for s in opts.only if s not in SCENARIOS]:
        p.error(f"unknown scenarios {bad}; choose from {', '.join(SCENARIOS)}")
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-calcom-") as tmp:
        work = Path(opts.keep) if opts.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        try:
            results = run(opts, work)
        except BenchError as exc:
            print(f"bench failed: {exc}", file=sys.stderr)
            return 1
    bare = next((r for r in results if r.scenario == "bare"), None)
    for r in results:
        if bare and r is not bare and bare.rps:
            r.vs_bare = r.rps / bare.rps
            print(f"  {r.scenario:<11} {r.vs_bare:6.1%} of the bare endpoint's req/s")
    if opts.json:
        Path(opts.json).write_text(json.dumps([r.__dict__ for r in results], indent=2))
    failed = [f"{r.scenario}: {'; '.join(r.failures)}" for r in results if r.failures]
    for line in failed:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
