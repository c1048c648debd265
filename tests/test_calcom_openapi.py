"""Schema fidelity: every Cal.com operation the fake implements is called for real (in-process,
over HTTP semantics) and each success body is validated, with jsonschema, against that
operation's response schema in Cal.com's published OpenAPI document (the verbatim subset in
mockserver/calcom/schemas/; the 2026 routes against the cal.diy extract).

How the OpenAPI 3.0 schemas are read (`to_json_schema`):
- `nullable: true` allows null: beside `type` it widens the type, beside an `enum` it adds null,
  and beside a `$ref` (or an `allOf` wrapper) it becomes `anyOf: [<schema>, {type: null}]`.
  Under strict OAS 3.0 a sibling of `$ref` is ignored, which would reject the `null` real
  responses carry (`hosts[0].responseStatus`, `status`); calcom.md §1.9 says to accept it.
- `discriminator`, `example`, `deprecated` and `description` are annotations and are dropped.
- Closed world: every object schema that lists `properties` and says nothing about
  `additionalProperties` is closed, so a key the document does not know fails the test (the
  real schemas are open; closing them catches the fake inventing or misspelling keys).
- `format: date-time` is checked (RFC 3339).

Known faults of the document, each handled here explicitly (KNOWN_FAULTS), not papered over:
1. `calendarEventOwner` documents `{email, name}`, but the real output pipe copies Google's
   organizer object, whose keys are `email`, `displayName` and `self` (calcom.md §1.6, rule 26).
   The schema gets `displayName` and `self`; `name` stays allowed by the schema, and a separate
   test asserts the fake sends `displayName`, never `name`.
2. `BookingReferencesOutput_2024_08_13.status` is typed `object` (with `example: "success"`): every
   envelope's status is the string "success". Patched to the string enum the others use.
3. `DestinationCalendar.id` is typed `object`: it is the numeric database id. Patched to number.
4. `start.time` / `end.time` are `format: date-time`, but the 2026 list mapping renders an
   all-day event as `<date>T00:00:00` with timeZone "UTC" (no offset: not RFC 3339; calcom.md
   §1.5). The date-time check accepts exactly that midnight form (ALL_DAY) besides RFC 3339.
5. The event-type, booking-field, reserved-slot, calendar-links and default-schedule schemas
   (tests/calcom_scheduling_walks.py KNOWN_FAULTS): numbers typed `object`, a window typed
   array, user objects typed string, `isDefault` typed object, a self-referencing envelope,
   keys newer than the document, overlapping `oneOf` variants.
6. Two response schemas are replaced whole (RESPONSE_FAULTS): GET /v2/slots documents the bare
   date map with string items (its own example shows the envelope and `{start}` objects), and
   DELETE /v2/slots/reservations/{uid} documents an untyped object.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import calcom_scheduling_walks as scheduling
import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from mockserver.app import create_app
from mockserver.calcom import urls
from mockserver.calcom.settings import CalcomSettings
from mockserver.settings import Settings
from mockserver.testing import asgi_client

KEY = "cal_live_demoAlice000000000000000001"
AUTH = {"Authorization": f"Bearer {KEY}"}
V2024 = {**AUTH, "cal-api-version": "2024-08-13"}
ANNOTATIONS = ("discriminator", "example", "deprecated", "description", "default", "title")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

ALL_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00$")  # known fault 4

KNOWN_FAULTS: dict[str, Callable[[dict[str, Any]], None]] = {
    # 1. the organizer object is copied as Google sends it (displayName, self), not {email, name}
    "calendarEventOwner": lambda s: s["properties"].update(
        {"displayName": {"type": "string"}, "self": {"type": "boolean"}}
    ),
    # 2. the references envelope's status is a string like every other envelope's
    "BookingReferencesOutput_2024_08_13": lambda s: s["properties"].update(
        {"status": {"type": "string", "enum": ["success", "error"]}}
    ),
    # 3. a destination calendar's id is its numeric database id
    "DestinationCalendar": lambda s: s["properties"].update({"id": {"type": "number"}}),
    # 5. the scheduling schemas (tests/calcom_scheduling_walks.py says what and why)
    **scheduling.KNOWN_FAULTS,
}


def load(name: str) -> dict[str, Any]:
    text = resources.files("mockserver.calcom").joinpath(f"schemas/{name}").read_text("utf-8")
    return json.loads(text)


@cache
def document(name: str = "openapi-v2-subset.json") -> dict[str, Any]:
    return load(name)


def to_json_schema(node: Any) -> Any:
    """One OAS 3.0 schema as JSON Schema 2020-12 (see the module docstring)."""
    if isinstance(node, list):
        return [to_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ANNOTATIONS}
    if isinstance(node.get("properties"), dict):  # property names are not annotations
        out["properties"] = {k: to_json_schema(v) for k, v in node["properties"].items()}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.pop("nullable", False):
        if "$ref" in out or "allOf" in out or "oneOf" in out or "anyOf" in out:
            inner = {k: v for k, v in out.items() if k not in ("nullable",)}
            out = {"anyOf": [inner, {"type": "null"}]}
        else:
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
    return out


def validator_for(doc: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    defs = {}
    for name, raw in doc["components"]["schemas"].items():
        patched = copy.deepcopy(raw)
        if name in KNOWN_FAULTS:
            KNOWN_FAULTS[name](patched)
        defs[name] = to_json_schema(patched)
    root = {**to_json_schema(schema), "$defs": defs}
    checker = FormatChecker(formats=())
    checker.checks("date-time")(
        lambda v: not isinstance(v, str) or bool(RFC3339.match(v) or ALL_DAY.match(v))
    )
    return Draft202012Validator(root, format_checker=checker)


def response_schema(doc: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    if (method, path) in scheduling.RESPONSE_FAULTS:  # known fault 6
        return scheduling.RESPONSE_FAULTS[(method, path)]
    op = doc["paths"][path][method.lower()]
    return op["responses"][str(status)]["content"]["application/json"]["schema"]


def problems(doc: dict[str, Any], method: str, path: str, response: httpx.Response) -> list[str]:
    schema = response_schema(doc, method, path, response.status_code)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator_for(doc, schema).iter_errors(response.json())
    ]


# -- the calls: each operation with the requests that exercise its shapes -------------------


def client() -> httpx.Client:
    return asgi_client(create_app())


def slot(days: int, hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


def event_uid(c: httpx.Client, booking: str = "bkDemoUpcoming00000000001") -> str:
    refs = c.get(f"/v2/bookings/{booking}/references", headers=V2024)
    return refs.json()["data"][0]["eventUid"]


def new_booking(c: httpx.Client, days: int = 30, hour: int = 12, **extra: Any) -> httpx.Response:
    """A booking `days` business days ahead: inside Alice's Monday-Friday working hours."""
    return scheduling.book(c, days, hour, extra.pop("eventTypeId", 1), **extra)


def calls_unified_get(c: httpx.Client) -> Iterator[httpx.Response]:
    uid = event_uid(c)
    yield c.get(f"/v2/calendars/google/event/{uid}", headers=AUTH)  # attendees, Meet location
    video = event_uid(c, "bkDemoIntroCall000000002")
    yield c.get(f"/v2/calendars/google/event/{video}", headers=AUTH)  # free-text location
    c.patch(
        f"/v2/calendars/google/events/{uid}",
        json={"attendees": [], "status": "pending"},
        headers=AUTH,
    )
    yield c.get(f"/v2/calendars/google/event/{uid}", headers=AUTH)  # hosts from the organizer


def calls_unified_patch(c: httpx.Client) -> Iterator[httpx.Response]:
    uid = event_uid(c)
    url = f"/v2/calendars/google/events/{uid}"
    yield c.patch(url, json={}, headers=AUTH)
    yield c.patch(url, json={"title": "T", "description": None, "status": "declined"}, headers=AUTH)
    yield c.patch(
        url,
        json={
            "attendees": [
                {
                    "email": "x@example.com",
                    "name": "X",
                    "responseStatus": "declined",
                    "optional": True,
                },
                {"email": "alice@example.com", "responseStatus": "accepted"},
            ],
            "start": {"time": slot(40, 9), "timeZone": "America/New_York"},
            "end": {"time": slot(40, 10), "timeZone": "America/New_York"},
        },
        headers=AUTH,
    )
    yield c.patch(url, json={"attendees": [], "status": None}, headers=AUTH)


def calls_me(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/me", headers=AUTH)
    yield c.get("/v2/me", headers={"Authorization": "Bearer calcomDemoAliceAccessToken0000001"})


def calls_create_booking(c: httpx.Client) -> Iterator[httpx.Response]:
    yield new_booking(c)
    yield new_booking(
        c,
        31,
        guests=["g@example.com"],
        metadata={"k": "v"},
        bookingFieldsResponses={"notes": "hello"},
    )
    yield new_booking(c, 32, eventTypeId=2)
    yield scheduling.recurring_booking(c)  # an array of occurrences
    yield new_booking(c, 33, 10, eventTypeId=9)  # the first seat of a seated booking
    yield new_booking(c, 33, 10, eventTypeId=9)  # and a second one joining it


def calls_list_bookings(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/bookings", headers=V2024)
    yield c.get("/v2/bookings", params={"status": "cancelled"}, headers=V2024)
    yield c.get("/v2/bookings", params={"take": 1, "skip": 2, "sortStart": "desc"}, headers=V2024)
    yield c.get("/v2/bookings", params={"status": "past,upcoming", "take": 50}, headers=V2024)
    scheduling.recurring_booking(c)  # occurrences of a series and a pending booking, listed
    yield c.get("/v2/bookings", params={"status": "recurring,unconfirmed"}, headers=V2024)


def calls_get_booking(c: httpx.Client) -> Iterator[httpx.Response]:
    for uid in (
        "bkDemoUpcoming00000000001",
        "bkDemoCancelled000000004",
        "bkDemoPast00000000000003",
    ):
        yield c.get(f"/v2/bookings/{uid}", headers=V2024)
    yield c.get("/v2/bookings/bkDemoIntroCall000000002", headers={"cal-api-version": "2024-08-13"})
    yield scheduling.recurring_series(c)
    yield c.get("/v2/bookings/bkDemoWorkshop000000006", headers=V2024)  # seated


def calls_cancel(c: httpx.Client) -> Iterator[httpx.Response]:
    uid = new_booking(c, 33).json()["data"]["uid"]
    yield c.post(f"/v2/bookings/{uid}/cancel", json={"cancellationReason": "r"}, headers=V2024)
    yield c.post(
        "/v2/bookings/bkDemoIntroCall000000002/cancel",
        json={},
        headers={"cal-api-version": "2024-08-13"},
    )


def calls_reschedule(c: httpx.Client) -> Iterator[httpx.Response]:
    uid = new_booking(c, 34).json()["data"]["uid"]
    yield c.post(
        f"/v2/bookings/{uid}/reschedule",
        json={
            "start": scheduling.at(35, 15),
            "reschedulingReason": "r",
            "rescheduledBy": "alice@example.com",
        },
        headers=V2024,
    )


def calls_references(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/bookings/bkDemoIntroCall000000002/references", headers=V2024)
    yield c.get(
        "/v2/bookings/bkDemoUpcoming00000000001/references",
        params={"type": "google_calendar"},
        headers=V2024,
    )
    yield c.get("/v2/bookings/bkDemoCancelled000000004/references", headers=V2024)


def calls_calendars(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars", headers=AUTH)


def calls_busy_times(c: httpx.Client) -> Iterator[httpx.Response]:
    params = {
        "loggedInUsersTz": "Europe/London",
        "dateFrom": slot(-30, 0)[:10],
        "dateTo": slot(60, 0)[:10],
        "calendarsToLoad[0][credentialId]": "1",
        "calendarsToLoad[0][externalId]": "alice@example.com",
    }
    yield c.get("/v2/calendars/busy-times", params=params, headers=AUTH)
    yield c.get("/v2/calendars/busy-times", params={"loggedInUsersTz": "UTC"}, headers=AUTH)


OPERATIONS: dict[tuple[str, str], Callable[[httpx.Client], Iterator[httpx.Response]]] = {
    ("GET", "/v2/calendars/{calendar}/event/{eventUid}"): calls_unified_get,
    ("PATCH", "/v2/calendars/{calendar}/events/{eventUid}"): calls_unified_patch,
    ("GET", "/v2/me"): calls_me,
    ("POST", "/v2/bookings"): calls_create_booking,
    ("GET", "/v2/bookings"): calls_list_bookings,
    ("GET", "/v2/bookings/{bookingUid}"): calls_get_booking,
    ("POST", "/v2/bookings/{bookingUid}/cancel"): calls_cancel,
    ("POST", "/v2/bookings/{bookingUid}/reschedule"): calls_reschedule,
    ("GET", "/v2/bookings/{bookingUid}/references"): calls_references,
    ("GET", "/v2/calendars"): calls_calendars,
    ("GET", "/v2/calendars/busy-times"): calls_busy_times,
    **scheduling.OPERATIONS,
}


# -- the 2026 routes (profile "oss-2026"), against the cal.diy extract -------------------------


def oss_client() -> httpx.Client:
    return asgi_client(create_app(Settings(calcom=CalcomSettings(profile="oss-2026"))))


def _created(c: httpx.Client, days: int = 45) -> str:
    body = {
        "title": "Schema walk",
        "start": {"time": slot(days, 9), "timeZone": "Europe/Berlin"},
        "end": {"time": slot(days, 10), "timeZone": "Europe/Berlin"},
        "attendees": [{"email": "w@example.com", "name": "W"}],
        "description": "made by the 2026 POST",
    }
    return c.post("/v2/calendars/google/events", json=body, headers=AUTH).json()["data"]["id"]


def range_params(lo: int = -30, hi: int = 60) -> dict[str, str]:
    return {"from": slot(lo, 0)[:10], "to": slot(hi, 0)[:10]}


def calls_2026_list(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars/google/events", params=range_params(), headers=AUTH)
    params = {**range_params(0, 40), "calendarId": "team-calendar@group.calendar.example.com"}
    yield c.get("/v2/calendars/google/events", params=params, headers=AUTH)  # recurring, all-day


def calls_2026_create(c: httpx.Client) -> Iterator[httpx.Response]:
    body = {
        "title": "Minimal",
        "start": {"time": slot(46, 9), "timeZone": "UTC"},
        "end": {"time": slot(46, 10), "timeZone": "UTC"},
    }
    yield c.post("/v2/calendars/google/events", json=body, headers=AUTH)


def calls_2026_freebusy(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars/google/freebusy", params=range_params(), headers=AUTH)


def calls_2026_connections(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars/connections", headers=AUTH)


def calls_2026_connection_list(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars/connections/1/events", params=range_params(), headers=AUTH)


def calls_2026_connection_create(c: httpx.Client) -> Iterator[httpx.Response]:
    body = {
        "title": "Via connection",
        "start": {"time": slot(47, 9), "timeZone": "UTC"},
        "end": {"time": slot(47, 10), "timeZone": "UTC"},
    }
    yield c.post("/v2/calendars/connections/1/events", json=body, headers=AUTH)


def calls_2026_connection_get(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get(f"/v2/calendars/connections/1/events/{_created(c)}", headers=AUTH)


def calls_2026_connection_patch(c: httpx.Client) -> Iterator[httpx.Response]:
    url = f"/v2/calendars/connections/1/events/{_created(c)}"
    yield c.patch(url, json={"title": "P", "attendees": [], "description": None}, headers=AUTH)


def calls_2026_connection_freebusy(c: httpx.Client) -> Iterator[httpx.Response]:
    yield c.get("/v2/calendars/connections/1/freebusy", params=range_params(), headers=AUTH)


OPERATIONS_2026: dict[tuple[str, str], Callable[[httpx.Client], Iterator[httpx.Response]]] = {
    ("GET", "/v2/calendars/{calendar}/events"): calls_2026_list,
    ("POST", "/v2/calendars/{calendar}/events"): calls_2026_create,
    ("GET", "/v2/calendars/{calendar}/freebusy"): calls_2026_freebusy,
    ("GET", "/v2/calendars/connections"): calls_2026_connections,
    ("GET", "/v2/calendars/connections/{connectionId}/events"): calls_2026_connection_list,
    ("POST", "/v2/calendars/connections/{connectionId}/events"): calls_2026_connection_create,
    ("GET", "/v2/calendars/connections/{connectionId}/events/{eventId}"): calls_2026_connection_get,
    (
        "PATCH",
        "/v2/calendars/connections/{connectionId}/events/{eventId}",
    ): calls_2026_connection_patch,
    ("GET", "/v2/calendars/connections/{connectionId}/freebusy"): calls_2026_connection_freebusy,
    # GET/PATCH on the unified paths: the same schemas as the documented operations
    ("GET", "/v2/calendars/{calendar}/event/{eventUid}"): calls_unified_get,
    ("PATCH", "/v2/calendars/{calendar}/events/{eventUid}"): calls_unified_patch,
}
NO_BODY_2026 = {  # 204 answers: nothing to validate
    ("DELETE", "/v2/calendars/{calendar}/events/{eventUid}"),
    ("DELETE", "/v2/calendars/connections/{connectionId}/events/{eventId}"),
}


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS_2026), ids=lambda v: v)
def test_2026_responses_match_the_cal_diy_schema(method: str, path: str) -> None:
    doc = document("unified-calendars-2026-subset.json")
    with oss_client() as c:
        responses = list(OPERATIONS_2026[(method, path)](c))
    assert responses
    for response in responses:
        assert response.status_code in (200, 201), (method, path, response.text)
        found = problems(doc, method, path, response)
        assert not found, (method, path, response.request.url, found)


def test_2026_deletes_answer_204_without_a_body() -> None:
    with oss_client() as c:
        one = c.delete(f"/v2/calendars/google/events/{_created(c)}", headers=AUTH)
        two = c.delete(f"/v2/calendars/connections/1/events/{_created(c, 48)}", headers=AUTH)
    assert (one.status_code, one.content) == (204, b"")
    assert (two.status_code, two.content) == (204, b"")


def test_2026_walk_covers_the_extract() -> None:
    doc = document("unified-calendars-2026-subset.json")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    aliases = {  # cal.diy's path aliases (rule 3), served only with event_path_aliases
        ("GET", "/v2/calendars/{calendar}/events/{eventUid}"),
        ("PATCH", "/v2/calendars/{calendar}/event/{eventUid}"),
    }
    assert documented - aliases - NO_BODY_2026 == set(OPERATIONS_2026)


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS), ids=lambda v: v)
def test_responses_match_the_openapi_schema(method: str, path: str) -> None:
    doc = document()
    with client() as c:
        responses = list(OPERATIONS[(method, path)](c))
    assert responses
    for response in responses:
        assert response.status_code in (200, 201), (method, path, response.text)
        found = problems(doc, method, path, response)
        assert not found, (method, path, response.request.url, found)


def test_every_documented_operation_is_walked_and_every_route_documented() -> None:
    documented = {
        (m.upper(), p) for p, ops in document()["paths"].items() for m in ops if m != "parameters"
    }
    assert documented == set(OPERATIONS)
    served = set()
    for route in urls.V2:
        path = getattr(route, "path", "")
        if "{rest" in path:
            continue
        for method in route.methods or ():  # type: ignore[attr-defined]
            if method != "HEAD":
                served.add((method, "/v2" + path))
    aliases = {  # switched off by default (rule 3); same schema as their documented twins
        ("GET", "/v2/calendars/{calendar}/events/{eventUid}"),
        ("PATCH", "/v2/calendars/{calendar}/event/{eventUid}"),
    }
    oss = {(m, p) for m, p in set(OPERATIONS_2026) | NO_BODY_2026 if (m, p) not in OPERATIONS}
    assert served - aliases - oss - scheduling.UNDOCUMENTED - NOT_EXTRACTED == set(OPERATIONS)
    assert oss <= served
    assert served >= NOT_EXTRACTED


# Served but not in the extract: the published document's webhook schemas contradict the code
# (`triggers` typed as a string, ids as numbers: reference/webhooks.md §2.1), so webhooks are
# checked by contracts/calcom/notifications/ against the controllers instead.
NOT_EXTRACTED = {
    ("POST", "/v2/webhooks"),
    ("GET", "/v2/webhooks"),
    ("GET", "/v2/webhooks/{webhookId}"),
    ("PATCH", "/v2/webhooks/{webhookId}"),
    ("DELETE", "/v2/webhooks/{webhookId}"),
    ("POST", "/v2/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/event-types/{eventTypeId}/webhooks"),
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("PATCH", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
}


def test_known_fault_owner_is_google_organizer_with_display_name() -> None:
    with client() as c:
        data = c.get(f"/v2/calendars/google/event/{event_uid(c)}", headers=AUTH).json()["data"]
    owner = data["calendarEventOwner"]
    assert "displayName" in owner and "name" not in owner
    unpatched = to_json_schema(document()["components"]["schemas"]["calendarEventOwner"])
    assert list(Draft202012Validator(unpatched).iter_errors(owner))  # the document's own schema


def test_nullable_beside_ref_accepts_null_and_still_checks_the_ref() -> None:
    schema = document()["components"]["schemas"]["CalendarEventHost"]
    v = validator_for(document(), schema)
    assert v.is_valid({"email": "a@example.com", "responseStatus": None})
    assert v.is_valid({"email": "a@example.com", "responseStatus": "accepted"})
    assert not v.is_valid({"email": "a@example.com", "responseStatus": "maybe"})
    assert not v.is_valid({"email": "a@example.com", "invented": 1})  # closed world


def test_the_checker_rejects_a_broken_body() -> None:
    """The walk would notice: a body missing a required key, or with a wrong type, fails."""
    doc = document()
    with client() as c:
        good = c.get(f"/v2/calendars/google/event/{event_uid(c)}", headers=AUTH).json()
    schema = response_schema(doc, "GET", "/v2/calendars/{calendar}/event/{eventUid}", 200)
    v = validator_for(doc, schema)
    assert v.is_valid(good)
    for broken in (
        {**good, "data": {k: x for k, x in good["data"].items() if k != "source"}},
        {**good, "data": {**good["data"], "status": "confirmed"}},
        {**good, "data": {**good["data"], "start": {"time": "yesterday"}}},
        {**good, "data": {**good["data"], "locations": [{"type": "video"}]}},
    ):
        assert not v.is_valid(broken)
