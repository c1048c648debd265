"""Replays of Cal.com's own tests of the unified calendar endpoints, request for request and
assertion for assertion, over HTTP (so they also run against a real API):

- the controller e2e spec (GET .../event/{uid}, PATCH .../events/{uid});
- the output pipe unit spec and its Google event fixture, checked through GET on a booked
  event (the fake's Google side plays the fixture's part);
- the input pipe unit spec, checked by PATCH and reading the event back;
- the 2026 controller unit spec (connection-scoped routes, oss-2026 profile) and the IDOR
  proof-of-concept spec.

The differences they showed (DIFF-calcom-<n>, docs/EVIDENCE.md, Cal.com) are fixed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.upstream import REAL_UNIFIED_EVENT, assert_same_shape
from contracts.kit import fake_settings

COMING_SOON = "Office 365 and Apple support is coming soon."


@pytest.fixture
def oss(calcom, target) -> Iterator[None]:
    """The 2026 routes: switched on in a fake; probed for on a real API."""
    if target.is_fake:
        with fake_settings(target, "calcom", profile="oss-2026"):
            yield
        return
    probe = calcom.get("/v2/calendars/connections")
    if probe.status_code == 404 and "Cannot GET" in probe.text:
        pytest.skip("this Cal.com does not serve the 2026 unified-calendar routes")
    yield


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


# -- controllers/cal-unified-calendars.controller.e2e-spec.ts ------------------------------


@pytest.mark.rule("calcom", 5)
@pytest.mark.rule("calcom", 17)
def test_e2e_get_non_google_calendar_is_400(calcom):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/controllers/
    cal-unified-calendars.controller.e2e-spec.ts, "GET /v2/calendars/:calendar/event/:eventUid
    > should return 400 for non-Google calendar" @ a72961708e4c6a88086c2a96f14f38101e687c08."""
    response = calcom.get("/api/v2/calendars/outlook/event/test-event-uid")
    assert response.status_code == 400
    assert "Google Calendar" in response.json()["error"]["message"]


@pytest.mark.rule("calcom", 6)
def test_e2e_get_unknown_event_on_google_is_404(calcom):
    """calcom/cal.com .../cal-unified-calendars.controller.e2e-spec.ts, "should return 404 for
    non-existent event on Google calendar" (GET) @ a72961708e4c6a88086c2a96f14f38101e687c08."""
    response = calcom.get("/api/v2/calendars/google/event/non-existent-event-uid")
    assert response.status_code == 404


@pytest.mark.rule("calcom", 5)
@pytest.mark.rule("calcom", 14)
def test_e2e_patch_non_google_calendar_is_400(calcom):
    """calcom/cal.com .../cal-unified-calendars.controller.e2e-spec.ts, "PATCH
    /v2/calendars/:calendar/events/:eventUid > should return 400 for non-Google calendar" @
    a72961708e4c6a88086c2a96f14f38101e687c08. The body's `summary` is not a declared property:
    the whitelist drops it and the calendar check answers."""
    response = calcom.patch(
        "/api/v2/calendars/outlook/events/test-event-uid", json={"summary": "Updated event"}
    )
    assert response.status_code == 400
    assert "Google Calendar" in response.json()["error"]["message"]


@pytest.mark.rule("calcom", 6)
def test_e2e_patch_unknown_event_on_google_is_404(calcom):
    """calcom/cal.com .../cal-unified-calendars.controller.e2e-spec.ts, "should return 404 for
    non-existent event on Google calendar" (PATCH) @ a72961708e4c6a88086c2a96f14f38101e687c08."""
    response = calcom.patch(
        "/api/v2/calendars/google/events/non-existent-event-uid", json={"summary": "Updated event"}
    )
    assert response.status_code == 404


@pytest.mark.rule("calcom", 7)
def test_e2e_unauthenticated_get_is_401(calcom):
    """calcom/cal.com .../cal-unified-calendars.controller.e2e-spec.ts, "Unauthenticated
    requests > should return 401 for unauthenticated GET request" @
    a72961708e4c6a88086c2a96f14f38101e687c08."""
    response = calcom.get("/api/v2/calendars/google/event/test-event-uid", token=False)
    assert response.status_code == 401


# -- pipes/get-calendar-event-details-output-pipe.spec.ts (+ __fixtures__) ------------------


def booked_event(calcom, states) -> tuple[dict, dict]:
    """The seeded booking and its Google event, as the unified GET renders it."""
    booking = calcom.bookings("GET", f"/{states.get('booking_uid')}").json()["data"]
    response = calcom.event(states.get("event_uid"))
    assert response.status_code == 200, response.text
    return booking, response.json()["data"]


@pytest.mark.rule("calcom", 1)
@pytest.mark.rule("calcom", 18)
def test_pipe_transforms_google_event_to_unified_format(calcom, states):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/pipes/
    get-calendar-event-details-output-pipe.spec.ts, "transform > should transform Google
    Calendar event to unified format" @ 03670679c00d600615e8df2bc64545bd51c61646: id, title,
    description, source, status, start/end time and zone, one attendee per Google attendee
    (the booking's host, attendees and guests)."""
    booking, data = booked_event(calcom, states)
    assert data["id"] == states.get("event_uid")
    assert data["title"] == booking["title"]
    assert data["description"] == booking["description"]
    assert data["source"] == "google"
    assert data["status"] == "accepted"
    assert instant(data["start"]["time"]) == instant(booking["start"])
    assert instant(data["end"]["time"]) == instant(booking["end"])
    assert isinstance(data["start"]["timeZone"], str) and data["start"]["timeZone"]
    assert isinstance(data["end"]["timeZone"], str) and data["end"]["timeZone"]
    assert len(data["attendees"]) == 1 + len(booking["attendees"]) + len(booking.get("guests", []))


@pytest.mark.rule("calcom", 18)
@pytest.mark.rule("calcom", 26)
def test_pipe_output_has_every_key_of_the_fixture_output(calcom, states):
    """calcom/cal.com .../pipes/__fixtures__/google-calendar-event.fixture.ts
    (createGoogleCalendarEventFixture) @ 24945cdb97420fdbb08dcbf02f2dc5228968db54 through
    GoogleCalendarEventOutputPipe (.../get-calendar-event-details-output-pipe.ts @
    03670679c00d600615e8df2bc64545bd51c61646), compared key by key with the fake's GET of a
    booked Meet event: every key, same JSON type."""
    _, data = booked_event(calcom, states)
    assert_same_shape(REAL_UNIFIED_EVENT, data)


@pytest.mark.rule("calcom", 26)
def test_pipe_calendar_event_owner_is_the_organizer(calcom, states):
    """calcom/cal.com .../get-calendar-event-details-output-pipe.spec.ts, "transformOrganizer >
    should return calendarEventOwner organizer exist" @ 03670679c00d600615e8df2bc64545bd51c61646:
    calendarEventOwner.email is the Google organizer's, here the host whose calendar it is."""
    _, data = booked_event(calcom, states)
    assert data["calendarEventOwner"]["email"] == states.get("user_email")


@pytest.mark.rule("calcom", 25)
def test_pipe_locations_from_conference_data(calcom, states):
    """calcom/cal.com .../get-calendar-event-details-output-pipe.spec.ts, "transformLocations >
    should transform conference data entry points" @ 03670679c00d600615e8df2bc64545bd51c61646:
    each entry point becomes {type: entryPointType, url: uri, label?, pin?, regionCode?}. A Meet
    booking's event has a video entry point whose url is the booking's meeting link."""
    booking, data = booked_event(calcom, states)
    assert data["locations"], data
    for loc in data["locations"]:
        assert loc["type"] in ("video", "phone", "sip", "more")
        assert isinstance(loc["url"], str)
        assert set(loc) <= {"type", "url", "label", "pin", "regionCode"}
    assert booking["location"] in [loc["url"] for loc in data["locations"]]


@pytest.mark.rule("calcom", 25)
def test_pipe_locations_fall_back_to_the_location_field(calcom, states):
    """calcom/cal.com .../get-calendar-event-details-output-pipe.spec.ts, "transformLocations >
    should fallback to location field" @ 03670679c00d600615e8df2bc64545bd51c61646: without
    conference data the free-text location is one entry, exactly {type: "video", url}. A Cal
    Video booking puts its room URL in the Google event's location."""
    uid = states.get("video_booking_uid")
    booking = calcom.bookings("GET", f"/{uid}").json()["data"]
    event_uid = calcom.google_reference(uid)
    data = calcom.event(event_uid).json()["data"]
    assert data["locations"] == [{"type": "video", "url": booking["location"]}]


@pytest.mark.rule("calcom", 24)
def test_pipe_hosts_are_the_organizer_attendees(calcom, states):
    """calcom/cal.com .../get-calendar-event-details-output-pipe.ts (transformHosts) @
    03670679c00d600615e8df2bc64545bd51c61646 with the spec's fixture: hosts are the attendees
    flagged organizer, as {email, name, responseStatus}."""
    _, data = booked_event(calcom, states)
    flagged = [a for a in data["attendees"] if a.get("host")]
    assert flagged
    assert data["hosts"] == [
        {
            "email": a["email"],
            **({"name": a["name"]} if "name" in a else {}),
            "responseStatus": a["responseStatus"],
        }
        for a in flagged
    ]


# -- pipes/google-calendar-event-input.pipe.spec.ts -------------------------------------------


@pytest.mark.rule("calcom", 2)
@pytest.mark.rule("calcom", 27)
def test_input_pipe_transforms_basic_event_fields(calcom, states):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/pipes/
    google-calendar-event-input.pipe.spec.ts, "transform > should transform basic event
    fields" @ fa29448e0bb879397320f71bb7d30a349160151f: title -> summary, description, start
    and end {dateTime, timeZone}, status accepted -> confirmed; read back through GET."""
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    day0 = instant(before["start"]["time"]).date().isoformat()
    body = {
        "title": "Updated Meeting",
        "description": "Updated description",
        "start": {"time": f"{day0}T10:00:00Z", "timeZone": "America/New_York"},
        "end": {"time": f"{day0}T11:00:00Z", "timeZone": "America/New_York"},
        "status": "accepted",
    }
    response = calcom.update(uid, body)
    assert response.status_code == 200, response.text
    data = calcom.event(uid).json()["data"]
    assert data["title"] == "Updated Meeting"
    assert data["description"] == "Updated description"
    assert instant(data["start"]["time"]) == instant(f"{day0}T10:00:00Z")
    assert instant(data["end"]["time"]) == instant(f"{day0}T11:00:00Z")
    assert data["start"]["timeZone"] == data["end"]["timeZone"] == "America/New_York"
    assert data["status"] == "accepted"


@pytest.mark.rule("calcom", 19)
def test_input_pipe_handles_partial_updates(calcom, states):
    """calcom/cal.com .../google-calendar-event-input.pipe.spec.ts, "transform > should handle
    partial updates" @ fa29448e0bb879397320f71bb7d30a349160151f: {title} sends only summary,
    so nothing else changes."""
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    response = calcom.update(uid, {"title": "Only Title Update"})
    assert response.status_code == 200, response.text
    after = calcom.event(uid).json()["data"]
    assert after["title"] == "Only Title Update"
    assert {k: v for k, v in after.items() if k != "title"} == {
        k: v for k, v in before.items() if k != "title"
    }


@pytest.mark.rule("calcom", 23)
def test_input_pipe_handles_null_description(calcom, states):
    """calcom/cal.com .../google-calendar-event-input.pipe.spec.ts, "transform > should handle
    null description" @ fa29448e0bb879397320f71bb7d30a349160151f: description null is sent as
    null; the output pipe renders a missing description as null."""
    uid = states.get("disposable_event_uid")
    response = calcom.update(uid, {"description": None})
    assert response.status_code == 200, response.text
    assert calcom.event(uid).json()["data"]["description"] is None


@pytest.mark.rule("calcom", 28)
def test_input_pipe_empty_date_time_is_refused_by_google(calcom, states):
    """calcom/cal.com .../google-calendar-event-input.pipe.spec.ts, "transformDateTimeWithZone >
    should handle empty time and timezone" @ fa29448e0bb879397320f71bb7d30a349160151f: `{}`
    becomes {dateTime: "", timeZone: ""}; Google refuses it and the service turns every
    Google failure into 404 "Failed to update meeting details" (services/
    google-calendar.service.ts @ 3c4cd64a108708a4b512b8db91df6c9e67720def)."""
    uid = states.get("disposable_event_uid")
    response = calcom.update(uid, {"start": {}})
    assert response.status_code == 404
    assert error_of(response)["message"] == "Failed to update meeting details"


@pytest.mark.rule("calcom", 21)
@pytest.mark.parametrize(
    ("sent", "read_back"),
    [
        ("accepted", "accepted"),
        ("pending", "pending"),
        ("declined", "declined"),
        ("needsAction", "needsAction"),
        (None, "needsAction"),
        ("absent", "needsAction"),
    ],
)
def test_input_pipe_transforms_response_status(calcom, states, sent, read_back):
    """calcom/cal.com .../google-calendar-event-input.pipe.spec.ts, "transformResponseStatus"
    (ACCEPTED, PENDING, DECLINED, NEEDS_ACTION, null, undefined) @
    fa29448e0bb879397320f71bb7d30a349160151f, read back through the output pipe
    ("transformAttendeeResponseStatus", tentative -> pending)."""
    uid = states.get("disposable_event_uid")
    person: dict = {"email": "status.probe@contract.example"}
    if sent != "absent":
        person["responseStatus"] = sent
    response = calcom.update(uid, {"attendees": [person]})
    assert response.status_code == 200, response.text
    attendees = calcom.event(uid).json()["data"]["attendees"]
    probe = next(a for a in attendees if a["email"] == "status.probe@contract.example")
    assert probe["responseStatus"] == read_back


@pytest.mark.rule("calcom", 22)
@pytest.mark.parametrize(
    ("sent", "read_back"),
    [
        ("accepted", "accepted"),
        ("pending", "pending"),
        ("cancelled", "cancelled"),
        ("declined", "cancelled"),
        (None, "accepted"),
    ],
)
def test_input_pipe_transforms_event_status(calcom, states, sent, read_back):
    """calcom/cal.com .../google-calendar-event-input.pipe.spec.ts, "transformEventStatus"
    (ACCEPTED, PENDING, CANCELLED, DECLINED, null) @ fa29448e0bb879397320f71bb7d30a349160151f,
    read back through the output pipe ("transformEventStatus": confirmed, tentative,
    cancelled)."""
    uid = states.get("disposable_event_uid")
    response = calcom.update(uid, {"status": sent})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == read_back
    calcom.update(uid, {"status": "accepted"})  # a live event goes back to confirmed


# -- the 2026 controller (oss-2026 profile) ------------------------------------------------

CONNECTION_ROUTES = [
    ("GET", "/v2/calendars/connections/invalid/events", None),
    ("POST", "/v2/calendars/connections/abc/events", "create"),
    ("GET", "/v2/calendars/connections/bad/events/event-1", None),
    ("PATCH", "/v2/calendars/connections/NaN/events/event-1", {"title": "t"}),
    ("DELETE", "/v2/calendars/connections/x/events/event-1", None),
    ("GET", "/v2/calendars/connections/bad/freebusy", None),
]


def create_body(offset: int = 25, start: str = "09:00", end: str = "09:30") -> dict:
    return {
        "title": "Contract: upstream replay",
        "start": {"time": f"{day(offset)}T{start}:00Z", "timeZone": "UTC"},
        "end": {"time": f"{day(offset)}T{end}:00Z", "timeZone": "UTC"},
    }


@pytest.mark.rule("calcom", 37)
@pytest.mark.parametrize(("method", "path", "body"), CONNECTION_ROUTES)
def test_controller_spec_invalid_connection_id_is_400(calcom, oss, method, path, body):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/controllers/
    cal-unified-calendars.controller.spec.ts, "should throw BadRequestException for invalid
    connectionId" (listConnectionEvents, createConnectionEvent, getConnectionEvent,
    updateConnectionEvent, deleteConnectionEvent, getConnectionFreeBusy) @
    a0c6e424b4ce5a287ce26d39f0d56a5dd267abcd; the message is the controller's (@
    008ed79e0b2cd8061eab9d4bc7dcd2397e0d46e2)."""
    kw: dict = {}
    if path.endswith("/events") or path.endswith("/freebusy"):
        kw["params"] = {"from": day(1), "to": day(2)}
    if body == "create":
        kw["json"] = create_body()
    elif body is not None:
        kw["json"] = body
    response = calcom.request(method, path, **kw)
    assert response.status_code == 400, response.text
    assert error_of(response)["message"] == "Invalid connectionId"


@pytest.mark.rule("calcom", 37)
def test_controller_spec_connections_never_expose_the_credential_key(calcom, oss):
    """calcom/cal.com .../cal-unified-calendars.controller.spec.ts, "listConnections > should
    never expose credential key in connection list response" @
    a0c6e424b4ce5a287ce26d39f0d56a5dd267abcd; the items' shape is ListConnectionsOutput
    ({connectionId: string, type, email})."""
    response = calcom.get("/v2/calendars/connections")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    connections = body["data"]["connections"]
    assert connections
    for conn in connections:
        assert "key" not in conn
        assert isinstance(conn["connectionId"], str) and conn["connectionId"].isdigit()
        assert conn["type"] in ("google", "office365", "apple")
        assert "email" in conn
    assert '"key":' not in response.text.replace(" ", "")


@pytest.mark.rule("calcom", 37)
def test_controller_connections_email_is_the_primary_calendar(calcom, oss):
    """calcom/cal.com .../controllers/cal-unified-calendars.controller.ts (listConnections:
    `c.primary?.externalId ?? c.primary?.email ?? ""`, "unknown" only when both are empty) @
    008ed79e0b2cd8061eab9d4bc7dcd2397e0d46e2, and services/unified-calendars-freebusy.service.ts
    (getConnections: `c.primary?.externalId ?? primary.email ?? null`) @
    4718c7e52dfb8489949c53f3342c34b15d0158b1: both read GET /v2/calendars' primary calendar."""
    calendars = calcom.get("/v2/calendars").json()["data"]["connectedCalendars"]
    primary = {
        str(c["credentialId"]): c["primary"]["externalId"] for c in calendars if "primary" in c
    }
    for conn in calcom.get("/v2/calendars/connections").json()["data"]["connections"]:
        assert conn["email"] == primary[conn["connectionId"]]


@pytest.mark.rule("calcom", 36)
def test_controller_spec_date_only_range_covers_whole_days(calcom, oss):
    """calcom/cal.com .../cal-unified-calendars.controller.spec.ts, "listConnectionEvents >
    should list events for a valid connection" (from 2024-01-01 -> T00:00:00.000Z, to
    2024-01-31 -> T23:59:59.999Z) and "should pass ISO datetime strings directly without
    modification" @ a0c6e424b4ce5a287ce26d39f0d56a5dd267abcd: an event late on the `to` day is
    inside a date-only range."""
    conn = calcom.get("/v2/calendars/connections").json()["data"]["connections"][0]
    base = f"/v2/calendars/connections/{conn['connectionId']}/events"
    created = calcom.post(base, json=create_body(26, "22:30", "23:00"))
    assert created.status_code == 201, created.text
    uid = created.json()["data"]["id"]
    try:
        whole_day = calcom.get(base, params={"from": day(26), "to": day(26)})
        assert whole_day.status_code == 200, whole_day.text
        assert uid in [e["id"] for e in whole_day.json()["data"]]
        exact = calcom.get(
            base, params={"from": f"{day(26)}T22:00:00Z", "to": f"{day(26)}T23:30:00Z"}
        )
        assert uid in [e["id"] for e in exact.json()["data"]]
    finally:
        calcom.delete(f"{base}/{uid}")


@pytest.mark.rule("calcom", 37)
def test_controller_connection_id_is_read_with_parse_int(calcom, oss):
    """calcom/cal.com .../controllers/cal-unified-calendars.controller.ts @
    008ed79e0b2cd8061eab9d4bc7dcd2397e0d46e2: `parseInt(connectionId, 10)` and only NaN is
    refused, so "<id>abc" is connection <id> (a string-typed-number tolerance clients meet)."""
    conn = calcom.get("/v2/calendars/connections").json()["data"]["connections"][0]
    params = {"from": day(1), "to": day(2)}
    plain = calcom.get(f"/v2/calendars/connections/{conn['connectionId']}/events", params=params)
    sloppy = calcom.get(
        f"/v2/calendars/connections/{conn['connectionId']}abc/events", params=params
    )
    assert plain.status_code == 200, plain.text
    assert sloppy.status_code == 200, sloppy.text
    assert sloppy.json()["data"] == plain.json()["data"]


@pytest.mark.rule("calcom", 37)
def test_controller_connection_freebusy_unknown_connection_is_400(calcom, states, oss):
    """calcom/cal.com .../controllers/cal-unified-calendars.controller.ts getConnectionFreeBusy
    @ 008ed79e0b2cd8061eab9d4bc7dcd2397e0d46e2: the credential is looked up among the caller's
    connected calendars and a miss is `BadRequestException("Calendar connection not found")`
    (the event routes' miss is the service's NotFoundException)."""
    response = calcom.get(
        f"/v2/calendars/connections/{states.get('other_connection_id')}/freebusy",
        params={"from": day(1), "to": day(2)},
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "BadRequestException"
    assert error["message"] == "Calendar connection not found"


@pytest.mark.rule("calcom", 36)
def test_create_input_time_zone_message(calcom, oss):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/inputs/
    create-unified-calendar-event.input.ts (CreateEventDateTimeWithZone.timeZone @IsTimeZone) @
    fa29448e0bb879397320f71bb7d30a349160151f; class-validator's IsTimeZone message is
    "$property must be a valid IANA time-zone"."""
    body = create_body()
    body["start"]["timeZone"] = "Mars/Base"
    response = calcom.post("/v2/calendars/google/events", json=body)
    assert response.status_code == 400
    start = next(e for e in error_of(response)["details"]["errors"] if e["property"] == "start")
    child = next(c for c in start["children"] if c["property"] == "timeZone")
    assert child["constraints"] == {"isTimeZone": "timeZone must be a valid IANA time-zone"}


# -- services/google-calendar.idor.poc.spec.ts ------------------------------------------------


@pytest.mark.fake_only
@pytest.mark.rule("calcom", 33)
def test_idor_poc_other_user_reads_and_patches_by_event_uid(calcom, states, target):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/services/
    google-calendar.idor.poc.spec.ts ("VULNERABLE: attacker ... can read", "... can modify",
    "identical eventUid returns identical victim data regardless of which caller identity is
    asserted") @ 4fc89d43e6586461a9f626ab3d799bfa8a54c1e6. Fake only (rule 33): the fake
    scopes by caller unless `scope_events_to_caller` is off, which is the real behaviour."""
    uid = states.get("event_uid")
    other = states.get("other_api_key")
    with fake_settings(target, "calcom", scope_events_to_caller=False):
        as_owner = calcom.event(uid)
        as_attacker = calcom.event(uid, token=other)
        assert as_attacker.status_code == 200, as_attacker.text
        assert as_attacker.json()["data"] == as_owner.json()["data"]
        patched = calcom.update(uid, {"title": "PWNED by attacker"}, token=other)
        assert patched.status_code == 200, patched.text
        assert patched.json()["data"]["title"] == "PWNED by attacker"
    assert calcom.event(uid).json()["data"]["title"] == "PWNED by attacker"


@pytest.mark.rule("calcom", 37)
def test_service_spec_invalid_connection_credential_is_401(calcom, states, oss):
    """calcom/cal.com apps/api/v2/src/modules/cal-unified-calendars/services/
    google-calendar.service.spec.ts, "getCalendarClientByCredentialId > should throw
    UnauthorizedException when credential is invalid" ("Calendar credentials are invalid.
    Please reconnect.") @ 523717db56b1e9b855290742534f05da9dc9cf0f; the user-scoped routes say
    "Google Calendar credentials are invalid. Please reconnect." (getCalendarClientForUser)."""
    response = calcom.get(
        f"/v2/calendars/connections/{states.get('other_invalid_connection_id')}/events",
        params={"from": day(1), "to": day(2)},
        token=states.get("other_api_key"),
    )
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "UnauthorizedException"
    assert error["message"] == "Calendar credentials are invalid. Please reconnect."
