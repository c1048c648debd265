"""Helpers for the upstream replay suites (contracts/truto/test_upstream_*.py): what Truto's
docs, its published agent docs (trutohq/truto-skills) and its SDKs (trutohq/truto-ts-sdk,
trutohq/truto-python-sdk) show, replayed over plain HTTP against the chosen target.

- `send` puts a query string on the wire byte for byte, as an SDK encodes it;
  `ts_query` / `py_query` encode (key, value) pairs the way each SDK does.
- `assert_like` compares a documented response example key by key (JSON types);
  `assert_schema` checks a response against a documented field -> JSON type table.
- Every difference these replays found is fixed or decided (docs/EVIDENCE.md): no test is
  marked as expected to fail. A new difference gets a fix, or a recorded decision and a test of
  the decided behaviour, never a standing xfail.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

import httpx

from contracts.shapes import assert_shape, json_type

# What each SDK sends on every call besides Authorization.
# trutohq/truto-ts-sdk src/apiClient.ts (request): Accept, then its own User-Agent; a
# Content-Type only when the body is a plain object or array.
TS_SDK_HEADERS = {"Accept": "application/json", "User-Agent": "truto-ts-sdk/2.0.12"}
# trutohq/truto-python-sdk truto_python_sdk/truto_api.py (TrutoApi.__init__): the same three
# headers on every method, bodies or not; aiohttp adds its own User-Agent.
PY_SDK_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "User-Agent": "Python/3.12 aiohttp/3.10.5",
}
# RFC 3339 date-time, the `string · date-time` of Truto's object pages.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def ts_query(*pairs: tuple[str, str]) -> str:
    """Pairs joined as `qs.stringify` (qs 6.15, default options) writes them: RFC 3986
    percent-encoding of keys and values (brackets as %5B/%5D, a space as %20)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def py_query(*pairs: tuple[str, str]) -> str:
    """Pairs joined as truto-python-sdk's dict_to_query_string writes them:
    `urlencode(..., quote_via=quote_plus)` (a space as +, a + as %2B)."""
    return urlencode(list(pairs), quote_via=quote_plus)


def send(
    truto: Any,
    method: str,
    path: str,
    query: str = "",
    *,
    headers: dict[str, str] | None = None,
    token: str | bool | None = True,
    **kwargs: Any,
) -> httpx.Response:
    """One request with `query` exactly as given (httpx re-encodes `params`, so none are
    passed); the target's base URL and the state's API token as for every contract test."""
    url = truto.url(path) + (f"?{query}" if query else "")
    return truto.target.client.request(method, url, headers=truto.headers(headers, token), **kwargs)


# -- comparing JSON ------------------------------------------------------------------------


def assert_like(example: Any, actual: Any, nullable: frozenset[str] = frozenset()) -> None:
    """Every key of a documented example is in `actual`, with the same JSON type, all the way
    down; list items are each compared with the example's first item. `nullable` names the
    paths a source documents as `<type> | null` (either is accepted there)."""
    assert_shape(example, actual, nullable=nullable)


Schema = dict[str, Any]  # field -> "string" | "number" | ... | nested Schema | [item schema]


def assert_schema(
    schema: Schema, actual: dict[str, Any], where: str = "$", required: tuple[str, ...] = ()
) -> None:
    """Each documented field the response carries has its documented JSON type (JSON null is
    not a string: a field without a value is left out, as Truto's JSONata mappings leave an
    undefined field out); the `required` ones are there."""
    for name in required:
        assert name in actual, f"{where}: required field {name!r} is missing"
    for name, value in actual.items():
        if name not in schema:
            continue
        spec, path = schema[name], f"{where}.{name}"
        if isinstance(spec, dict):
            assert json_type(value) == "object", f"{path}: documented object, got {value!r}"
            assert_schema(spec, value, path)
        elif isinstance(spec, list):
            assert json_type(value) == "array", f"{path}: documented array, got {value!r}"
            for i, item in enumerate(value):
                item_path = f"{path}[{i}]"
                if isinstance(spec[0], dict):
                    assert json_type(item) == "object", f"{item_path}: got {item!r}"
                    assert_schema(spec[0], item, item_path)
                else:
                    assert json_type(item) == spec[0], f"{item_path}: got {item!r}"
        else:
            assert json_type(value) == spec, f"{path}: documented {spec}, got {value!r}"


# -- documented object schemas ---------------------------------------------------------------
# The unified calendar object pages (truto.one/docs/api-reference/unified-calendar-api/<object>,
# and their .md forms) and the field table of truto.one/unified-apis/calendar/.

PERSON: Schema = {
    "id": "string",
    "name": "string",
    "emails": [{"email": "string", "type": "string"}],
}
ADDRESS: Schema = {
    k: "string" for k in ("street_1", "street_2", "city", "state", "country", "postal_code")
}
LOCATION: Schema = {
    "id": "string",
    "name": "string",
    "url": "string",
    "address": ADDRESS,
    "coordinates": {"latitude": "number", "longitude": "number"},
}
ATTACHMENT_FIELDS: Schema = {
    "id": "string",
    "name": "string",
    "mime_type": "string",
    "url": "string",
    "created_at": "string",
    "updated_at": "string",
}
EVENT: Schema = {
    "id": "string",
    "title": "string",
    "start_time": "string",
    "end_time": "string",
    "timezone": "string",
    "calendar": {"id": "string", "name": "string"},
    "description": "string",
    "location": LOCATION,
    "status": "string",
    "availability": "string",
    "visibility": "string",
    "type": "string",
    "attendees": [
        {
            "person": PERSON,
            "is_optional": "boolean",
            "is_organizer": "boolean",
            "is_self": "boolean",
            "response": {"status": "string", "comment": "string"},
        }
    ],
    "attachments": [ATTACHMENT_FIELDS],
    "created_by": PERSON,
    "organizer": PERSON,
    "event_type": {"id": "string"},
    "guests_can_invite_others": "boolean",
    "guests_can_modify": "boolean",
    "guests_can_see_other_guests": "boolean",
    "has_attachments": "boolean",
    "identifiers": "object",
    "is_locked": "boolean",
    "is_recurring": "boolean",
    "parent_event": "object",
    "recurrence": ["string"],
    "urls": "array",
    "created_at": "string",
    "updated_at": "string",
    "remote_data": "object",
}
EVENT_REQUIRED = ("id", "title", "start_time")
CALENDAR: Schema = {
    "id": "string",
    "name": "string",
    "description": "string",
    "location": "object",
    "status": "string",
    "visibility": "string",
    "is_default": "boolean",
    "timezone": "string",
    "access_role": {"id": "string", "name": "string"},
    "colors": {"background": "string", "foreground": "string"},
    "created_at": "string",
    "updated_at": "string",
    "remote_data": "object",
}
AVAILABILITY: Schema = {
    "calendar": {"id": "string", "name": "string"},
    "email": "string",
    "start_time": "string",
    "end_time": "string",
    "timezone": "string",
    "availability": "string",
}
CONTACT: Schema = {
    **{
        k: "string"
        for k in ("id", "first_name", "middle_name", "last_name", "name", "title")
        + ("last_activity_at", "created_at", "updated_at")
    },
    **{k: "array" for k in ("addresses", "email_addresses", "phone_numbers", "tags")},
    "remote_data": "object",
}
EVENT_TYPE: Schema = {
    **{k: "string" for k in ("id", "name", "label", "status", "color", "description")},
    "urls": [{"type": "string", "url": "string"}],
    "duration": "number",
    "allow_scheduling": "boolean",
    "position": "number",
    "form_fields": "array",
    "locations": "array",
    "created_at": "string",
    "updated_at": "string",
    "remote_data": "object",
}
ATTACHMENT: Schema = {**ATTACHMENT_FIELDS, "event": {"id": "string", "title": "string"}}
USER: Schema = {
    **{
        k: "string"
        for k in ("id", "external_id", "first_name", "last_name", "title", "name", "username")
        + ("avatar", "bio", "created_at", "updated_at")
    },
    "identifiers": "object",
    "emails": [{"email": "string", "is_primary": "boolean", "type": "string"}],
    "remote_data": "object",
}
