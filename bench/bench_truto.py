"""Load-test the fake's Truto list and PATCH paths with wrk (reuses bench_cronofy's helpers).

    python bench/bench_truto.py                # -t2 -c16 -d10s per scenario, 10,000 events
    python bench/bench_truto.py --quick -n 1000

It writes bench_cronofy's world (one Google calendar of N events) plus a Truto API token and a
googlecalendar integrated account on it, starts `mockserver serve` on a free 127.0.0.1 port,
seeds it, and runs wrk against:
  list   GET /unified/calendar/events?...&calendar[id]=primary&limit=100 (the first page of a
         window holding every event)
  page5  the fifth page of the same listing (next_cursor from four requests before)
  patch  PATCH /unified/calendar/events/{id}: one event renamed on every request, with start,
         end and timezone re-sent as Google requires
It prints req/s, p50 and p99 per scenario; any non-2xx answer fails the run (exit status 1).
Nothing here asserts timings in pytest."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_cronofy as bc  # noqa: E402

TRUTO_TOKEN = "benchTrutoApiToken00000000000001"
ACCOUNT_ID = "be4c4000-7e57-4000-8000-000000000001"
HEADERS = {"Authorization": f"Bearer {TRUTO_TOKEN}"}
PATCH_LUA = r"""
local counter = 0
function request()
  counter = counter + 1
  local body = string.format(
    '{"calendar":{"id":"primary"},"title":"Bench rename %d","start_time":"%s",'
      .. '"end_time":"%s","timezone":"Etc/UTC"}', counter, START, END_)
  return wrk.format("PATCH", nil, nil, body)
end
"""


def world(n: int, now: datetime) -> dict:
    out = bc.world(n, now)
    out["truto"] = {
        "api_tokens": [{"token": TRUTO_TOKEN, "environment": "bench"}],
        "integrated_accounts": [
            {
                "id": ACCOUNT_ID,
                "integration": "googlecalendar",
                "account": bc.ACCOUNT,
                "environment": "bench",
            }
        ],
    }
    return out


def list_path(extra: dict | None = None) -> str:
    now = datetime.now(UTC)
    query = {
        "integrated_account_id": ACCOUNT_ID,
        "calendar[id]": "primary",
        "start_time": (now + timedelta(days=bc.SPREAD[0] - 1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_time": (now + timedelta(days=bc.SPREAD[1] + 1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "limit": 100,
        **(extra or {}),
    }
    return "/unified/calendar/events?" + urlencode(query)


def get_json(port: int, path: str) -> dict:
    status, body = bc.request(port, "GET", path, headers=HEADERS)
    if status != 200:
        raise bc.BenchError(f"GET {path[:80]}: HTTP {status}: {body[:300]!r}")
    return json.loads(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--events", type=int, default=10_000)
    parser.add_argument("-t", "--threads", type=int, default=2)
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-d", "--duration", default="10s")
    parser.add_argument("--quick", action="store_true", help="-d3s")
    parser.add_argument("--warmup", default="1s")
    parser.add_argument("--wrk", default="wrk")
    parser.add_argument("--wrk-timeout", default="10s")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.duration = "3s"
    with tempfile.TemporaryDirectory(prefix="bench-truto-") as tmp:
        work = Path(tmp)
        done, patch = work / "done.lua", work / "patch.lua"
        done.write_text(bc.DONE_LUA)
        port = bc.free_port()
        server = bc.Server(
            "mockserver",
            [
                sys.executable,
                "-m",
                "mockserver",
                "serve",
                "--host",
                bc.HOST,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            port,
            work / "mockserver.log",
        )
        results = []
        try:
            server.start("/_mock")
            body = json.dumps(world(opts.events, datetime.now(UTC))).encode()
            status, answer = bc.request(
                port, "POST", "/_mock/seed", body, {"Content-Type": "application/json"}, timeout=600
            )
            if status != 200:
                raise bc.BenchError(f"seed: HTTP {status}: {answer[:300]!r}")
            first = get_json(port, list_path())
            if len(first["result"]) != 100 or not first["next_cursor"]:
                raise bc.BenchError("the first page is not a full page with a cursor")
            cursor = first["next_cursor"]
            for _ in range(3):
                cursor = get_json(port, list_path({"next_cursor": cursor}))["next_cursor"]
            target = first["result"][0]
            patch.write_text(
                f'START = "{target["start_time"]}"\nEND_ = "{target["end_time"]}"\n'
                + PATCH_LUA
                + bc.DONE_LUA
            )
            headers = {**HEADERS, "Content-Type": "application/json"}
            print(f"mockserver on {bc.HOST}:{port}, {opts.events:,} events", flush=True)
            results.append(bc.measure(opts, "list", opts.events, port, list_path(), done, HEADERS))
            results.append(
                bc.measure(
                    opts,
                    "page5",
                    opts.events,
                    port,
                    list_path({"next_cursor": cursor}),
                    done,
                    HEADERS,
                )
            )
            path = f"/unified/calendar/events/{target['id']}?integrated_account_id={ACCOUNT_ID}"
            results.append(bc.measure(opts, "patch", opts.events, port, path, patch, headers))
        except bc.BenchError as exc:
            print(f"BENCH FAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            server.stop()
    failed = [r for r in results if r.failures]
    print(f"wrk -t{opts.threads} -c{opts.connections} -d{opts.duration}")
    for r in results:
        print(f"{r.scenario:<6} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms")
    if failed:
        print("BENCH FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
