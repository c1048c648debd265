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
DEFAULT_LOCATIONS = ({"type": "integration", "integration": "cal-video"},)
DEFAULT_MINIMUM_NOTICE = 120  # EventType.minimumBookingNotice @default(120), prisma schema
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
    avatar_url: str | None = None
    bio: str | None = None
    locale: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


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
    """An event type: `spec` holds its settings in the 2024-06-14 input shape, as validated
    (event_types.py renders the output object from it). Never mutated: replaced on write."""

    id: int
    user_id: int
    spec: dict[str, Any]
    created: datetime | None = None
    deleted: bool = False  # a tombstone: its bookings still name it
    # whether the location system field was stored with the booking fields: decided when they
    # are written, from that write's locations (None: never written over the API)
    location_field: bool | None = None

    @property
    def slug(self) -> str:
        return str(self.spec["slug"])

    @property
    def title(self) -> str:
        return str(self.spec["title"])

    @property
    def length(self) -> int:  # minutes
        return int(self.spec["lengthInMinutes"])

    @property
    def description(self) -> str:
        return str(self.spec.get("description") or "")

    @property
    def locations(self) -> list[dict[str, Any]]:
        return list(self.spec.get("locations") or DEFAULT_LOCATIONS)

    @property
    def location(self) -> dict[str, Any] | None:
        """The first location: what a booking without its own location gets."""
        found = self.locations
        return found[0] if found else None

    @property
    def length_options(self) -> list[int]:
        return [int(n) for n in self.spec.get("lengthInMinutesOptions") or ()]

    @property
    def slot_interval(self) -> int | None:
        value = self.spec.get("slotInterval")
        return int(value) if value else None

    @property
    def minimum_notice(self) -> int:
        return int(self.spec.get("minimumBookingNotice", DEFAULT_MINIMUM_NOTICE))

    @property
    def before_buffer(self) -> int:
        return int(self.spec.get("beforeEventBuffer") or 0)

    @property
    def after_buffer(self) -> int:
        return int(self.spec.get("afterEventBuffer") or 0)

    @property
    def offset_start(self) -> int:
        return int(self.spec.get("offsetStart") or 0)

    @property
    def schedule_id(self) -> int | None:
        value = self.spec.get("scheduleId")
        return int(value) if value is not None else None

    @property
    def hidden(self) -> bool:
        return bool(self.spec.get("hidden"))

    @property
    def seats(self) -> int | None:
        """Seats per time slot, or None for an unseated type."""
        seats = self.spec.get("seats") or {}
        value = seats.get("seatsPerTimeSlot") if not seats.get("disabled") else None
        return int(value) if value else None

    @property
    def recurrence(self) -> dict[str, Any] | None:
        """`{frequency, interval, occurrences}` or None."""
        rec = self.spec.get("recurrence") or {}
        return None if not rec or rec.get("disabled") else rec

    @property
    def requires_confirmation(self) -> bool:
        policy = self.spec.get("confirmationPolicy") or {}
        return bool(policy) and not policy.get("disabled")

    @property
    def unconfirmed_blocks(self) -> bool:
        """Pending bookings block the slot (confirmationPolicy.blockUnconfirmedBookingsInBooker)."""
        policy = self.spec.get("confirmationPolicy") or {}
        return self.requires_confirmation and bool(policy.get("blockUnconfirmedBookingsInBooker"))

    @property
    def booking_window(self) -> dict[str, Any] | None:
        window = self.spec.get("bookingWindow") or {}
        return None if not window or window.get("disabled") else window

    @property
    def only_first_slot(self) -> bool:
        return bool(self.spec.get("onlyShowFirstAvailableSlot"))


@dataclass(frozen=True, slots=True)
class Schedule:
    """A user's availability (2024-06-11): weekly rows and date overrides, in `time_zone`."""

    id: int
    user_id: int
    name: str
    time_zone: str
    # ((day names, "HH:MM", "HH:MM"), ...) in the order given
    availability: tuple[tuple[tuple[str, ...], str, str], ...] = ()
    overrides: tuple[tuple[str, str, str], ...] = ()  # (date, start, end)


@dataclass(frozen=True, slots=True)
class Reservation:
    """A held slot (2024-09-04): hides [start, end) of its event type until `until`."""

    uid: str
    event_type_id: int
    start: datetime
    end: datetime
    until: datetime
    duration: int  # reservationDuration, minutes
    created: datetime


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    time_zone: str
    language: str = "en"
    absent: bool = False
    phone_number: str | None = None
    seat_uid: str | None = None  # a seat of a seated booking
    responses: dict[str, Any] = field(default_factory=dict)  # a seat's bookingFieldsResponses


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
    recurring_uid: str | None = None  # the series of a recurring event type's booking
    rejection_reason: str | None = None

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
    schedules: dict[int, Schedule] = field(default_factory=dict)
    reservations: dict[str, Reservation] = field(default_factory=dict)  # by uid
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
            dict(self.schedules),
            dict(self.reservations),
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

    def schedules_of(self, user_id: int) -> list[Schedule]:
        return sorted(
            (s for s in self.schedules.values() if s.user_id == user_id), key=lambda s: s.id
        )

    def user_by_username(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def event_types_of(self, user_id: int) -> list[EventType]:
        return sorted(
            (e for e in self.event_types.values() if e.user_id == user_id), key=lambda e: e.id
        )

    def series(self, recurring_uid: str) -> list[Booking]:
        """The bookings of one recurring series, in time order."""
        found = [b for b in self.bookings.values() if b.recurring_uid == recurring_uid]
        return sorted(found, key=lambda b: (b.start, b.id))

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
        from mockserver.calcom.dumper import dump_section

        return dump_section(self, world)

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
