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
    start order; all-day dates are placed in `tzid`. Read from the time index: only events
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


def busy_intervals(
    world: World,
    calendar_ids: Iterable[str],
    lo: datetime,
    hi: datetime,
    tzid: str = "Etc/UTC",
    *,
    clip: bool = True,
) -> list[tuple[datetime, datetime]]:
    """The merged busy time of these calendars overlapping `[lo, hi)`: overlapping or touching
    blocks are one interval; with `clip`, intervals are cut to the window."""
    spans = busy_spans(world, calendar_ids, int(lo.timestamp()), int(hi.timestamp()), tzid)
    if clip:
        spans = intervals.clip(spans, int(lo.timestamp()), int(hi.timestamp()))
    return [(datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC)) for s, e in spans]
