"""GET /v2/bookings query parameters as GetBookingsInput_2024_08_13 reads them
(packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts in the cal.com
monorepo), through the global ValidationPipe (`transform: true`, `whitelist: true`).

Express's query parser gives a string, or an array when a key repeats. Each property's
@Transform / @Type runs first, then its validators, in decorator order (bottom-up), with the
DTO's own messages. Undeclared parameters are dropped."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mockserver.calcom.js import js_number, parse_int
from mockserver.calcom.validator import is_iso8601
from mockserver.calcom.wire import iso_instant

STATUSES = ("upcoming", "recurring", "past", "cancelled", "unconfirmed")
MAX_TAKE = 250
NUMBER = "must be a number conforming to the specified constraints"
DATE_FILTERS = {  # the DTO reuses two texts for the six date filters
    "afterStart": "fromDate must be a valid ISO 8601 date.",
    "beforeEnd": "toDate must be a valid ISO 8601 date.",
    "afterCreatedAt": "fromDate must be a valid ISO 8601 date.",
    "beforeCreatedAt": "toDate must be a valid ISO 8601 date.",
    "afterUpdatedAt": "fromDate must be a valid ISO 8601 date.",
    "beforeUpdatedAt": "toDate must be a valid ISO 8601 date.",
}
SORTS = {  # sortUpdatedAt reuses SortCreated's text
    "sortStart": 'SortStart must be either "asc" or "desc".',
    "sortEnd": 'SortEnd must be either "asc" or "desc".',
    "sortCreated": 'SortCreated must be either "asc" or "desc".',
    "sortUpdatedAt": 'SortCreated must be either "asc" or "desc".',
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()


def _json(value: Any) -> Any:
    """What JSON.stringify makes of a transformed value (NaN and Infinity become null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


Check = tuple[str, Callable[[Any], bool], str]


def _transform(name: str, value: Any) -> Any:
    if name == "status":
        return [s.strip() for s in value.split(",")] if isinstance(value, str) else value
    if name == "attendeeEmail" and isinstance(value, str):
        # managed users' emails have "+" in them, which an unencoded query turns into a space
        return re.sub(r"\s+", "+", value.strip())
    if name in ("eventTypeIds", "teamsIds"):
        if isinstance(value, str):
            return [parse_int(part) for part in value.split(",")]
        return [js_number(v) for v in value]
    if name in ("eventTypeId", "teamId"):  # @Type(() => Number), element-wise on an array
        return [js_number(v) for v in value] if isinstance(value, list) else js_number(value)
    if name in ("take", "skip"):  # value && parseInt(value)
        return parse_int(value) if value else value
    return value


def _checks(name: str) -> list[Check]:
    """The property's constraints in class-validator's order (decorators bottom-up)."""
    string = ("isString", lambda v: isinstance(v, str), f"{name} must be a string")
    if name == "status":
        return [
            (
                "isEnum",
                lambda v: isinstance(v, list) and all(s in STATUSES for s in v),
                "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed",
            ),
            ("arrayNotEmpty", lambda v: isinstance(v, list) and bool(v), "status cannot be empty."),
        ]
    if name in ("attendeeEmail", "attendeeName", "bookingUid"):
        return [string]
    if name in ("eventTypeIds", "teamsIds"):
        what = "event type id" if name == "eventTypeIds" else "team id"
        label = "eventTypeIds" if name == "eventTypeIds" else "teamIds"
        return [
            (
                "arrayMinSize",
                lambda v: isinstance(v, list) and len(v) >= 1,
                f"{label} must contain at least 1 {what}",
            ),
            (
                "isNumber",
                lambda v: isinstance(v, list) and all(_is_number(x) for x in v),
                f"each value in {name} {NUMBER}",
            ),
            ("isArray", lambda v: isinstance(v, list), f"{name} must be an array"),
        ]
    if name in ("eventTypeId", "teamId"):
        return [("isInt", _is_int, f"{name} must be an integer number")]
    if name in DATE_FILTERS:
        return [("isIso8601", lambda v: is_iso8601(v, strict=True), DATE_FILTERS[name])]
    if name in SORTS:
        return [("isEnum", lambda v: v in ("asc", "desc"), SORTS[name])]
    if name == "take":
        return [
            (
                "max",
                lambda v: _is_number(v) and v <= MAX_TAKE,
                f"take must not be greater than {MAX_TAKE}",
            ),
            ("min", lambda v: _is_number(v) and v >= 1, "take must not be less than 1"),
            ("isNumber", _is_number, f"take {NUMBER}"),
        ]
    if name == "skip":
        return [
            ("min", lambda v: _is_number(v) and v >= 0, "skip must not be less than 0"),
            ("isNumber", _is_number, f"skip {NUMBER}"),
        ]
    return []


_INDEXED = re.compile(r"^([^\[\]]+)\[(\d*)\]$")


def express_query(raw: dict[str, list[str]]) -> dict[str, Any]:
    """Express's query parser (qs) on flat keys: a repeated key, `key[]` or `key[<n>]` is an
    array (the bracket forms even with one value), a single plain key a string."""
    out: dict[str, Any] = {}
    for key, values in raw.items():
        indexed = _INDEXED.match(key)
        if indexed:
            name = indexed[1]
            current = out.get(name, [])
            out[name] = [*(current if isinstance(current, list) else [current]), *values]
        elif key in out:
            current = out[key]
            out[key] = [*(current if isinstance(current, list) else [current]), *values]
        else:
            out[key] = values[0] if len(values) == 1 else list(values)
    return out


DECLARED = (
    "status", "attendeeEmail", "attendeeName", "bookingUid", "eventTypeIds", "eventTypeId",
    "teamsIds", "teamId", *DATE_FILTERS, *SORTS, "take", "skip",
)  # fmt: skip


def read(raw: dict[str, list[str]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The transformed query (dates as instants, ids as lists of ints) and the ValidationPipe's
    errors, in the DTO's property order."""
    given = express_query(raw)
    values = {name: _transform(name, given[name]) for name in DECLARED if name in given}
    target = {name: _json(v) for name, v in values.items()}
    errors = []
    for name, value in values.items():
        failed = {key: text for key, test, text in _checks(name) if not test(value)}
        if failed:
            errors.append(
                {
                    "target": target,
                    "value": _json(value),
                    "property": name,
                    "children": [],
                    "constraints": failed,
                }
            )
    if errors:
        return {}, errors
    q: dict[str, Any] = {}
    for name, value in values.items():
        if name in DATE_FILTERS:
            when: datetime | None = iso_instant(value)
            if when is not None:  # ISO 8601 forms Python cannot place filter nothing
                q[name] = when
        elif name in ("eventTypeIds", "eventTypeId"):
            q.setdefault("eventTypeIds", [])
            q["eventTypeIds"] += [int(v) for v in (value if isinstance(value, list) else [value])]
        elif name in ("teamsIds", "teamId"):
            q["teamIds"] = True  # the fake has no teams
        elif name in ("take", "skip"):
            q[name] = abs(int(value))  # getBookings: Math.abs
        else:
            q[name] = value
    return q, errors
