"""What Cal.com's webhooks are sent (reference/webhooks.md §2.4-2.7, rules 12-27 of §2.8),
rendered from the change feed's booking records for the delivery engine, as
packages/features/webhooks/lib/sendPayload.ts does it:

- body `{"triggerEvent", "createdAt", "payload"}` (JSON.stringify: compact), POSTed with
  `Content-Type: application/json`, `X-Cal-Signature-256: <hex HMAC-SHA256(body, secret)>` (or
  `no-secret-provided`) and `X-Cal-Webhook-Version: <the webhook's version>`;
- a `payloadTemplate` is Handlebars (pybars3; Cal.com compiles with `handlebars`), rendered over
  the payload plus triggerEvent and createdAt, `&quot;` turned back into `"`; a template that is
  JSON is re-serialised (JSON.stringify(JSON.parse(rendered)): `false` if the result does not
  parse), any other is sent as `application/x-www-form-urlencoded`; the signature covers what
  is sent;
- only active webhooks whose triggers include the event and that belong to the booking's host
  or its event type receive it; a non-2xx answer is final (no retry), redirects too;
- MEETING_STARTED / MEETING_ENDED are scheduled at the booking's start and end on the fake
  clock and withdrawn when the booking is cancelled or rescheduled first.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.calcom.store import Booking, CalcomStore, Webhook
from mockserver.core.changes import Change
from mockserver.core.timeutil import zone
from mockserver.delivery import Cancel, Delivery, Outbound, RetryPolicy

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend

PROVIDER = "calcom"
SIGNATURE = "X-Cal-Signature-256"
VERSION_HEADER = "X-Cal-Webhook-Version"
NO_SECRET = "no-secret-provided"
# booking.* change kinds -> the trigger announced
TRIGGERS = {
    "booking.created": "BOOKING_CREATED",
    "booking.requested": "BOOKING_REQUESTED",
    "booking.confirmed": "BOOKING_CREATED",  # confirming sends BOOKING_CREATED (handleConfirmation)
    "booking.rejected": "BOOKING_REJECTED",
    "booking.cancelled": "BOOKING_CANCELLED",
    "booking.rescheduled": "BOOKING_RESCHEDULED",
}
STATUS = {
    "accepted": "ACCEPTED",
    "pending": "PENDING",
    "cancelled": "CANCELLED",
    "rejected": "REJECTED",
}
MEETING = ("MEETING_STARTED", "MEETING_ENDED")


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """pybars' Handlebars compiler, made on the first payloadTemplate: building its grammar
    costs most of a second, which every start of the fake would otherwise pay."""
    from pybars import Compiler

    return Compiler()


def sign(body: bytes, secret: str | None) -> str:
    """createWebhookSignature: lower-case hex HMAC-SHA256, or `no-secret-provided`."""
    if not secret:
        return NO_SECRET
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def iso_ms(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_s(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def utc_offset(tzid: str, at: datetime) -> int:
    """Minutes east of UTC in `tzid` at `at` (getUTCOffsetByTimezone at the booking's start)."""
    try:
        offset = at.astimezone(zone(tzid)).utcoffset()
    except (KeyError, ValueError):
        return 0
    return int(offset.total_seconds() // 60) if offset is not None else 0


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness of a JSON.parse result (objects and arrays are always true)."""
    if isinstance(value, (dict, list)):
        return True
    return bool(value)


def json_parse(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return False  # sendPayload's jsonParse


def booking_payload(store: CalcomStore, b: Booking, trigger: str) -> dict[str, Any]:
    """The booking's CalendarEvent as sendPayload sends it (rules 17, 20, 21)."""
    et = store.event_types[b.event_type_id]
    user = store.users[b.user_id]
    responses: dict[str, Any] = {}
    if b.attendees:
        first = b.attendees[0]
        responses["name"] = {"label": "your_name", "value": first.name}
        responses["email"] = {"label": "email_address", "value": first.email}
    if b.location:
        responses["location"] = {
            "label": "location",
            "value": {"optionValue": "", "value": b.location},
        }
    if b.guests:
        responses["guests"] = {"label": "additional_guests", "value": list(b.guests)}
    custom = {k: v for k, v in b.responses.items() if k not in ("name", "email", "notes")}
    for key, value in custom.items():
        responses[key] = {"label": key, "value": value}
    if "notes" in b.responses:
        responses["notes"] = {"label": "additional_notes", "value": b.responses["notes"]}
    attendees = [
        {
            "email": a.email,
            "name": a.name,
            "firstName": "",
            "lastName": "",
            "timeZone": a.time_zone,
            "language": {"locale": a.language},
            "utcOffset": utc_offset(a.time_zone, b.start),
        }
        for a in b.attendees
    ]
    attendees += [
        {
            "email": g,
            "name": "",
            "firstName": "",
            "lastName": "",
            "timeZone": b.attendees[0].time_zone if b.attendees else user.time_zone,
            "language": {"locale": "en"},
            "utcOffset": utc_offset(
                b.attendees[0].time_zone if b.attendees else user.time_zone, b.start
            ),
        }
        for g in b.guests
    ]
    payload: dict[str, Any] = {
        "type": et.slug,
        "title": b.title,
        "description": b.description,  # falls back to additionalNotes, the same here
        "additionalNotes": b.description,
        "customInputs": {},
        "startTime": iso_s(b.start),
        "endTime": iso_s(b.end),
        "organizer": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "username": user.username,
            "timeZone": user.time_zone,
            "language": {"locale": "en"},
            "timeFormat": "h:mma" if user.time_format == 12 else "HH:mm",
            "utcOffset": utc_offset(user.time_zone, b.start),
        },
        "responses": responses,
        "userFieldsResponses": {k: {"label": k, "value": v} for k, v in custom.items()},
        "attendees": attendees,
        "location": b.location,
        "destinationCalendar": None,
        "hideCalendarNotes": False,
        "requiresConfirmation": et.requires_confirmation or None,
        "eventTypeId": et.id,
        "seatsShowAttendees": True,
        "seatsPerTimeSlot": None,
        "uid": b.uid,
        "iCalUID": b.ics_uid,
        "eventTitle": et.title,
        "eventDescription": et.description,
        "price": 0,
        "currency": "usd",
        "length": et.length,
        "bookingId": b.id,
        "metadata": dict(b.metadata),
        "status": STATUS.get(b.status, b.status.upper()),
        # always set by the 2021-10-20 BookingPayloadBuilder (factory/versioned/v2021-10-20/
        # BookingPayloadBuilder.ts @ 0a815636): no private link, no round-robin assignment
        "hashedLink": None,
        "assignmentReason": None,
    }
    if trigger == "BOOKING_CANCELLED":
        payload |= {
            "cancellationReason": b.cancellation_reason,
            "cancelledBy": b.cancelled_by,
            "requestReschedule": False,
        }
    if trigger == "BOOKING_REJECTED":
        payload["rejectionReason"] = b.cancellation_reason
        # "legacy parity" in the same builder: `evt.destinationCalendar ?? []`
        payload["destinationCalendar"] = []
    return payload


class CalcomNotifications:
    """`registry.Provider.notifications` for Cal.com."""

    def wants(self, be: CalcomBackend) -> bool:
        return bool(be.store.webhooks)

    def policy(self, be: CalcomBackend) -> RetryPolicy:
        s = be.settings
        if s.retry_network_errors:  # the tasker's webhookDelivery: 3 tries, 5 minutes apart
            return RetryPolicy(3, (300.0,), timeout=s.webhook_timeout, retry_on="network")
        return RetryPolicy(1, timeout=s.webhook_timeout)

    def subscribers(self, store: CalcomStore, b: Booking, trigger: str) -> list[Webhook]:
        """Active webhooks of the booking's host or event type with this trigger (rule 12)."""
        return [
            w
            for w in list(store.webhooks.values())
            if w.active
            and trigger in w.triggers
            and (w.user_id == b.user_id or w.event_type_id == b.event_type_id)
        ]

    def outbound(
        self,
        be: CalcomBackend,
        w: Webhook,
        trigger: str,
        payload: Mapping[str, Any],
        *,
        due: datetime | None = None,
        tag: str | None = None,
        changes: tuple[int, ...] = (),
    ) -> Outbound | None:
        created = iso_ms(due or be.now())
        content_type = "application/json"
        if w.payload_template:
            if not js_truthy(json_parse(w.payload_template)):
                content_type = "application/x-www-form-urlencoded"
            try:
                rendered = str(
                    _compiler().compile(w.payload_template)(
                        {**payload, "triggerEvent": trigger, "createdAt": created}
                    )
                ).replace("&quot;", '"')
            except Exception:  # noqa: BLE001 - a template Handlebars refuses: nothing is sent
                return None
            if content_type == "application/json":
                body = orjson.dumps(json_parse(rendered))
            else:
                body = rendered.encode()
        else:
            body = orjson.dumps({"triggerEvent": trigger, "createdAt": created, "payload": payload})
        return Outbound(
            provider=PROVIDER,
            kind=trigger,
            target=w.subscriber_url,
            body=body,
            headers={
                "Content-Type": content_type,
                SIGNATURE: sign(body, w.secret),
                VERSION_HEADER: w.version,
            },
            subscription=w.id,
            policy=self.policy(be),
            due=due,
            tag=tag,
            changes=changes,
        )

    def render(self, be: CalcomBackend, changes: list[Change]) -> list[Outbound | Cancel]:
        out: list[Outbound | Cancel] = []
        store = be.store
        for change in changes:
            if change.source != PROVIDER or change.kind not in TRIGGERS:
                continue  # unified calendar PATCHes and the owner's edits send none (rule 23)
            trigger = TRIGGERS[change.kind]
            b: Booking = change.after
            old: Booking | None = change.before
            payload = booking_payload(store, b, trigger)
            if trigger == "BOOKING_RESCHEDULED" and old is not None:
                payload |= {
                    "rescheduleId": old.id,
                    "rescheduleUid": old.uid,
                    "rescheduleStartTime": iso_s(old.start),
                    "rescheduleEndTime": iso_s(old.end),
                    "rescheduledBy": b.rescheduled_by,
                }
            for w in self.subscribers(store, b, trigger):
                made = self.outbound(be, w, trigger, payload, changes=(change.seq,))
                if made is not None:
                    out.append(made)
            withdrawn = old if trigger == "BOOKING_RESCHEDULED" else b
            if trigger in ("BOOKING_CANCELLED", "BOOKING_REJECTED", "BOOKING_RESCHEDULED"):
                out += [Cancel(PROVIDER, meeting_tag(withdrawn, t)) for t in MEETING if withdrawn]
            if b.status == "accepted" and trigger in ("BOOKING_CREATED", "BOOKING_RESCHEDULED"):
                out += self._meetings(be, b, change.seq)
        return out

    def _meetings(self, be: CalcomBackend, b: Booking, seq: int) -> list[Outbound | Cancel]:
        """MEETING_STARTED / ENDED, due at the booking's start and end (rule 22)."""
        out: list[Outbound | Cancel] = []
        store = be.store
        evt = booking_payload(store, b, "MEETING")
        payload = {
            "bookingId": b.id,
            "eventTypeId": b.event_type_id,
            "userId": b.user_id,
            "teamId": None,
            "responses": evt["responses"],
            "evt": evt,
        }
        for trigger, due in (("MEETING_STARTED", b.start), ("MEETING_ENDED", b.end)):
            if due <= be.now():
                continue
            for w in self.subscribers(store, b, trigger):
                made = self.outbound(
                    be, w, trigger, payload, due=due, tag=meeting_tag(b, trigger), changes=(seq,)
                )
                if made is not None:
                    out.append(made)
        return out

    def settled(self, be: CalcomBackend, delivery: Delivery) -> None:
        return None  # failing webhooks are not disabled (none found in the code read)

    def verify(
        self, be: CalcomBackend, headers: Mapping[str, str], body: bytes, url: str = ""
    ) -> bool | None:
        """Checked with the secret of the webhooks subscribed at `url` (any webhook's when no
        URL is given: the body does not name its webhook)."""
        given = headers.get(SIGNATURE.lower())
        if given is None:
            return None
        hooks = [w for w in be.store.webhooks.values() if not url or w.subscriber_url == url]
        return any(hmac.compare_digest(given, sign(body, w.secret)) for w in hooks)


def meeting_tag(b: Booking, trigger: str) -> str:
    """The scheduled task's reference in Cal.com: `booking-<id>-<TRIGGER>`."""
    return f"booking-{b.id}-{trigger}"
