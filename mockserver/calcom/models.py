"""The Cal.com backend: every rule of reference/calcom.md the fake enforces, on the shared world.
Handlers in responses.py parse HTTP and call one method here; wire.py renders."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockserver.calcom import dto, wire
from mockserver.calcom.availability import HostAvailability
from mockserver.calcom.bookings import Bookings
from mockserver.calcom.event_types import EventTypes
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
from mockserver.calcom.lifecycle import Lifecycle
from mockserver.calcom.me import update_me
from mockserver.calcom.oss2026 import Oss2026
from mockserver.calcom.schedules import Schedules
from mockserver.calcom.settings import CalcomSettings
from mockserver.calcom.slots import Slots
from mockserver.calcom.store import CalcomStore, Credential, Reference, User, google_id
from mockserver.calcom.webhooks import Webhooks
from mockserver.calcom.wire import iso_instant
from mockserver.core.busy import busy_blocks
from mockserver.core.changes import Actor, act_as
from mockserver.core.models import Calendar, Event
from mockserver.core.ratelimit import Budget, RateLimiter
from mockserver.core.timeutil import day_start, is_zone, parse_date, zone
from mockserver.core.world import World

BOOKING_VERSION = "2024-08-13"


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    kind: str  # "api_key" | "access_token"


class CalcomBackend:
    def __init__(self, world: World, store: CalcomStore, settings: CalcomSettings) -> None:
        self.world = world
        self.store = store
        self.settings = settings
        self.limiter = RateLimiter(world.clock.monotonic)
        self.oss = Oss2026(self)  # the 2026 open-source routes (profile "oss-2026")
        self.bookings = Bookings(self)  # bookings 2024-08-13 (bookings.py)
        self.lifecycle = Lifecycle(self.bookings)  # confirm, decline, absent, guests, ...
        self.event_types = EventTypes(self)  # event types 2024-06-14
        self.schedules = Schedules(self)  # schedules 2024-06-11
        self.slots = Slots(self)  # slots and reservations 2024-09-04
        self.availability = HostAvailability(self)  # the core engine, for slots and bookings
        self.webhooks = Webhooks(self)  # webhook CRUD (webhooks.py)

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
            act_as(Actor.app("calcom", "public"))  # a public booking page
            return None
        now = self.now()
        if key is not None:
            if key.expires_at is not None and key.expires_at.date() < now.date():
                raise unauthorized(EXPIRED_API_KEY)  # compared by day
            caller = Caller(self.store.users[key.user_id], "api_key")
        else:
            tok = self.store.tokens.get(token)
            if tok is None:
                raise unauthorized(INVALID_ACCESS_TOKEN)
            if tok.expires_at is not None and tok.expires_at <= now:
                raise token_expired()
            caller = Caller(self.store.users[tok.user_id], "access_token")
        # what this request changes is Cal.com's doing, on behalf of this user
        act_as(Actor.app("calcom", f"user:{caller.user.id}"))
        return caller

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
        return wire.me_json(self.store.users[caller.user.id])

    def update_me(self, caller: Caller, body: Any) -> dict[str, Any]:
        return wire.me_json(update_me(self.store, caller.user.id, body))

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
        zone_name = tz if tz and is_zone(tz) else "UTC"
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
        """Busy intervals of these calendars inside [lo, hi), series expanded: the core's busy
        predicate over the time index (core/busy.py), one interval per blocking event."""
        return sorted((s, e) for s, e, _ in busy_blocks(self.world, calendar_ids, lo, hi, tzid))


def _day_or_time(value: Any, tzid: str, end: bool = False) -> datetime | None:
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        try:
            day = parse_date(value)
        except ValueError:
            return None
        return day_start(day + timedelta(days=1) if end else day, tzid)
    return iso_instant(value)
