"""What Cal.com's webhooks are sent (reference/webhooks.md §2.4-2.7; rules 12-25 and 27 of §2.8;
packages/features/webhooks/lib/sendPayload.ts in calcom/cal.com). The subscriber is a local
receiver of the fake; live these tests are skipped with the reason (what reaches a public URL
cannot be read back here)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest

from contracts.calcom.conftest import instant
from contracts.kit import clock_restored, fake_settings, webhook_rule

pytestmark = pytest.mark.fake_only  # the receiver, the clock and the delivery log are the fake's

ALL = [
    "BOOKING_CREATED",
    "BOOKING_REQUESTED",
    "BOOKING_REJECTED",
    "BOOKING_CANCELLED",
    "BOOKING_RESCHEDULED",
    "MEETING_STARTED",
    "MEETING_ENDED",
]


def hook(calcom, url: str, **fields) -> dict:
    body = {"subscriberUrl": url, "triggers": ALL, "active": True, **fields}
    response = calcom.post("/v2/webhooks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


JO = {"name": "Jo Client", "email": "jo@example.net", "timeZone": "America/New_York"}


def book(
    calcom,
    states,
    start: str | None = None,
    event_type: str = "event_type_id",
    attendee: dict | None = None,
    extra: dict | None = None,
) -> dict:
    """A booking of the contract world's event type; `extra` body fields default to Jo's CRM
    metadata."""
    response = calcom.bookings(
        "POST",
        json={
            "start": start or states.get("bookable_start"),
            "eventTypeId": int(states.get(event_type)),
            "attendee": attendee or JO,
            **({"metadata": {"crm": "42"}} if extra is None else extra),
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def received(callbacks, name: str | None = None) -> list:
    callbacks.flush()
    return callbacks.received(name)


def triggers(callbacks, name: str | None = None) -> list[str]:
    return [r.json()["triggerEvent"] for r in received(callbacks, name)]


def log(fake, **params) -> list[dict]:
    """The fake's delivery log for Cal.com (`target=` filters by URL prefix)."""
    response = fake.control("GET", "/_mock/deliveries", params={"provider": "calcom", **params})
    return response.json()["deliveries"]


@webhook_rule("calcom", 12)
def test_rule_12_only_active_matching_webhooks_of_the_host_or_event_type(calcom, callbacks, states):
    hook(calcom, callbacks.url("all"))
    hook(calcom, callbacks.url("inactive"), active=False)
    hook(calcom, callbacks.url("cancel-only"), triggers=["BOOKING_CANCELLED"])
    et = states.get("event_type_id")
    response = calcom.post(
        f"/v2/event-types/{et}/webhooks",
        json={
            "subscriberUrl": callbacks.url("event-type"),
            "triggers": ["BOOKING_CREATED"],
            "active": True,
        },
    )
    assert response.status_code == 201, response.text
    other = calcom.post(
        "/v2/webhooks",
        json={"subscriberUrl": callbacks.url("other-user"), "triggers": ALL, "active": True},
        token=states.get("other_api_key"),
    )
    assert other.status_code == 201, other.text
    book(calcom, states)
    assert triggers(callbacks, "all") == ["BOOKING_CREATED"]
    assert triggers(callbacks, "event-type") == ["BOOKING_CREATED"]
    assert triggers(callbacks, "inactive") == []
    assert triggers(callbacks, "cancel-only") == []
    assert triggers(callbacks, "other-user") == []


@webhook_rule("calcom", 13)
def test_rule_13_a_json_post_of_trigger_event_created_at_and_payload(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    before = datetime.now(UTC) - timedelta(seconds=5)
    book(calcom, states)
    (got,) = received(callbacks)
    assert got.method == "POST"
    assert got.header("content-type") == "application/json"
    body = got.json()
    assert list(body) == ["triggerEvent", "createdAt", "payload"]
    assert body["triggerEvent"] == "BOOKING_CREATED"
    assert body["createdAt"].endswith("Z") and len(body["createdAt"]) == 24  # ms, Z
    assert instant(body["createdAt"]) >= before


@webhook_rule("calcom", 14)
def test_rule_14_the_signature_is_hex_hmac_of_the_body(calcom, callbacks, states):
    hook(calcom, callbacks.url("signed"), secret="whsec_test")
    hook(calcom, callbacks.url("unsigned"))
    book(calcom, states)
    (signed,) = received(callbacks, "signed")
    expected = hmac.new(b"whsec_test", signed.body, hashlib.sha256).hexdigest()
    assert signed.header("x-cal-signature-256") == expected
    (unsigned,) = received(callbacks, "unsigned")
    assert unsigned.header("x-cal-signature-256") == "no-secret-provided"


@webhook_rule("calcom", 15)
def test_rule_15_the_webhook_version_header(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    book(calcom, states)
    (got,) = received(callbacks)
    assert got.header("x-cal-webhook-version") == "2021-10-20"


@webhook_rule("calcom", 16)
def test_rule_16_a_json_template_is_rendered_and_reserialised(calcom, callbacks, states):
    template = '{"t": "{{triggerEvent}}", "title": "{{title}}", "who": "{{attendees.0.name}}",\n "by": "{{organizer.email}}"}'
    hook(calcom, callbacks.url(), payloadTemplate=template, secret="s3")
    booking = book(calcom, states)
    (got,) = received(callbacks)
    assert got.header("content-type") == "application/json"
    assert got.json() == {
        "t": "BOOKING_CREATED",
        "title": booking["title"],
        "who": "Jo Client",
        "by": states.get("user_email"),
    }
    assert b"\n" not in got.body and b'": "' not in got.body  # JSON.stringify: compact
    assert (
        got.header("x-cal-signature-256") == hmac.new(b"s3", got.body, hashlib.sha256).hexdigest()
    )


@webhook_rule("calcom", 16)
def test_rule_16_a_non_json_template_is_sent_as_a_form(calcom, callbacks, states):
    hook(calcom, callbacks.url(), payloadTemplate="event={{triggerEvent}}&uid={{uid}}")
    booking = book(calcom, states)
    (got,) = received(callbacks)
    assert got.header("content-type") == "application/x-www-form-urlencoded"
    assert parse_qs(got.text) == {"event": ["BOOKING_CREATED"], "uid": [booking["uid"]]}


@webhook_rule("calcom", 17)
def test_rule_17_booking_payloads_carry_the_booking(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    booking = book(calcom, states)
    (got,) = received(callbacks)
    p = got.json()["payload"]
    assert p["uid"] == booking["uid"] and p["bookingId"] == booking["id"]
    assert p["eventTypeId"] == int(states.get("event_type_id"))
    assert instant(p["startTime"]) == instant(booking["start"])
    assert instant(p["endTime"]) == instant(booking["end"])
    assert p["organizer"]["email"] == states.get("user_email")
    assert [a["email"] for a in p["attendees"]] == ["jo@example.net"]
    assert p["responses"]["name"]["value"] == "Jo Client"
    assert p["status"] == "ACCEPTED" and p["metadata"] == {"crm": "42"}
    start = instant(p["startTime"])
    new_york = start.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert p["attendees"][0]["utcOffset"] == new_york.utcoffset().total_seconds() // 60
    assert isinstance(p["organizer"]["utcOffset"], int)


@webhook_rule("calcom", 18)
def test_rule_18_booking_sends_created_or_requested(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    book(calcom, states)
    pending = book(
        calcom, states, states.get("second_bookable_start"), "confirmation_event_type_id"
    )
    assert pending["status"] == "pending"
    assert triggers(callbacks) == ["BOOKING_CREATED", "BOOKING_REQUESTED"]
    requested = received(callbacks)[1].json()["payload"]
    assert requested["status"] == "PENDING" and requested["requiresConfirmation"] is True


@webhook_rule("calcom", 19)
def test_rule_19_confirm_sends_created_and_decline_rejected(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    first = book(calcom, states, states.get("bookable_start"), "confirmation_event_type_id")
    second = book(calcom, states, states.get("second_bookable_start"), "confirmation_event_type_id")
    confirmed = calcom.bookings("POST", f"/{first['uid']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["data"]["status"] == "accepted"
    declined = calcom.bookings("POST", f"/{second['uid']}/decline", json={"reason": "Busy"})
    assert declined.status_code == 200, declined.text
    assert declined.json()["data"]["status"] == "rejected"
    bodies = [r.json() for r in received(callbacks)]
    assert [b["triggerEvent"] for b in bodies] == [
        "BOOKING_REQUESTED",
        "BOOKING_REQUESTED",
        "BOOKING_CREATED",
        "BOOKING_REJECTED",
    ]
    assert (
        bodies[2]["payload"]["status"] == "ACCEPTED" and bodies[2]["payload"]["uid"] == first["uid"]
    )
    assert (
        bodies[3]["payload"]["status"] == "REJECTED"
        and bodies[3]["payload"]["uid"] == second["uid"]
    )
    again = calcom.bookings("POST", f"/{first['uid']}/confirm")
    assert again.status_code == 400


@webhook_rule("calcom", 20)
def test_rule_20_cancel_sends_cancelled_with_its_fields(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    booking = book(calcom, states)
    response = calcom.bookings(
        "POST", f"/{booking['uid']}/cancel", json={"cancellationReason": "Double-booked"}
    )
    assert response.status_code == 200, response.text
    created, cancelled = (r.json() for r in received(callbacks))
    assert cancelled["triggerEvent"] == "BOOKING_CANCELLED"
    p = cancelled["payload"]
    assert p["bookingId"] == booking["id"] and p["uid"] == booking["uid"]
    assert p["cancellationReason"] == "Double-booked"
    assert p["cancelledBy"] == states.get("user_email")
    assert p["metadata"] == {"crm": "42"} and p["requestReschedule"] is False
    assert p["status"] == "CANCELLED"


@webhook_rule("calcom", 21)
def test_rule_21_reschedule_describes_the_new_booking(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    old = book(calcom, states)
    response = calcom.bookings(
        "POST", f"/{old['uid']}/reschedule", json={"start": states.get("second_bookable_start")}
    )
    assert response.status_code == 201, response.text
    new = response.json()["data"]
    bodies = [r.json() for r in received(callbacks)]
    assert [b["triggerEvent"] for b in bodies] == ["BOOKING_CREATED", "BOOKING_RESCHEDULED"]
    p = bodies[1]["payload"]
    assert p["uid"] == new["uid"] and p["bookingId"] == new["id"]
    assert p["rescheduleUid"] == old["uid"] and p["rescheduleId"] == old["id"]
    assert instant(p["rescheduleStartTime"]) == instant(old["start"])
    assert instant(p["rescheduleEndTime"]) == instant(old["end"])
    assert instant(p["startTime"]) == instant(new["start"])


@webhook_rule("calcom", 22)
def test_rule_22_meeting_started_and_ended_follow_the_fake_clock(target, calcom, callbacks, states):
    hook(calcom, callbacks.url())
    with clock_restored(target):
        target.control("POST", "/_mock/clock", json={"freeze": True})
        booking = book(calcom, states)
        doomed = book(calcom, states, states.get("second_bookable_start"))
        calcom.bookings("POST", f"/{doomed['uid']}/cancel", json={})
        assert triggers(callbacks) == ["BOOKING_CREATED", "BOOKING_CREATED", "BOOKING_CANCELLED"]
        start = instant(booking["start"])
        now = instant(target.control("GET", "/_mock/clock").json()["now"])
        target.control("POST", "/_mock/clock", json={"advance": (start - now).total_seconds()})
        assert triggers(callbacks)[3:] == ["MEETING_STARTED"]
        target.control("POST", "/_mock/clock", json={"advance": 30 * 60 + 24 * 3600})
        tail = received(callbacks)[3:]
        assert [r.json()["triggerEvent"] for r in tail] == ["MEETING_STARTED", "MEETING_ENDED"]
        p = tail[0].json()["payload"]
        assert p["bookingId"] == booking["id"] and p["evt"]["uid"] == booking["uid"]
        assert set(p) >= {"bookingId", "eventTypeId", "userId", "teamId", "responses", "evt"}
        # the cancelled booking's meeting triggers were withdrawn, never sent
        assert [d["status"] for d in log(target, kind="MEETING_STARTED")] == [
            "delivered",
            "cancelled",
        ]


@webhook_rule("calcom", 23)
def test_rule_23_a_unified_calendar_patch_sends_no_webhook(calcom, callbacks, states):
    hook(calcom, callbacks.url())
    response = calcom.update(states.get("disposable_event_uid"), {"title": "Renamed in Google"})
    assert response.status_code == 200, response.text
    assert triggers(callbacks) == []


@webhook_rule("calcom", 24)
def test_rule_24_a_non_2xx_answer_is_not_retried_nor_blocks_others(
    target, calcom, callbacks, states
):
    callbacks.answer(500, name="broken")
    hook(calcom, callbacks.url("broken"))
    hook(calcom, callbacks.url("healthy"))
    book(calcom, states)
    assert triggers(callbacks, "healthy") == ["BOOKING_CREATED"]
    target.control("POST", "/_mock/clock", json={"advance": 0})  # nothing to retry, ever
    (broken,) = log(target, kind="BOOKING_CREATED", target=callbacks.url("broken"))
    assert broken["status"] == "failed"
    assert [a["status"] for a in broken["attempts"]] == [500]
    assert len(received(callbacks, "broken")) == 1


@webhook_rule("calcom", 25)
def test_rule_25_redirects_are_not_followed(target, calcom, callbacks, states):
    callbacks.answer(302, name="moved", headers={"Location": callbacks.url("elsewhere")})
    hook(calcom, callbacks.url("moved"))
    book(calcom, states)
    assert len(received(callbacks, "moved")) == 1
    assert received(callbacks, "elsewhere") == []
    (d,) = log(target, kind="BOOKING_CREATED")
    assert [a["status"] for a in d["attempts"]] == [302] and d["status"] == "failed"


@webhook_rule("calcom", 27)
def test_rule_27_network_failures_are_retried_only_behind_a_setting(target, calcom, states):
    dead = "http://127.0.0.1:9/cal"  # the discard port: nobody listens on loopback
    hook(calcom, dead)
    with clock_restored(target):
        target.control("POST", "/_mock/clock", json={"freeze": True})
        book(calcom, states)
        target.control("POST", "/_mock/deliveries/flush")
        (d,) = log(target, kind="BOOKING_CREATED")
        assert d["status"] == "failed" and len(d["attempts"]) == 1
        with fake_settings(target, "calcom", retry_network_errors=True):
            book(calcom, states, states.get("second_bookable_start"))
            target.control("POST", "/_mock/deliveries/flush")
            for _ in range(2):
                target.control("POST", "/_mock/clock", json={"advance": 300})
                target.control("POST", "/_mock/deliveries/flush")
        retried = log(target, kind="BOOKING_CREATED")[-1]
        assert retried["status"] == "failed"
        assert len(retried["attempts"]) == 3
        assert all(a["status"] is None and a["error"] for a in retried["attempts"])
