"""How an event counts against its calendar's time: the one free/busy predicate every dialect
(and the availability engine) uses, so they agree on cancelled, transparent, tentative and
declined events; and the busy timeline of a set of calendars, read from the time index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from mockserver.core import intervals
from mockserver.core.index import Window
from mockserver.core.models import Event
from mockserver.core.timeutil import instant

if TYPE_CHECKING:
    from mockserver.core.world import World

FreeBusy = Literal["busy", "tentative", "free"]


def free_busy_status(ev: Event) -> FreeBusy | None:
    """`None` for an event that takes no time at all (cancelled: it is not there); `free` for a
    transparent one ("show as available"); `tentative` for an opaque tentative one; else `busy`."""
    if ev.status == "cancelled":
        return None
    if ev.transparency == "transparent":
        return "free"
    if ev.status == "tentative":
        return "tentative"
    return "busy"


def blocks_time(ev: Event) -> bool:
    """Whether the event makes its calendar's owner unavailable: busy or tentative, and not
    declined by the owner (an invitation the owner said no to takes none of their time)."""
    status = free_busy_status(ev)
    return (status == "busy" or status == "tentative") and ev.participation_status != "declined"


def busy_blocks(
    world: World,
    calendar_ids: Iterable[str],
    lo: datetime,
    hi: datetime,
    tzid: str = "Etc/UTC",
) -> Iterator[tuple[datetime, datetime, Event]]:
    """`(start, end, event)` of every occurrence in these calendars that blocks time and
    overlaps `[lo, hi)` (half-open: an event ending at `lo` does not), series expanded, in
    the index's order (all-day dates sort by their UTC date: callers that need exact start
    order sort); all-day dates are placed in `tzid`. Read from the time index: only events
    that start near the window are looked at, never the whole calendar."""
    window = Window(lo, hi, tzid)
    sources = world.sources(list(calendar_ids), window, include=lambda app, deleted: not deleted)
    for _, occ in world.scan(sources):
        if not blocks_time(occ.event):
            continue
        start, end = instant(occ.start, tzid), instant(occ.end, tzid)
        if start < hi and end > lo and start < end:
            yield start, end, occ.event


def busy_spans(
    world: World, calendar_ids: Iterable[str], lo: int, hi: int, tzid: str = "Etc/UTC"
) -> list[intervals.Span]:
    """The merged busy time of these calendars inside `[lo, hi)` epoch seconds (not clipped:
    a block reaching past the window is kept whole)."""
    start = datetime.fromtimestamp(lo, UTC)
    end = datetime.fromtimestamp(hi, UTC)
    return intervals.normalize(
        (int(s.timestamp()), int(e.timestamp()))
        for s, e, _ in busy_blocks(world, calendar_ids, start, end, tzid)
    )


def busy_periods(
    world: World,
    calendar_ids: Iterable[str],
    lo: datetime,
    hi: datetime,
    tzid: str = "Etc/UTC",
    *,
    clip: bool = True,
) -> list[tuple[datetime, datetime, FreeBusy]]:
    """The merged busy time of these calendars overlapping `[lo, hi)`: overlapping or touching
    blocks are one period, `tentative` when every event in it is tentative, else `busy`; with
    `clip`, periods are cut to the window (free/busy answers are)."""
    out: list[list] = []
    blocks = sorted(busy_blocks(world, calendar_ids, lo, hi, tzid), key=lambda b: (b[0], b[1]))
    for start, end, ev in blocks:
        tentative = ev.status == "tentative"
        if out and start <= out[-1][1]:
            last = out[-1]
            last[1] = max(last[1], end)
            last[2] = last[2] and tentative
        else:
            out.append([start, end, tentative])
    periods = []
    for start, end, tentative in out:
        if clip:
            start, end = max(start, lo), min(end, hi)
        periods.append((start, end, "tentative" if tentative else "busy"))
    return periods  # type: ignore[return-value]


def busy_intervals(
    world: World,
    calendar_ids: Iterable[str],
    lo: datetime,
    hi: datetime,
    tzid: str = "Etc/UTC",
    *,
    clip: bool = True,
) -> list[tuple[datetime, datetime]]:
    """`busy_periods` without the status."""
    return [(s, e) for s, e, _ in busy_periods(world, calendar_ids, lo, hi, tzid, clip=clip)]
