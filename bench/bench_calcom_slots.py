"""How fast Cal.com's GET /v2/slots is, and how it grows: `python bench/bench_calcom_slots.py`.

The query: 30 days of slots of the demo's 30-minute event type (Alice, Mon-Fri 09:00-17:00
London), in-process over the ASGI app, with busy events in her selected Work calendar. Two
series: events *outside* the 30 days grow (0 ... 50,000; the time should stay flat, busy time
being read through the time index), and events *inside* them grow (1,000 ... 4,000; the time
grows with them). It prints the median and best milliseconds per request and the slot count.
Nothing here asserts anything: it is a tool for people."""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.testing import asgi_client

WORK = "cal_a11cedemo0001_work"
FIRST = datetime(2050, 9, 1, tzinfo=UTC)
QUERY = {"eventTypeId": 1, "start": "2050-09-01", "end": "2050-09-30"}
SLOTS = {"cal-api-version": "2024-09-04"}


def world(inside: int, outside: int) -> ServerState:
    state = ServerState(Settings(calcom=CalcomSettings(rate_limit=False)))
    w, rng = state.world, random.Random(7)
    with w.transaction():
        for _ in range(inside):  # 30-minute blocks anywhere in the 30 queried days
            s = FIRST + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
            w.create_event(WORK, summary="busy", start=s, end=s + timedelta(minutes=30))
        for _ in range(outside):  # the same calendar, in the ten years after
            s = FIRST + timedelta(days=60, minutes=rng.randrange(0, 3650 * 24 * 60))
            w.create_event(WORK, summary="later", start=s, end=s + timedelta(minutes=30))
    return state


def measure(inside: int, outside: int, rounds: int) -> tuple[float, float, int]:
    with asgi_client(create_app(state=world(inside, outside))) as c:
        c.get("/v2/slots", params=QUERY, headers=SLOTS)  # warm
        times, count = [], 0
        for _ in range(rounds):
            t = time.perf_counter()
            r = c.get("/v2/slots", params=QUERY, headers=SLOTS)
            times.append((time.perf_counter() - t) * 1000)
            count = sum(len(v) for v in r.json()["data"].values())
    return statistics.median(times), min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(" inside  outside   median ms   best ms  slots")
    for inside, outside in ((1000, 0), (1000, 10_000), (1000, 50_000), (2000, 0), (4000, 0)):
        median, best, count = measure(inside, outside, args.rounds)
        print(f"{inside:7,d} {outside:8,d} {median:11.1f} {best:9.1f} {count:6d}")


if __name__ == "__main__":
    main()
