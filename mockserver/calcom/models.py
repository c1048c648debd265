"""The Cal.com backend: every rule of reference/calcom.md the fake enforces, on the shared world.
Handlers in responses.py parse HTTP and call one method here; wire.py renders."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockserver.calcom import dto, wire
from mockserver.calcom.exceptions import (
    EXPIRED_API_KEY,
    INVALID_ACCESS_TOKEN,
    NO_AUTH,
    Crash,
    bad_request,
    not_found,
    throttled,
    token_expired,
    unauthorized,
    validation_failed,
)
from mockserver.calcom.oss2026 import Oss2026
from mockserver.calcom.store import (
    REFERENCE_TYPES,
    Attendee,
    Booking,
    CalcomStore,
    Credential,
    EventType,
    Reference,
    User,
    booking_uid,
    create_event,
    default_title,
    google_id,
    location_string,
    replace,
)
from mockserver.core.index import Window
from mockserver.core.models import Calendar, Event
from mockserver.core.ratelimit import Budget, RateLimiter
from mockserver.core.timeutil import day_start, instant, parse_date, parse_time, zone
from mockserver.core.world import World
from mockserver.settings import CalcomSettings

BOOKING_VERSION = "2024-08-13"
BOOKING_FILTERS = ("upcoming", "recurring", "past", "cancelled", "unconfirmed")
MAX_TAKE = 250


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    kind: str  # "api_key" | "access_token"


def _iso(value: Any) -> datetime | None:
    """A validated ISO 8601 string as an instant (dates at UTC midnight); None if Python cannot
    place it (week dates and the like pass class-validator but are not worth emulating)."""
    try:
        if len(value) == 10:
            return day_start(parse_date(value), "UTC")
        return parse_time(value).aware("UTC")
    except (ValueError, TypeError):
        return None


class CalcomBackend:
    def __init__(self, world: World, store: CalcomStore, settings: CalcomSettings) -> None:
        self.world = world
        self.store = store
        self.settings = settings
        self.limiter = RateLimiter(world.clock.monotonic)
        self.oss = Oss2026(self)  # the 2026 open-source routes (profile "oss-2026")

    def now(self) -> datetime:
        return self.world.clock.now()

    def timestamp(self) -> str:
        return wire.iso_ms(self.now())

    # -- throttler guard, then ApiAuthGuard (§1.7: that order, before anything else) --------

    def guard(
        self, authorization: str | None, client: str, required: bool, headers: dict[str, str]
    ) -> Caller | None:
        """Rate-limit headers go into `headers` (they stay on whatever answer follows)."""
        # The strategy strips the first literal "Bearer " (case-sensitive); no scheme works too.
        token = authorization.replace("Bearer ", "", 1) if authorization else ""
        s = self.settings
        key = None
        if token.startswith("cal_"):
            key = self.store.api_keys.get(token)
            if key is None:  # the throttler looks the key up first and refuses it
                raise unauthorized(s.unknown_api_key_message)
            tracker, limit = f"key:{token}", s.api_key_limit
        elif token:
            tracker, limit = f"token:{token}", s.access_token_limit
        else:
            tracker, limit = f"ip:{client}", s.anonymous_limit
        if s.rate_limit:
            verdict = self.limiter.hit(tracker, (Budget(limit, float(s.rate_window)),))
            headers["X-RateLimit-Limit-Default"] = str(limit)
            headers["X-RateLimit-Remaining-Default"] = str(
                verdict.remaining if verdict.allowed else 0
            )
            headers["X-RateLimit-Reset-Default"] = str(math.ceil(verdict.reset_in))
            if not verdict.allowed:
                raise throttled()
        if not token:
            if required:
                raise unauthorized(NO_AUTH)
            return None
        now = self.now()
        if key is not None:
            if key.expires_at is not None and key.expires_at.date() < now.date():
                raise unauthorized(EXPIRED_API_KEY)  # compared by day
            return Caller(self.store.users[key.user_id], "api_key")
        tok = self.store.tokens.get(token)
        if tok is None:
            raise unauthorized(INVALID_ACCESS_TOKEN)
        if tok.expires_at is not None and tok.expires_at <= now:
            raise token_expired()
        return Caller(self.store.users[tok.user_id], "access_token")

    # -- unified calendar events (§1.3, §1.4) ------------------------------------------------

    def _reference(self, caller: Caller, event_uid: str) -> Reference:
        """The booking reference whose uid is `event_uid`. The real API does not check the
        caller (an IDOR, §1.3); the fake scopes to the booking's host unless told not to."""
        for ref in self.store.references_by_event_uid(event_uid):
            booking = self.store.bookings.get(ref.booking_uid)
            if booking is None:
                continue
            if self.settings.scope_events_to_caller and booking.user_id != caller.user.id:
                continue
            return ref
        raise not_found("Booking reference not found")

    def _google_event(self, ref: Reference, failure: str) -> tuple[Event, Calendar]:
        cred = self.store.credentials.get(ref.credential_id) if ref.credential_id else None
        prof = self.world.profiles.get(cred.profile_id) if cred else None
        if cred is None or cred.invalid or prof is None or not prof.connected:
            raise unauthorized("No valid credentials available for Google Calendar")
        cal = self._calendar_by_google_id(prof.id, ref.destination_calendar_id)
        ev = self.world.event_by_provider_id(ref.event_uid)
        if cal is None or ev is None or ev.deleted or ev.calendar_id != cal.id or cal.deleted:
            raise not_found(failure)  # what every Google failure becomes (§1.7)
        return ev, cal

    def _calendar_by_google_id(self, profile_id: str, google: str | None) -> Calendar | None:
        """`externalCalendarId ?? "primary"` inside one Google account."""
        for cal in self.world.calendars.values():
            if cal.profile_id != profile_id:
                continue
            if (google in (None, "primary") and cal.primary) or google_id(cal) == google:
                return cal
        return None

    def _render(self, ev: Event, cal: Calendar) -> dict[str, Any]:
        owner = self.world.account_of_calendar(cal.id)
        assert owner is not None
        return wire.unified_event(ev, owner, self.settings.owner_name_key)

    def get_calendar_event(self, caller: Caller, calendar: str, event_uid: str) -> dict[str, Any]:
        if calendar != "google":
            raise bad_request("Meeting details are currently only available for Google Calendar")
        ref = self._reference(caller, event_uid)
        ev, cal = self._google_event(ref, "Failed to retrieve meeting details")
        return self._render(ev, cal)

    def update_calendar_event(
        self, caller: Caller, calendar: str, event_uid: str, body: Any
    ) -> dict[str, Any]:
        clean, errors = dto.validate(dto.UPDATE_EVENT, body)
        if errors:  # the ValidationPipe runs before the handler's calendar check (rule 11)
            raise validation_failed(errors)
        if calendar != "google":
            raise bad_request("Event updates are currently only available for Google Calendar")
        ref = self._reference(caller, event_uid)
        ev, cal = self._google_event(ref, "Failed to update meeting details")
        return self._apply_patch(ev, cal, clean)

    def _apply_patch(self, ev: Event, cal: Calendar, clean: dict[str, Any]) -> dict[str, Any]:
        if (
            "attendees" in clean
            and clean["attendees"] is None
            and self.settings.null_attendees_crash
        ):
            raise Crash("attendees.map is not a function")  # the input pipe, code-derived
        try:
            changes = wire.patch_changes(clean, ev)
        except wire.GoogleRejects as exc:
            raise not_found("Failed to update meeting details") from exc
        if changes:
            with self.world.transaction():
                ev = self.world.update_event(ev.uid, **changes)
        return self._render(ev, cal)

    # -- me, calendars, busy times -----------------------------------------------------------

    def me(self, caller: Caller) -> dict[str, Any]:
        return wire.me_json(caller.user)

    def _google_calendars(self, cred: Credential) -> list[Calendar]:
        return [
            c
            for c in self.world.calendars.values()
            if c.profile_id == cred.profile_id and not c.deleted
        ]

    def calendars(self, caller: Caller) -> dict[str, Any]:
        user = caller.user
        connected = [
            wire.connected_calendar(cred, self._google_calendars(cred), self._profile_email(cred))
            for cred in self.store.credentials_of(user.id)
        ]
        dest = self.store.destination(user, self.world)
        cred = self.store.credential_for(user, dest)
        return {
            "connectedCalendars": connected,
            "destinationCalendar": wire.destination_json(user, dest, cred),
        }

    def _profile_email(self, cred: Credential) -> str:
        prof = self.world.profiles.get(cred.profile_id)
        return prof.name if prof else ""

    def busy_times(self, caller: Caller, query: dict[str, Any]) -> list[dict[str, Any]]:
        tz = query.get("timeZone") or query.get("loggedInUsersTz")
        loads = query.get("calendarsToLoad")
        errors = []
        if not isinstance(tz, str) or not tz:
            errors.append(
                {
                    "target": query,
                    "property": "loggedInUsersTz",
                    "children": [],
                    "constraints": {"isString": "loggedInUsersTz must be a string"},
                }
            )
        for name in ("dateFrom", "dateTo"):
            if name in query and not dto.is_iso8601(query[name]):
                errors.append(
                    {
                        "target": query,
                        "value": query[name],
                        "property": name,
                        "children": [],
                        "constraints": {
                            "isDateString": f"{name} must be a valid ISO 8601 date string"
                        },
                    }
                )
        if errors:
            raise validation_failed(errors)
        zone_name = tz if tz and _is_zone(tz) else "UTC"
        today = self.now().astimezone(zone(zone_name)).date()
        lo = _day_or_time(query.get("dateFrom"), zone_name) or day_start(today, zone_name)
        hi = _day_or_time(query.get("dateTo"), zone_name, end=True) or day_start(
            today + timedelta(days=1), zone_name
        )
        calendars: list[str] = []
        wanted = (
            loads.values() if isinstance(loads, dict) else loads if isinstance(loads, list) else []
        )
        for item in wanted:
            if not isinstance(item, dict):
                continue
            cred_id = str(item.get("credentialId", ""))
            cred = next(
                (c for c in self.store.credentials_of(caller.user.id) if str(c.id) == cred_id), None
            )
            if cred is None:
                continue  # the user's own credentials only
            for cal in self._google_calendars(cred):
                if google_id(cal) == item.get("externalId"):
                    calendars.append(cal.id)
        return [
            {"start": wire.iso_ms(s), "end": wire.iso_ms(e)}
            for s, e in self.busy(calendars, lo, hi, zone_name)
        ]

    def busy(
        self, calendar_ids: list[str], lo: datetime, hi: datetime, tzid: str
    ) -> list[tuple[datetime, datetime]]:
        """Busy intervals of these calendars inside [lo, hi): opaque, not cancelled, expanded."""
        window = Window(lo, hi, tzid)
        sources = self.world.sources(calendar_ids, window, include=lambda app, deleted: not deleted)
        out = []
        for _, occ in self.world.scan(sources):
            ev = occ.event
            if ev.transparency != "opaque" or ev.status == "cancelled":
                continue
            start, end = instant(occ.start, tzid), instant(occ.end, tzid)
            if end <= lo or start >= hi:
                continue
            out.append((start, end))
        return sorted(out)

    # -- bookings (2024-08-13) ---------------------------------------------------------------

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
        start = _iso(value)
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
        for s, e in self.busy(calendars, start, end, "UTC"):
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
            description=str(responses.get("notes", "")),
            attendees=(attendee,),
            guests=tuple(clean.get("guests") or ()),
            location=location_string(et, uid),
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
        with self.world.transaction():
            if ev is not None:  # Cal.com deletes the calendar event of a cancelled booking
                self.world.delete_event(ev.uid)
        b = replace(
            b,
            status="cancelled",
            cancellation_reason=clean.get("cancellationReason"),
            cancelled_by=caller.user.email if caller else None,
            updated=max(b.updated, self.now().replace(microsecond=0)),
        )
        self.store.put_booking(b)
        return self.booking_json(b)

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
        if ev is not None:  # the calendar event moves with the booking
            with self.world.transaction():
                ev = self.world.update_event(ev.uid, start=start, end=end)
        self._book(new, et, user, ev)
        self.store.put_booking(
            replace(old, status="cancelled", rescheduled_to=new_uid, updated=max(old.updated, now))
        )
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


def _is_zone(tz: str) -> bool:
    try:
        zone(tz)
    except ValueError:
        return False
    return True


def _day_or_time(value: Any, tzid: str, end: bool = False) -> datetime | None:
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        try:
            day = parse_date(value)
        except ValueError:
            return None
        return day_start(day + timedelta(days=1) if end else day, tzid)
    return _iso(value)


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
            when = _iso(value) if dto.is_iso8601(value) else None
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
