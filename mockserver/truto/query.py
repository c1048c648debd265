"""Truto's query conventions, shared by every unified call: bracket parsing, the `truto_*`
parameters, `limit` + `next_cursor` (opaque keyset cursors), operator filters on `created_at` /
`updated_at`, and shaping each answer (`truto_response_format`, `truto_exclude_fields`,
`truto_ignore_remote_data`, `truto_key_by`)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from mockserver.core.timeutil import parse_date, parse_time
from mockserver.truto.exceptions import bad_request
from mockserver.truto.settings import TrutoSettings

FORMATS = ("unified", "raw", "normalized", "stream", "debug")
# Parameters of a fixed type whose value `None` (what truto-python-sdk's dict_to_query_string
# writes for a Python None) reads as not sent when `python_none_is_absent` is on.
TYPED = (
    "limit",
    "next_cursor",
    "truto_ignore_limit",
    "truto_ignore_remote_data",
    "truto_response_format",
    "single_events",
)
OPERATORS = ("gt", "gte", "lt", "lte")
TRUE, FALSE = ("true", "1"), ("false", "0")


@dataclass
class Rendered:
    """One object of an answer: its unified form and the provider's own (`remote_data`)."""

    unified: dict[str, Any]
    remote: Any


@dataclass
class Page:
    items: list[Rendered]
    next_cursor: str | None


@dataclass
class Query:
    params: dict[str, Any]  # every query parameter, brackets folded into dicts and lists
    account_id: str | None
    fmt: str = "unified"
    exclude: tuple[str, ...] = ()
    ignore_remote: bool = False
    remote_query: dict[str, Any] = field(default_factory=dict)
    key_by: str | None = None
    ignore_limit: bool = False
    limit: int = 100
    cursor: list[Any] | None = None

    @classmethod
    def parse(cls, params: dict[str, Any], settings: TrutoSettings) -> Query:
        if settings.python_none_is_absent:
            for name in TYPED:
                if params.get(name) == "None":
                    del params[name]
        fmt = scalar(params, "truto_response_format") or "unified"
        if fmt not in FORMATS:
            raise bad_request(
                f"Invalid truto_response_format {fmt!r}: use one of {', '.join(FORMATS)}"
            )
        remote_query = params.get("remote_query", {})
        if not isinstance(remote_query, dict):
            raise bad_request("remote_query must be an object, e.g. remote_query[foo]=bar")
        limit = settings.default_limit
        raw_limit = scalar(params, "limit")
        if raw_limit not in (None, ""):
            count = whole_number(raw_limit)
            if count is None or count < 1:
                raise bad_request("limit must be a positive integer")
            limit = min(count, settings.max_limit)
        account = scalar(params, "integrated_account_id")
        return cls(
            params=params,
            account_id=account or None,
            fmt=fmt,
            exclude=tuple(array(params, "truto_exclude_fields") or ()),
            ignore_remote=boolean(params, "truto_ignore_remote_data") or False,
            remote_query=remote_query,
            key_by=scalar(params, "truto_key_by") or None,
            ignore_limit=boolean(params, "truto_ignore_limit") or False,
            limit=limit,
            cursor=decode_cursor(scalar(params, "next_cursor")),
        )

    # -- shaping the answer ------------------------------------------------------------

    def shape(self, item: Rendered) -> Any:
        if self.fmt == "raw":
            return item.remote
        out = dict(item.unified)
        if not self.ignore_remote:
            out["remote_data"] = item.remote
        for name in self.exclude:
            out.pop(name, None)
        return out

    def shape_page(self, page: Page) -> dict[str, Any]:
        if self.key_by:
            result: Any = {
                _key(item.unified.get(self.key_by)): self.shape(item) for item in page.items
            }
        else:
            result = [self.shape(item) for item in page.items]
        # The list envelope of trutohq/truto-skills (unified-api.md "List Envelope"); the fake's
        # cursors run forward only, as the Google and Graph page tokens Truto wraps do, so
        # prev_cursor is always null.
        return {
            "result": result,
            "next_cursor": page.next_cursor,
            "prev_cursor": None,
            "result_count": len(page.items),
        }


def whole_number(text: str) -> int | None:
    """`10`, or `10.0` (a Python float through truto-python-sdk's query encoder: a JavaScript
    Number() reads it as 10); None for anything else."""
    whole, dot, zeros = text.partition(".")
    if not (whole.isascii() and whole.isdigit()):
        return None
    if dot and (not zeros or zeros.strip("0")):
        return None
    return int(whole)


def _key(value: Any) -> str:
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


# -- reading parameters ------------------------------------------------------------------------


def scalar(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    raise bad_request(f"{name} must be a single value")


def boolean(params: dict[str, Any], name: str) -> bool | None:
    value = scalar(params, name)
    if value is None or value == "":
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise bad_request(f"{name} must be true or false")


def array(params: dict[str, Any], name: str) -> list[str] | None:
    """`a[]=x&a[]=y`, `a[0]=x&a[1]=y` or `a=x,y` (also `a=x&a=y`)."""
    value = params.get(name)
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise bad_request(f"{name} must be a list of strings")
        out.extend(part.strip() for part in item.split(",") if part.strip())
    return out


def obj(params: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request(f"{name} must be an object, e.g. {name}[id]=...")
    return value


def instant(value: Any, name: str) -> datetime:
    """An ISO 8601 date-time (a bare date is its UTC midnight); a time without an offset is UTC."""
    if isinstance(value, str):
        try:
            if len(value) == 10:
                d = parse_date(value)
                return datetime(d.year, d.month, d.day, tzinfo=UTC)
            return parse_time(value).aware("Etc/UTC")
        except ValueError:
            pass
    raise bad_request(f"{name} must be an ISO 8601 date-time")


def time_filter(params: dict[str, Any], name: str) -> list[tuple[str, datetime]]:
    """`updated_at=X` (read as gte), or `updated_at[gt|gte|lt|lte]=X`."""
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [("gte", instant(value, name))]
    if not isinstance(value, dict) or not value:
        raise bad_request(f"{name} must be a date-time or an object of operators")
    out = []
    for op, operand in value.items():
        if op not in OPERATORS:
            raise bad_request(f"Unknown operator {name}[{op}]: use one of {', '.join(OPERATORS)}")
        out.append((op, instant(operand, f"{name}[{op}]")))
    return out


def passes(value: datetime, checks: Iterable[tuple[str, datetime]]) -> bool:
    for op, bound in checks:
        if op == "gt" and not value > bound:
            return False
        if op == "gte" and not value >= bound:
            return False
        if op == "lt" and not value < bound:
            return False
        if op == "lte" and not value <= bound:
            return False
    return True


# -- cursors -------------------------------------------------------------------------------------


def encode_cursor(key: Iterable[Any]) -> str:
    """An opaque, URL-safe cursor holding the sort key of the last item sent."""
    raw = orjson.dumps({"after": list(key)})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> list[Any] | None:
    """None for an absent or empty cursor (the first page); 400 for one the fake never made."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        data = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        data = None
    after = data.get("after") if isinstance(data, dict) else None
    if not isinstance(after, list) or not after:
        raise bad_request("Invalid next_cursor")
    return after
