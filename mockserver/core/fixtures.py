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

from jsonschema import Draft202012Validator

from mockserver.core import recurrence
from mockserver.core.clock import Clock
from mockserver.core.models import (
    Account,
    Attendee,
    Calendar,
    EventOptions,
    Person,
    Profile,
)
from mockserver.core.timeutil import is_zone, parse_date, parse_time, zone
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


def schema_problems(data: Any, schema: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """What the JSON Schema (the core's, or `schema` with the providers' sections) finds wrong,
    every problem with its place, in document order."""
    validator = Draft202012Validator(schema if schema is not None else core_schema())
    return [
        (place(err.absolute_path), _message(err))
        for err in sorted(validator.iter_errors(data), key=_path_key)
    ]


def validate(data: Any) -> list[tuple[str, str]]:
    """Every problem in a world document's core part (empty when it loads). Provider sections
    are checked by their providers: `mockserver.state.check` runs both."""
    core = {k: v for k, v in data.items() if k in CORE_KEYS} if isinstance(data, dict) else data
    problems = schema_problems(core)
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


def build(data: dict[str, Any], clock: Clock) -> Loaded:
    """Create the world a document describes; raises FixtureError naming each bad place."""
    problems: list[tuple[str, str]] = []
    world = World(clock)
    world.changes.muted = True  # loading is no change to announce (the loader unmutes it)
    now = clock.now()
    seen: dict[str, str] = {}

    def unique(kind: str, ident: str, where: str) -> None:
        key = f"{kind}:{ident}"
        if key in seen:
            problems.append((where, f"duplicate {kind} id {ident!r} (first at {seen[key]})"))
        seen[key] = where

    for ai, acc in enumerate(data.get("accounts", [])):
        apath = ["accounts", ai]
        unique("account", acc["id"], place(apath))
        tz = acc.get("default_tzid", "Etc/UTC")
        if not is_zone(tz):
            problems.append((place([*apath, "default_tzid"]), f"unknown time zone {tz!r}"))
            tz = "Etc/UTC"
        world.put_account(Account(acc["id"], acc["email"], acc["name"], tz))
        for pi, prof in enumerate(acc.get("profiles", [])):
            ppath = [*apath, "profiles", pi]
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
                unique("calendar", cal["id"], place(cpath))
                world.put_calendar(
                    Calendar(
                        id=cal["id"],
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
                    epath = [*cpath, "events", ei]
                    try:
                        _load_event(world, cal["id"], ev, now, tz, place(epath), unique)
                    except FieldProblem as exc:
                        problems.append((place([*epath, exc.field]), str(exc)))
                    except ValueError as exc:
                        problems.append((place(epath), str(exc)))
    sections = {k: v for k, v in data.items() if k not in CORE_KEYS}
    if problems:
        raise FixtureError(problems)
    return Loaded(world, sections)


def _field_time(obj: dict[str, Any], field: str, now: datetime, tzid: str) -> datetime | date:
    try:
        return resolve_time(obj[field], now, tzid)
    except ValueError as exc:
        raise FieldProblem(field, str(exc)) from exc


def _load_event(
    world: World,
    calendar_id: str,
    ev: dict,
    now: datetime,
    default_tz: str,
    where: str,
    unique: Any,
) -> None:
    tzid = ev.get("tzid", default_tz)
    if not is_zone(tzid):
        raise FieldProblem("tzid", f"unknown time zone {tzid!r}")
    end_tzid = ev.get("end_tzid", tzid)
    if not is_zone(end_tzid):
        raise FieldProblem("end_tzid", f"unknown time zone {end_tzid!r}")
    start = _field_time(ev, "start", now, tzid)
    end = _field_time(ev, "end", now, end_tzid)
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
    if ev.get("provider_event_id"):
        unique("provider event", ev["provider_event_id"], where)
    created = (
        _field_time(ev, "created", now, tzid) if "created" in ev else now.replace(microsecond=0)
    )
    updated = _field_time(ev, "updated", now, tzid) if "updated" in ev else created
    opts = ev.get("options", {})
    world.create_event(
        calendar_id,
        uid=uid,
        app_id=managed["app"] if managed else None,
        app_event_id=managed["event_id"] if managed else None,
        summary=ev["summary"],
        description=ev.get("description", ""),
        start=start,
        end=end,
        tzid=tzid,
        end_tzid=ev.get("end_tzid"),
        location=ev.get("location"),
        url=ev.get("url"),
        transparency=ev.get(
            "transparency", "transparent" if not isinstance(start, datetime) else "opaque"
        ),
        status=ev.get("status", "confirmed"),
        visibility=ev.get("visibility", "default"),
        participation_status=ev.get(
            "participation_status", "accepted" if managed else "needs_action"
        ),
        attendees=tuple(
            Attendee(
                a["email"],
                a.get("display_name"),
                a.get("status", "needs_action"),
                a.get("optional", False),
                a.get("organizer", False),
            )
            for a in ev.get("attendees", ())
        ),
        organizer=Person(ev["organizer"]["email"], ev["organizer"].get("display_name"))
        if "organizer" in ev
        else None,
        recurrence=rules,
        reminders=tuple(ev.get("reminders", ())),
        conferencing=ev.get("conferencing"),
        color=ev.get("color"),
        categories=tuple(ev.get("categories", ())),
        options=EventOptions(
            update=opts.get("update", not rules),
            delete=opts.get("delete", not rules),
            change_participation_status=opts.get("change_participation_status", True),
        ),
        deleted=ev.get("deleted", False),
        created=created,
        updated=updated,
        extra=ev.get("extra", {}),
        provider_event_id=ev.get("provider_event_id"),
    )
