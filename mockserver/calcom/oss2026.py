"""The 2026 open-source unified-calendar routes (reference/calcom.md §1.5; rules 35-37), served
only with `calcom.profile = "oss-2026"`: they are in the calcom 2026 controller and cal.diy, but
api.cal.com's documentation lists only GET and PATCH.

Unlike GET/PATCH `.../event(s)/{eventUid}`, these work on raw Google event ids (a core event's
provider_event_id) in the caller's own Google calendars, and they are scoped to the caller. An
event they create has no booking reference, so the booking-based GET cannot read it (rule 34)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.calcom import dto, wire
from mockserver.calcom.exceptions import (
    CalcomError,
    bad_request,
    not_found,
    unauthorized,
    validation_failed,
)
from mockserver.calcom.store import Credential, google_id
from mockserver.core.index import Window, instance_uid
from mockserver.core.models import Attendee, Calendar, Event, Person
from mockserver.core.timeutil import parse_date, parse_time

COMING_SOON = (
    "is currently only available for Google Calendar. Office 365 and Apple support is coming soon."
)


def _not_google(what: str) -> CalcomError:
    return bad_request(f"{what} {COMING_SOON}")


def _instant(value: str, end: bool) -> datetime:
    """A validated `from`/`to`: a date-only value covers the whole UTC day. A date the
    calendar cannot hold (February 30, a year outside timeutil's range) is refused like any
    other bad date, never a crash."""
    try:
        if len(value) == 10:
            day = parse_date(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) - timedelta(milliseconds=1) if end else start
        return parse_time(value).aware("UTC")
    except ValueError as exc:  # ISO 8601 forms Google would refuse (week dates...)
        raise bad_request(f"Invalid date: {value}") from exc


class Oss2026:
    def __init__(self, backend: Any) -> None:
        self.be = backend

    @property
    def world(self) -> Any:
        return self.be.world

    # -- whose Google account ----------------------------------------------------------------

    def _credential(self, caller: Any) -> Credential:
        creds = self.be.store.credentials_of(caller.user.id)
        if not creds:
            raise unauthorized("Google Calendar is not connected for this user")
        return self._usable(creds[0])

    def _usable(self, cred: Credential) -> Credential:
        prof = self.world.profiles.get(cred.profile_id)
        if cred.invalid or prof is None or not prof.connected:
            raise unauthorized("Google Calendar credentials are invalid. Please reconnect.")
        return cred

    def _connection(self, caller: Any, connection_id: str) -> Credential:
        if not (connection_id.isascii() and connection_id.isdigit()):
            raise bad_request("Invalid connectionId")
        cred = self.be.store.credentials.get(int(connection_id))
        if cred is None or cred.user_id != caller.user.id:
            raise not_found("Calendar connection not found")
        if cred.type != "google_calendar":
            raise bad_request("Only Google Calendar connections are supported")
        return self._usable(cred)

    def _calendar(self, cred: Credential, calendar_id: str | None, failure: str) -> Calendar:
        for cal in self.world.calendars.values():
            if cal.profile_id != cred.profile_id or cal.deleted:
                continue
            if (calendar_id in (None, "", "primary") and cal.primary) or google_id(
                cal
            ) == calendar_id:
                return cal
        raise not_found(failure)

    def _event(self, cal: Calendar, event_id: str, failure: str) -> Event:
        ev = self.world.event_by_provider_id(event_id)
        if ev is None or ev.calendar_id != cal.id or ev.deleted:
            raise not_found(failure)
        return ev

    def _render(self, ev: Event, cal: Calendar) -> dict[str, Any]:
        return self.be._render(ev, cal)

    @staticmethod
    def _query(query: dict[str, Any]) -> dict[str, Any]:
        clean, errors = dto.validate(dto.RANGE_QUERY, query)
        if errors:
            raise validation_failed(errors)
        return clean

    # -- the routes --------------------------------------------------------------------------

    def connections(self, caller: Any) -> dict[str, Any]:
        return {
            "connections": [
                {"connectionId": str(c.id), "type": "google", "email": None}
                for c in self.be.store.credentials_of(caller.user.id)
                if c.type == "google_calendar"
            ]
        }

    def delete(
        self,
        caller: Any,
        calendar: str,
        event_id: str,
        cred: Credential | None = None,
        calendar_id: str | None = None,
    ) -> None:
        if cred is None:
            if calendar != "google":
                raise _not_google("Delete event")
            cred = self._credential(caller)
        cal = self._calendar(cred, calendar_id, "Failed to delete event")
        ev = self.world.event_by_provider_id(event_id)
        if ev is None or ev.calendar_id != cal.id:
            raise not_found("Failed to delete event")
        if ev.deleted:  # Google answers 410 Gone; anything unmapped becomes a 500
            raise CalcomError(500, "InternalServerErrorException", "Failed to delete event")
        with self.world.transaction():
            self.world.delete_event(ev.uid)

    def list(
        self, caller: Any, calendar: str, query: dict[str, Any], cred: Credential | None = None
    ) -> list[dict[str, Any]]:
        q = self._query(query)
        if cred is None:
            if calendar != "google":
                raise _not_google("List events")
            cred = self._credential(caller)
        lo, hi = _instant(q["from"], False), _instant(q["to"], True)
        cal = self._calendar(cred, q.get("calendarId"), "Failed to list events")
        window = Window(lo, hi, "UTC")
        sources = self.world.sources([cal.id], window, include=lambda app, deleted: not deleted)
        out = []
        for _, occ in self.world.scan(sources):
            ev = occ.event
            if ev.status == "cancelled":
                continue
            data = self._render(ev, cal)
            if occ.is_instance:
                data["id"] = instance_uid(ev.provider_event_id or ev.uid, occ.start)
                data["start"] = wire.google_time(occ.start, ev.tzid)
                data["end"] = wire.google_time(occ.end, ev.end_tzid or ev.tzid)
            out.append(data)
        return out

    def create(
        self,
        caller: Any,
        calendar: str,
        body: Any,
        cred: Credential | None = None,
        calendar_id: str | None = None,
    ) -> dict[str, Any]:
        clean, errors = dto.validate(dto.CREATE_EVENT, body)
        if errors:
            raise validation_failed(errors)
        if cred is None:
            if calendar != "google":
                raise _not_google("Create event")
            cred = self._credential(caller)
        cal = self._calendar(cred, calendar_id, "Failed to create event")
        try:
            start, tzid = wire._when(clean["start"], "UTC")
            end, end_tzid = wire._when(clean["end"], tzid)
        except wire.GoogleRejects as exc:
            raise bad_request("Failed to create event") from exc
        if end < start:
            raise bad_request("Failed to create event")
        owner = self.world.account_of_calendar(cal.id)
        people = tuple(
            Attendee(a["email"], a.get("name") or None) for a in clean.get("attendees") or ()
        )
        with self.world.transaction():
            ev = self.world.create_event(
                cal.id,
                summary=clean["title"],
                description=clean.get("description") or "",
                start=start,
                end=end,
                tzid=tzid,
                end_tzid=end_tzid if end_tzid != tzid else None,
                attendees=people,
                organizer=Person(owner.email, owner.name),
                participation_status="accepted",
            )
        return self._render(ev, cal)

    def freebusy(
        self, caller: Any, calendar: str, query: dict[str, Any], cred: Credential | None = None
    ) -> list[dict[str, Any]]:
        q = self._query(query)
        if cred is None:
            if calendar != "google":
                raise _not_google("Free/busy")
            cred = self._credential(caller)
        lo, hi = _instant(q["from"], False), _instant(q["to"], True)
        if hi < lo:
            raise bad_request("'to' must not be before 'from'")
        busy = self.be.busy(list(cred.selected), lo, hi, "UTC")
        return [{"start": wire.iso_ms(s), "end": wire.iso_ms(e)} for s, e in busy]

    # -- connection-scoped ---------------------------------------------------------------------

    def connection_list(self, caller: Any, connection_id: str, query: dict[str, Any]) -> list:
        return self.list(caller, "google", query, self._connection(caller, connection_id))

    def connection_create(
        self, caller: Any, connection_id: str, body: Any, calendar_id: str | None
    ) -> dict[str, Any]:
        cred = self._connection(caller, connection_id)
        return self.create(caller, "google", body, cred, calendar_id)

    def connection_get(
        self, caller: Any, connection_id: str, event_id: str, calendar_id: str | None
    ) -> dict[str, Any]:
        cred = self._connection(caller, connection_id)
        cal = self._calendar(cred, calendar_id, "Failed to retrieve meeting details")
        return self._render(self._event(cal, event_id, "Failed to retrieve meeting details"), cal)

    def connection_update(
        self, caller: Any, connection_id: str, event_id: str, body: Any, calendar_id: str | None
    ) -> dict[str, Any]:
        clean, errors = dto.validate(dto.UPDATE_EVENT, body)
        if errors:
            raise validation_failed(errors)
        cred = self._connection(caller, connection_id)
        cal = self._calendar(cred, calendar_id, "Failed to update meeting details")
        ev = self._event(cal, event_id, "Failed to update meeting details")
        return self.be._apply_patch(ev, cal, clean)

    def connection_delete(
        self, caller: Any, connection_id: str, event_id: str, calendar_id: str | None
    ) -> None:
        cred = self._connection(caller, connection_id)
        self.delete(caller, "google", event_id, cred, calendar_id)

    def connection_freebusy(self, caller: Any, connection_id: str, query: dict[str, Any]) -> list:
        return self.freebusy(caller, "google", query, self._connection(caller, connection_id))
