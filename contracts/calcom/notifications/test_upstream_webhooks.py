"""Upstream replay: Cal.com webhooks (API v2 CRUD, the payloads delivered, their signature).

The CRUD tests replay the `it(...)`s of Cal.com's own API v2 e2e specs over HTTP: the same
request (path, body) and the same `expect`s, in the spec's order (its its share one webhook).
The spec's user is the contract user; the spec's `otherWebhook` (a fixture row of nobody's) is
a webhook of the other user made with that user's key; the spec's own event types are made
over HTTP (`made`). The delivery tests compare what the fake POSTs with what Cal.com's payload
builder produces for the same trigger, key by key (contracts/shapes.py), and recompute the
signature. Sources (calcom/cal.com), with their commits:

* [wh-e2e] apps/api/v2/src/modules/webhooks/controllers/webhooks.controller.e2e-spec.ts
  @ 03670679c00d600615e8df2bc64545bd51c61646
* [etwh-e2e] apps/api/v2/src/modules/webhooks/controllers/event-types-webhooks.controller.e2e-spec.ts
  @ 1b8f10b8ec00a68c9dea0ea61ae553b083502e91, with the guard it goes through today,
  apps/api/v2/src/modules/webhooks/guards/is-user-event-type-webhook-guard.ts @
  03670679c00d600615e8df2bc64545bd51c61646, and the input it validates today,
  apps/api/v2/src/modules/webhooks/inputs/webhook.input.ts @
  03670679c00d600615e8df2bc64545bd51c61646 (`triggers`: the spec at 1b8f10b8 still sends the
  older `eventTriggers`; decided, webhooks.md "Decisions from the providers' own code")
* [builder] packages/features/webhooks/lib/factory/versioned/v2021-10-20/BookingPayloadBuilder.ts
  @ 0a815636636fb31d52f2348e09d5be64855da62a, its test BookingPayloadBuilder.test.ts
  @ 059ae832e0ff1e0b5bc8f626f669233eb80dde3d, and packages/features/webhooks/lib/__tests__/
  consumer/triggers/booking-created.test.ts @ 1fb0ab49bb8342321aec21b464d024955573ff31
* [send] packages/features/webhooks/lib/sendPayload.ts @ 008952de0ac2d35c3056ac98034e1012033c0867
  (`createWebhookSignature`, `_sendPayload`'s headers)

Live: the CRUD tests run (they delete what they make); the delivery tests read the fake's
receiver and are fake-only. See docs/EVIDENCE.md (Cal.com, Scheduling and notifications).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.notifications import test_deliveries as deliveries
from contracts.calcom.upstream import assert_same_shape

SPEC_URL = "https://example.com"
SPEC_TRIGGERS = ["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"]


class Made:
    """Webhooks a test made (path, key), deleted afterwards whatever the test did."""

    def __init__(self, calcom: Any) -> None:
        self.calcom = calcom
        self.paths: list[tuple[str, Any]] = []

    def add(self, path: str, token: Any = True) -> None:
        self.paths.append((path, token))

    def cleanup(self) -> None:
        for path, token in self.paths:
            self.calcom.delete(path, token=token)


@pytest.fixture
def undo(calcom) -> Iterator[Made]:
    made = Made(calcom)
    yield made
    made.cleanup()


def other_users_webhook(calcom, states, undo: Made, url: str = SPEC_URL) -> str:
    """The specs' `otherWebhook` ("2mdfnn2"): a webhook that is not the caller's and belongs
    to no event type."""
    other = states.get("other_api_key")
    response = calcom.post(
        "/v2/webhooks",
        json={"subscriberUrl": url, "triggers": SPEC_TRIGGERS, "active": True},
        token=other,
    )
    assert response.status_code == 201, response.text
    ident = response.json()["data"]["id"]
    undo.add(f"/v2/webhooks/{ident}", other)
    return ident


def spec_body() -> dict[str, Any]:
    return {
        "subscriberUrl": SPEC_URL,
        "triggers": SPEC_TRIGGERS,
        "active": True,
        "payloadTemplate": "string",
    }


def matches(body: dict[str, Any], expected: dict[str, Any]) -> None:
    """toMatchObject({status: "success", data: {id: expect.any(String), ...expected}})."""
    assert body["status"] == "success"
    data = body["data"]
    assert isinstance(data["id"], str)
    for key, value in expected.items():
        assert data[key] == value, key


# -- /v2/webhooks ---------------------------------------------------------------------------


def test_wh_e2e_the_user_webhook_flow(calcom, states, undo):
    """Source: [wh-e2e] its in order: "/webhooks (POST)" (201, toMatchObject id any String,
    the sent fields, userId the user), "… should fail to create a webhook that already has same
    userId / subcriberUrl combo" (409), "/webhooks/:webhookId (PATCH)" ({active: false} → 200,
    data.active false), "/webhooks/:webhookId (GET)" (200, the fields with active false),
    "/webhooks (GET)" (every webhook's userId is the user's), "/webhooks/:webhookId (DELETE)"
    (200, the deleted webhook)."""
    user_id = int(states.get("user_id"))
    response = calcom.post("/v2/webhooks", json=spec_body())
    assert response.status_code == 201, response.text
    webhook = response.json()["data"]
    undo.add(f"/v2/webhooks/{webhook['id']}")
    want = {**spec_body(), "userId": user_id}
    matches(response.json(), want)

    again = calcom.post("/v2/webhooks", json=spec_body())
    assert again.status_code == 409, again.text

    patched = calcom.patch(f"/v2/webhooks/{webhook['id']}", json={"active": False})
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["active"] is False

    got = calcom.get(f"/v2/webhooks/{webhook['id']}")
    assert got.status_code == 200, got.text
    matches(got.json(), {**want, "active": False})

    listed = calcom.get("/v2/webhooks")
    assert listed.status_code == 200, listed.text
    assert listed.json()["data"]
    for each in listed.json()["data"]:
        assert each["userId"] == user_id

    gone = calcom.delete(f"/v2/webhooks/{webhook['id']}")
    assert gone.status_code == 200, gone.text
    matches(gone.json(), {**want, "active": False})
    assert_same_shape(got.json(), gone.json())


def test_wh_e2e_unknown_webhooks_are_404(calcom):
    """Source: [wh-e2e] "/webhooks/:webhookId (GET) should fail to get a webhook that does not
    exist" (GET /v2/webhooks/90284 → 404) and "/webhooks/:webhookId (DELETE) should fail to
    delete a webhook that does not exist" (DELETE /v2/webhooks/12993 → 404)."""
    got = calcom.get("/v2/webhooks/90284")
    assert got.status_code == 404, got.text
    assert error_of(got)["message"] == "Webhook (90284) not found"
    gone = calcom.delete("/v2/webhooks/12993")
    assert gone.status_code == 404, gone.text
    assert error_of(gone)["message"] == "Webhook (12993) not found"


def test_wh_e2e_another_users_webhook_is_403(calcom, states, undo):
    """Source: [wh-e2e] "/webhooks/:webhookId (GET) should fail to get a webhook that does not
    belong to user" and "/webhooks/:webhookId (DELETE) should fail to delete a webhook that does
    not belong to user": 403 both, and the webhook is still there."""
    ident = other_users_webhook(calcom, states, undo)
    assert calcom.get(f"/v2/webhooks/{ident}").status_code == 403
    assert calcom.delete(f"/v2/webhooks/{ident}").status_code == 403
    theirs = calcom.get(f"/v2/webhooks/{ident}", token=states.get("other_api_key"))
    assert theirs.status_code == 200, theirs.text


# -- /v2/event-types/{id}/webhooks ----------------------------------------------------------


def type_body() -> dict[str, Any]:
    """[etwh-e2e]'s body with the input's field name today, `triggers` (decided)."""
    return spec_body()


def test_etwh_e2e_the_event_type_webhook_flow(calcom, states, made, undo):
    """Source: [etwh-e2e] its in order: "/webhooks (POST)" twice (one webhook on each of the
    user's two event types: 201, toMatchObject id any String, the sent fields, eventTypeId the
    event type's), "/webhooks/event-types/:eventTypeId/webhooks/:webhookId (PATCH)" ({active:
    false} → 200, data.active false), "… (GET)" (200, the fields with active false), "/webhooks
    (GET)" for each event type (every webhook's eventTypeId is that type's), "… (DELETE)" (200,
    the deleted webhook), "/webhooks/event-types (DELETE)" on the second type (200, data "1
    webhooks deleted"). The spec's `eventTriggers` is `triggers` here, in and out (decided)."""
    types = [made.event_type(schedule=False)["id"] for _ in range(2)]
    hooks = []
    for et in types:
        response = calcom.post(f"/v2/event-types/{et}/webhooks", json=type_body())
        assert response.status_code == 201, response.text
        hooks.append(response.json()["data"])
        undo.add(f"/v2/event-types/{et}/webhooks/{hooks[-1]['id']}")
        matches(response.json(), {**type_body(), "eventTypeId": et})
    (et, et2), (webhook, _) = types, hooks

    patched = calcom.patch(f"/v2/event-types/{et}/webhooks/{webhook['id']}", json={"active": False})
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["active"] is False

    got = calcom.get(f"/v2/event-types/{et}/webhooks/{webhook['id']}")
    assert got.status_code == 200, got.text
    matches(got.json(), {**type_body(), "active": False, "eventTypeId": et})

    for ident in types:
        listed = calcom.get(f"/v2/event-types/{ident}/webhooks")
        assert listed.status_code == 200, listed.text
        assert listed.json()["data"]
        for each in listed.json()["data"]:
            assert each["eventTypeId"] == ident

    gone = calcom.delete(f"/v2/event-types/{et}/webhooks/{webhook['id']}")
    assert gone.status_code == 200, gone.text
    matches(gone.json(), {**type_body(), "active": False, "eventTypeId": et})

    all_gone = calcom.delete(f"/v2/event-types/{et2}/webhooks")
    assert all_gone.status_code == 200, all_gone.text
    assert all_gone.json() == {"status": "success", "data": "1 webhooks deleted"}


def test_etwh_e2e_the_specs_older_event_triggers_body_is_refused(calcom, made):
    """Source: [etwh-e2e] "/webhooks (POST)"'s body as the spec at 1b8f10b8 sends it
    (`eventTriggers`), against the input validated today ([etwh-e2e] webhook.input.ts:
    `@IsArray() triggers`): 400 naming `triggers` (decided: the route takes `triggers`, as the
    published OpenAPI and the user webhooks do)."""
    et = made.event_type(schedule=False)["id"]
    body = {k: v for k, v in spec_body().items() if k != "triggers"}
    response = calcom.post(
        f"/v2/event-types/{et}/webhooks", json={**body, "eventTriggers": SPEC_TRIGGERS}
    )
    if response.status_code == 201:  # never expected: undo it before failing
        calcom.delete(f"/v2/event-types/{et}/webhooks/{response.json()['data']['id']}")
    assert response.status_code == 400, response.text
    props = {e["property"] for e in error_of(response)["details"]["errors"]}
    assert "triggers" in props


def test_etwh_e2e_another_users_event_type_is_403(calcom, states, undo):
    """Source: [etwh-e2e] "/webhooks (POST) should fail to create a webhook for an event-type
    that does not belong to user", "… (PATCH) should fail to patch a webhook for an event-type
    that does not belong to user", "… (GET) should fail to get a webhook of an eventType that
    does not belong to user", "… (DELETE) shoud fail to delete a webhook that does not belong to
    user": 403 each (the guard checks the event type's owner first)."""
    other_et = states.get("other_event_type_id")
    other = other_users_webhook(calcom, states, undo)
    base = f"/v2/event-types/{other_et}/webhooks"
    created = calcom.post(base, json=type_body())
    if created.status_code == 201:  # never expected: undo it before failing
        undo.add(f"{base}/{created.json()['data']['id']}", states.get("other_api_key"))
    assert created.status_code == 403, created.text
    assert calcom.patch(f"{base}/{other}", json={"active": False}).status_code == 403
    assert calcom.get(f"{base}/{other}").status_code == 403
    assert calcom.delete(f"{base}/{other}").status_code == 403


def test_etwh_e2e_unknown_and_foreign_webhooks(calcom, states, made, undo):
    """Source: [etwh-e2e] "… (GET) should fail to get a webhook that does not exist" (GET
    …/webhooks/90284 → 404), "… (DELETE) shoud fail to delete a webhook that does not exist"
    (DELETE …/webhooks/1234453 → 404) and "… (GET) should fail to get a webhook that does not
    belong to the eventType" (the spec's otherWebhook, of no event type → 400; the guard's
    message "Webhook (<id>) is not associated with an event type")."""
    et = made.event_type(schedule=False)["id"]
    got = calcom.get(f"/v2/event-types/{et}/webhooks/90284")
    assert got.status_code == 404, got.text
    gone = calcom.delete(f"/v2/event-types/{et}/webhooks/1234453")
    assert gone.status_code == 404, gone.text
    other = other_users_webhook(calcom, states, undo)
    foreign = calcom.get(f"/v2/event-types/{et}/webhooks/{other}")
    assert foreign.status_code == 400, foreign.text
    assert error_of(foreign)["message"] == (
        f"IsUserEventTypeWebhookGuard - Webhook ({other}) is not associated with an event type"
    )


# -- what is delivered ----------------------------------------------------------------------

# BOOKING_CREATED as [builder] builds it for BookingPayloadBuilder.test.ts's mockCalendarEvent and
# mockEventType (booking id 1, smsReminderNumber null, no assignmentReason), getUTCOffsetByTimezone
# mocked to 0; keys whose value is `undefined` (conferenceData, smsReminderNumber,
# organizer.usernameInOrg) left out, as JSON.stringify does. Attendees get firstName / lastName
# split from `name`; hashedLink, assignmentReason and destinationCalendar default to null.
REAL_BOOKING_CREATED: dict[str, Any] = {
    "triggerEvent": "BOOKING_CREATED",
    "createdAt": "2024-01-15T10:00:00Z",
    "payload": {
        "type": "test-event",
        "title": "Test Meeting",
        "description": "Meeting description",
        "additionalNotes": "Additional notes",
        "startTime": "2024-01-15T10:00:00Z",
        "endTime": "2024-01-15T10:30:00Z",
        "organizer": {
            "id": 1,
            "email": "organizer@test.com",
            "name": "Test Organizer",
            "timeZone": "UTC",
            "language": {"locale": "en"},
            "utcOffset": 0,
        },
        "attendees": [
            {
                "email": "attendee@test.com",
                "name": "Test Attendee",
                "timeZone": "UTC",
                "language": {"locale": "en"},
                "utcOffset": 0,
                "firstName": "Test",
                "lastName": "Attendee",
            }
        ],
        "location": "https://cal.com/video/123",
        "uid": "booking-uid-123",
        "customInputs": {},
        "responses": {},
        "userFieldsResponses": {},
        "bookingId": 1,
        "hashedLink": None,
        "status": "ACCEPTED",
        "eventTitle": "Test Event",
        "eventDescription": "Test Description",
        "requiresConfirmation": False,
        "price": 0,
        "currency": "USD",
        "length": 30,
        "assignmentReason": None,
        "destinationCalendar": None,
        "metadata": {},
    },
}
# `T | null` in the builder (eventDescription, destinationCalendar, location); requiresConfirmation
# is `eventType.requiresConfirmation ?? null` there and `requiresConfirmation || null` in the
# older handleNewBooking path the fake follows (decided: null for false, webhooks.md decisions).
PAYLOAD_NULLABLE = (
    "$.payload.eventDescription",
    "$.payload.destinationCalendar",
    "$.payload.location",
    "$.payload.requiresConfirmation",
)


def hook(calcom, url: str, **fields: Any) -> dict[str, Any]:
    body = {
        "subscriberUrl": url,
        "triggers": [
            "BOOKING_CREATED",
            "BOOKING_REQUESTED",
            "BOOKING_REJECTED",
            "BOOKING_CANCELLED",
            "BOOKING_RESCHEDULED",
        ],
        "active": True,
        **fields,
    }
    response = calcom.post("/v2/webhooks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


# The attendee of the builder test's booking (no metadata).
ATTENDEE = {
    "name": "Test Attendee",
    "email": "attendee@test.example",
    "timeZone": "UTC",
    "language": "en",
}


def book(calcom, states, start: str | None = None, event_type: str = "event_type_id") -> dict:
    return deliveries.book(calcom, states, start, event_type, ATTENDEE, extra={})


def bodies(callbacks) -> list[dict[str, Any]]:
    callbacks.flush()
    return [r.json() for r in callbacks.received()]


@pytest.mark.fake_only
def test_builder_booking_created_has_every_key_of_the_real_payload(calcom, callbacks, states):
    """Source: [builder] BookingPayloadBuilder.buildBookingPayload for BOOKING_CREATED, the
    test's "should correctly build BOOKING_CREATED payload" (triggerEvent BOOKING_CREATED,
    status ACCEPTED, bookingId the booking's, title the event's) and booking-created.test.ts's
    "Integration: real PayloadBuilder verifies webhook payload content" its (eventTitle,
    eventDescription, requiresConfirmation, price, currency, length from the event type;
    bookingId, title, location, organizer {email, name, timeZone}, attendees {email, name,
    timeZone}; metadata defined; "hashedLink defaults to null when not provided"). The fake's
    body, key by key, against REAL_BOOKING_CREATED."""
    hook(calcom, callbacks.url())
    booking = book(calcom, states)
    (got,) = bodies(callbacks)
    assert_same_shape(REAL_BOOKING_CREATED, got, nullable=PAYLOAD_NULLABLE)
    p = got["payload"]
    assert got["triggerEvent"] == "BOOKING_CREATED"
    assert p["status"] == "ACCEPTED"
    assert p["bookingId"] == booking["id"] and p["uid"] == booking["uid"]
    assert p["title"] == booking["title"]
    et = calcom.get(f"/v2/event-types/{states.get('event_type_id')}", version="2024-06-14")
    assert et.status_code == 200, et.text
    et = et.json()["data"]
    assert p["eventTitle"] == et["title"]
    assert p["length"] == et["lengthInMinutes"]
    assert p["price"] == 0 and isinstance(p["currency"], str)
    assert p["organizer"]["email"] == states.get("user_email")
    assert {"email", "name", "timeZone"} <= set(p["organizer"])
    assert [(a["email"], a["name"], a["timeZone"]) for a in p["attendees"]] == [
        ("attendee@test.example", "Test Attendee", "UTC")
    ]
    assert p["metadata"] == {}
    assert p["hashedLink"] is None


@pytest.mark.fake_only
def test_builder_cancelled_rescheduled_requested_rejected(calcom, callbacks, states):
    """Source: [builder] the BOOKING_CANCELLED (status CANCELLED; cancelledBy,
    cancellationReason, requestReschedule `?? false`), BOOKING_RESCHEDULED (status ACCEPTED;
    rescheduleId, rescheduleUid, rescheduleStartTime, rescheduleEndTime, rescheduledBy,
    metadata), BOOKING_REQUESTED (status PENDING, metadata) and BOOKING_REJECTED (status
    REJECTED; destinationCalendar `evt.destinationCalendar ?? []`, "legacy parity") branches, and
    the test's "should correctly build BOOKING_CANCELLED payload" (status CANCELLED, the given
    cancelledBy and cancellationReason). Each body has every key of REAL_BOOKING_CREATED too."""
    hook(calcom, callbacks.url())
    first = book(calcom, states)
    moved = calcom.bookings(
        "POST", f"/{first['uid']}/reschedule", json={"start": states.get("second_bookable_start")}
    )
    assert moved.status_code == 201, moved.text
    new = moved.json()["data"]
    cancelled = calcom.bookings(
        "POST", f"/{new['uid']}/cancel", json={"cancellationReason": "Schedule conflict"}
    )
    assert cancelled.status_code == 200, cancelled.text
    pending = book(calcom, states, states.get("bookable_start"), "confirmation_event_type_id")
    declined = calcom.bookings("POST", f"/{pending['uid']}/decline", json={"reason": "Busy"})
    assert declined.status_code == 200, declined.text

    got = {b["triggerEvent"]: b for b in bodies(callbacks)}
    assert set(got) == {
        "BOOKING_CREATED",
        "BOOKING_RESCHEDULED",
        "BOOKING_CANCELLED",
        "BOOKING_REQUESTED",
        "BOOKING_REJECTED",
    }
    for body in got.values():
        assert_same_shape(REAL_BOOKING_CREATED, body, nullable=PAYLOAD_NULLABLE)

    r = got["BOOKING_RESCHEDULED"]["payload"]
    assert r["status"] == "ACCEPTED" and r["uid"] == new["uid"]
    assert r["rescheduleId"] == first["id"] and r["rescheduleUid"] == first["uid"]
    assert instant(r["rescheduleStartTime"]) == instant(first["start"])
    assert instant(r["rescheduleEndTime"]) == instant(first["end"])
    assert "rescheduledBy" in r and isinstance(r["metadata"], dict)

    c = got["BOOKING_CANCELLED"]["payload"]
    assert c["status"] == "CANCELLED"
    assert c["cancellationReason"] == "Schedule conflict"
    assert c["cancelledBy"] == states.get("user_email")
    assert c["requestReschedule"] is False

    q = got["BOOKING_REQUESTED"]["payload"]
    assert q["status"] == "PENDING" and isinstance(q["metadata"], dict)

    j = got["BOOKING_REJECTED"]["payload"]
    assert j["status"] == "REJECTED" and j["uid"] == pending["uid"]
    assert isinstance(j["destinationCalendar"], list)


@pytest.mark.fake_only
def test_send_signature_and_headers(calcom, callbacks, states):
    """Source: [send] `createWebhookSignature`: `createHmac("sha256", secret).update(body)
    .digest("hex")` over the exact body sent, "no-secret-provided" without a secret; and
    `_sendPayload`'s request: POST, `Content-Type: application/json` (no template),
    `redirect: "manual"`. The body is `JSON.stringify({triggerEvent, createdAt, payload})`:
    those three keys in that order, compact."""
    hook(calcom, callbacks.url("signed"), secret="webhook-secret")
    hook(calcom, callbacks.url("unsigned"))
    book(calcom, states)
    callbacks.flush()
    (signed,) = callbacks.received("signed")
    (unsigned,) = callbacks.received("unsigned")
    assert signed.method == "POST"
    assert signed.header("content-type") == "application/json"
    want = hmac.new(b"webhook-secret", signed.body, hashlib.sha256).hexdigest()
    assert signed.header("x-cal-signature-256") == want
    assert unsigned.header("x-cal-signature-256") == "no-secret-provided"
    assert list(signed.json()) == ["triggerEvent", "createdAt", "payload"]
    assert b'": ' not in signed.body and b", " not in signed.body[:40]
    assert unsigned.json()["payload"] == signed.json()["payload"]
