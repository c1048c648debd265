"""Loading a world file: JSON Schema first, then the checks a schema cannot make (duplicate ids,
end before start, references between sections). Every problem names its place in the file.

The core owns `version`, `description` and `accounts`; every other top-level key is a provider's
section, validated against the schema that provider contributes (`sections` below) and loaded
by that provider's store."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator

from mockserver.core import ids, recurrence
from mockserver.core.clock import Clock
from mockserver.core.models import (
    NO_EXTRA,
    Account,
    Attendee,
    Calendar,
    Event,
    EventOptions,
    Person,
    Profile,
)
from mockserver.core.timeutil import MAX_YEAR, MIN_YEAR, is_zone, parse_date, parse_time, zone
from mockserver.core.world import World

_REL = re.compile(
    r"^(?P<base>now|today)(?P<steps>(?:[+-]\d+[wdhm])*)(?:T(?P<hh>\d{2}):(?P<mm>\d{2}))?$"
)
_STEP = re.compile(r"([+-])(\d+)([wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


class FixtureError(ValueError):
    """A world file that cannot be loaded; `problems` lists (place, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{place}: {msg}" for place, msg in problems))


CORE_KEYS = frozenset({"version", "description", "accounts"})


@cache
def core_schema() -> dict[str, Any]:
    text = resources.files("mockserver.schemas").joinpath("world.schema.json").read_text()
    return json.loads(text)


def world_schema(
    sections: Mapping[str, Mapping[str, Any]], profile_providers: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The core schema with each provider's section schema as `$defs.<name>` (a section schema
    may refer to the core's definitions, `#/$defs/time` and the like), and the profile
    `provider_name`s that providers host themselves added to the calendar services."""
    base = core_schema()
    defs = dict(base["$defs"])
    if profile_providers:
        profile = copy.deepcopy(defs["profile"])
        names = profile["properties"]["provider_name"]["enum"]
        names += [n for n in profile_providers if n not in names]
        defs["profile"] = profile
    props = dict(base["properties"])
    for name, section in sections.items():
        defs[name] = {k: v for k, v in section.items() if k != "$comment"}
        props[name] = {"$ref": f"#/$defs/{name}"}
    return {**base, "properties": props, "$defs": defs}


def demo_path() -> Path:
    """The demo world: shipped inside the wheel, or read from the source checkout."""
    packaged = resources.files("mockserver").joinpath("_fixtures/demo.json")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"


def read(path: str | Path) -> dict[str, Any]:
    """The parsed JSON document (not yet validated: see `validate`)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FixtureError([("(file)", exc.strerror or str(exc))]) from exc
    try:  # the common case, fast; anything orjson refuses gets the careful path and its message
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    else:
        if isinstance(data, dict):
            return data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        where = f"line {line} byte {exc.start}"
        raise FixtureError([(where, "not UTF-8 text: a world file is JSON")]) from exc
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM some editors write; JSON itself has no use for it
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError([(f"line {exc.lineno} column {exc.colno}", exc.msg)]) from exc
    except RecursionError as exc:
        raise FixtureError([("$", "nested too deeply")]) from exc
    return data


def place(path: list[Any] | tuple[Any, ...]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_TIME_HINT = {
    "time": "not a time: use 2026-01-05, 2026-01-05T10:00:00Z (or an offset), now+2h or "
    "today+1dT09:30",
    "instant": "not an instant: use 2026-01-05T10:00:00Z (or an offset) or now+2h",
}


def _message(err: Any) -> str:
    defs = core_schema()["$defs"]
    if err.validator == "anyOf" and isinstance(err.instance, str):
        for name, hint in _TIME_HINT.items():
            if err.schema == defs[name]:
                return f"{err.instance!r} is {hint}"
    return err.message


def _path_key(err: Any) -> list[tuple[int, int | str]]:
    # Array positions sort as numbers (events[2] before events[10]).
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in err.absolute_path]


# How deeply a world file may nest. A world document is about ten levels deep; the free-form
# values inside (event `extra`, booking metadata) come from request bodies, which web.MAX_DEPTH
# keeps to 64. So the dump of any world the fake can hold loads again, and no loaded world can
# hold a value too deep to dump (orjson writes at most 254 levels).
MAX_DEPTH = 128
_ORJSON_DEPTH = 254  # the deepest orjson writes


def depth_problems(data: Any, limit: int = MAX_DEPTH) -> list[tuple[str, str]]:
    """The first place nested deeper than `limit` levels, if any. The common case is one
    orjson pass at C speed: the document wrapped in enough lists that it can only be written
    if it is within the limit; only a document that is not is walked for the place."""
    wrapped: Any = data
    for _ in range(_ORJSON_DEPTH - limit):
        wrapped = [wrapped]
    try:
        orjson.dumps(wrapped)
        return []
    except TypeError:
        pass
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list):
                if len(path) + 2 > limit:
                    return [(place([*path, key]), f"nested deeper than {limit} levels")]
                stack.append((child, [*path, key]))
    return []


class SchemaCheck:
    """A world-file schema compiled twice: a compiled (Rust) validator answers "valid?" in
    microseconds per event, and only a document it rejects pays for jsonschema's iter_errors,
    whose messages name every place."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self.fast = jsonschema_rs.validator_for(dict(schema), validate_formats=False)
        self.full = Draft202012Validator(schema)

    def errors(self, data: Any) -> list[tuple[tuple[Any, ...], str]]:
        """Each problem as (path in the document, message), in document order."""
        if self.fast.is_valid(data):
            return []
        return [
            (tuple(err.absolute_path), _message(err))
            for err in sorted(self.full.iter_errors(data), key=_path_key)
        ]

    def problems(self, data: Any) -> list[tuple[str, str]]:
        return [(place(path), message) for path, message in self.errors(data)]


@cache
def _core_check() -> SchemaCheck:
    return SchemaCheck(core_schema())


def schema_problems(data: Any, check: SchemaCheck | None = None) -> list[tuple[str, str]]:
    """What the JSON Schema (the core's, or `check`'s with the providers' sections) finds
    wrong, every problem with its place, in document order."""
    return (check or _core_check()).problems(data)


ITEM_KEYS = ("accounts", "profiles", "calendars", "events")


def enclosing_item(path: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The account, profile, calendar or event a schema error is in (its path), or None when
    the error is outside any of them (the document's shape itself)."""
    item = None
    for i in range(1, len(path), 2):
        if path[i - 1] != ITEM_KEYS[(i - 1) // 2] or not isinstance(path[i], int):
            break
        item = path[: i + 1]
        if i + 1 >= len(ITEM_KEYS) * 2:
            break
    return item


def validate(data: Any) -> list[tuple[str, str]]:
    """Every problem in a world document's core part (empty when it loads). Provider sections
    are checked by their providers: `mockserver.state.check` runs both."""
    core = {k: v for k, v in data.items() if k in CORE_KEYS} if isinstance(data, dict) else data
    problems = depth_problems(core) or schema_problems(core)
    if problems:
        return problems
    try:
        build(data, Clock())
    except FixtureError as exc:
        return exc.problems
    return []


_TIME_KEYS = frozenset({"start", "end", "created", "updated", "expires_at"})


def uses_relative_times(data: Any) -> bool:
    """Whether any time in the document is relative (`now+2h`, `today+1d`)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _TIME_KEYS and isinstance(value, str) and _REL.match(value):
                    return True
                if isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return False


@dataclass
class Loaded:
    world: World
    sections: dict[str, Any]  # every top-level key but the core's: loaded by providers
    relative: bool = False  # whether any time in the document is relative (`today+1d`)


class FieldProblem(ValueError):
    """A problem with one field of the object being loaded (its place names the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def resolve_time(value: str, now: datetime, tzid: str) -> datetime | date:
    """An ISO value, or a relative one like `now+2h`, `today-3d`, `today+1dT09:30`."""
    try:
        return _resolve_time(value, now, tzid)
    except OverflowError as exc:
        raise ValueError(f"time {value!r} is out of range") from exc


def _resolve_time(value: str, now: datetime, tzid: str) -> datetime | date:
    m = _REL.match(value)
    if m is None:
        if len(value) == 10:
            return parse_date(value)
        parts = parse_time(value)
        if parts.offset is None:
            raise ValueError(f"time {value!r} needs Z or an offset")
        return parts.aware()
    delta = timedelta()
    for sign, num, unit in _STEP.findall(m["steps"]):
        step = timedelta(**{_UNITS[unit]: int(num)})
        delta += step if sign == "+" else -step
    if m["base"] == "now":
        if m["hh"]:
            raise ValueError("`now` takes no time of day")
        return (now + delta).replace(second=0, microsecond=0)
    if delta % timedelta(days=1):
        raise ValueError("`today` moves in whole days or weeks")
    day = now.astimezone(zone(tzid)).date() + delta
    if m["hh"] is None:
        return day
    local = datetime(day.year, day.month, day.day, int(m["hh"]), int(m["mm"]), tzinfo=zone(tzid))
    return local.astimezone(zone("UTC"))


class _Interner:
    """One string object per distinct value of the fields most events repeat (zones, statuses,
    calendar ids, repeated descriptions and locations): JSON parsing makes a new object for each
    occurrence, and a world keeps them for as long as it lives."""

    __slots__ = ("strings", "options", "created", "relative", "provider_ids")

    def __init__(self, now: datetime) -> None:
        self.strings: dict[str, str] = {}
        self.options: dict[tuple[bool, bool, bool], EventOptions] = {}
        self.created = now.replace(microsecond=0)  # one object for every event without `created`
        self.relative = False  # whether any event time was relative (`today+1d`)
        self.provider_ids = ids.provider_event_ids()

    def __call__(self, value: Any) -> Any:
        if type(value) is not str:
            return value
        return self.strings.setdefault(value, value)

    def event_options(self, update: bool, delete: bool, participation: bool) -> EventOptions:
        key = (update, delete, participation)
        found = self.options.get(key)
        if found is None:
            found = self.options[key] = EventOptions(update, delete, participation)
        return found


def build(
    data: dict[str, Any], clock: Clock, skip: frozenset[tuple[Any, ...]] = frozenset()
) -> Loaded:
    """Create the world a document describes; raises FixtureError naming each bad place. Events
    are built first and put into the world in one bulk step (`World.load_events`: no undo log,
    one sort per index bucket). Items whose paths are in `skip` (accounts, profiles, calendars,
    events the schema refused) are left out, so the checks still run over the rest."""
    problems: list[tuple[str, str]] = []
    world = World(clock)
    world.changes.muted = True  # loading is no change to announce (the loader unmutes it)
    now = clock.now()
    # (kind, id) -> where it was first seen: a place, or a function naming it (an event's place
    # is only spelled out if there is a problem to report)
    seen: dict[tuple[str, str], Any] = {}
    intern = _Interner(now)
    events: list[Event] = []

    def unique(kind: str, ident: str, where: Any) -> None:
        key = (kind, ident)
        first = seen.get(key)
        if first is None:
            seen[key] = where
            return
        here = where() if callable(where) else where
        there = first() if callable(first) else first
        problems.append((here, f"duplicate {kind} id {ident!r} (first at {there})"))

    for ai, acc in enumerate(data.get("accounts", [])):
        apath = ["accounts", ai]
        if skip and tuple(apath) in skip:
            continue
        unique("account", acc["id"], place(apath))
        tz = acc.get("default_tzid", "Etc/UTC")
        if not is_zone(tz):
            problems.append((place([*apath, "default_tzid"]), f"unknown time zone {tz!r}"))
            tz = "Etc/UTC"
        world.put_account(Account(acc["id"], acc["email"], acc["name"], tz))
        for pi, prof in enumerate(acc.get("profiles", [])):
            ppath = [*apath, "profiles", pi]
            if skip and tuple(ppath) in skip:
                continue
            unique("profile", prof["id"], place(ppath))
            provider = prof["provider_name"]
            world.put_profile(
                Profile(
                    id=prof["id"],
                    account_id=acc["id"],
                    provider_name=provider,
                    provider_service=prof.get("provider_service", provider),
                    name=prof["name"],
                    connected=prof.get("connected", True),
                    allow_duplicate_calendar_names=prof.get(
                        "allow_duplicate_calendar_names", provider == "google"
                    ),
                )
            )
            for ci, cal in enumerate(prof.get("calendars", [])):
                cpath = [*ppath, "calendars", ci]
                if skip and tuple(cpath) in skip:
                    continue
                unique("calendar", cal["id"], place(cpath))
                cal_id = intern(cal["id"])
                world.put_calendar(
                    Calendar(
                        id=cal_id,
                        profile_id=prof["id"],
                        name=cal["name"],
                        primary=cal.get("primary", False),
                        readonly=cal.get("readonly", False),
                        deleted=cal.get("deleted", False),
                        permission_level=cal.get("permission_level", "sandbox"),
                        color=cal.get("color"),
                        provider_id=cal.get("provider_id"),
                        conferencing_available=cal.get("conferencing_available", False),
                        attachments_available=cal.get("attachments_available", False),
                    )
                )
                for ei, ev in enumerate(cal.get("events", [])):
                    if skip and (*cpath, "events", ei) in skip:
                        continue

                    def where(ei: int = ei, cpath: list[Any] = cpath) -> str:
                        return place([*cpath, "events", ei])

                    try:
                        events.append(_load_event(cal_id, ev, now, tz, where, unique, intern))
                    except FieldProblem as exc:
                        problems.append((place([*cpath, "events", ei, exc.field]), str(exc)))
                    except ValueError as exc:
                        problems.append((where(), str(exc)))
    sections = {k: v for k, v in data.items() if k not in CORE_KEYS}
    if problems:
        raise FixtureError(problems)
    world.load_events(events)
    return Loaded(world, sections, intern.relative or uses_relative_times(sections))


def _field_time(
    obj: dict[str, Any], field: str, now: datetime, tzid: str, intern: _Interner
) -> datetime | date:
    value = obj[field]
    # the common case, an absolute UTC time as a world dump writes it: no regex, no parts
    if type(value) is str and len(value) == 20 and value[19] == "Z" and value[10] == "T":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and MIN_YEAR <= parsed.year <= MAX_YEAR:
            return parsed
    if type(value) is str and _REL.match(value):
        intern.relative = True
    try:
        return resolve_time(value, now, tzid)
    except ValueError as exc:
        raise FieldProblem(field, str(exc)) from exc


def _load_event(
    calendar_id: str,
    ev: dict,
    now: datetime,
    default_tz: str,
    where: Any,
    unique: Any,
    intern: _Interner,
) -> Event:
    tzid = ev.get("tzid", default_tz)
    if not is_zone(tzid):
        raise FieldProblem("tzid", f"unknown time zone {tzid!r}")
    end_tzid = ev.get("end_tzid", tzid)
    if not is_zone(end_tzid):
        raise FieldProblem("end_tzid", f"unknown time zone {end_tzid!r}")
    start = _field_time(ev, "start", now, tzid, intern)
    end = _field_time(ev, "end", now, end_tzid, intern)
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ValueError("start and end must both be dates or both be times")
    if end < start:  # type: ignore[operator]
        raise ValueError("end is before start")
    rules = tuple(ev.get("recurrence", ()))
    if rules:
        try:
            recurrence.validate(list(rules), start, tzid)
        except ValueError as exc:
            raise FieldProblem("recurrence", str(exc)) from exc
    managed = ev.get("managed_by")
    uid = ev.get("uid")
    if uid:
        unique("event", uid, where)
    else:
        uid = ids.managed_event_uid() if managed else ids.external_event_uid()
    provider_id = ev.get("provider_event_id")
    if provider_id:
        unique("provider event", provider_id, where)
    else:
        provider_id = next(intern.provider_ids)
    created = _field_time(ev, "created", now, tzid, intern) if "created" in ev else intern.created
    updated = _field_time(ev, "updated", now, tzid, intern) if "updated" in ev else created
    opts = ev.get("options")
    if opts:
        options = intern.event_options(
            opts.get("update", not rules),
            opts.get("delete", not rules),
            opts.get("change_participation_status", True),
        )
    else:
        options = intern.event_options(not rules, not rules, True)
    attendees = ev.get("attendees")
    organizer = ev.get("organizer")
    return Event(
        uid=uid,
        calendar_id=calendar_id,
        app_id=intern(managed["app"]) if managed else None,
        app_event_id=managed["event_id"] if managed else None,
        summary=ev["summary"],
        description=intern(ev.get("description", "")),
        start=start,
        end=end,
        created=created,
        updated=updated,
        tzid=intern(tzid),
        end_tzid=intern(ev.get("end_tzid")),
        location=ev.get("location"),
        url=ev.get("url"),
        transparency=intern(
            ev.get("transparency", "transparent" if not isinstance(start, datetime) else "opaque")
        ),
        status=intern(ev.get("status", "confirmed")),
        visibility=intern(ev.get("visibility", "default")),
        participation_status=intern(
            ev.get("participation_status", "accepted" if managed else "needs_action")
        ),
        attendees=tuple(
            Attendee(
                intern(a["email"]),
                intern(a.get("display_name")),
                intern(a.get("status", "needs_action")),
                a.get("optional", False),
                a.get("organizer", False),
            )
            for a in attendees
        )
        if attendees
        else (),
        organizer=Person(intern(organizer["email"]), intern(organizer.get("display_name")))
        if organizer
        else None,
        recurrence=rules,
        reminders=tuple(ev["reminders"]) if ev.get("reminders") else (),
        conferencing=ev.get("conferencing"),
        color=intern(ev.get("color")),
        categories=tuple(ev["categories"]) if ev.get("categories") else (),
        options=options,
        deleted=ev.get("deleted", False),
        extra=ev.get("extra") or NO_EXTRA,
        provider_event_id=provider_id,
    )
