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
from datetime import datetime, timedelta
from typing import Any

from mockserver.core import ids
from mockserver.core.fixtures import FixtureError, place, resolve_time
from mockserver.core.models import Attendee as CoreAttendee
from mockserver.core.models import Calendar, Event, Person
from mockserver.core.timeutil import format_utc, is_zone
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
BOOKING_STATUSES = ("accepted", "pending", "cancelled", "rejected")


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
        )

    def next_id(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]

    def _seen(self, table: str, ident: int) -> None:
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
        self._seen("booking", booking.id)

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
        """Build the store from a world file's `calcom` section (already schema-checked);
        bookings create their Google event in the world unless it is already there. Every
        problem names its place."""
        store = cls()
        problems: list[tuple[str, str]] = []
        now = world.clock.now()
        usernames: set[str] = set()
        for ui, raw in enumerate(section.get("users", [])):
            where = ["calcom", "users", ui]
            acc = world.accounts.get(raw["account"])
            if acc is None:
                problems.append((place([*where, "account"]), f"no account {raw['account']!r}"))
                continue
            if raw["id"] in store.users:
                problems.append((place([*where, "id"]), f"duplicate user id {raw['id']}"))
            if raw["username"] in usernames:
                problems.append((place([*where, "username"]), "duplicate username"))
            if store.user_of_account(acc.id):
                problems.append((place([*where, "account"]), "account already has a user"))
            usernames.add(raw["username"])
            tz = raw.get("timeZone", acc.default_tzid)
            if not is_zone(tz):
                problems.append((place([*where, "timeZone"]), f"unknown time zone {tz!r}"))
                tz = "UTC"
            mine = {c.id for c in world.calendars_of(acc.id)}
            dest = raw.get("destinationCalendar")
            if dest is not None and dest not in mine:
                problems.append(
                    (
                        place([*where, "destinationCalendar"]),
                        f"no calendar {dest!r} of this account",
                    )
                )
            user = User(
                id=raw["id"],
                username=raw["username"],
                account_id=acc.id,
                email=raw.get("email", acc.email),
                name=raw.get("name", acc.name),
                time_zone=tz,
                week_start=raw.get("weekStart", "Monday"),
                time_format=raw.get("timeFormat", 24),
                default_schedule_id=raw.get("defaultScheduleId"),
                organization_id=raw.get("organizationId"),
                destination_calendar=dest,
            )
            store.users[user.id] = user
            store._seen("user", user.id)
            for ci, cred in enumerate(raw.get("credentials", [])):
                cwhere = [*where, "credentials", ci]
                prof = world.profiles.get(cred["profile"])
                if prof is None or prof.account_id != acc.id:
                    problems.append(
                        (
                            place([*cwhere, "profile"]),
                            f"no profile {cred['profile']!r} of this account",
                        )
                    )
                elif prof.provider_name != "google":
                    problems.append((place([*cwhere, "profile"]), "not a google profile"))
                if cred["id"] in store.credentials:
                    problems.append(
                        (place([*cwhere, "id"]), f"duplicate credential id {cred['id']}")
                    )
                own = {c.id for c in world.calendars.values() if c.profile_id == cred["profile"]}
                for si, cal_id in enumerate(cred.get("selectedCalendars", [])):
                    if cal_id not in own:
                        problems.append(
                            (
                                place([*cwhere, "selectedCalendars", si]),
                                f"no calendar {cal_id!r} in this profile",
                            )
                        )
                selected = cred.get("selectedCalendars")
                if selected is None:  # default: the profile's primary calendar
                    selected = [
                        c.id
                        for c in world.calendars.values()
                        if c.profile_id == cred["profile"] and c.primary
                    ]
                store.credentials[cred["id"]] = Credential(
                    cred["id"],
                    user.id,
                    cred["profile"],
                    tuple(selected),
                    cred.get("invalid", False),
                )
                store._seen("credential", cred["id"])
            for ki, key in enumerate(raw.get("apiKeys", [])):
                if key["key"] in store.api_keys:
                    problems.append((place([*where, "apiKeys", ki, "key"]), "duplicate API key"))
                expires = resolve_time(key["expiresAt"], now, "UTC") if "expiresAt" in key else None
                store.api_keys[key["key"]] = ApiKey(key["key"], user.id, expires, key.get("label"))  # type: ignore[arg-type]
            for ti, tok in enumerate(raw.get("accessTokens", [])):
                if tok["token"] in store.tokens:
                    problems.append(
                        (place([*where, "accessTokens", ti, "token"]), "duplicate access token")
                    )
                expires = resolve_time(tok["expiresAt"], now, "UTC") if "expiresAt" in tok else None
                store.tokens[tok["token"]] = AccessToken(
                    tok["token"], user.id, expires, tok.get("label")
                )  # type: ignore[arg-type]
        for ei, raw in enumerate(section.get("eventTypes", [])):
            where = ["calcom", "eventTypes", ei]
            if raw["user"] not in store.users:
                problems.append((place([*where, "user"]), f"no user {raw['user']}"))
            if raw["id"] in store.event_types:
                problems.append((place([*where, "id"]), f"duplicate event type id {raw['id']}"))
            store.event_types[raw["id"]] = EventType(
                raw["id"],
                raw["user"],
                raw["slug"],
                raw["title"],
                raw["lengthInMinutes"],
                raw.get("description", ""),
                raw.get("location"),
            )
            store._seen("eventType", raw["id"])
        if problems:  # bookings need users and event types that exist
            raise FixtureError(problems)
        booking_ids: set[int] = set()
        for bi, raw in enumerate(section.get("bookings", [])):
            try:
                store._load_booking(
                    raw, world, now, ["calcom", "bookings", bi], problems, booking_ids
                )
            except ValueError as exc:
                problems.append((place(["calcom", "bookings", bi]), str(exc)))
        if problems:
            raise FixtureError(problems)
        return store

    def _load_booking(
        self,
        raw: dict[str, Any],
        world: World,
        now: datetime,
        where: list[Any],
        problems: list[tuple[str, str]],
        booking_ids: set[int],
    ) -> None:
        et = self.event_types.get(raw["eventType"])
        if et is None:
            problems.append((place([*where, "eventType"]), f"no event type {raw['eventType']}"))
            return
        user = self.users[et.user_id]
        if raw["uid"] in self.bookings:
            problems.append((place([*where, "uid"]), f"duplicate booking uid {raw['uid']!r}"))
            return
        start = resolve_time(raw["start"], now, user.time_zone)
        if not isinstance(start, datetime):
            raise ValueError("start must be a time, not a date")
        end = (
            resolve_time(raw["end"], now, user.time_zone)
            if "end" in raw
            else start + timedelta(minutes=et.length)
        )
        if not isinstance(end, datetime) or end < start:
            raise ValueError("end must be a time after start")
        created = resolve_time(raw["createdAt"], now, "UTC") if "createdAt" in raw else now
        ident = raw.get("id") or self.next_id("booking")
        if ident in booking_ids:
            problems.append((place([*where, "id"]), f"duplicate booking id {ident}"))
            return
        booking_ids.add(ident)
        attendees = tuple(
            Attendee(
                a["name"],
                a["email"],
                a.get("timeZone", user.time_zone),
                a.get("language", "en"),
                a.get("absent", False),
                a.get("phoneNumber"),
            )
            for a in raw.get("attendees", [])
        )
        booking = Booking(
            id=ident,
            uid=raw["uid"],
            user_id=user.id,
            event_type_id=et.id,
            title=raw.get("title") or default_title(et, user, attendees),
            start=start,
            end=end,  # type: ignore[arg-type]
            created=created.replace(microsecond=0),  # type: ignore[union-attr]
            updated=created.replace(microsecond=0),  # type: ignore[union-attr]
            status=raw.get("status", "accepted"),
            description=raw.get("description", ""),
            attendees=attendees,
            guests=tuple(raw.get("guests", ())),
            location=raw.get("location") or location_string(et, raw["uid"]),
            metadata=raw.get("metadata", {}),
            responses=raw.get("bookingFieldsResponses", {}),
            cancellation_reason=raw.get("cancellationReason"),
        )
        self.put_booking(booking)
        event_uid = raw.get("googleEventId")
        existing = world.event_by_provider_id(event_uid) if event_uid else None
        cal = self.destination(user, world)
        cred = self.credential_for(user, cal)
        if existing is not None:
            cal = world.calendars[existing.calendar_id]
            cred = self.credential_for(user, cal)
            if cred is None:
                problems.append(
                    (place([*where, "googleEventId"]), "the event is not in a calendar of the host")
                )
                return
        elif booking.status != "accepted" and not event_uid:
            return  # only accepted bookings get a calendar event
        elif cal is None or cred is None:
            problems.append((place(where), "the host has no Google calendar to put the event in"))
            return
        else:
            existing = create_event(world, booking, et, user, cal, event_uid)
            if booking.status in ("cancelled", "rejected"):
                world.delete_event(existing.uid)
        self.add_reference(
            booking.uid,
            "google_calendar",
            existing.provider_event_id or "",
            google_id(cal),
            cred.id,
        )
        self._video_reference(booking, et)

    def _video_reference(self, booking: Booking, et: EventType) -> None:
        if (et.location or {}).get("integration") == "cal-video":
            self.add_reference(booking.uid, "daily_video", booking.uid, None, None)

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
        return {"users": users, "eventTypes": event_types, "bookings": bookings}

    def credentials_json(self, now: datetime) -> dict[str, Any]:
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


# -- booking <-> Google event ----------------------------------------------------------------


def default_title(et: EventType, user: User, attendees: tuple[Attendee, ...]) -> str:
    """Cal.com's default event name: `{Event type title} between {Organiser} and {Booker}`."""
    booker = attendees[0].name if attendees else "Guest"
    return f"{et.title} between {user.name} and {booker}"


def video_room(uid: str) -> str:
    return f"https://cal.video/{uid}"


def meet_link(uid: str) -> str:
    code = uid.lower()
    letters = "".join(ch for ch in code if ch.isalpha()).ljust(10, "x")
    return f"https://meet.google.com/{letters[:3]}-{letters[3:7]}-{letters[7:10]}"


def location_string(et: EventType, uid: str) -> str:
    loc = et.location or {}
    kind = loc.get("type")
    if kind == "integration" and loc.get("integration") == "google-meet":
        return meet_link(uid)
    if kind == "integration" and loc.get("integration") == "cal-video":
        return video_room(uid)
    if kind == "address":
        return str(loc.get("address", ""))
    if kind == "link":
        return str(loc.get("link", ""))
    if kind == "phone":
        return str(loc.get("phone", ""))
    return ""


def google_id(cal: Calendar) -> str:
    """The Google calendar id Cal.com stores as a reference's destinationCalendarId."""
    return cal.provider_id or cal.id


def create_event(
    world: World,
    booking: Booking,
    et: EventType,
    user: User,
    cal: Calendar,
    provider_event_id: str | None = None,
) -> Event:
    """The Google event a booking puts in the host's calendar (the owner made it: app_id None)."""
    host = CoreAttendee(user.email, user.name, "accepted", organizer=True)
    people = [host]
    people += [CoreAttendee(a.email, a.name, "needs_action") for a in booking.attendees]
    people += [CoreAttendee(g, None, "needs_action") for g in booking.guests]
    fields: dict[str, Any] = {}
    loc = et.location or {}
    if loc.get("integration") == "google-meet":
        fields["conferencing"] = {
            "profile_id": "default",
            "provider_description": "Google Meet",
            "join_url": booking.location,
        }
    elif booking.location:
        fields["location"] = {"description": booking.location}
    return world.create_event(
        cal.id,
        summary=booking.title,
        description=booking.description,
        start=booking.start,
        end=booking.end,
        tzid=user.time_zone,
        attendees=tuple(people),
        organizer=Person(user.email, user.name),
        participation_status="accepted",
        ical_uid=booking.ics_uid,
        provider_event_id=provider_event_id or ids.provider_event_id(),
        extra={"calcom_booking_uid": booking.uid},
        **fields,
    )


def replace(record: Any, **changes: Any) -> Any:
    return dataclasses.replace(record, **changes)
