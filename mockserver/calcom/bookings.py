"""Cal.com bookings (cal-api-version 2024-08-13) and the Google event each one puts in its
host's calendar. The handlers in responses.py call `CalcomBackend.bookings`."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.calcom import dto, wire
from mockserver.calcom.exceptions import bad_request, not_found, validation_failed
from mockserver.calcom.settings import CalcomSettings
from mockserver.calcom.store import (
    REFERENCE_TYPES,
    Attendee,
    Booking,
    CalcomStore,
    EventType,
    User,
    booking_uid,
    google_id,
    replace,
)
from mockserver.calcom.wire import iso_instant
from mockserver.core import ids
from mockserver.core.models import Attendee as CoreAttendee
from mockserver.core.models import Calendar, Event, Person
from mockserver.core.world import World

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller

BOOKING_FILTERS = ("upcoming", "recurring", "past", "cancelled", "unconfirmed")
MAX_TAKE = 250


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


class Bookings:
    """Bookings 2024-08-13 on the backend's world and store: create (checked against the host's
    busy time), list, get, cancel, reschedule, references."""

    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def world(self) -> World:
        return self.be.world

    @property
    def store(self) -> CalcomStore:
        return self.be.store

    @property
    def settings(self) -> CalcomSettings:
        return self.be.settings

    def now(self) -> datetime:
        return self.be.now()

    def booking(self, uid: str) -> Booking:
        b = self.store.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid={uid} was not found in the database")
        return b

    def booking_json(self, b: Booking) -> dict[str, Any]:
        return wire.booking_json(b, self.store)

    def _event_type(self, body: dict[str, Any]) -> EventType:
        if body.get("eventTypeId") is not None:
            et = self.store.event_types.get(int(body["eventTypeId"]))
            if et is None:
                raise not_found(f"Event type with id={int(body['eventTypeId'])} not found")
            return et
        slug, username = body.get("eventTypeSlug"), body.get("username")
        if slug and username:
            for et in self.store.event_types.values():
                user = self.store.users.get(et.user_id)
                if et.slug == slug and user and user.username == username:
                    return et
            raise not_found(f"Event type with slug {slug} belonging to user {username} not found")
        raise bad_request(
            "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided"
        )

    def _start(self, value: str) -> datetime:
        start = iso_instant(value)
        if start is None:
            raise bad_request("start must be a valid ISO 8601 date string")
        return start.replace(microsecond=0)

    def _check_slot(self, user: User, start: datetime, end: datetime, ignore: str | None) -> None:
        if start < self.now():
            raise bad_request("Attempting to book a meeting in the past.")
        if not self.settings.refuse_conflicting_bookings:
            return
        calendars = [c for cred in self.store.credentials_of(user.id) for c in cred.selected]
        dest = self.store.destination(user, self.world)
        if dest is not None and dest.id not in calendars:
            calendars.append(dest.id)
        ignored = self.world.event_by_provider_id(ignore) if ignore else None
        for s, e in self.be.busy(calendars, start, end, "UTC"):
            if s < end and e > start:
                if ignored is not None and (s, e) == (ignored.start, ignored.end):
                    continue  # the booking being rescheduled does not conflict with itself
                raise bad_request("no_available_users_found_error")

    def create_booking(self, caller: Caller | None, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(dto.CREATE_BOOKING, body)
        if errors:
            raise validation_failed(errors)
        et = self._event_type(clean)
        user = self.store.users[et.user_id]
        start = self._start(clean["start"])
        length = et.length
        if clean.get("lengthInMinutes") is not None and int(clean["lengthInMinutes"]) != et.length:
            raise bad_request(
                "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request."
            )
        end = start + timedelta(minutes=length)
        self._check_slot(user, start, end, None)
        a = clean["attendee"]
        attendee = Attendee(
            a["name"],
            a.get("email") or "",
            a["timeZone"],
            a.get("language") or "en",
            phone_number=a.get("phoneNumber"),
        )
        responses = dict(clean.get("bookingFieldsResponses") or {})
        uid = booking_uid()
        now = self.now().replace(microsecond=0)
        booking = Booking(
            id=self.store.next_id("booking"),
            uid=uid,
            user_id=user.id,
            event_type_id=et.id,
            title=default_title(et, user, (attendee,)),
            start=start,
            end=end,
            created=now,
            updated=now,
            status="pending" if et.requires_confirmation else "accepted",
            description=str(responses.get("notes", "")),
            attendees=(attendee,),
            guests=tuple(clean.get("guests") or ()),
            location=location_string(et, uid),
            metadata=dict(clean.get("metadata") or {}),
            responses=responses,
        )
        with self.world.transaction():
            self._book(booking, et, user)
            kind = "booking.requested" if booking.status == "pending" else "booking.created"
            self._announce(kind, None, booking)
        return self.booking_json(booking)

    def _announce(self, kind: str, before: Booking | None, after: Booking) -> None:
        """A booking change on the change feed (webhooks are rendered from it)."""
        user = self.store.users[after.user_id]
        ev = self._google_of(after)
        self.world.changes.emit(
            kind,
            source="calcom",
            account_id=user.account_id,
            calendar_id=ev.calendar_id if ev else None,
            event_uid=ev.uid if ev else None,
            before=before,
            after=after,
        )

    def _hosted(self, caller: Caller, uid: str) -> Booking:
        b = self.booking(uid)
        if b.user_id != caller.user.id:
            raise not_found(f"Booking with uid={uid} was not found in the database")
        return b

    def confirm_booking(self, caller: Caller, uid: str) -> dict[str, Any]:
        """The host accepts a booking that needed confirmation: its calendar event is made and
        BOOKING_CREATED goes out (handleConfirmation)."""
        b = self._hosted(caller, uid)
        if b.status != "pending":
            raise bad_request(f"Booking with uid={uid} is not pending confirmation")
        et = self.store.event_types[b.event_type_id]
        user = self.store.users[b.user_id]
        now = self.now().replace(microsecond=0)
        confirmed = replace(b, status="accepted", updated=max(b.updated, now))
        with self.world.transaction():
            self._book(confirmed, et, user)
            self._announce("booking.confirmed", b, confirmed)
        return self.booking_json(confirmed)

    def decline_booking(self, caller: Caller, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(dto.DECLINE_BOOKING, body)
        if errors:
            raise validation_failed(errors)
        b = self._hosted(caller, uid)
        if b.status != "pending":
            raise bad_request(f"Booking with uid={uid} is not pending confirmation")
        now = self.now().replace(microsecond=0)
        rejected = replace(
            b,
            status="rejected",
            cancellation_reason=clean.get("reason"),
            updated=max(b.updated, now),
        )
        with self.world.transaction():
            self.store.put_booking(rejected)
            self._announce("booking.rejected", b, rejected)
        return self.booking_json(rejected)

    def _book(
        self, booking: Booking, et: EventType, user: User, event: Event | None = None
    ) -> None:
        """Store the booking and its references; create its Google event unless given one."""
        cal = self.store.destination(user, self.world)
        cred = self.store.credential_for(user, cal)
        if booking.status == "pending":  # no calendar event until the host confirms
            self.store.put_booking(booking)
            return
        if event is None and cal is not None and cred is not None and not cal.readonly:
            with self.world.transaction():
                event = create_event(self.world, booking, et, user, cal)
        self.store.put_booking(booking)
        if event is not None and cred is not None:
            ev_cal = self.world.calendars[event.calendar_id]
            self.store.add_reference(
                booking.uid,
                "google_calendar",
                event.provider_event_id or "",
                google_id(ev_cal),
                cred.id,
            )
        if (et.location or {}).get("integration") == "cal-video":
            self.store.add_reference(booking.uid, "daily_video", booking.uid, None, None)

    def _google_of(self, booking: Booking) -> Event | None:
        for ref in self.store.references_of(booking.uid):
            if ref.type == "google_calendar":
                ev = self.world.event_by_provider_id(ref.event_uid)
                if ev is not None and not ev.deleted:
                    return ev
        return None

    def cancel_booking(self, caller: Caller | None, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(dto.CANCEL_BOOKING, body)
        if errors:
            raise validation_failed(errors)
        b = self.booking(uid)
        if b.status in ("cancelled", "rejected"):
            raise bad_request("This booking has already been cancelled.")
        ev = self._google_of(b)
        cancelled = replace(
            b,
            status="cancelled",
            cancellation_reason=clean.get("cancellationReason"),
            cancelled_by=caller.user.email if caller else None,
            updated=max(b.updated, self.now().replace(microsecond=0)),
        )
        with self.world.transaction():
            self._announce("booking.cancelled", b, cancelled)
            if ev is not None:  # Cal.com deletes the calendar event of a cancelled booking
                self.world.delete_event(ev.uid)
            self.store.put_booking(cancelled)
        return self.booking_json(cancelled)

    def reschedule_booking(self, caller: Caller | None, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(dto.RESCHEDULE_BOOKING, body)
        if errors:
            raise validation_failed(errors)
        old = self.booking(uid)
        if old.status in ("cancelled", "rejected") or old.rescheduled_to:
            raise bad_request(
                f"Can't reschedule booking with uid={uid} because it has been cancelled"
            )
        et = self.store.event_types[old.event_type_id]
        user = self.store.users[old.user_id]
        start = self._start(clean["start"])
        end = start + (old.end - old.start)
        ev = self._google_of(old)
        self._check_slot(user, start, end, ev.provider_event_id if ev else None)
        now = self.now().replace(microsecond=0)
        new_uid = booking_uid()
        new = replace(
            old,
            id=self.store.next_id("booking"),
            uid=new_uid,
            start=start,
            end=end,
            created=now,
            updated=now,
            status="accepted",
            rescheduling_reason=clean.get("reschedulingReason"),
            rescheduled_by=clean.get("rescheduledBy") or (caller.user.email if caller else None),
            rescheduled_from=old.uid,
            rescheduled_to=None,
            cancellation_reason=None,
            cancelled_by=None,
        )
        with self.world.transaction():
            if ev is not None:  # the calendar event moves with the booking
                ev = self.world.update_event(ev.uid, start=start, end=end)
            self._book(new, et, user, ev)
            self.store.put_booking(
                replace(
                    old, status="cancelled", rescheduled_to=new_uid, updated=max(old.updated, now)
                )
            )
            self._announce("booking.rescheduled", old, new)
        return self.booking_json(new)

    def references(self, caller: Caller, uid: str, kind: str | None) -> list[dict[str, Any]]:
        b = self.store.bookings.get(uid)
        if b is None or b.user_id != caller.user.id:
            raise not_found(f"Booking with uid={uid} was not found in the database")
        if kind is not None and kind not in REFERENCE_TYPES:
            raise validation_failed(
                [
                    {
                        "target": {"type": kind},
                        "value": kind,
                        "property": "type",
                        "children": [],
                        "constraints": {
                            "isEnum": "type must be one of the following values: "
                            + ", ".join(REFERENCE_TYPES)
                        },
                    }
                ]
            )
        return [
            {
                "id": r.id,
                "type": r.type,
                "eventUid": r.event_uid,
                "destinationCalendarId": r.destination_calendar_id,
            }
            for r in self.store.references_of(uid)
            if kind is None or r.type == kind
        ]

    def list_bookings(self, caller: Caller, query: dict[str, Any]) -> dict[str, Any]:
        q, errors = _bookings_query(query)
        if errors:
            raise validation_failed(errors)
        me = caller.user
        now = self.now()
        mine = [
            b
            for b in self.store.bookings.values()
            if b.user_id == me.id or any(a.email.lower() == me.email.lower() for a in b.attendees)
        ]
        statuses = q.get("status") or []

        def status_ok(b: Booking) -> bool:
            if not statuses:
                return True
            live = b.status not in ("cancelled", "rejected")
            checks = {
                "upcoming": b.end >= now and live,
                "recurring": False,  # no recurring bookings in the fake
                "past": b.end <= now and live,
                "cancelled": not live,
                "unconfirmed": b.end >= now and b.status == "pending",
            }
            return any(checks[s] for s in statuses)

        def keep(b: Booking) -> bool:
            if not status_ok(b):
                return False
            if "attendeeEmail" in q and not any(
                a.email.lower() == q["attendeeEmail"].lower() for a in b.attendees
            ):
                return False
            if "attendeeName" in q and not any(
                q["attendeeName"].lower() in a.name.lower() for a in b.attendees
            ):
                return False
            if "bookingUid" in q and b.uid != q["bookingUid"]:
                return False
            if "eventTypeIds" in q and b.event_type_id not in q["eventTypeIds"]:
                return False
            if "teamIds" in q:
                return False  # the fake has no teams
            for name, attr, after in (
                ("afterStart", "start", True),
                ("beforeEnd", "end", False),
                ("afterCreatedAt", "created", True),
                ("beforeCreatedAt", "created", False),
                ("afterUpdatedAt", "updated", True),
                ("beforeUpdatedAt", "updated", False),
            ):
                if name in q:
                    value = getattr(b, attr)
                    if (after and value < q[name]) or (not after and value > q[name]):
                        return False
            return True

        found = [b for b in mine if keep(b)]
        found.sort(key=lambda b: (b.start, b.id))
        for name, attr in (
            ("sortUpdatedAt", "updated"),
            ("sortCreated", "created"),
            ("sortEnd", "end"),
            ("sortStart", "start"),
        ):
            if name in q:  # the last sort applied wins ties least: sortStart is the primary key
                found.sort(key=lambda b, a=attr: getattr(b, a), reverse=q[name] == "desc")
        take, skip = q.get("take", 100), q.get("skip", 0)
        page = found[skip : skip + take]
        total = len(found)
        return {
            "status": "success",
            "data": [self.booking_json(b) for b in page],
            "pagination": {
                "totalItems": total,
                "remainingItems": max(0, total - skip - len(page)),
                "returnedItems": len(page),
                "itemsPerPage": take,
                "currentPage": skip // take + 1,
                "totalPages": math.ceil(total / take),
                "hasNextPage": skip + take < total,
                "hasPreviousPage": skip > 0,
            },
        }


def _error(query: dict[str, Any], name: str, key: str, message: str) -> dict[str, Any]:
    return {
        "target": {k: v[-1] if len(v) == 1 else v for k, v in query.items()},
        "value": query[name][-1] if len(query[name]) == 1 else query[name],
        "property": name,
        "children": [],
        "constraints": {key: message},
    }


def _bookings_query(raw: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """GET /v2/bookings query parameters, transformed and validated as the 2024-08-13 DTO does
    (comma-separated lists, numbers from strings)."""
    q: dict[str, Any] = {}
    errors = []
    if "status" in raw:
        values = [s for part in raw["status"] for s in part.split(",") if s]
        if any(s not in BOOKING_FILTERS for s in values):
            errors.append(
                _error(
                    raw,
                    "status",
                    "isEnum",
                    "each value in status must be one of the following values: "
                    + ", ".join(BOOKING_FILTERS),
                )
            )
        q["status"] = values
    for name in ("attendeeEmail", "attendeeName", "bookingUid"):
        if name in raw:
            q[name] = raw[name][-1]
    ids: list[int] = []
    for name in ("eventTypeIds", "eventTypeId"):
        if name in raw:
            parts = [p.strip() for v in raw[name] for p in v.split(",")]
            if not all(p.isascii() and p.isdigit() for p in parts):
                errors.append(_error(raw, name, "isNumber", f"{name} must be a number"))
            else:
                ids += [int(p) for p in parts]
    if "eventTypeIds" in raw or "eventTypeId" in raw:
        q["eventTypeIds"] = ids
    if "teamsIds" in raw or "teamId" in raw:
        q["teamIds"] = True
    for name in (
        "afterStart",
        "beforeEnd",
        "afterCreatedAt",
        "beforeCreatedAt",
        "afterUpdatedAt",
        "beforeUpdatedAt",
    ):
        if name in raw:
            value = raw[name][-1]
            when = iso_instant(value) if dto.is_iso8601(value) else None
            if when is None:
                errors.append(
                    _error(
                        raw, name, "isDateString", f"{name} must be a valid ISO 8601 date string"
                    )
                )
            else:
                q[name] = when
    for name in ("sortStart", "sortEnd", "sortCreated", "sortUpdatedAt"):
        if name in raw:
            value = raw[name][-1]
            if value not in ("asc", "desc"):
                errors.append(
                    _error(
                        raw,
                        name,
                        "isEnum",
                        f"{name} must be one of the following values: asc, desc",
                    )
                )
            q[name] = value
    for name, lo, hi in (("take", 1, MAX_TAKE), ("skip", 0, None)):
        if name in raw:
            text = raw[name][-1]
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or not number.is_integer():
                errors.append(
                    _error(
                        raw,
                        name,
                        "isNumber",
                        f"{name} must be a number conforming to the specified constraints",
                    )
                )
            elif number < lo:
                errors.append(_error(raw, name, "min", f"{name} must not be less than {lo}"))
            elif hi is not None and number > hi:
                errors.append(_error(raw, name, "max", f"{name} must not be greater than {hi}"))
            else:
                q[name] = int(number)
    return q, errors
