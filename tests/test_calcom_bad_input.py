"""Hostile input at every Cal.com write route (PATCH the unified event, create / cancel /
reschedule a booking, the 2026 create and connection PATCH, event types, schedules,
reservations, PATCH /v2/me and the booking lifecycle).

Arbitrary JSON, mutations of valid bodies, malformed bodies and odd content types and
Authorization headers are thrown at each route. Whatever arrives:
  * nothing escapes the app (the in-process client re-raises app exceptions) and no 5xx;
  * the status is the route's success status or a 4xx Cal.com uses;
  * every error body is the envelope `{status: "error", timestamp, path, error: {code, message,
    details}}`, and every answer carries an X-Request-Id;
  * a refused request leaves the world and the Cal.com tables exactly as they were.
Rate limiting is switched off here (429s would only hide the other answers).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.core.fixtures import read
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.testing import asgi_client

WORLD = read(Path(__file__).resolve().parents[1] / "contracts" / "world.json")
KEY = "cal_test_contractHost000000000000001"
AUTHS = [
    f"Bearer {KEY}",
    f"Bearer {KEY}",
    f"Bearer {KEY}",
    KEY,
    f"bearer {KEY}",
    "Bearer contractCalcomAccessToken00000001",
    "Bearer contractCalcomExpiredToken0000001",
    "Bearer cal_test_contractHostExpired00000001",
    "Bearer cal_nope00000000",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    None,
]
CONTENT_TYPES = [
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    None,
]
ERROR_STATUSES = {400, 401, 403, 404, 409, 413, 422, 498}


def slot(days: int, hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


VALID = {
    "patch": {
        "title": "t",
        "description": None,
        "start": {"time": slot(9, 9), "timeZone": "Europe/Rome"},
        "end": {"time": slot(9, 10), "timeZone": "Europe/Rome"},
        "attendees": [{"email": "a@example.com", "name": "A", "responseStatus": "accepted"}],
        "status": "accepted",
    },
    "booking": {
        "start": slot(20, 12),
        "eventTypeId": 301,
        "attendee": {"name": "N", "email": "n@example.com", "timeZone": "Europe/Rome"},
        "guests": ["g@example.com"],
        "metadata": {"k": "v"},
    },
    "cancel": {"cancellationReason": "r"},
    "reschedule": {"start": slot(21, 13), "reschedulingReason": "r"},
    "create": {
        "title": "x",
        "start": {"time": slot(22, 9), "timeZone": "UTC"},
        "end": {"time": slot(22, 10), "timeZone": "UTC"},
        "attendees": [{"email": "a@example.com"}],
    },
    "event-type": {
        "title": "Fuzz",
        "slug": "fuzz-type",
        "lengthInMinutes": 30,
        "lengthInMinutesOptions": [30, 60],
        "locations": [{"type": "address", "address": "x", "public": True}],
        "bookingFields": [{"type": "text", "slug": "q", "label": "Q", "required": False}],
        "seats": {"seatsPerTimeSlot": 2, "showAttendeeInfo": False, "showAvailabilityCount": True},
        "bookingWindow": {"type": "calendarDays", "value": 30},
    },
    "event-type-patch": {
        "title": "G",
        "slotInterval": 15,
        "recurrence": {"frequency": "weekly", "interval": 1, "occurrences": 3},
        "scheduleId": 501,
    },
    "schedule": {
        "name": "S",
        "timeZone": "Europe/Rome",
        "isDefault": False,
        "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "10:00"}],
        "overrides": [{"date": "2050-09-05", "startTime": "10:00", "endTime": "11:00"}],
    },
    "reserve": {"eventTypeId": 301, "slotStart": slot(25, 10), "reservationDuration": 10},
    "me": {"timeZone": "Europe/Rome", "weekStart": "Sunday", "timeFormat": 12},
    "guests": {"guests": [{"email": "x@example.com", "name": "X", "timeZone": "UTC"}]},
    "location": {"location": {"type": "address", "address": "Somewhere"}},
    "decline": {"reason": "r"},
}
ROUTES = [  # (name, method, path, body kind, success status, cal-api-version)
    ("patch", "PATCH", "/v2/calendars/google/events/c0ntractb00k1ng00000000002", "patch", 200, None),
    ("patch-outlook", "PATCH", "/v2/calendars/outlook/events/c0ntractb00k1ng00000000002", "patch", 200, None),
    ("patch-unknown", "PATCH", "/v2/calendars/google/events/nosuchevent", "patch", 200, None),
    ("patch-api", "PATCH", "/api/v2/calendars/google/events/c0ntractb00k1ng00000000001", "patch", 200, None),
    ("booking", "POST", "/v2/bookings", "booking", 201, "2024-08-13"),
    ("cancel", "POST", "/v2/bookings/ctHostBooking0000000002/cancel", "cancel", 200, "2024-08-13"),
    ("reschedule", "POST", "/v2/bookings/ctHostBooking0000000002/reschedule", "reschedule", 201, "2024-08-13"),
    ("create-2026", "POST", "/v2/calendars/google/events", "create", 201, None),
    ("connection-patch", "PATCH", "/v2/calendars/connections/201/events/c0ntractb00k1ng00000000002", "patch", 200, None),
    ("event-type", "POST", "/v2/event-types", "event-type", 201, "2024-06-14"),
    ("event-type-patch", "PATCH", "/v2/event-types/301", "event-type-patch", 200, "2024-06-14"),
    ("schedule", "POST", "/v2/schedules", "schedule", 201, "2024-06-11"),
    ("schedule-patch", "PATCH", "/v2/schedules/501", "schedule", 200, "2024-06-11"),
    ("reserve", "POST", "/v2/slots/reservations", "reserve", 201, "2024-09-04"),
    ("me", "PATCH", "/v2/me", "me", 200, None),
    ("guests", "POST", "/v2/bookings/ctHostBooking0000000002/guests", "guests", 200, "2024-08-13"),
    ("location", "PATCH", "/v2/bookings/ctHostBooking0000000002/location", "location", 200, "2024-08-13"),
    ("decline", "POST", "/v2/bookings/ctPendingBooking0000001/decline", "decline", 200, "2024-08-13"),
]  # fmt: skip

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "2026-01-15", "2026-01-15T10:00:00Z", "2026-W03", "Europe/Rome", "accepted",
                     "declined", "needsAction", "a@b.c", "google", "null", "0", "1e309"]),
)  # fmt: skip
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> Any:
    body = json.loads(json.dumps(VALID[kind]))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["replace", "drop", "add", "nested"]))
        keys = sorted(body)
        if action == "replace" and keys:
            body[draw(st.sampled_from(keys))] = draw(json_values)
        elif action == "drop" and keys:
            body.pop(draw(st.sampled_from(keys)))
        elif action == "add":
            body[draw(st.text(max_size=10))] = draw(json_values)
        else:
            nested = [k for k in keys if isinstance(body[k], (dict, list)) and body[k]]
            if nested:
                key = draw(st.sampled_from(nested))
                inner = body[key]
                if isinstance(inner, list):
                    inner[0] = draw(json_values)
                else:
                    inner[draw(st.sampled_from(sorted(inner)))] = draw(json_values)
    return body


@st.composite
def requests(draw: st.DrawFn) -> tuple[tuple, bytes, str | None, str | None]:
    route = draw(st.sampled_from(ROUTES))
    shape = draw(st.sampled_from(["mutated", "mutated", "mutated", "any", "raw"]))
    if shape == "mutated":
        raw = json.dumps(draw(mutated(route[3]))).encode()
    elif shape == "any":
        raw = json.dumps(draw(json_values)).encode()
    else:
        raw = draw(st.one_of(st.binary(max_size=40), st.sampled_from([b"{", b"[1,", b"\xff\xfe",
                                                                       b"null", b"5", b'"x"'])))  # fmt: skip
    return route, raw, draw(st.sampled_from(CONTENT_TYPES)), draw(st.sampled_from(AUTHS))


@pytest.fixture(scope="module")
def server() -> ServerState:
    return ServerState(
        Settings(calcom=CalcomSettings(rate_limit=False, profile="oss-2026")), fixture=WORLD
    )


@pytest.fixture(scope="module")
def client(server: ServerState):
    with asgi_client(create_app(state=server)) as c:
        yield c


def tables(server: ServerState) -> tuple:
    store = server.calcom.store
    return (
        dict(server.world.events),
        dict(store.bookings),
        dict(store.references),
        dict(store.counters),
        dict(store.users),
        dict(store.event_types),
        dict(store.schedules),
        dict(store.reservations),
    )


def check_envelope(response, path: str) -> None:
    body = response.json()
    assert body["status"] == "error", body
    assert set(body) == {"status", "timestamp", "path", "error"}, body
    assert body["path"] == path.removeprefix("/api"), body
    datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, body
    assert isinstance(error["code"], str) and error["code"].endswith("Exception")
    assert isinstance(error["message"], str) and error["message"]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requests())
def test_write_routes_never_fail_open(server, client, case) -> None:
    (name, method, path, _, success, version), raw, ctype, auth = case
    headers = {}
    if ctype:
        headers["Content-Type"] = ctype
    if auth is not None:
        headers["Authorization"] = auth
    if version:
        headers["cal-api-version"] = version
    snap = server.snapshot()
    before = tables(server)
    response = client.request(method, path, content=raw, headers=headers)
    try:
        assert response.headers.get("x-request-id"), name
        if response.status_code == success:
            assert response.json()["status"] == "success"
        else:
            assert response.status_code in ERROR_STATUSES, (
                name,
                response.status_code,
                response.text,
            )
            check_envelope(response, path)
            assert tables(server) == before, name
    finally:
        server.restore(snap)


def test_the_fuzzer_reaches_success_and_every_kind_of_refusal(server, client) -> None:
    """The strategies are not all noise: the valid bodies succeed."""
    for name, method, path, kind, success, version in ROUTES:
        if name in ("patch-outlook", "patch-unknown"):
            continue
        headers = {"Authorization": f"Bearer {KEY}"}
        if version:
            headers["cal-api-version"] = version
        snap = server.snapshot()
        try:
            response = client.request(method, path, json=VALID[kind], headers=headers)
            assert response.status_code == success, (name, response.text)
        finally:
            server.restore(snap)
