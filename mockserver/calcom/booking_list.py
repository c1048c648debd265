"""GET /v2/bookings (2024-08-13): the query parameters transformed and validated as the DTO
does, the filters, the sorts and the pagination block."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mockserver.calcom import dto
from mockserver.calcom.exceptions import validation_failed
from mockserver.calcom.store import Booking
from mockserver.calcom.wire import iso_instant

if TYPE_CHECKING:
    from mockserver.calcom.bookings import Bookings
    from mockserver.calcom.models import Caller

BOOKING_FILTERS = ("upcoming", "recurring", "past", "cancelled", "unconfirmed")
MAX_TAKE = 250


def list_bookings(bk: Bookings, caller: Caller, query: dict[str, Any]) -> dict[str, Any]:
    q, errors = _bookings_query(query)
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


def _error(query: dict[str, Any], name: str, key: str, message: str) -> dict[str, Any]:
    return {
        "target": {k: v[-1] if len(v) == 1 else v for k, v in query.items()},
        "value": query[name][-1] if len(query[name]) == 1 else query[name],
        "property": name,
        "children": [],
        "constraints": {key: message},
    }


def _bookings_query(raw: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """GET /v2/bookings query parameters, transformed and validated as the 2024-08-13 DTO does
    (comma-separated lists, numbers from strings)."""
    q: dict[str, Any] = {}
    errors = []
    if "status" in raw:
        values = [s for part in raw["status"] for s in part.split(",") if s]
        if any(s not in BOOKING_FILTERS for s in values):
            errors.append(
                _error(
                    raw,
                    "status",
                    "isEnum",
                    "each value in status must be one of the following values: "
                    + ", ".join(BOOKING_FILTERS),
                )
            )
        q["status"] = values
    for name in ("attendeeEmail", "attendeeName", "bookingUid"):
        if name in raw:
            q[name] = raw[name][-1]
    ids: list[int] = []
    for name in ("eventTypeIds", "eventTypeId"):
        if name in raw:
            parts = [p.strip() for v in raw[name] for p in v.split(",")]
            if not all(p.isascii() and p.isdigit() for p in parts):
                errors.append(_error(raw, name, "isNumber", f"{name} must be a number"))
            else:
                ids += [int(p) for p in parts]
    if "eventTypeIds" in raw or "eventTypeId" in raw:
        q["eventTypeIds"] = ids
    if "teamsIds" in raw or "teamId" in raw:
        q["teamIds"] = True
    for name in (
        "afterStart",
        "beforeEnd",
        "afterCreatedAt",
        "beforeCreatedAt",
        "afterUpdatedAt",
        "beforeUpdatedAt",
    ):
        if name in raw:
            value = raw[name][-1]
            when = iso_instant(value) if dto.is_iso8601(value) else None
            if when is None:
                errors.append(
                    _error(
                        raw, name, "isDateString", f"{name} must be a valid ISO 8601 date string"
                    )
                )
            else:
                q[name] = when
    for name in ("sortStart", "sortEnd", "sortCreated", "sortUpdatedAt"):
        if name in raw:
            value = raw[name][-1]
            if value not in ("asc", "desc"):
                errors.append(
                    _error(
                        raw,
                        name,
                        "isEnum",
                        f"{name} must be one of the following values: asc, desc",
                    )
                )
            q[name] = value
    for name, lo, hi in (("take", 1, MAX_TAKE), ("skip", 0, None)):
        if name in raw:
            text = raw[name][-1]
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or not number.is_integer():
                errors.append(
                    _error(
                        raw,
                        name,
                        "isNumber",
                        f"{name} must be a number conforming to the specified constraints",
                    )
                )
            elif number < lo:
                errors.append(_error(raw, name, "min", f"{name} must not be less than {lo}"))
            elif hi is not None and number > hi:
                errors.append(_error(raw, name, "max", f"{name} must not be greater than {hi}"))
            else:
                q[name] = int(number)
    return q, errors
