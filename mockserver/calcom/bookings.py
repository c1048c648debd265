"""Cal.com bookings (cal-api-version 2024-08-13): create (checked against availability; series
for recurring types, seats for seated ones), get, cancel, reschedule, references, and the Google
event each one puts in its host's calendar (booking_content.py); the list is booking_list.py.
The handlers in responses.py call `CalcomBackend.bookings`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from mockserver.calcom import booking_fields, booking_list, pipes, wire
from mockserver.calcom.availability import Ask, span
from mockserver.calcom.booking_content import check_responses, create_event, default_title
from mockserver.calcom.exceptions import CalcomError, bad_request, not_found, validation_failed
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
from mockserver.core.models import Attendee as CoreAttendee
from mockserver.core.models import Event
from mockserver.core.timeutil import zone
from mockserver.core.world import World

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller

# booking transitions (Bookings.save) -> the change-feed kind announced
ANNOUNCED = {
    "created": "booking.created",
    "cancelled": "booking.cancelled",
    "rescheduled": "booking.rescheduled",
    "confirmed": "booking.confirmed",
    "rejected": "booking.rejected",
}

OUT_OF_BOUNDS = (
    "The event type can't be booked at the \"start\" time provided. This could be because it's "
    "too soon (violating the minimum booking notice) or too far in the future (outside the "
    "event's scheduling window). Try fetching available slots first using the GET /v2/slots "
    'endpoint and then make a booking with "start" time equal to one of the available slots: '
    "https://cal.com/docs/api-reference/v2/slots"
)
UNAVAILABLE = "User either already has booking at this time or is not available"
# booking transitions (Bookings.save) -> the change-feed kind announced
ANNOUNCED = {
    "created": "booking.created",
    "cancelled": "booking.cancelled",
    "rescheduled": "booking.rescheduled",
    "confirmed": "booking.confirmed",
    "rejected": "booking.rejected",
}


class Bookings:
    """Bookings 2024-08-13 on the backend's world and store: create (checked against the host's
    availability, recurring types as series), list, get, cancel, reschedule, references.
    Every booking state change goes through `save()`."""

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

    def stamp(self) -> datetime:
        """Now at JavaScript Date precision: createdAt / updatedAt of what a request writes."""
        return wire.to_ms(self.now())

    def save(self, booking: Booking, change: str) -> Booking:
        """The one place a booking is written. `change` names the transition: created,
        cancelled, rescheduled, confirmed, rejected, superseded (the old booking of a
        reschedule), updated (absent, guests, location). Each but superseded and updated goes
        on the change feed, in the request's transaction: Cal.com's webhooks come from there."""
        before = self.store.bookings.get(booking.uid)
        self.store.put_booking(booking)
        kind = ANNOUNCED.get(change)
        if change == "created" and booking.status == "pending":
            kind = "booking.requested"
        if change == "rescheduled" and booking.rescheduled_from:
            before = self.store.bookings.get(booking.rescheduled_from)
        if kind is not None:
            self._announce(kind, before, booking)
        return booking

    def booking(self, uid: str) -> Booking:
        b = self.store.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid={uid} was not found in the database")
        return b

    def booking_json(self, b: Booking) -> dict[str, Any]:
        return wire.booking_json(b, self.store)

    def get(self, uid: str) -> dict[str, Any] | list[dict[str, Any]]:
        """A booking; a recurring series' uid answers the whole series (S-K46)."""
        if uid not in self.store.bookings:
            series = self.store.series(uid)
            if series:
                return [self.booking_json(b) for b in series]
        return self.booking_json(self.booking(uid))

    def _event_type(self, body: dict[str, Any]) -> EventType:
        """getBookedEventType, then ErrorsBookingsService.handleEventTypeToBeBookedNotFound
        (apps/api/v2/src/ee/bookings/2024-08-13/services/errors.service.ts)."""
        slug, username, team = body.get("eventTypeSlug"), body.get("username"), body.get("teamSlug")
        org = body.get("organizationSlug")
        if body.get("eventTypeId"):
            et = self.be.event_types.visible(int(body["eventTypeId"]))
            if et is not None:
                return et
        elif username and slug:
            user = self.store.user_by_username(username)
            if user is None or org:  # the fake has no organizations
                raise not_found(f"User with username {username} not found")
            for et in self.store.event_types_of(user.id):
                if et.slug == slug and not et.deleted:
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

    def _length(self, et: EventType, asked: Any) -> int:
        if asked is None:
            return et.length
        if not et.length_options:
            raise bad_request(
                "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request."
            )
        if int(asked) not in et.length_options:
            raise bad_request(
                "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. The possible lengths are: "
                + ", ".join(map(str, et.length_options))
            )
        return int(asked)

    def check_slot(
        self, et: EventType, start: datetime, length: int, ignore: str | None = None
    ) -> None:
        """What handleNewBooking refuses: a start in the past, one outside minimum notice or the
        booking window, one the host is not free for (working hours, busy calendars, bookings,
        reservations, buffers; S-K40, S-K41). The start need not be on the slot grid (S-K42)."""
        if start < self.now():
            raise bad_request("Attempting to book a meeting in the past.")
        if not self.settings.refuse_conflicting_bookings:
            return
        avail = self.be.availability
        if not avail.in_bounds(et, start):
            raise bad_request(OUT_OF_BOUNDS)
        if not avail.free(Ask(et, length, ignore, reservations=False), start):
            raise bad_request(UNAVAILABLE)  # errors.service.ts: no_available_users_found_error

    def create_booking(self, caller: Caller | None, body: Any) -> Any:
        """The booking pipe, then the input service (event type, length, location), then
        handleNewBooking (the responses check, the past, availability)."""
        clean = pipes.create_body(body)
        et = self._event_type(clean)
        user = self.store.users[et.user_id]
        # hasRequiredBookingFieldsResponses runs before the input service
        check_responses(et, clean.get("bookingFieldsResponses") or {})
        length = self._length(et, clean.get("lengthInMinutes"))
        booking_location(clean, et, "")  # a location the type does not offer: 400 before writes
        # an array passes @ValidateNested (each item is checked); then nothing is read from it
        a = clean["attendee"] if isinstance(clean["attendee"], dict) else {}
        booking_fields.check(a, list(clean.get("guests") or ()))
        start = self._start(clean["start"])
        attendee = Attendee(
            a["name"],
            a.get("email") or "",
            a["timeZone"],
            a.get("language") or "en",
            phone_number=a.get("phoneNumber") or None,
            seat_uid=str(uuid.uuid4()) if et.seats else None,
            responses=dict(clean.get("bookingFieldsResponses") or {}) if et.seats else {},
        )
        if et.seats:
            taken = self._seated_at(et, start)
            if taken is not None:  # a later seat joins the booking; only the first is checked
                return self._take_seat(taken, et, attendee, clean)
        starts = [start]
        if et.recurrence:
            starts = self._occurrences(et, start, attendee.time_zone, clean.get("recurrenceCount"))
        claimed = self.be.slots.claim(et, start, start + span(length), clean.get("reservedSlotUid"))
        checked = (
            starts[: max(1, self.settings.recurring_slots_checked)] if et.recurrence else starts
        )
        for when in checked:
            self.check_slot(et, when, length)
        responses = dict(clean.get("bookingFieldsResponses") or {})
        series = booking_uid() if et.recurrence else None
        made = []
        with self.world.transaction():
            for when in starts:
                uid = booking_uid()
                now = self.stamp()
                booking = Booking(
                    id=self.store.next_id("booking"),
                    uid=uid,
                    user_id=user.id,
                    event_type_id=et.id,
                    title=default_title(et, user, (attendee,)),
                    start=when,
                    end=when + span(length),
                    created=now,
                    updated=now,
                    status="pending" if et.requires_confirmation else "accepted",
                    description=str(responses.get("notes", "")),
                    attendees=(attendee,),
                    guests=tuple(clean.get("guests") or ()),
                    location=booking_location(clean, et, uid),
                    metadata=dict(clean.get("metadata") or {}),
                    responses=responses,
                    recurring_uid=series,
                )
                made.append(self._book(booking, et, user))
        if claimed is not None:
            self.store.reservations.pop(claimed, None)
        if series is not None:
            return [self.booking_json(b) for b in made]
        if et.seats:
            return {**self.booking_json(made[0]), "seatUid": attendee.seat_uid}
        return self.booking_json(made[0])

    def _seated_at(self, et: EventType, start: datetime) -> Booking | None:
        return next(
            (
                b
                for b in self.store.bookings.values()
                if b.event_type_id == et.id and b.start == start and b.status == "accepted"
            ),
            None,
        )

    def _take_seat(
        self, b: Booking, et: EventType, attendee: Attendee, clean: dict[str, Any]
    ) -> dict[str, Any]:
        """Another attendee on a seated booking (409 when every seat is taken); they are
        invited to its calendar event too."""
        if len(b.attendees) >= (et.seats or 0):
            raise CalcomError(
                409, "ConflictException", "No more seats left at this seated booking."
            )
        ev = self.google_event_of(b)
        with self.world.transaction():
            if ev is not None:
                people = (
                    *ev.attendees,
                    CoreAttendee(attendee.email, attendee.name, "needs_action"),
                )
                self.world.update_event(ev.uid, attendees=people)
            b = self.save(
                replace(b, attendees=(*b.attendees, attendee), updated=self.stamp()), "updated"
            )
        return {**self.booking_json(b), "seatUid": attendee.seat_uid}

    def _occurrences(self, et: EventType, start: datetime, tzid: str, count: Any) -> list[datetime]:
        """A recurring type's series: `interval` weeks / months / years apart at the same wall
        time in the attendee's zone (S-K45)."""
        rec = et.recurrence or {}
        most = int(rec.get("occurrences", 1))
        if count is not None and int(count) > most:
            raise bad_request(
                "Provided recurrence count is higher than the event type's recurring event count."
            )
        n = int(count) if count is not None else most
        local = start.astimezone(zone(tzid))
        step = int(rec.get("interval", 1))
        out = []
        for k in range(max(1, n)):
            if rec.get("frequency") == "monthly":
                when = local + relativedelta(months=k * step)
            elif rec.get("frequency") == "yearly":
                when = local + relativedelta(years=k * step)
            else:
                when = local + relativedelta(weeks=k * step)
            out.append(when.replace(tzinfo=None).replace(tzinfo=zone(tzid)).astimezone(UTC))
        return out

    def _announce(self, kind: str, before: Booking | None, after: Booking) -> None:
        """A booking change on the change feed (webhooks are rendered from it)."""
        user = self.store.users[after.user_id]
        ev = self.google_event_of(after)
        self.world.changes.emit(
            kind,
            source="calcom",
            account_id=user.account_id,
            calendar_id=ev.calendar_id if ev else None,
            event_uid=ev.uid if ev else None,
            before=before,
            after=after,
        )

    def _book(
        self, booking: Booking, et: EventType, user: User, event: Event | None = None
    ) -> Booking:
        """Store the booking and its references; an accepted booking gets its Google event
        (unless given one). A pending one waits for confirmation."""
        self.save(booking, "created")
        if booking.status == "accepted":
            self.attach_event(booking, et, user, event)
        if booking.location == video_room(booking.uid):  # a Cal Video room: its daily reference
            self.store.add_reference(booking.uid, "daily_video", booking.uid, None, None)
        return booking

    def attach_event(
        self, booking: Booking, et: EventType, user: User, event: Event | None = None
    ) -> None:
        """Create the booking's Google event in the host's destination calendar (or take the
        one given) and its google_calendar reference."""
        cal = self.store.destination(user, self.world)
        cred = self.store.credential_for(user, cal)
        if event is None and cal is not None and cred is not None and not cal.readonly:
            with self.world.transaction():
                event = create_event(self.world, booking, et, user, cal)
        if event is not None:
            ev_cal = self.world.calendars[event.calendar_id]
            cred = self.store.credential_for(user, ev_cal)
            if cred is not None:
                self.store.add_reference(
                    booking.uid,
                    "google_calendar",
                    event.provider_event_id or "",
                    google_id(ev_cal),
                    cred.id,
                )

    def google_event_of(self, booking: Booking) -> Event | None:
        for ref in self.store.references_of(booking.uid):
            if ref.type == "google_calendar":
                ev = self.world.event_by_provider_id(ref.event_uid)
                if ev is not None and not ev.deleted:
                    return ev
        return None

    def _cancel(self, b: Booking, caller: Caller | None, reason: Any) -> Booking:
        ev = self.google_event_of(b)
        cancelled = replace(
            b,
            status="cancelled",
            cancellation_reason=reason,
            cancelled_by=caller.user.email if caller else None,
            updated=max(b.updated, self.stamp()),
        )
        with self.world.transaction():
            saved = self.save(cancelled, "cancelled")  # announced while its event still exists
            if ev is not None:  # Cal.com deletes the calendar event of a cancelled booking
                self.world.delete_event(ev.uid)
            return saved

    def _seat_owner(self, seat: str) -> Booking | None:
        return next(
            (
                b
                for b in self.store.bookings.values()
                if any(a.seat_uid == seat for a in b.attendees)
            ),
            None,
        )

    def cancel_booking(self, caller: Caller | None, uid: str, body: Any) -> Any:
        """BookingsService_2024_08_13.cancelBooking: a seated body's seat is checked first, then
        the booking (InputBookingsService.createCancelBookingRequest), then handleCancelBooking."""
        clean = pipes.cancel_body(body)
        seat = clean.get("seatUid")
        if seat is not None:
            owner = self._seat_owner(seat)
            if owner is None:
                raise bad_request(
                    "Invalid seatUid: this seat does not exist or has already been cancelled."
                )
            if owner.uid != uid:
                raise bad_request("Invalid seatUid: this seat does not belong to this booking.")
        reason = clean.get("cancellationReason")
        subsequent = clean.get("cancelSubsequentBookings") is True
        if uid not in self.store.bookings and self.store.series(uid):
            if subsequent:
                raise bad_request(
                    "Cannot cancel subsequent bookings for recurring event - you have to provide uid of one of the individual bookings of a recurring booking."
                )
            now = self.now()
            with self.world.transaction():  # the whole series from now on (S-K47)
                for b in self.store.series(uid):
                    if b.start > now and b.status not in ("cancelled", "rejected"):
                        self._cancel(b, caller, reason)
            return [self.booking_json(b) for b in self.store.series(uid)]
        b = self.store.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid={uid} not found")
        if b.status in ("cancelled", "rejected"):
            raise bad_request(
                f"Can't cancel booking with uid={uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled."
            )
        if seat is not None:  # the seated DTO has no reason: transformInputCancelSeatedBooking's ""
            return self._cancel_seat(b, seat, caller, "")
        if subsequent and b.recurring_uid is None:
            raise bad_request(f"Booking with bookingUid={uid} is not part of a recurring booking.")
        if subsequent:
            with self.world.transaction():
                for other in self.store.series(b.recurring_uid or ""):
                    if other.start >= b.start and other.status not in ("cancelled", "rejected"):
                        self._cancel(other, caller, reason)
            return [self.booking_json(x) for x in self.store.series(b.recurring_uid or "")]
        return self.booking_json(self._cancel(b, caller, reason))

    def _cancel_seat(
        self, b: Booking, seat: str, caller: Caller | None, reason: Any
    ) -> dict[str, Any]:
        """One attendee leaves a seated booking; the last one leaving cancels it."""
        left = tuple(a for a in b.attendees if a.seat_uid != seat)
        if len(left) == len(b.attendees):
            raise not_found(f"Seat with uid={seat} not found")
        if not left:
            return self.booking_json(self._cancel(b, caller, reason))
        gone = next(a for a in b.attendees if a.seat_uid == seat)
        ev = self.google_event_of(b)
        with self.world.transaction():
            if ev is not None:
                people = tuple(p for p in ev.attendees if p.email.lower() != gone.email.lower())
                self.world.update_event(ev.uid, attendees=people)
            b = self.save(replace(b, attendees=left, updated=self.stamp()), "updated")
        return self.booking_json(b)

    def reschedule_booking(self, caller: Caller | None, uid: str, body: Any) -> dict[str, Any]:
        """BookingsService_2024_08_13.rescheduleBooking: the booking must exist, a seated body
        needs its seat (one seat moving on its own is not emulated: the booking moves), and
        canRescheduleBooking refuses a cancelled booking."""
        clean = pipes.reschedule_body(body)
        old = self.booking(uid)
        if "seatUid" in clean and self._seat_owner(clean["seatUid"]) is None:
            raise not_found(f"Seat with uid={clean['seatUid']} does not exist.")
        if old.status == "cancelled" and old.rescheduled_to:
            raise bad_request(
                f"Can't reschedule booking with uid={uid} because it has been cancelled and rescheduled already to booking with uid={old.rescheduled_to}. You probably want to reschedule {old.rescheduled_to} instead by passing it within the request URL."
            )
        if old.status == "cancelled":  # only CANCELLED: a rejected booking may be moved
            raise bad_request(
                f"Can't reschedule booking with uid={uid} because it has been cancelled. Please provide uid of a booking that is not cancelled."
            )
        et = self.store.event_types[old.event_type_id]
        user = self.store.users[old.user_id]
        start = self._start(clean["start"])
        end = start + span(et.length)  # the type's length, not the old booking's
        self.check_slot(et, start, et.length, old.uid)
        now = self.stamp()
        new_uid = booking_uid()
        new = replace(
            old,
            id=self.store.next_id("booking"),
            uid=new_uid,
            start=start,
            end=end,
            created=now,
            updated=now,
            rescheduling_reason=clean.get("reschedulingReason"),
            rescheduled_by=clean.get("rescheduledBy") or None,  # handleNewBooking: the body's only
            rescheduled_from=old.uid,
            rescheduled_to=None,
            cancellation_reason=None,
            cancelled_by=None,
        )
        if old.location == video_room(old.uid):  # a new Cal Video room for the new booking
            new = replace(new, location=video_room(new_uid))
        ev = self.google_event_of(old)
        with self.world.transaction():
            if ev is not None:  # the calendar event moves with the booking
                extra = {**ev.extra, "calcom_booking_uid": new_uid}
                ev = self.world.update_event(ev.uid, start=start, end=end, extra=extra)
            self.save(new, "rescheduled")
            if new.status == "accepted":
                self.attach_event(new, et, user, ev)
            if new.location == video_room(new.uid):
                self.store.add_reference(new.uid, "daily_video", new.uid, None, None)
            self.save(
                replace(
                    old,
                    status="cancelled",
                    rescheduled_to=new_uid,
                    # getRescheduledToInfo: the old booking shows who moved it
                    rescheduled_by=new.rescheduled_by,
                    updated=max(old.updated, now),
                ),
                "superseded",
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
        return booking_list.list_bookings(self, caller, query)
