"""Cal.com's own tables, beside the shared calendar world: users, their Google credentials, API
keys, managed-user access tokens, event types, bookings and booking references.

A Cal.com user is a core Account; a Google credential is a core Profile with provider_name
`google`; a booking's Google event is a core event (app_id None: to Cronofy it is an external
event) whose `provider_event_id` is the `eventUid` of the booking's `google_calendar` reference.
Records are immutable and replaced on write, so `copy()` only copies the tables."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.models import Calendar
from mockserver.core.timeutil import format_utc
from mockserver.core.world import World

# short-uuid's default alphabet (flickrBase58): Cal.com booking uids look like this.
_BASE58 = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_TYPES = (
    "google_calendar",
    "office365_calendar",
    "daily_video",
    "google_video",
    "office365_video",
    "zoom_video",
)


def booking_uid() -> str:
    return "".join(secrets.choice(_BASE58) for _ in range(22))


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    account_id: str  # the core Account
    email: str
    name: str
    time_zone: str
    week_start: str = "Monday"
    time_format: int = 24
    default_schedule_id: int | None = None
    organization_id: int | None = None
    destination_calendar: str | None = None  # a core calendar id


@dataclass(frozen=True, slots=True)
class Credential:
    """A Google Calendar connection: the core profile it reads and writes."""

    id: int
    user_id: int
    profile_id: str
    selected: tuple[str, ...] = ()  # core calendar ids whose busy times count
    invalid: bool = False
    type: str = "google_calendar"


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str
    user_id: int
    expires_at: datetime | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    user_id: int
    expires_at: datetime | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class EventType:
    id: int
    user_id: int
    slug: str
    title: str
    length: int  # minutes
    description: str = ""
    # {"type": "integration", "integration": "google-meet" | "cal-video"},
    # {"type": "address", "address": ...}, {"type": "link", "link": ...} or None
    location: dict[str, Any] | None = None
    # bookings wait for the host: BOOKING_REQUESTED, then confirm / decline
    requires_confirmation: bool = False


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    time_zone: str
    language: str = "en"
    absent: bool = False
    phone_number: str | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    id: int
    uid: str
    user_id: int  # the host
    event_type_id: int
    title: str
    start: datetime
    end: datetime
    created: datetime
    updated: datetime
    status: str = "accepted"
    description: str = ""
    attendees: tuple[Attendee, ...] = ()
    guests: tuple[str, ...] = ()
    location: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)  # custom bookingFieldsResponses
    cancellation_reason: str | None = None
    cancelled_by: str | None = None
    rescheduling_reason: str | None = None
    rescheduled_by: str | None = None
    rescheduled_from: str | None = None
    rescheduled_to: str | None = None
    absent_host: bool = False

    @property
    def ics_uid(self) -> str:
        return f"{self.uid}@Cal.com"


@dataclass(frozen=True, slots=True)
class Reference:
    id: int
    booking_uid: str
    type: str
    event_uid: str  # google_calendar: the core event's provider_event_id
    destination_calendar_id: str | None = None  # the Google calendar id (core provider_id)
    credential_id: int | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Webhook:
    """A webhook (reference/webhooks.md §2.2): the user's own (`user_id`) or an event type's
    (`event_type_id`). Ids are strings, as the API's e2e tests show."""

    id: str
    subscriber_url: str
    triggers: tuple[str, ...]
    active: bool = True
    payload_template: str | None = None
    secret: str | None = None
    user_id: int | None = None
    event_type_id: int | None = None
    version: str = "2021-10-20"


@dataclass
class CalcomStore:
    users: dict[int, User] = field(default_factory=dict)
    credentials: dict[int, Credential] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    event_types: dict[int, EventType] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)  # by uid
    references: dict[int, Reference] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)  # last id handed out per table
    # reference ids by eventUid and by booking uid: the unified GET/PATCH look up by eventUid
    by_event_uid: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_booking: dict[str, tuple[int, ...]] = field(default_factory=dict)
    webhooks: dict[str, Webhook] = field(default_factory=dict)  # by id, oldest first

    def copy(self) -> CalcomStore:
        """An independent store (records are immutable and the index values tuples, so only
        the tables are copied)."""
        return CalcomStore(
            dict(self.users),
            dict(self.credentials),
            dict(self.api_keys),
            dict(self.tokens),
            dict(self.event_types),
            dict(self.bookings),
            dict(self.references),
            dict(self.counters),
            dict(self.by_event_uid),
            dict(self.by_booking),
            dict(self.webhooks),
        )

    def next_id(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]

    def seen(self, table: str, ident: int) -> None:
        self.counters[table] = max(self.counters.get(table, 0), ident)

    # -- lookups -------------------------------------------------------------------------

    def user_of_account(self, account_id: str) -> User | None:
        return next((u for u in self.users.values() if u.account_id == account_id), None)

    def credentials_of(self, user_id: int) -> list[Credential]:
        return [c for c in self.credentials.values() if c.user_id == user_id]

    def references_of(self, booking_uid: str) -> list[Reference]:
        refs = (self.references[i] for i in self.by_booking.get(booking_uid, ()))
        return [r for r in refs if not r.deleted]

    def references_by_event_uid(self, event_uid: str) -> list[Reference]:
        refs = (self.references[i] for i in self.by_event_uid.get(event_uid, ()))
        return [r for r in refs if not r.deleted]

    # -- writes --------------------------------------------------------------------------

    def put_booking(self, booking: Booking) -> None:
        self.bookings[booking.uid] = booking
        self.seen("booking", booking.id)

    def add_reference(
        self,
        booking_uid: str,
        type_: str,
        event_uid: str,
        destination: str | None,
        credential_id: int | None,
    ) -> Reference:
        ref = Reference(
            self.next_id("reference"), booking_uid, type_, event_uid, destination, credential_id
        )
        self.references[ref.id] = ref
        self.by_event_uid[event_uid] = (*self.by_event_uid.get(event_uid, ()), ref.id)
        self.by_booking[booking_uid] = (*self.by_booking.get(booking_uid, ()), ref.id)
        return ref

    # -- the world-file section ----------------------------------------------------------

    @classmethod
    def from_section(cls, section: dict[str, Any], world: World) -> CalcomStore:
        """Build the store from a world file's `calcom` section (mockserver/calcom/loader.py)."""
        from mockserver.calcom.loader import load_section

        return load_section(cls(), section, world)

    def destination(self, user: User, world: World) -> Calendar | None:
        """Where a booking's event goes: the destination calendar, else the first Google
        credential's primary calendar."""
        if user.destination_calendar:
            return world.calendars.get(user.destination_calendar)
        for cred in self.credentials_of(user.id):
            for cal in world.calendars.values():
                if cal.profile_id == cred.profile_id and cal.primary:
                    return cal
        return None

    def credential_for(self, user: User, cal: Calendar | None) -> Credential | None:
        if cal is None:
            return None
        return next(
            (c for c in self.credentials_of(user.id) if c.profile_id == cal.profile_id), None
        )

    # -- out -------------------------------------------------------------------------------

    def dump(self, world: World) -> dict[str, Any]:
        """The world-file `calcom` section (bookings point at their events by googleEventId)."""
        users = []
        for u in self.users.values():
            entry: dict[str, Any] = {
                "id": u.id,
                "username": u.username,
                "account": u.account_id,
                "email": u.email,
                "name": u.name,
                "timeZone": u.time_zone,
                "weekStart": u.week_start,
                "timeFormat": u.time_format,
                "credentials": [
                    {
                        "id": c.id,
                        "type": c.type,
                        "profile": c.profile_id,
                        "selectedCalendars": list(c.selected),
                        "invalid": c.invalid,
                    }
                    for c in self.credentials_of(u.id)
                ],
                "apiKeys": [_secret("key", k) for k in self.api_keys.values() if k.user_id == u.id],
                "accessTokens": [
                    _secret("token", t) for t in self.tokens.values() if t.user_id == u.id
                ],
            }
            if u.destination_calendar:
                entry["destinationCalendar"] = u.destination_calendar
            users.append(entry)
        event_types = []
        for et in self.event_types.values():
            entry = {
                "id": et.id,
                "user": et.user_id,
                "slug": et.slug,
                "title": et.title,
                "lengthInMinutes": et.length,
                "description": et.description,
            }
            if et.location:
                entry["location"] = et.location
            if et.requires_confirmation:
                entry["requiresConfirmation"] = True
            event_types.append(entry)
        bookings = []
        for b in sorted(self.bookings.values(), key=lambda b: b.id):
            entry = {
                "id": b.id,
                "uid": b.uid,
                "eventType": b.event_type_id,
                "title": b.title,
                "description": b.description,
                "start": format_utc(b.start),
                "end": format_utc(b.end),
                "createdAt": format_utc(b.created),
                "status": b.status,
                "attendees": [
                    {
                        "name": a.name,
                        "email": a.email,
                        "timeZone": a.time_zone,
                        "language": a.language,
                    }
                    for a in b.attendees
                ],
                "guests": list(b.guests),
                "location": b.location,
                "metadata": b.metadata,
                "bookingFieldsResponses": b.responses,
            }
            if b.cancellation_reason:
                entry["cancellationReason"] = b.cancellation_reason
            refs = [r for r in self.references_of(b.uid) if r.type == "google_calendar"]
            if refs and world.event_by_provider_id(refs[0].event_uid) is not None:
                entry["googleEventId"] = refs[0].event_uid
            bookings.append(entry)
        out: dict[str, Any] = {"users": users, "eventTypes": event_types, "bookings": bookings}
        if self.webhooks:
            out["webhooks"] = [webhook_section(w) for w in self.webhooks.values()]
        return out

    def credentials_json(self, world: World | None, now: datetime) -> dict[str, Any]:
        """What GET /_mock/credentials lists for Cal.com."""
        out = []
        for u in self.users.values():
            out.append(
                {
                    "user_id": u.id,
                    "username": u.username,
                    "email": u.email,
                    "account_id": u.account_id,
                    "api_keys": [
                        {
                            "key": k.key,
                            "label": k.label,
                            "expires_at": format_utc(k.expires_at) if k.expires_at else None,
                        }
                        for k in self.api_keys.values()
                        if k.user_id == u.id
                    ],
                    "access_tokens": [
                        {
                            "token": t.token,
                            "label": t.label,
                            "expires_at": format_utc(t.expires_at) if t.expires_at else None,
                            "expired": bool(t.expires_at and t.expires_at <= now),
                        }
                        for t in self.tokens.values()
                        if t.user_id == u.id
                    ],
                }
            )
        return {"users": out}


def _secret(name: str, record: ApiKey | AccessToken) -> dict[str, Any]:
    value = record.key if isinstance(record, ApiKey) else record.token
    out: dict[str, Any] = {name: value}
    if record.expires_at:
        out["expiresAt"] = format_utc(record.expires_at)
    if record.label:
        out["label"] = record.label
    return out


def webhook_section(w: Webhook) -> dict[str, Any]:
    """A webhook as the world file's `calcom.webhooks[]` holds it."""
    entry: dict[str, Any] = {
        "id": w.id,
        "subscriberUrl": w.subscriber_url,
        "triggers": list(w.triggers),
        "active": w.active,
    }
    for key, value in (
        ("payloadTemplate", w.payload_template),
        ("secret", w.secret),
        ("user", w.user_id),
        ("eventType", w.event_type_id),
    ):
        if value is not None:
            entry[key] = value
    return entry


def google_id(cal: Calendar) -> str:
    """The Google calendar id Cal.com stores as a reference's destinationCalendarId."""
    return cal.provider_id or cal.id


def replace(record: Any, **changes: Any) -> Any:
    return dataclasses.replace(record, **changes)
