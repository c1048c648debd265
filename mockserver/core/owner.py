"""The calendar owner's own edits: what the person does in Google or Outlook directly, not through
any application. Every dialect shows the result, and, unlike an application's own API writes,
the change notifies the applications subscribed to that calendar (the change feed's actor is
`OWNER`). Served over HTTP by mockserver/control/owner.py (`/_mock/owner/...`) and reachable in
Python as `state.owner` (`state.owner.move_event(uid, "today+1dT15:00")`).

Events are named by their uid or by the backing calendar's own id (`provider_event_id`: what
Cal.com references and Truto show). Times are datetimes, dates, or the strings world files take
(`2026-03-01T10:00:00Z`, `today+1dT09:30`, `now+2h`), read in the event's zone."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from mockserver.core import ids
from mockserver.core.changes import OWNER, acting
from mockserver.core.models import Attendee, Calendar, Event, Person, Profile
from mockserver.core.timeutil import is_zone, zone
from mockserver.core.world import World

STATUSES = ("accepted", "declined", "tentative", "needs_action")
EDITABLE = frozenset(
    {
        "summary",
        "description",
        "start",
        "end",
        "tzid",
        "location",
        "transparency",
        "status",
        "visibility",
        "attendees",
        "url",
    }
)


class OwnerError(ValueError):
    """An owner edit that cannot be made: `status` is the control plane's answer (400/404/409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


When = datetime | date | str


class Owner:
    def __init__(self, world: Callable[[], World]) -> None:
        self._world = world

    @property
    def world(self) -> World:
        return self._world()

    # -- lookups -------------------------------------------------------------------------

    def event(self, ident: str) -> Event:
        w = self.world
        ev = w.events.get(ident) or w.event_by_provider_id(ident)
        if ev is None:
            raise OwnerError(404, f"no event {ident!r}")
        return ev

    def _calendar(self, calendar_id: str, *, writable: bool = True) -> Calendar:
        cal = self.world.calendars.get(calendar_id)
        if cal is None:
            raise OwnerError(404, f"no calendar {calendar_id!r}")
        if writable and cal.deleted:
            raise OwnerError(409, f"calendar {calendar_id!r} is deleted")
        if writable and cal.readonly:
            raise OwnerError(409, f"calendar {calendar_id!r} is read-only (a subscription)")
        return cal

    def _profile(self, profile_id: str) -> Profile:
        prof = self.world.profiles.get(profile_id)
        if prof is None:
            raise OwnerError(404, f"no profile {profile_id!r}")
        return prof

    def _time(self, value: When, tzid: str, name: str) -> datetime | date:
        from mockserver.core.fixtures import resolve_time

        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=zone(tzid)).astimezone(UTC)
            return value.astimezone(UTC)
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise OwnerError(400, f"{name} must be a time")
        try:
            return resolve_time(value, self.world.clock.now(), tzid)
        except ValueError as exc:
            raise OwnerError(400, f"{name}: {exc}") from exc

    # -- events --------------------------------------------------------------------------

    def create_event(
        self,
        calendar_id: str,
        *,
        summary: str,
        start: When,
        end: When,
        tzid: str | None = None,
        attendees: Iterable[Mapping[str, Any] | Attendee] = (),
        **fields: Any,
    ) -> Event:
        """A new event in the owner's calendar (an *external* event to every application)."""
        w = self.world
        cal = self._calendar(calendar_id)
        account = w.account_of_calendar(cal.id)
        tz = tzid or (account.default_tzid if account else "Etc/UTC")
        if unknown := set(fields) - EDITABLE:
            raise OwnerError(400, f"unknown field(s) {sorted(unknown)}")
        changes = self._fields({"summary": summary, "tzid": tz, **fields}, tz)
        changes.pop("tzid", None)
        start_at, end_at = self._span(start, end, tz)
        people = self._attendees(attendees)
        organizer = Person(account.email, account.name) if account else None
        with acting(OWNER), w.transaction():
            return w.create_event(
                cal.id,
                start=start_at,
                end=end_at,
                tzid=tz,
                attendees=people,
                organizer=organizer,
                participation_status="accepted",
                transparency=changes.pop(
                    "transparency", "opaque" if isinstance(start_at, datetime) else "transparent"
                ),
                **changes,
            )

    def update_event(self, ident: str, **fields: Any) -> Event:
        """Change any of summary, description, start, end, tzid, location, transparency,
        status, visibility, attendees, url."""
        ev = self.event(ident)
        if unknown := set(fields) - EDITABLE:
            raise OwnerError(400, f"unknown field(s) {sorted(unknown)}")
        if ev.deleted:
            raise OwnerError(409, f"event {ident!r} is deleted")
        self._calendar(ev.calendar_id)
        tz = fields.get("tzid") or ev.tzid
        changes = self._fields(fields, tz)
        if "start" in fields or "end" in fields:
            changes["start"], changes["end"] = self._span(
                fields.get("start", ev.start), fields.get("end", ev.end), tz
            )
        if "attendees" in fields:
            changes["attendees"] = self._attendees(fields["attendees"])
        w = self.world
        with acting(OWNER), w.transaction():
            return w.update_event(ev.uid, **changes)

    def move_event(self, ident: str, start: When, end: When | None = None) -> Event:
        """Move an event; without `end` it keeps its length."""
        ev = self.event(ident)
        new_start = self._time(start, ev.tzid, "start")
        if end is None:
            if isinstance(new_start, datetime) != isinstance(ev.start, datetime):
                raise OwnerError(400, "moving between all-day and timed needs an end")
            end = new_start + (ev.end - ev.start)  # type: ignore[operator]
        return self.update_event(ident, start=new_start, end=end)

    def delete_event(self, ident: str) -> Event:
        ev = self.event(ident)
        self._calendar(ev.calendar_id)
        w = self.world
        if ev.deleted:
            return ev
        with acting(OWNER), w.transaction():
            return w.delete_event(ev.uid)

    def respond(self, ident: str, status: str, email: str | None = None) -> Event:
        """Answer an invitation as the calendar's owner (or as the attendee `email`)."""
        if status not in STATUSES:
            raise OwnerError(400, f"status must be one of {', '.join(STATUSES)}")
        ev = self.event(ident)
        if ev.deleted:
            raise OwnerError(409, f"event {ident!r} is deleted")
        w = self.world
        account = w.account_of_calendar(ev.calendar_id)
        who = (email or (account.email if account else "")).lower()
        attendees = tuple(
            dataclasses.replace(a, status=status) if a.email.lower() == who else a
            for a in ev.attendees
        )
        if (
            email is not None
            and attendees == ev.attendees
            and not any(a.email.lower() == who for a in ev.attendees)
        ):
            raise OwnerError(404, f"{email} is not an attendee of {ident!r}")
        changes: dict[str, Any] = {"attendees": attendees}
        if account is not None and who == account.email.lower():
            changes["participation_status"] = status
        with acting(OWNER), w.transaction():
            return w.update_event(ev.uid, **changes)

    # -- calendars and profiles ----------------------------------------------------------

    def add_calendar(self, profile_id: str, name: str, **fields: Any) -> Calendar:
        prof = self._profile(profile_id)
        allowed = {"color", "primary", "readonly", "provider_id"}
        if unknown := set(fields) - allowed:
            raise OwnerError(400, f"unknown field(s) {sorted(unknown)}")
        if not isinstance(name, str) or not name:
            raise OwnerError(400, "name must be a non-empty string")
        cal = Calendar(
            id=ids.calendar_id(prof.id),
            profile_id=prof.id,
            name=name,
            permission_level="unrestricted",
            **fields,
        )
        w = self.world
        with acting(OWNER), w.transaction():
            w.put_calendar(cal)
        return cal

    def remove_calendar(self, calendar_id: str) -> Calendar:
        cal = self._calendar(calendar_id, writable=False)
        if cal.deleted:
            return cal
        gone = dataclasses.replace(cal, deleted=True)
        w = self.world
        with acting(OWNER), w.transaction():
            w.put_calendar(gone)
        return gone

    def disconnect_profile(self, profile_id: str) -> Profile:
        """The owner revokes the calendar service's access (the connection stops working)."""
        return self._connect(profile_id, False)

    def reconnect_profile(self, profile_id: str) -> Profile:
        return self._connect(profile_id, True)

    def _connect(self, profile_id: str, connected: bool) -> Profile:
        prof = self._profile(profile_id)
        if prof.connected == connected:
            return prof
        new = dataclasses.replace(prof, connected=connected)
        w = self.world
        with acting(OWNER), w.transaction():
            w.put_profile(new)
        return new

    # -- input ---------------------------------------------------------------------------

    def _span(self, start: When, end: When, tz: str) -> tuple[datetime | date, datetime | date]:
        s, e = self._time(start, tz, "start"), self._time(end, tz, "end")
        if isinstance(s, datetime) != isinstance(e, datetime):
            raise OwnerError(400, "start and end must both be dates or both be times")
        if e < s:  # type: ignore[operator]
            raise OwnerError(400, "end is before start")
        return s, e

    def _fields(self, fields: Mapping[str, Any], tz: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "tzid" in fields and fields["tzid"] is not None:
            if not isinstance(fields["tzid"], str) or not is_zone(fields["tzid"]):
                raise OwnerError(400, f"unknown time zone {fields['tzid']!r}")
            out["tzid"] = fields["tzid"]
        for name in ("summary", "description", "url"):
            if name in fields:
                if not isinstance(fields[name], str):
                    raise OwnerError(400, f"{name} must be a string")
                out[name] = fields[name]
        if "location" in fields:
            loc = fields["location"]
            if isinstance(loc, str):
                loc = {"description": loc}
            if loc is not None and not isinstance(loc, dict):
                raise OwnerError(400, "location must be a string or an object")
            out["location"] = loc
        choices = {
            "transparency": ("opaque", "transparent"),
            "status": ("confirmed", "tentative", "cancelled"),
            "visibility": ("default", "public", "private"),
        }
        for name, allowed in choices.items():
            if name in fields:
                if fields[name] not in allowed:
                    raise OwnerError(400, f"{name} must be one of {', '.join(allowed)}")
                out[name] = fields[name]
        return out

    def _attendees(self, given: Iterable[Mapping[str, Any] | Attendee]) -> tuple[Attendee, ...]:
        out = []
        for a in given:
            if isinstance(a, Attendee):
                out.append(a)
                continue
            if not isinstance(a, Mapping) or not isinstance(a.get("email"), str):
                raise OwnerError(400, "each attendee needs an email")
            status = a.get("status", "needs_action")
            if status not in STATUSES:
                raise OwnerError(400, f"attendee status must be one of {', '.join(STATUSES)}")
            out.append(
                Attendee(
                    a["email"],
                    a.get("display_name"),
                    status,
                    bool(a.get("optional", False)),
                    bool(a.get("organizer", False)),
                )
            )
        return tuple(out)
