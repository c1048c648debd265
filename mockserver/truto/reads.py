"""Unified list calls: windows and filters over the world's time index, and `limit` +
`next_cursor` paging with opaque keyset cursors. A page is read one item past `limit`, so a
cursor is only handed out when another item really follows (never an empty page with a cursor),
and the cursor holds the sort key of the last item sent, so every item comes exactly once, in a
stable order, even while the world changes between pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mockserver.core import recurrence
from mockserver.core.busy import busy_periods
from mockserver.core.index import SERIES_HORIZON, Key, Window, instance_uid
from mockserver.core.models import Event, Occurrence, Person
from mockserver.core.timeutil import instant, is_zone, sort_key, zone
from mockserver.truto import remote, wire
from mockserver.truto.exceptions import bad_request
from mockserver.truto.query import (
    Page,
    Rendered,
    array,
    boolean,
    encode_cursor,
    obj,
    passes,
    scalar,
    time_filter,
)
from mockserver.truto.query import instant as query_instant

if TYPE_CHECKING:
    from mockserver.truto.models import Call, TrutoBackend

SORT_FIELDS = ("start_time", "updated_at", "created_at")


def end_of_month(moment: datetime, tzid: str) -> datetime:
    local = moment.astimezone(zone(tzid))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=zone(tzid)).astimezone(UTC)


class Reader:
    def __init__(self, backend: TrutoBackend) -> None:
        self.be = backend
        self.world = backend.world

    # -- paging --------------------------------------------------------------------------

    def _after(self, call: Call, shape: tuple[type, ...]) -> tuple | None:
        after = call.query.cursor
        if after is None:
            return None
        if len(after) != len(shape) or not all(
            isinstance(v, t) and not isinstance(v, bool) for v, t in zip(after, shape, strict=True)
        ):
            raise bad_request("Invalid next_cursor")
        return tuple(after)

    def _take(self, call: Call, rows: Iterable[tuple[tuple, Callable[[], Rendered]]]) -> Page:
        """Up to `limit` rows (all with truto_ignore_limit) and a cursor if one more exists."""
        limit = None if call.query.ignore_limit else call.query.limit
        items: list[Rendered] = []
        last: tuple | None = None
        for key, render in rows:
            if limit is not None and len(items) >= limit:
                return Page(items, encode_cursor(last or key))
            items.append(render())
            last = key
        return Page(items, None)

    def in_memory(self, call: Call, rows: list[tuple[tuple, Callable[[], Rendered]]]) -> Page:
        rows.sort(key=lambda row: row[0])
        shape = tuple(type(v) for v in rows[0][0]) if rows else ()
        after = self._after(call, shape) if rows else None
        if call.query.cursor is not None and not rows:
            return Page([], None)
        if after is not None:
            rows = [row for row in rows if row[0] > after]
        return self._take(call, rows)

    # -- events --------------------------------------------------------------------------

    def window(self, call: Call, tz_param: str | None) -> tuple[Window, str]:
        params = call.query.params
        tzid = tz_param or call.owner.default_tzid
        start = scalar(params, "start_time")
        end = scalar(params, "end_time")
        lo = query_instant(start, "start_time") if start else None
        if end:
            hi = query_instant(end, "end_time")
        else:  # the documented default: the end of start_time's month, or of this month
            hi = end_of_month(lo or self.world.clock.now(), tzid)
        if lo is not None and hi < lo:
            raise bad_request("end_time must not be before start_time")
        return Window(lo, hi, tzid), tzid

    def list_events(self, call: Call) -> Page:
        params = call.query.params
        tz_param = scalar(params, "timezone")
        if tz_param and not is_zone(tz_param):
            raise bad_request("timezone must be an IANA time zone")
        cals = self.be.calendars_for(call)
        window, _ = self.window(call, tz_param)
        expand = boolean(params, "single_events")
        if expand is None:
            expand = self.be.settings.expand_recurring
        match = self._event_filter(call)
        sort = self._sort(params)
        sources = self.world.sources(
            [c.id for c in cals], window, include=lambda app, deleted: not deleted
        )
        partial = call.integration == "calendly"
        firsts: dict[str, Key | None] = {}

        def wanted(key: Key, occ: Occurrence) -> bool:
            if occ.is_instance and not expand:
                if occ.event.uid not in firsts:
                    firsts[occ.event.uid] = self._first_key(occ.event, window)
                if firsts[occ.event.uid] != key:
                    return False
            return match(occ.event)

        def render(occ: Occurrence) -> Callable[[], Rendered]:
            return lambda: self.be.render_occurrence(call, occ, expand, partial=partial)

        if sort is None:
            after = self._after(call, (float, str))
            rows: Iterator[tuple[tuple, Callable[[], Rendered]]] = (
                (key, render(occ))
                for key, occ in self.world.scan(sources, after)  # type: ignore[arg-type]
                if wanted(key, occ)
            )
            return self._take(call, rows)
        field, descending = sort
        everything = []
        for key, occ in self.world.scan(sources):
            if not wanted(key, occ):
                continue
            if field == "start_time":
                value = key[0]
            else:
                stamp = occ.event.updated if field == "updated_at" else occ.event.created
                value = stamp.timestamp()
            order = (-value if descending else value, key[1])
            everything.append((order, render(occ)))
        return self.in_memory(call, everything)

    def _first_key(self, ev: Event, window: Window) -> Key | None:
        """The key of a series' first instance in the window: the one row a series gets when
        instances are not expanded (stable across pages, whatever the cursor)."""
        lo = window.lo or instant(ev.start, ev.tzid)
        hi = window.hi or lo + SERIES_HORIZON
        for s, e in recurrence.occurrences(ev.recurrence, ev.start, ev.end, ev.tzid, lo, hi):
            if window.overlaps(s, e):
                return (sort_key(s), instance_uid(ev.uid, s))
        return None

    def _event_filter(self, call: Call) -> Callable[[Event], bool]:
        params = call.query.params
        updated = time_filter(params, "updated_at")
        created = time_filter(params, "created_at")
        texts = []
        for name, attr in (("title", "summary"), ("description", "description")):
            value = scalar(params, name)
            if value:
                texts.append((attr, value.lower()))
        kind = scalar(params, "type")
        if kind is not None and kind not in wire.TYPES:
            raise bad_request(f"type must be one of {', '.join(wire.TYPES)}")

        def match(ev: Event) -> bool:
            if updated and not passes(ev.updated, updated):
                return False
            if created and not passes(ev.created, created):
                return False
            for attr, needle in texts:
                if needle not in getattr(ev, attr).lower():
                    return False
            return kind is None or wire.truto_extra(ev).get("type", "default") == kind

        return match

    @staticmethod
    def _sort(params: dict[str, Any]) -> tuple[str, bool] | None:
        """`sort_by[field]=asc|desc`; None for the index's own order (start_time ascending)."""
        sort = obj(params, "sort_by")
        if not sort:
            return None
        if len(sort) != 1:
            raise bad_request("sort_by takes one field")
        ((field, direction),) = sort.items()
        if field not in SORT_FIELDS:
            raise bad_request(f"sort_by supports {', '.join(SORT_FIELDS)}")
        if direction not in ("asc", "desc"):
            raise bad_request("sort_by direction must be asc or desc")
        if field == "start_time" and direction == "asc":
            return None
        return field, direction == "desc"

    # -- availability --------------------------------------------------------------------

    def list_availability(self, call: Call) -> Page:
        """Busy time from the core engine's busy timeline (one predicate for every dialect):
        per calendar, overlapping or touching busy events merged into one interval and cut to
        the window, as Google's freeBusy answers (S-T4, S-T5); nothing for transparent,
        cancelled or declined events. Items are in start order, then calendar."""
        params = call.query.params
        tz_param = scalar(params, "timezone")
        if tz_param and not is_zone(tz_param):
            raise bad_request("timezone must be an IANA time zone")
        cals = self.be.calendars_for(call)
        emails = array(params, "emails")
        if emails and any(e.lower() != call.owner.email.lower() for e in emails):
            raise remote.remote_error(call.integration, 404)
        window, tzid = self.window(call, tz_param)
        lo = window.lo
        if lo is None:  # free/busy always has a start: today's
            now = self.world.clock.now()
            lo = now.replace(hour=0, minute=0, second=0, microsecond=0)
        owner = call.owner
        after = self._after(call, (float, str))
        found = []
        for cal in cals:
            for start, end, status in busy_periods(self.world, [cal.id], lo, window.hi, tzid):
                key = (start.timestamp(), cal.id)
                if after is None or key > after:
                    found.append((key, cal, start, end, status))
        found.sort(key=lambda item: item[0])

        def render(cal: Any, start: datetime, end: datetime, status: str) -> Callable[[], Rendered]:
            def build() -> Rendered:
                unified = {
                    "calendar": {"id": cal.id, "name": cal.name},
                    "email": owner.email,
                    "start_time": remote.iso_ms(start),
                    "end_time": remote.iso_ms(end),
                    "timezone": tz_param or owner.default_tzid,
                    "availability": "busy",
                }
                if call.integration == "outlookcalendar":
                    raw: Any = {
                        "status": status,
                        "start": {
                            "dateTime": start.strftime("%Y-%m-%dT%H:%M:%S.0000000"),
                            "timeZone": "UTC",
                        },
                        "end": {
                            "dateTime": end.strftime("%Y-%m-%dT%H:%M:%S.0000000"),
                            "timeZone": "UTC",
                        },
                    }
                else:
                    raw = {"start": remote.iso_ms(start), "end": remote.iso_ms(end)}
                return Rendered(unified, raw)

            return build

        return self._take(call, ((key, render(cal, s, e, st)) for key, cal, s, e, st in found))

    # -- calendars, event types, users, contacts, attachments -----------------------------

    def list_calendars(self, call: Call) -> Page:
        params = call.query.params
        status = scalar(params, "status")
        if status not in (None, "active", "inactive"):
            raise bad_request("status must be active or inactive")
        visibility = scalar(params, "visibility")
        if visibility not in (None, "public", "private"):
            raise bad_request("visibility must be public or private")
        role = obj(params, "access_role") or {}
        wanted_role = role.get("name") or role.get("id")
        rows = []
        for rank, cal in enumerate(call.account.calendars(self.world)):
            if wanted_role and wire.access_role(cal) != wanted_role:
                continue
            rows.append(((rank, cal.id), self._calendar_row(call, cal)))
        return self.in_memory(call, rows)

    def _calendar_row(self, call: Call, cal: Any) -> Callable[[], Rendered]:
        return lambda: self.be.render_calendar(call, cal)

    def list_event_types(self, call: Call) -> Page:
        status = scalar(call.query.params, "status")
        if status not in (None, "active", "archived", "inactive"):
            raise bad_request("status must be active, archived or inactive")
        rows = []
        for i, et in enumerate(call.account.event_types):
            if status and et.get("status", "active") != status:
                continue
            rows.append(((i, et["id"]), self._event_type_row(call, et)))
        return self.in_memory(call, rows)

    def _event_type_row(self, call: Call, et: dict[str, Any]) -> Callable[[], Rendered]:
        return lambda: self.be.render_event_type(call, et)

    def list_users(self, call: Call) -> Page:
        owner = call.owner
        row = lambda: Rendered(wire.user_json(owner), remote.user_remote(owner))  # noqa: E731
        return self.in_memory(call, [((owner.id,), row)])

    def list_contacts(self, call: Call) -> Page:
        """Everyone the account's events name (organizers and attendees), but the owner."""
        params = call.query.params
        name = (scalar(params, "name") or "").lower()
        people: dict[str, tuple[Person, datetime, datetime]] = {}
        mine = {c.id for c in call.account.calendars(self.world)}
        me = call.owner.email.lower()
        for ev in self.world.events.values():
            if ev.deleted or ev.calendar_id not in mine:
                continue
            found = [Person(a.email, a.display_name) for a in ev.attendees]
            if ev.organizer:
                found.append(ev.organizer)
            for p in found:
                key = p.email.lower()
                if key == me:
                    continue
                seen = people.get(key)
                if seen is None:
                    people[key] = (p, ev.created, ev.updated)
                else:
                    best = seen[0] if seen[0].display_name else p
                    people[key] = (best, min(seen[1], ev.created), max(seen[2], ev.updated))
        rows = []
        for person, first, last in people.values():
            if name and name not in (person.display_name or person.email).lower():
                continue
            cid = wire.contact_id(person.email)
            rows.append(((cid,), self._contact_row(call, cid, person, first, last)))
        return self.in_memory(call, rows)

    def _contact_row(
        self, call: Call, cid: str, person: Person, first: datetime, last: datetime
    ) -> Callable[[], Rendered]:
        return lambda: Rendered(
            wire.contact_json(cid, person, first, last),
            remote.contact_remote(call.integration, cid, person),
        )

    def list_attachments(self, call: Call) -> Page:
        ref = (obj(call.query.params, "event") or {}).get("id")
        ev, *_ = self.be.find_event(call, ref)
        rows = []
        for i, att in enumerate(wire.attachments_of(ev)):
            rows.append(((i,), self._attachment_row(call, ev, att)))
        return self.in_memory(call, rows)

    def _attachment_row(self, call: Call, ev: Event, att: dict) -> Callable[[], Rendered]:
        def build() -> Rendered:
            unified = wire.attachment_json(att, ev)
            unified = {**unified, "event": {"id": ev.provider_event_id, "title": ev.summary}}
            raw = {
                "@odata.type": "#microsoft.graph.fileAttachment",
                "id": unified["id"],
                "name": unified["name"],
                "contentType": unified["mime_type"],
                "size": att.get("size", 0),
                "isInline": False,
                "lastModifiedDateTime": unified["updated_at"],
            }
            return Rendered(unified, raw)

        return build
