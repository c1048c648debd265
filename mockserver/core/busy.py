"""How an event counts against its calendar's time: the one free/busy predicate every dialect
(and the availability engine) uses, so they agree on cancelled, transparent and tentative events.
"""

from __future__ import annotations

from typing import Literal

from mockserver.core.models import Event

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
    """Whether the event makes its calendar's owner unavailable (busy or tentative)."""
    status = free_busy_status(ev)
    return status == "busy" or status == "tentative"
