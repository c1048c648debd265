"""Load-test the fake's Cronofy read and write paths with wrk, against a bare Starlette endpoint.

    python bench/bench_cronofy.py            # -t2 -c16 -d10s per scenario
    python bench/bench_cronofy.py --quick    # -d3s

For 1,000, 10,000 and 100,000 events in one calendar it writes a world file, starts
`mockserver serve` on a free 127.0.0.1 port, seeds it through POST /_mock/seed and runs wrk
against one page of Read Events and against Upsert Event; the baseline is bench/bare_app.py, served
by uvicorn with the same settings. It prints req/s, p50 and p99 per scenario, each scenario's
req/s as a share of the bare endpoint's, the 100k-page / 1k-page latency ratio, and the issue's
targets. Any non-2xx/3xx answer or socket error counted by wrk fails the run (exit status 1).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"

ACCOUNT = "acc_bench00000000000000000001"
PROFILE = "pro_bench0001"
CALENDAR = "cal_bench0001_main"
APP_ID = "bench_client_id_0000000000000001"
TOKEN = "benchReadWriteToken0000000000001"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
SPREAD = (-40, 200)  # days relative to now, inside Read Events' default window (-42..+201)
READ_PATH = "/v1/events?tzid=Etc/UTC&" + quote("calendar_ids[]") + "=" + CALENDAR
UPSERT_PATH = f"/v1/calendars/{CALENDAR}/events"
SCENARIOS = ("bare", "read-10k", "read-1k", "read-100k", "upsert-10k")

# Targets from the issue.
READ_VS_BARE = 0.4  # read-events req/s at 16 connections >= 0.4 x the bare endpoint's
BIG_VS_SMALL = 2.0  # one page of 100k events no slower than 2 x one page of 1k events

DONE_LUA = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d status=%d connect=%d read=%d write=%d "
      .. "timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, math.floor(latency.mean)))
end
"""

# One new managed event per request: event_id = bench-<run>-<thread>-<n>, start somewhere in the
# next 180 days. Headers (Authorization, Content-Type) come from wrk's -H flags.
UPSERT_LUA = r"""
local threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("tid", threads_made)
end

local counter = 0
local prefix = "bench"
local base = 0
function init(args)
  prefix = string.format("bench-%s-%d-", args[1] or "run", tid or 0)
  base = tonumber(args[2]) or os.time()
end

function request()
  counter = counter + 1
  local start = base + ((counter * 37) % (180 * 96)) * 900
  local body = string.format(
    '{"event_id":"%s%d","summary":"Bench upsert %d","description":"wrk",'
      .. '"start":"%s","end":"%s","tzid":"Etc/UTC"}',
    prefix, counter, counter,
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
  return wrk.format("POST", nil, nil, body)
end
"""


class BenchError(RuntimeError):
    pass


# -- worlds -----------------------------------------------------------------------------------


def world(n: int, now: datetime) -> dict[str, Any]:
    """One account, one calendar of n 30-minute events spread evenly over -40..+200 days, and a
    cronofy app whose token may read and create events."""
    first = now.replace(second=0, microsecond=0) + timedelta(days=SPREAD[0])
    step = (SPREAD[1] - SPREAD[0]) * 86400 / n
    events = []
    for i in range(n):
        start = first + timedelta(seconds=int(i * step))
        end = start + timedelta(minutes=30)
        events.append(
            {
                "uid": f"evt_external_bench{i:08d}",
                "summary": f"Bench event {i}",
                "description": "Seeded by bench/bench_cronofy.py",
                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tzid": "Etc/UTC",
            }
        )
    return {
        "version": 1,
        "description": f"bench world: one calendar of {n} events",
        "accounts": [
            {
                "id": ACCOUNT,
                "email": "bench@bench.example",
                "name": "Bench Owner",
                "default_tzid": "Etc/UTC",
                "profiles": [
                    {
                        "id": PROFILE,
                        "provider_name": "google",
                        "name": "bench@bench.example",
                        "calendars": [
                            {
                                "id": CALENDAR,
                                "name": "Bench",
                                "primary": True,
                                "permission_level": "unrestricted",
                                "events": events,
                            }
                        ],
                    }
                ],
            }
        ],
        "cronofy": {
            "apps": [
                {
                    "client_id": APP_ID,
                    "client_secret": "bench_client_secret_000000000000000001",
                    "name": "Bench app",
                    "redirect_uris": ["http://127.0.0.1/callback"],
                }
            ],
            "authorizations": [
                {
                    "label": "bench",
                    "app": APP_ID,
                    "account": ACCOUNT,
                    "scope": "read_account list_calendars read_events create_event delete_event",
                    "access_token": TOKEN,
                }
            ],
        },
    }


# -- processes --------------------------------------------------------------------------------


def pin(cpu: int, argv: list[str]) -> list[str]:
    """`argv` run on CPU `cpu` (taskset), where there are two CPUs to keep apart."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *argv]
    return argv


def fake_command(port: int, *extra: str) -> list[str]:
    """`mockserver serve` on HOST:port at log level warning, pinned to CPU 0."""
    argv = [sys.executable, "-m", "mockserver", "serve", "--host", HOST, "--port", str(port)]
    return pin(0, [*argv, "--log-level", "warning", *extra])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class Server:
    """A server subprocess on 127.0.0.1; stop() is bounded: SIGTERM, then SIGKILL."""

    def __init__(self, name: str, argv: list[str], port: int, log: Path) -> None:
        self.name, self.argv, self.port, self.log_path = name, argv, port, log
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = None

    def start(self, ready_path: str, timeout: float = 60.0) -> Server:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the bench, which then stops the server
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.proc.returncode}: {self.tail()}")
            try:
                status, _ = request(self.port, "GET", ready_path, timeout=2)
                if status == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"{self.name} not ready after {timeout:.0f}s: {self.tail()}")
            time.sleep(0.1)

    def tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return "(no log)"
        return "\n".join(text) or "(empty log)"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        try:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None


# -- wrk --------------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    events: int | None
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    vs_bare: float | None = None

    @property
    def failures(self) -> list[str]:
        out = []
        if self.requests == 0:
            out.append("no requests completed")
        if self.non_2xx:
            out.append(f"{self.non_2xx} non-2xx/3xx responses")
        bad = {k: v for k, v in self.socket_errors.items() if v}
        if bad:
            out.append("socket errors " + ", ".join(f"{k}={v}" for k, v in bad.items()))
        return out


_RESULT = re.compile(r"^BENCH_RESULT (.*)$", re.M)


def wrk(
    opts: argparse.Namespace,
    port: int,
    path: str,
    script: Path,
    duration: str,
    headers: dict[str, str],
    script_args: list[str] | None = None,
) -> dict[str, int]:
    argv = [
        opts.wrk,
        f"-t{opts.threads}",
        f"-c{opts.connections}",
        f"-d{duration}",
        f"--timeout={opts.wrk_timeout}",
        "--latency",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://{HOST}:{port}{path}")
    if script_args:
        argv += ["--", *script_args]
    limit = seconds(duration) + seconds(opts.wrk_timeout) + 30
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk did not finish within {limit:.0f}s") from exc
    if opts.verbose:
        print(done.stdout, file=sys.stderr)
    found = _RESULT.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    return {k: int(v) for k, v in (kv.split("=") for kv in found[1].split())}


def seconds(duration: str) -> float:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", duration)
    if m is None:
        raise argparse.ArgumentTypeError(f"bad duration {duration!r} (use e.g. 10s, 2m)")
    return float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]


def measure(
    opts: argparse.Namespace,
    scenario: str,
    events: int | None,
    port: int,
    path: str,
    script: Path,
    headers: dict[str, str],
    script_args: list[str] | None = None,
) -> Result:
    warm = None
    if seconds(opts.warmup) > 0:
        warm = wrk(opts, port, path, script, opts.warmup, headers, script_args)
    raw = wrk(opts, port, path, script, opts.duration, headers, script_args)
    res = Result(scenario, events)
    res.requests = raw["requests"]
    res.duration_s = raw["duration_us"] / 1e6
    res.rps = res.requests / res.duration_s if res.duration_s else 0.0
    res.p50_ms, res.p90_ms = raw["p50_us"] / 1000, raw["p90_us"] / 1000
    res.p99_ms, res.max_ms = raw["p99_us"] / 1000, raw["max_us"] / 1000
    res.non_2xx = raw["status"] + (warm["status"] if warm else 0)
    res.socket_errors = {
        k: raw[k] + (warm[k] if warm else 0) for k in ("connect", "read", "write", "timeout")
    }
    line = (
        f"  {scenario:<11} {res.rps:9.1f} req/s  p50 {res.p50_ms:7.2f} ms  p99 {res.p99_ms:7.2f} ms"
    )
    print(line + ("  FAILED: " + "; ".join(res.failures) if res.failures else ""), flush=True)
    return res


# -- scenarios --------------------------------------------------------------------------------


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def seed(server: Server, n: int, work: Path, timeout: float) -> None:
    path = work / f"world-{n}.json"  # fresh each time: the times are absolute, from now
    body = json.dumps(world(n, datetime.now(UTC)), separators=(",", ":")).encode()
    path.write_bytes(body)
    started = time.monotonic()
    status, answer = request(
        server.port,
        "POST",
        "/_mock/seed",
        body,
        {"Content-Type": "application/json"},
        timeout=timeout,
    )
    took = time.monotonic() - started
    if status != 200:
        raise BenchError(f"seeding {n} events: HTTP {status}: {answer[:500]!r}")
    got = json.loads(answer).get("events")
    if got != n:
        raise BenchError(f"seeding {n} events: server reports {got} events")
    print(f"  seeded {n} events ({len(body) / 1e6:.1f} MB) in {took:.1f}s", flush=True)


def check_read(server: Server, n: int, page_size: int) -> None:
    """One Read Events call by hand: 200, one full page, the right page count."""
    status, body = request(server.port, "GET", READ_PATH, headers=auth_headers())
    if status != 200:
        raise BenchError(f"read-events preflight: HTTP {status}: {body[:300]!r}")
    data = json.loads(body)
    rows, pages = len(data["events"]), data["pages"]
    if rows != min(n, page_size) or pages["total"] != math.ceil(n / page_size):
        raise BenchError(f"read-events preflight: {rows} events, pages {pages}")


def check_upsert(server: Server) -> None:
    payload = {
        "event_id": "bench-preflight",
        "summary": "Preflight",
        "start": (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:00:00Z"),
        "end": (datetime.now(UTC) + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:00:00Z"),
        "tzid": "Etc/UTC",
    }
    status, body = request(
        server.port,
        "POST",
        UPSERT_PATH,
        json.dumps(payload).encode(),
        {**auth_headers(), "Content-Type": "application/json"},
    )
    if status != 202:
        raise BenchError(f"upsert preflight: HTTP {status}: {body[:300]!r}")


def run(opts: argparse.Namespace, work: Path) -> list[Result]:
    chosen = [s for s in SCENARIOS if s in opts.only]
    results: list[Result] = []
    scripts = work / "done.lua", work / "upsert.lua"
    scripts[0].write_text(DONE_LUA)
    scripts[1].write_text(UPSERT_LUA + DONE_LUA)
    py = [sys.executable]

    if "bare" in chosen:
        port = free_port()
        bare = Server(
            "bare app",
            [
                *py,
                str(HERE / "bare_app.py"),
                "--host",
                HOST,
                "--port",
                str(port),
                "--log-level",
                opts.log_level,
            ],
            port,
            work / "bare.log",
        )
        print(f"bare Starlette endpoint on {HOST}:{port}", flush=True)
        try:
            bare.start("/")
            status, _ = request(port, "GET", "/")
            if status != 200:
                raise BenchError(f"bare preflight: HTTP {status}")
            results.append(measure(opts, "bare", None, port, "/", scripts[0], {}))
        finally:
            bare.stop()

    plan = [("10k", ["read-10k", "upsert-10k"]), ("1k", ["read-1k"]), ("100k", ["read-100k"])]
    plan = [(size, [s for s in names if s in chosen]) for size, names in plan]
    plan = [(size, names) for size, names in plan if names]
    if not plan:
        return results
    port = free_port()
    mock = Server(
        "mockserver",
        [
            *(shlex.split(opts.server) if opts.server else [*py, "-m", "mockserver"]),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            opts.log_level,
        ],
        port,
        work / "mockserver.log",
    )
    print(f"mockserver on {HOST}:{port}", flush=True)
    try:
        mock.start("/_mock")
        page_size = 100
        if opts.page_size:
            body = json.dumps({"cronofy": {"page_size": opts.page_size}}).encode()
            status, answer = request(port, "PATCH", "/_mock/settings", body)
            if status != 200:
                raise BenchError(f"page_size: HTTP {status}: {answer[:300]!r}")
            page_size = opts.page_size
        for size, names in plan:
            n = SIZES[size]
            seed(mock, n, work, opts.seed_timeout)
            for name in names:
                if not mock.alive():
                    raise BenchError(f"mockserver died: {mock.tail()}")
                if name.startswith("read"):
                    check_read(mock, n, page_size)
                    results.append(
                        measure(opts, name, n, port, READ_PATH, scripts[0], auth_headers())
                    )
                else:
                    check_upsert(mock)
                    base = int(datetime.now(UTC).timestamp()) // 3600 * 3600 + 3600
                    results.append(
                        measure(
                            opts,
                            name,
                            n,
                            port,
                            UPSERT_PATH,
                            scripts[1],
                            {**auth_headers(), "Content-Type": "application/json"},
                            [str(os.getpid()) + name, str(base)],
                        )
                    )
    finally:
        mock.stop()
    return results


# -- report -----------------------------------------------------------------------------------


def report(results: list[Result], opts: argparse.Namespace) -> dict[str, Any]:
    by = {r.scenario: r for r in results}
    bare = by.get("bare")
    for r in results:
        r.vs_bare = r.rps / bare.rps if bare and bare.rps else None
    print()
    print(
        f"wrk -t{opts.threads} -c{opts.connections} -d{opts.duration} "
        f"(warm-up {opts.warmup}), server log level {opts.log_level}, {os.cpu_count()} CPUs"
    )
    head = f"{'scenario':<12}{'events':>8}{'req/s':>11}{'p50 ms':>9}{'p99 ms':>9}"
    head += f"{'x bare':>8}{'non-2xx':>9}{'sock err':>10}"
    print(head)
    print("-" * len(head))
    for r in results:
        ratio = f"{r.vs_bare:.2f}" if r.vs_bare is not None else "-"
        events = f"{r.events:,}" if r.events else "-"
        print(
            f"{r.scenario:<12}{events:>8}{r.rps:>11.1f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}"
            f"{ratio:>8}{r.non_2xx:>9}{sum(r.socket_errors.values()):>10}"
        )
    summary: dict[str, Any] = {"results": [asdict(r) | {"vs_bare": r.vs_bare} for r in results]}
    small, big, main = by.get("read-1k"), by.get("read-100k"), by.get("read-10k")
    print()
    targets = []
    if small and big and small.p50_ms and small.p99_ms and big.rps:
        p50 = big.p50_ms / small.p50_ms
        p99 = big.p99_ms / small.p99_ms
        rps = small.rps / big.rps
        print(
            f"page latency 100k / 1k events: p50 x{p50:.2f}, p99 x{p99:.2f} "
            f"(req/s 1k / 100k: x{rps:.2f})"
        )
        summary["latency_100k_over_1k"] = {"p50": p50, "p99": p99, "rps_1k_over_100k": rps}
        targets.append(
            ("one page of 100k events <= 2x one page of 1k (p50)", p50, BIG_VS_SMALL, False)
        )
    if main and main.vs_bare is not None:
        targets.append(("read-events (10k) req/s >= 0.4x bare", main.vs_bare, READ_VS_BARE, True))
    summary["targets"] = []
    for label, value, bound, at_least in targets:
        ok = value >= bound if at_least else value <= bound
        summary["targets"].append({"target": label, "value": value, "met": ok})
        print(f"target: {label}: x{value:.2f} -> {'met' if ok else 'MISSED'}")
    return summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", "-t", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--connections", "-c", type=int, default=16, help="wrk connections (16)")
    p.add_argument("--duration", "-d", default=None, help="wrk duration per scenario (10s)")
    p.add_argument("--warmup", default=None, help="unmeasured wrk run before each (1s; 0 = none)")
    p.add_argument("--quick", action="store_true", help="3s per scenario instead of 10s")
    p.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help="comma list of scenarios to run: " + ",".join(SCENARIOS),
    )
    p.add_argument("--page-size", type=int, default=0, help="PATCH cronofy.page_size first")
    p.add_argument("--log-level", default="warning", help="uvicorn log level of both servers")
    p.add_argument(
        "--server",
        metavar="CMD",
        help="command that takes `serve --host --port --log-level` (default: python -m mockserver)",
    )
    p.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help="wrk binary")
    p.add_argument("--wrk-timeout", default="10s", help="wrk --timeout per request (10s)")
    p.add_argument("--seed-timeout", type=float, default=600.0, help="seconds per seed (600)")
    p.add_argument("--keep", metavar="DIR", help="keep world files, Lua scripts and logs here")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--enforce-targets", action="store_true", help="exit 2 if a target is missed")
    p.add_argument("--verbose", "-v", action="store_true", help="echo wrk's own output")
    opts = p.parse_args(argv)
    opts.duration = opts.duration or ("3s" if opts.quick else "10s")
    opts.warmup = opts.warmup or "1s"
    opts.only = {s.strip() for s in opts.only.split(",") if s.strip()}
    unknown = opts.only - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    for d in (opts.duration, opts.warmup, opts.wrk_timeout):
        try:
            seconds(d)
        except argparse.ArgumentTypeError as exc:
            p.error(str(exc))
    if shutil.which(opts.wrk) is None:
        p.error(f"wrk not found ({opts.wrk}); install it: apt-get install -y wrk")
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    if opts.keep:
        work = Path(opts.keep)
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="bench-cronofy-")
        work = Path(cleanup.name)
    try:
        results = run(opts, work)
    except BenchError as exc:
        print(f"\nBENCH FAILED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    summary = report(results, opts)
    if opts.json:
        Path(opts.json).write_text(json.dumps(summary, indent=2) + "\n")
    failed = [(r.scenario, f) for r in results for f in r.failures]
    if failed:
        print("\nBENCH FAILED: bad responses", file=sys.stderr)
        for scenario, why in failed:
            print(f"  {scenario}: {why}", file=sys.stderr)
        return 1
    if opts.enforce_targets and not all(t["met"] for t in summary["targets"]):
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
