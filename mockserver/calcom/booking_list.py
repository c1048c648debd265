"""GET /v2/bookings (2024-08-13): the filters, the sorts and the pagination block over the
query GetBookingsInput_2024_08_13 reads (bookings_query.py)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mockserver.calcom import bookings_query
from mockserver.calcom.exceptions import validation_failed
from mockserver.calcom.store import Booking

if TYPE_CHECKING:
    from mockserver.calcom.bookings import Bookings
    from mockserver.calcom.models import Caller


def list_bookings(bk: Bookings, caller: Caller, query: dict[str, Any]) -> dict[str, Any]:
    q, errors = bookings_query.read(query)
    if errors:
        raise validation_failed(errors)
    me = caller.user
    now = bk.now()
    mine = [
        b
        for b in bk.store.bookings.values()
        if b.user_id == me.id or any(a.email.lower() == me.email.lower() for a in b.attendees)
    ]
    statuses = q.get("status") or []

    def status_ok(b: Booking) -> bool:
        if not statuses:
            return True
        live = b.status not in ("cancelled", "rejected")
        checks = {
            "upcoming": b.end >= now and live,
            "recurring": b.end >= now and live and b.recurring_uid is not None,
            "past": b.end <= now and live,
            "cancelled": not live,
            "unconfirmed": b.end >= now and b.status == "pending",
        }
        return any(checks[s] for s in statuses)

    def keep(b: Booking) -> bool:
        if not status_ok(b):
            return False
        if "attendeeEmail" in q and not any(
            a.email.lower() == q["attendeeEmail"].lower() for a in b.attendees
        ):
            return False
        if "attendeeName" in q and not any(
            q["attendeeName"].lower() in a.name.lower() for a in b.attendees
        ):
            return False
        if "bookingUid" in q and b.uid != q["bookingUid"]:
            return False
        if "eventTypeIds" in q and b.event_type_id not in q["eventTypeIds"]:
            return False
        if "teamIds" in q:
            return False  # the fake has no teams
        for name, attr, after in (
            ("afterStart", "start", True),
            ("beforeEnd", "end", False),
            ("afterCreatedAt", "created", True),
            ("beforeCreatedAt", "created", False),
            ("afterUpdatedAt", "updated", True),
            ("beforeUpdatedAt", "updated", False),
        ):
            if name in q:
                value = getattr(b, attr)
                if (after and value < q[name]) or (not after and value > q[name]):
                    return False
        return True

    found = [b for b in mine if keep(b)]
    found.sort(key=lambda b: (b.start, b.id))
    for name, attr in (
        ("sortUpdatedAt", "updated"),
        ("sortCreated", "created"),
        ("sortEnd", "end"),
        ("sortStart", "start"),
    ):
        if name in q:  # the last sort applied wins ties least: sortStart is the primary key
            found.sort(key=lambda b, a=attr: getattr(b, a), reverse=q[name] == "desc")
    take, skip = q.get("take", 100), q.get("skip", 0)
    page = found[skip : skip + take]
    total = len(found)
    return {
        "status": "success",
        "data": [bk.booking_json(b) for b in page],
        "pagination": {
            "totalItems": total,
            "remainingItems": max(0, total - skip - len(page)),
            "returnedItems": len(page),
            "itemsPerPage": take,
            "currentPage": skip // take + 1,
            "totalPages": math.ceil(total / take),
            "hasNextPage": skip + take < total,
            "hasPreviousPage": skip > 0,
        },
    }
