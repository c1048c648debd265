"""Memory the request journal holds: fills it through the real middleware (in-process ASGI
calls) with a mix of Cronofy reads (52 KB pages, kept as a 16 KiB prefix) and upserts, and
prints bytes per entry and the total for a full journal at the default size.

    python bench/bench_journal.py [--entries 1000]
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from datetime import UTC, datetime, timedelta

from mockserver.app import create_app
from mockserver.settings import MockSettings, Settings
from mockserver.testing import asgi_client

TOKEN = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CAL = "cal_a11cedemo0001_work"


def fill(entries: int, journal_size: int) -> tuple[int, int]:
    """(bytes allocated and still held after `entries` requests, entries kept)."""
    app = create_app(Settings(mock=MockSettings(journal_size=journal_size)))
    day = datetime.now(UTC).date() + timedelta(days=3)
    with asgi_client(app) as client:
        client.get("/v1/events", params={"tzid": "Etc/UTC"}, headers=TOKEN)  # warm caches
        client.delete("/_mock/journal")
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(entries):
            if i % 2:
                client.get(
                    "/v1/events",
                    params={"tzid": "Etc/UTC", "include_managed": "true"},
                    headers=TOKEN,
                )
            else:
                body = {
                    "event_id": f"bench-{i % 50}",
                    "summary": "Journal bench",
                    "description": "x" * 200,
                    "start": f"{day}T10:00:00Z",
                    "end": f"{day}T11:00:00Z",
                }
                client.post(f"/v1/calendars/{CAL}/events", json=body, headers=TOKEN)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        kept = client.get("/_mock/journal", params={"limit": 1}).json()["total"]
    return held, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    on, kept = fill(args.entries, MockSettings().journal_size)
    off, _ = fill(args.entries, 0)
    journal = on - off  # what the journal itself holds, beyond the world's own growth
    print(f"requests: {args.entries}  journal entries kept: {kept}")
    print(f"memory held with the journal on : {on / 1024:9.1f} KiB")
    print(f"memory held with the journal off: {off / 1024:9.1f} KiB")
    print(
        f"journal: {journal / 1024:9.1f} KiB in all, {journal / max(kept, 1) / 1024:6.2f} KiB per entry"
    )
    print(
        f"a full journal of {MockSettings().journal_size} such entries: "
        f"{journal / max(kept, 1) * MockSettings().journal_size / 1024 / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
