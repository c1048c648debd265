"""How fast availability is, and how it grows: `python bench/bench_availability.py [--quick]`.

The query: slots over 30 days for 5 participants in one `required: "all"` group, each with
managed availability (a Mon-Fri 09:00-17:00 rule in a zone of their own) and 1,000 busy events
inside the 30 days, 30-minute slots on the default 15-minute grid. Two growth series:

* the world grows *outside* the query window (0 ... 200,000 more events, spread over the years
  before and after it): the time per request should stay flat, since busy time is read from the
  time index (a bisect and the window's events), never by scanning the calendars;
* the events *inside* the window grow (1,000 ... 4,000 per participant): the time grows with
  them, as it must (every busy event in the window is looked at once).

For each world it prints the median and best milliseconds of the engine alone
(`core.availability.slots`), of the Cronofy dialect in-process (parse + engine + render), and of
`POST /v1/availability` over HTTP against a `mockserver` server process (pinned with `taskset` to
one CPU while this process, the client, is pinned to another, when there are two). Every loop is
bounded in count and in time. Nothing here asserts anything: it is a tool for people."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mockserver.core import availability as av  # noqa: E402
from mockserver.cronofy.availability import Caller  # noqa: E402
from mockserver.cronofy.exceptions import ErrorList  # noqa: E402
from mockserver.state import ServerState  # noqa: E402

PEOPLE = 5
ZONES = ("Europe/London", "Europe/Rome", "Europe/Helsinki", "Europe/Lisbon", "Africa/Lagos")
SECRET = "bench_client_secret_000000000000000001"
APP = {"client_id": "bench_client_id_00000000000000001", "client_secret": SECRET}
DAYS = 30
TIME_LIMIT = 60.0  # seconds one measurement may take, whatever the round count


def window_start() -> datetime:
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def fixture() -> dict[str, Any]:
    accounts, auths, rules = [], [], []
    for i in range(PEOPLE):
        acc = f"acc_bench{i:019d}"
        accounts.append(
            {
                "id": acc,
                "email": f"p{i}@bench.example",
                "name": f"Person {i}",
                "default_tzid": ZONES[i],
                "profiles": [
                    {
                        "id": f"pro_bench{i:07d}",
                        "provider_name": "google",
                        "provider_service": "gsuite",
                        "name": f"p{i}@bench.example",
                        "calendars": [
                            {"id": f"cal_bench{i:07d}_main", "name": "Main", "primary": True}
                        ],
                    }
                ],
            }
        )
        auths.append(
            {
                "app": APP["client_id"],
                "account": acc,
                "scope": "read_free_busy read_events",
                "access_token": f"benchToken{i:022d}",
            }
        )
        days = ("monday", "tuesday", "wednesday", "thursday", "friday")
        rules.append(
            {
                "account": acc,
                "availability_rule_id": "working-hours",
                "tzid": ZONES[i],
                "weekly_periods": [
                    {"day": d, "start_time": "09:00", "end_time": "17:00"} for d in days
                ],
            }
        )
    return {
        "version": 1,
        "accounts": accounts,
        "cronofy": {"apps": [APP], "authorizations": auths, "availability_rules": rules},
    }


def build(inside: int, outside: int, seed: int = 7) -> ServerState:
    """The fake's state with `inside` busy events per participant in the 30 days and `outside`
    events in all, before and after them (written straight into the world: fast to build)."""
    state = ServerState(fixture=fixture())
    world = state.world
    rng = random.Random(seed)
    lo = window_start()
    span = DAYS * 24 * 60
    for i in range(PEOPLE):
        cal = f"cal_bench{i:07d}_main"
        for _ in range(inside):
            start = lo + timedelta(minutes=rng.randrange(span))
            world.create_event(cal, summary="busy", start=start, end=start + timedelta(minutes=15))
    for n in range(outside):
        cal = f"cal_bench{n % PEOPLE:07d}_main"
        away = timedelta(days=DAYS + 1 + rng.randrange(5 * 365), minutes=rng.randrange(1440))
        start = lo - away if n % 2 else lo + away
        world.create_event(cal, summary="elsewhere", start=start, end=start + timedelta(minutes=45))
    return state


def body() -> dict[str, Any]:
    lo = window_start()
    return {
        "participants": [
            {
                "members": [
                    {"sub": f"acc_bench{i:019d}", "managed_availability": True}
                    for i in range(PEOPLE)
                ],
                "required": "all",
            }
        ],
        "required_duration": {"minutes": 30},
        "query_periods": [
            {
                "start": lo.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": (lo + timedelta(days=DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ],
        "response_format": "slots",
    }


def timed(fn: Callable[[], Any], rounds: int) -> tuple[float, float, Any]:
    """Median and best milliseconds of `fn` over at most `rounds` calls (and TIME_LIMIT)."""
    times, result = [], None
    deadline = time.monotonic() + TIME_LIMIT
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        if time.monotonic() > deadline:
            break
    return statistics.median(times), min(times), result


def engine_query(state: ServerState) -> av.Query:
    """The core query the dialect builds for body() (the same participants and windows)."""
    sched = state.cronofy.scheduler
    caller = Caller(state.cronofy.oauth.apps[APP["client_id"]])
    groups = sched._groups(body()["participants"], ErrorList(), caller)
    lo = window_start()
    return av.Query(
        tuple(groups),
        ((lo, lo + timedelta(days=DAYS)),),
        timedelta(minutes=30),
        earliest=datetime.now(UTC),
        max_results=512,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: argparse.Namespace) -> None:
    """Child mode: build the world, then serve it (the parent measures)."""
    import uvicorn

    from mockserver.app import create_app

    app = create_app(state=build(args.inside, args.outside))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


def http_times(inside: int, outside: int, rounds: int) -> tuple[float, float] | None:
    port = free_port()
    cmd = [
        sys.executable,
        __file__,
        "--serve",
        "--port",
        str(port),
        "--inside",
        str(inside),
        "--outside",
        str(outside),
    ]
    two_cpus = hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2
    if two_cpus and shutil.which("taskset"):
        cpus = sorted(os.sched_getaffinity(0))
        cmd = ["taskset", "-c", str(cpus[1]), *cmd]
        os.sched_setaffinity(0, {cpus[0]})
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        with httpx.Client(base_url=url, timeout=60) as client:
            while True:
                if proc.poll() is not None:
                    print(proc.stderr.read().decode() if proc.stderr else "", file=sys.stderr)
                    return None
                try:
                    if client.get("/_mock").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.2)
            headers = {"Authorization": f"Bearer {SECRET}"}
            for _ in range(2):  # warm up
                client.post("/v1/availability", json=body(), headers=headers).raise_for_status()
            median, best, _ = timed(
                lambda: client.post(
                    "/v1/availability", json=body(), headers=headers
                ).raise_for_status(),
                rounds,
            )
            return median, best
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


def measure(inside: int, outside: int, rounds: int, http: bool) -> dict[str, Any]:
    state = build(inside, outside)
    q = engine_query(state)
    grid = av.Grid(timedelta(minutes=15), timedelta(minutes=15), overlapping=False)
    e_med, e_best, found = timed(lambda: av.slots(state.world, q, grid), rounds)
    caller = Caller(state.cronofy.oauth.apps[APP["client_id"]])
    d_med, d_best, answer = timed(
        lambda: state.cronofy.scheduler.availability(caller, body()), rounds
    )
    assert len(answer["available_slots"]) == len(found)
    row = {
        "world": len(state.world.events),
        "in_window": inside * PEOPLE,
        "slots": len(found),
        "engine": (e_med, e_best),
        "dialect": (d_med, d_best),
        "http": http_times(inside, outside, rounds) if http else None,
    }
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and worlds")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--no-http", action="store_true", help="in-process figures only")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--inside", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--outside", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return
    rounds = args.rounds or (5 if args.quick else 20)
    outside_sizes = (0, 20_000) if args.quick else (0, 20_000, 100_000, 200_000)
    inside_sizes = (1000, 2000) if args.quick else (1000, 2000, 4000)
    print(f"slots over {DAYS} days, {PEOPLE} participants (all required), 30-minute slots;")
    print("milliseconds per request, median / best\n")
    header = f"{'events in world':>16} {'in window':>10} {'slots':>6} {'engine':>16} {'dialect':>16} {'HTTP':>16}"
    series = [
        ("the world grows outside the window", [(1000, n) for n in outside_sizes]),
        ("the events inside the window grow", [(n, 0) for n in inside_sizes]),
    ]
    for title, sizes in series:
        print(title)
        print(header)
        for inside, outside in sizes:
            row = measure(inside, outside, rounds, not args.no_http)

            def cell(v: tuple[float, float] | None) -> str:
                return f"{v[0]:8.1f} / {v[1]:5.1f}" if v else f"{'-':>16}"

            print(
                f"{row['world']:>16,} {row['in_window']:>10,} {row['slots']:>6} "
                f"{cell(row['engine'])} {cell(row['dialect'])} {cell(row['http'])}",
                flush=True,
            )
        print()


if __name__ == "__main__":
    main()
