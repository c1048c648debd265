"""How long the dashboard's pages and the control plane's reset take:
`python bench/bench_dashboard.py [--rounds N] [--events N]`.

In-process (no sockets): for the demo world and a bigger built world, with a full journal, it
prints milliseconds per page (median and best of N) for the world, a calendar's week, one event
(every provider's rendering), the journal (newest 200) and the controls, and microseconds for
`POST /_mock/reset` (world, settings, clock, faults and journal) beside an HTTP round trip
(`GET /_mock/health`), the same full reset in-process, and the bare snapshot restore."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from mockserver.app import create_app
from mockserver.builders import random_world
from mockserver.core.fixtures import demo_path, read
from mockserver.state import ServerState
from mockserver.testing import asgi_client


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def bench(label: str, world: dict, rounds: int) -> None:
    state = ServerState(fixture=world)
    with asgi_client(create_app(state=state)) as client:
        busiest = max(
            state.world.calendars,
            key=lambda c: sum(1 for e in state.world.events.values() if e.calendar_id == c),
        )
        event = next(e.uid for e in state.world.events.values() if e.calendar_id == busiest)
        for _ in range(state.journal.size):  # a full journal
            client.get("/v1/calendars")
        pages = {
            "world": "/_mock/ui",
            "week": f"/_mock/ui/calendars/{busiest}",
            "event": f"/_mock/ui/events/{event}",
            "journal": "/_mock/ui/journal",
            "journal filtered": "/_mock/ui/journal?status=401&path=/v1/calendars",
            "controls": "/_mock/ui/controls",
        }
        print(f"{label}: {len(state.world.events)} events, {len(state.journal)} journal entries")
        for name, path in pages.items():
            assert client.get(path).status_code == 200, path
            med, best = timed(lambda p=path: client.get(p), rounds)
            print(f"  GET {name:<17} {med * 1e3:8.2f} ms median  {best * 1e3:8.2f} ms best")
        med, best = timed(lambda: client.post("/_mock/reset"), rounds)
        print(f"  POST /_mock/reset      {med * 1e6:8.0f} us median  {best * 1e6:8.0f} us best")
        med, best = timed(lambda: client.get("/_mock/health"), rounds)
        print(f"  GET /_mock/health      {med * 1e6:8.0f} us median  {best * 1e6:8.0f} us best")
        full = lambda: state.reset(clock=True, settings=True)  # noqa: E731
        med, best = timed(full, rounds)
        print(f"  full reset, in-process {med * 1e6:8.0f} us median  {best * 1e6:8.0f} us best")
        med, best = timed(state.reset, rounds)
        print(f"  world-only restore     {med * 1e6:8.0f} us median  {best * 1e6:8.0f} us best")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--events", type=int, default=10_000, help="events in the built world")
    args = parser.parse_args()
    bench("demo world", read(demo_path()), args.rounds)
    per_calendar = max(args.events // 4, 1)
    bench(
        "built world",
        random_world(seed=1, accounts=2, calendars=2, events=per_calendar),
        args.rounds,
    )


if __name__ == "__main__":
    main()
