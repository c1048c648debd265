"""Cal.com bookings (cal-api-version 2024-08-13) and the Google event each one puts in its
host's calendar. The handlers in responses.py call `CalcomBackend.bookings`."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.calcom import booking_fields, bookings_query, pipes, wire
from mockserver.calcom.exceptions import bad_request, not_found, validation_failed
from mockserver.calcom.js import js_text
from mockserver.calcom.locations import booking_location, video_room
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

UNAVAILABLE = "User either already has booking at this time or is not available"


def default_title(et: EventType, user: User, attendees: tuple[Attendee, ...]) -> str:
    """Cal.com's default event name: `{Event type title} between {Organiser} and {Booker}`."""
    booker = attendees[0].name if attendees else "Guest"
    return f"{et.title} between {user.name} and {booker}"


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
    if booking.location.startswith("https://meet.google.com/"):  # a Meet link is a conference
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
        """getBookedEventType, then ErrorsBookingsService.handleEventTypeToBeBookedNotFound
        (apps/api/v2/src/ee/bookings/2024-08-13/services/errors.service.ts)."""
        slug, username, team = body.get("eventTypeSlug"), body.get("username"), body.get("teamSlug")
        org = body.get("organizationSlug")
        if body.get("eventTypeId"):
            et = self.store.event_types.get(body["eventTypeId"])
            if et is not None:
                return et
        elif username and slug:
            user = next((u for u in self.store.users.values() if u.username == username), None)
            if user is None or org:  # the fake has no organizations
                raise not_found(f"User with username {username} not found")
            for et in self.store.event_types.values():
                if et.slug == slug and et.user_id == user.id:
                    return et
        elif team and slug:
            raise not_found(f"Team with slug {team} not found")  # the fake has no teams
        if username and slug:
            within = f" within organization {org}" if org else ""
            raise not_found(
                f"Event type with slug {slug} belonging to user {username}{within} not found."
            )
        raise not_found(f"Event type with id {js_text(body.get('eventTypeId'))} not found.")

    def _start(self, value: str) -> datetime:
        start = iso_instant(value)
        if start is None:  # ISO 8601 forms Python cannot place (week dates...)
            raise bad_request("start property is wrong,start must be a valid ISO 8601 date string ")
        return wire.to_ms(start)

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
                # handleNewBooking's no_available_users_found_error, as errors.service.ts says it
                raise bad_request(UNAVAILABLE)

    def create_booking(self, caller: Caller | None, body: Any) -> dict[str, Any]:
        clean = pipes.create_body(body)
        et = self._event_type(clean)
        user = self.store.users[et.user_id]
        if clean.get("lengthInMinutes"):  # no event type of the fake has several lengths
            raise bad_request(
                "Can't specify 'lengthInMinutes' because event type does not have multiple "
                "possible lengths. Please, remove the 'lengthInMinutes' field from the request."
            )
        uid = booking_uid()
        location = booking_location(clean, et, uid)
        # an array passes @ValidateNested (each item is checked); then nothing is read from it
        a = clean["attendee"] if isinstance(clean["attendee"], dict) else {}
        guests = list(clean.get("guests") or ())
        booking_fields.check(a, guests)
        start = self._start(clean["start"])
        end = start + timedelta(minutes=et.length)
        self._check_slot(user, start, end, None)
        attendee = Attendee(
            a["name"],
            a.get("email") or "",
            a["timeZone"],
            a.get("language") or "en",
            phone_number=a.get("phoneNumber") or None,
        )
        responses = dict(clean.get("bookingFieldsResponses") or {})
        now = wire.to_ms(self.now())
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
            description=str(responses.get("notes", "")),
            attendees=(attendee,),
            guests=tuple(guests),
            location=location,
            metadata=dict(clean.get("metadata") or {}),
            responses=responses,
        )
        self._book(booking, et, user)
        return self.booking_json(booking)

    def _book(
        self, booking: Booking, et: EventType, user: User, event: Event | None = None
    ) -> None:
        """Store the booking and its references; create its Google event unless given one."""
        cal = self.store.destination(user, self.world)
        cred = self.store.credential_for(user, cal)
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
        if booking.location == video_room(booking.uid):  # a Cal Video room: its daily reference
            self.store.add_reference(booking.uid, "daily_video", booking.uid, None, None)

    def _google_of(self, booking: Booking) -> Event | None:
        for ref in self.store.references_of(booking.uid):
            if ref.type == "google_calendar":
                ev = self.world.event_by_provider_id(ref.event_uid)
                if ev is not None and not ev.deleted:
                    return ev
        return None

    def cancel_booking(self, caller: Caller | None, uid: str, body: Any) -> dict[str, Any]:
        """BookingsService_2024_08_13.cancelBooking: a seated cancel needs the seat (the fake
        has none), then the booking (InputBookingsService.createCancelBookingRequest)."""
        clean = pipes.cancel_body(body)
        if "seatUid" in clean:
            raise bad_request(
                "Invalid seatUid: this seat does not exist or has already been cancelled."
            )
        b = self.store.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid={uid} not found")
        if b.status in ("cancelled", "rejected"):
            raise bad_request("This booking has already been cancelled.")
        ev = self._google_of(b)
        with self.world.transaction():
            if ev is not None:  # Cal.com deletes the calendar event of a cancelled booking
                self.world.delete_event(ev.uid)
        b = replace(
            b,
            status="cancelled",
            cancellation_reason=clean.get("cancellationReason"),
            cancelled_by=caller.user.email if caller else None,
            updated=max(b.updated, wire.to_ms(self.now())),
        )
        self.store.put_booking(b)
        return self.booking_json(b)

    def reschedule_booking(self, caller: Caller | None, uid: str, body: Any) -> dict[str, Any]:
        """BookingsService_2024_08_13.rescheduleBooking: the booking must exist, a seated body
        needs its seat, and canRescheduleBooking refuses a cancelled booking."""
        clean = pipes.reschedule_body(body)
        old = self.booking(uid)
        if "seatUid" in clean:
            raise not_found(f"Seat with uid={clean['seatUid']} does not exist.")
        if old.status == "cancelled" and old.rescheduled_to:
            to = old.rescheduled_to
            raise bad_request(
                f"Can't reschedule booking with uid={uid} because it has been cancelled and "
                f"rescheduled already to booking with uid={to}. You probably want to "
                f"reschedule {to} instead by passing it within the request URL."
            )
        if old.status == "cancelled":
            raise bad_request(
                f"Can't reschedule booking with uid={uid} because it has been cancelled. "
                "Please provide uid of a booking that is not cancelled."
            )
        et = self.store.event_types[old.event_type_id]
        user = self.store.users[old.user_id]
        start = self._start(clean["start"])
        end = start + (old.end - old.start)
        ev = self._google_of(old)
        self._check_slot(user, start, end, ev.provider_event_id if ev else None)
        now = wire.to_ms(self.now())
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
            rescheduled_by=clean.get("rescheduledBy") or None,  # handleNewBooking: the body's only
            rescheduled_from=old.uid,
            rescheduled_to=None,
            cancellation_reason=None,
            cancelled_by=None,
        )
        if ev is not None:  # the calendar event moves with the booking
            with self.world.transaction():
                ev = self.world.update_event(ev.uid, start=start, end=end)
        self._book(new, et, user, ev)
        self.store.put_booking(
            replace(
                old,
                status="cancelled",
                rescheduled_to=new_uid,
                # getRescheduledToInfo: the old booking shows who moved it
                rescheduled_by=new.rescheduled_by,
                updated=max(old.updated, now),
            )
        )
        return self.booking_json(new)

    def references(self, caller: Caller, uid: str, kind: str | None) -> list[dict[str, Any]]:
        """The filter is validated first (the global ValidationPipe), then the booking:
        BookingReferencesService_2024_08_13.getBookingReferences
        (apps/api/v2/src/ee/bookings/2024-08-13/services/booking-references.service.ts)."""
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
        b = self.store.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid {uid} not found")
        if b.user_id != caller.user.id:
            raise bad_request(f"Booking with uid {uid} does not belong to user")
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
        q, errors = bookings_query.read(query)
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
