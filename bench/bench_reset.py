"""How long a world reset takes: `python bench/bench_reset.py [--rounds N]`.

For the demo world and a 10k-event world (built with mockserver.builders) it prints microseconds
per reset: the snapshot restore `POST /_mock/reset` and the pytest plugin use, the full rebuild
from the world file that reset used to do, and the restore after a few writes."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from mockserver.builders import random_world
from mockserver.core.fixtures import demo_path, read
from mockserver.state import ServerState


def per_call_us(fn: Callable[[], None], rounds: int, batch: int) -> tuple[float, float]:
    """Median and best microseconds per call over `rounds` batches of `batch` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        times.append((time.perf_counter() - start) / batch * 1e6)
    return statistics.median(times), min(times)


def reset_after_writes_us(state: ServerState, rounds: int) -> tuple[float, float]:
    """Median and best microseconds of a reset after five writes (the writes not timed)."""
    times = []
    for _ in range(rounds):
        dirty(state)
        start = time.perf_counter()
        state.reset()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times), min(times)


def dirty(state: ServerState) -> None:
    """A few writes, as a test makes before the next reset."""
    cal = next(iter(state.world.calendars))
    for i in range(5):
        state.world.create_event(
            cal, summary=f"bench {i}", start=state.world.now(), end=state.world.now()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    worlds = {
        "demo": read(demo_path()),
        "10k events": random_world(seed=1, accounts=1, calendars=1, events=10_000, attendees=0),
    }
    print(
        f"{'world':<12} {'events':>7}  {'restore':>16}  {'restore+5 writes':>16}  {'rebuild':>14}"
    )
    for name, fixture in worlds.items():
        state = ServerState(fixture=fixture)
        events = len(state.world.events)
        restore = per_call_us(state.reset, args.rounds, 100)

        with_writes = reset_after_writes_us(state, args.rounds * 20)
        rebuild = per_call_us(lambda s=state: s.load(s.fixture), 5, 1)
        print(
            f"{name:<12} {events:>7}  {restore[0]:>9.1f} µs/reset  {with_writes[0]:>9.1f} µs/reset"
            f"  {rebuild[0]:>8.0f} µs/load"
        )


if __name__ == "__main__":
    main()
