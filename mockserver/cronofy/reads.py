"""Read Events and Free-busy: windows, filters, incremental sync and paging by next_page."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from mockserver.core import ids
from mockserver.core.busy import free_busy_status
from mockserver.core.index import Key, Source, Window
from mockserver.core.models import Calendar, Occurrence
from mockserver.core.timeutil import day_start, is_zone, parse_date, today
from mockserver.core.world import World
from mockserver.cronofy import wire
from mockserver.cronofy.exceptions import INVALID_CALENDAR_IDS, ErrorList, forbidden, not_found
from mockserver.cronofy.settings import CronofySettings
from mockserver.cronofy.store import Auth

PAST_DAYS, FUTURE_DAYS = 42, 201
MAX_PAGE_STATES = 10_000
MAX_MEMO = 512


@dataclass(frozen=True)
class ReadQuery:
    kind: str  # "events" | "free_busy"
    grant_id: str
    app_id: str
    sources: list[Source]
    tzid: str
    localized: bool
    google_ids: bool
    last_modified: datetime | None
    calendar_ids: frozenset[str]
    total_pages: int
    memo: tuple = ()  # everything that decides the result, for memoising pages per world version


class RenderCache:
    """Each occurrence's rendered JSON, reused for as long as its event and calendar records are
    the very same objects. Records are replaced on every write, never mutated, so identity is
    a complete freshness check and a page costs a join rather than a render per event."""

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._store: dict[tuple, tuple[object, object, orjson.Fragment]] = {}

    def get(self, key: tuple, occ: Occurrence, cal: Calendar, query: ReadQuery) -> orjson.Fragment:
        hit = self._store.get(key)
        if hit is not None and hit[0] is occ.event and hit[1] is cal:
            return hit[2]
        if query.kind == "events":
            body = wire.event_json(
                occ,
                cal,
                query.app_id,
                tzid=query.tzid,
                localized=query.localized,
                google_ids=query.google_ids,
            )
        else:
            body = wire.free_busy_json(occ, query.tzid, query.localized)
        fragment = orjson.Fragment(orjson.dumps(body))
        if len(self._store) >= self.limit:
            self._store.clear()  # crude but bounded; a cold page just renders again
        self._store[key] = (occ.event, cal, fragment)
        return fragment


class Reader:
    def __init__(self, world: World, settings: CronofySettings) -> None:
        self.world = world
        self.settings = settings
        self.rendered = RenderCache()
        # (query memo, after, page size, world version) -> rows and last key; polling the same
        # page of an unchanged world (a dev backend's commonest read) then costs a lookup.
        self._memo: OrderedDict[tuple, tuple[list[orjson.Fragment], Key | None]] = OrderedDict()
        self._counts: OrderedDict[tuple, int] = OrderedDict()
        self._plans: OrderedDict[tuple, ReadQuery] = OrderedDict()
        self.pages: OrderedDict[str, tuple[ReadQuery, Key | None, int]] = OrderedDict()

    @staticmethod
    def require(auth: Auth, *any_of: str) -> None:
        if not auth.grant.scopes & set(any_of):
            raise forbidden()

    def read(
        self,
        auth: Auth,
        params: dict[str, Any],
        kind: str,
        base: str,
        raw_query: bytes | None = None,
    ) -> dict[str, Any]:
        """The first page of a read. With `raw_query` (the request's query string), the query
        it plans is memoised for this grant, world version and day: a client polling an
        unchanged world pays for a lookup, not a re-plan."""
        key = None
        if raw_query is not None:
            tzid = params.get("tzid")
            zone_for = tzid if isinstance(tzid, str) and is_zone(tzid) else "Etc/UTC"
            day = today(self.world.clock.now(), zone_for)
            s = self.settings  # settings that shape a plan change without a new world version
            key = (
                kind,
                auth.grant.id,
                raw_query,
                self.world.version,
                day,
                s.page_size,
                s.unknown_calendar_ids_status,
            )
            planned = self._plans.get(key)
            if planned is not None:
                return self._page(planned, None, 1, base)
        query = self._plan(auth, params, kind)
        if key is not None:
            remember(self._plans, key, query)
        return self._page(query, None, 1, base)

    def _plan(self, auth: Auth, params: dict[str, Any], kind: str) -> ReadQuery:
        errors = ErrorList()
        flags: dict[str, bool] = {}
        for name in (
            "include_managed",
            "only_managed",
            "include_deleted",
            "include_moved",
            "localized_times",
            "include_geo",
            "google_event_ids",
        ):
            value = params.get(name)
            flags[name] = False
            if value is not None:
                parsed = wire.boolean(value)
                if parsed is None:
                    errors.add(
                        name, "must_be_boolean", "must be a boolean value, either true or false"
                    )
                else:
                    flags[name] = parsed
        if kind == "events":
            if not flags["only_managed"]:
                self.require(auth, "read_events")
        else:
            self.require(auth, "read_free_busy", "read_events")
        tzid = params.get("tzid")
        if tzid is None or tzid == "":
            errors.required("tzid")
            tzid = "Etc/UTC"
        elif not isinstance(tzid, str) or not is_zone(tzid):
            errors.add("tzid", "invalid", "tzid must be a valid IANA time zone identifier")
            tzid = "Etc/UTC"
        now = self.world.clock.now()
        day = today(now, tzid)
        earliest = day_start(day - timedelta(days=PAST_DAYS), tzid)
        latest = day_start(day + timedelta(days=FUTURE_DAYS), tzid)
        bounds = {}
        for name in ("from", "to"):
            value = params.get(name)
            if value is None:
                continue
            moment = self._date_or_time(value, tzid, errors, name)
            if moment is not None:
                bounds[name] = moment
        if "from" in bounds and bounds["from"] < earliest:
            errors.add(
                "from", "invalid", f"you can only read events up to {PAST_DAYS} days in the past"
            )
        if "to" in bounds and bounds["to"] > latest + timedelta(days=1):
            errors.add(
                "to", "invalid", f"you can only read events up to {FUTURE_DAYS} days in the future"
            )
        if "from" in bounds and "to" in bounds and bounds["to"] < bounds["from"]:
            errors.add("to", "invalid", "to must not be before from")
        last_modified = None
        if params.get("last_modified") is not None:
            last_modified = wire.parse_instant(params["last_modified"], errors, "last_modified")
        mine = [c.id for c in self.world.calendars_of(auth.account_id)]
        cal_ids = params.get("calendar_ids")
        if cal_ids is not None:
            unknown = [c for c in cal_ids if c not in mine]
            if unknown and self.settings.unknown_calendar_ids_status == 422:
                errors.add(
                    "calendar_ids",
                    "invalid_calendar_ids",
                    INVALID_CALENDAR_IDS,
                )
            chosen = [c for c in cal_ids if c in mine]
        else:
            chosen = mine
        errors.raise_if_any()

        window = Window(bounds.get("from", earliest), bounds.get("to", latest), tzid)
        unbounded_managed = "from" not in bounds and "to" not in bounds and kind == "events"
        app = auth.app_id
        only, incl = flags["only_managed"], flags["include_managed"] or flags["only_managed"]
        with_deleted = flags["include_deleted"] and kind == "events"

        def include(bucket_app: str, deleted: bool) -> bool:
            if deleted and not with_deleted:
                return False
            if bucket_app == app:
                return incl
            return not only

        def window_for(bucket_app: str) -> Window:
            if bucket_app == app and unbounded_managed:
                return Window(None, None, tzid)
            return window

        sources = self.world.sources(chosen, window, include=include, window_for=window_for)
        query = ReadQuery(
            kind,
            auth.grant.id,
            app,
            sources,
            tzid,
            flags["localized_times"],
            flags["google_event_ids"],
            last_modified,
            frozenset(chosen),
            0,
            memo=(
                kind,
                app,
                tzid,
                flags["localized_times"],
                flags["google_event_ids"],
                last_modified,
                tuple(chosen),
                with_deleted,
                only,
                incl,
                window.lo,
                window.hi,
                unbounded_managed,
            ),
        )
        total = self._count(query)
        size = self.settings.page_size
        return dataclasses.replace(query, total_pages=max(1, -(-total // size)))

    def _date_or_time(self, value: Any, tzid: str, errors: ErrorList, name: str) -> datetime | None:
        if isinstance(value, str) and len(value) == 10:
            try:
                return day_start(parse_date(value), tzid)
            except ValueError:
                errors.add(name, "invalid", f"{name} must be a valid date")
                return None
        return wire.parse_instant(value, errors, name)

    def _items(self, query: ReadQuery, after: Key | None) -> Iterator[tuple[Key, Occurrence]]:
        if query.last_modified is None:
            items = self.world.scan(query.sources, after)
        else:
            items = self.world.scan_changed(query.sources, query.last_modified, after)
        if query.kind == "events":
            return items
        # free/busy: what takes no time (cancelled) is not there
        return ((key, occ) for key, occ in items if free_busy_status(occ.event) is not None)

    def _count(self, query: ReadQuery) -> int:
        key = (query.memo, self.world.version)
        total = self._counts.get(key)
        if total is None:
            if query.last_modified is None and query.kind == "events":
                total = self.world.count(query.sources)  # bisect counts, no scan
            else:
                total = sum(1 for _ in self._items(query, None))
            remember(self._counts, key, total)
        return total

    def _page(self, query: ReadQuery, after: Key | None, number: int, base: str) -> dict[str, Any]:
        size = self.settings.page_size
        key = (query.memo, after, size, self.world.version)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._rows(query, after, size)
            remember(self._memo, key, hit)
        rows, last = hit
        pages: dict[str, Any] = {"current": number, "total": max(query.total_pages, number)}
        if number < query.total_pages and len(rows) >= size:
            token = ids.hex_id("", 12)
            self.pages[token] = (query, last, number + 1)
            while len(self.pages) > MAX_PAGE_STATES:
                self.pages.popitem(last=False)
            pages["next_page"] = f"{base}/v1/{query.kind}/pages/{token}"
        else:
            pages["total"] = number
        return {"pages": pages, query.kind: rows}

    def _rows(
        self, query: ReadQuery, after: Key | None, size: int
    ) -> tuple[list[orjson.Fragment], Key | None]:
        rows: list[orjson.Fragment] = []
        last: Key | None = after
        calendars = self.world.calendars
        render = self.rendered.get
        for key, occ in self._items(query, after):
            cal = calendars[occ.event.calendar_id]
            if query.kind == "events":
                rows.append(
                    render(
                        ("e", occ.instance_uid, query.app_id, query.localized, query.google_ids),
                        occ,
                        cal,
                        query,
                    )
                )
            else:
                rows.append(render(("f", occ.instance_uid, query.localized), occ, cal, query))
            last = key
            if len(rows) >= size:
                break
        return rows, last

    def page(self, auth: Auth, kind: str, token: str, base: str) -> dict[str, Any]:
        state = self.pages.get(token)
        if state is None or state[0].kind != kind or state[0].grant_id != auth.grant.id:
            raise not_found()
        query, after, number = state
        return self._page(query, after, number, base)


def remember(memo: OrderedDict, key: tuple, value: Any) -> None:
    memo[key] = value
    if len(memo) > MAX_MEMO:
        memo.popitem(last=False)
