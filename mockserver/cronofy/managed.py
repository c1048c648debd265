"""Managed availability: each account's availability rules (weekly working hours in a zone) and
available periods (one-off open times), as tables of the Cronofy store, with the validation the
API and the world file share, and the operations of /v1/availability_rules and
/v1/available_periods."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockserver.core import availability as av
from mockserver.core import ids
from mockserver.core.fixtures import place, resolve_time
from mockserver.core.timeutil import day_start, format_utc, is_zone, parse_date
from mockserver.cronofy import wire
from mockserver.cronofy.exceptions import ErrorList, invalid, not_found

if TYPE_CHECKING:
    from mockserver.core.world import World
    from mockserver.cronofy.settings import CronofySettings

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ID = re.compile(r"^[\x20-\x7e]{1,64}$")  # "an ASCII-only String of up to 64 characters"
MAX_PAGE_STATES = 1000


@dataclass(frozen=True)
class Rule:
    """One availability rule, as stored (and echoed): weekly periods in the given order."""

    account_id: str
    rule_id: str
    tzid: str
    weekly_periods: tuple[tuple[str, str, str], ...]  # (day, start_time, end_time)
    calendar_ids: tuple[str, ...] | None = None

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"availability_rule_id": self.rule_id, "tzid": self.tzid}
        if self.calendar_ids is not None:  # a rule without calendar_ids has no such key
            out["calendar_ids"] = list(self.calendar_ids)
        out["weekly_periods"] = [
            {"day": d, "start_time": s, "end_time": e} for d, s, e in self.weekly_periods
        ]
        return out

    def schedule(self) -> av.Schedule:
        return av.Schedule(
            self.tzid,
            tuple(
                av.WeeklyWindow(DAYS.index(d), av.clock_minutes(s), av.clock_minutes(e, end=True))
                for d, s, e in self.weekly_periods
            ),
        )


@dataclass(frozen=True)
class Period:
    account_id: str
    period_id: str
    start: datetime
    end: datetime


@dataclass
class Managed:
    """The tables: (account, id) -> record, in insertion order."""

    rules: dict[tuple[str, str], Rule] = field(default_factory=dict)
    periods: dict[tuple[str, str], Period] = field(default_factory=dict)

    def copy(self) -> Managed:
        return Managed(dict(self.rules), dict(self.periods))  # records are immutable

    def rules_of(self, account_id: str) -> list[Rule]:
        return [r for (acc, _), r in self.rules.items() if acc == account_id]

    def periods_of(self, account_id: str) -> list[Period]:
        return sorted(
            (p for (acc, _), p in self.periods.items() if acc == account_id),
            key=lambda p: (p.start, p.end, p.period_id),
        )

    # -- world file ----------------------------------------------------------------------

    def load(self, section: dict[str, Any], world: World, problems: list[tuple[str, str]]) -> None:
        now = world.clock.now()
        for i, entry in enumerate(section.get("availability_rules", [])):
            where = ["cronofy", "availability_rules", i]
            acc = entry["account"]
            if acc not in world.accounts:
                problems.append((place([*where, "account"]), f"no account {acc!r}"))
                continue
            errors = ErrorList()
            # A check against the accounts alone (the file has other problems) has no calendars
            # to check calendar_ids against: it leaves them to the full load.
            calendars = (
                _calendar_ids(world, acc)
                if world.profiles
                else set(entry.get("calendar_ids") or ())
            )
            rule = check_rule(entry, errors, calendars, acc)
            for name, errs in errors.errors.items():
                problems.append((place([*where, name]), errs[0]["description"]))
            if rule is not None:
                if (acc, rule.rule_id) in self.rules:
                    problems.append(
                        (place(where), f"duplicate availability_rule_id {rule.rule_id!r}")
                    )
                self.rules[(acc, rule.rule_id)] = rule
        for i, entry in enumerate(section.get("available_periods", [])):
            where = ["cronofy", "available_periods", i]
            acc = entry["account"]
            if acc not in world.accounts:
                problems.append((place([*where, "account"]), f"no account {acc!r}"))
                continue
            try:
                start = resolve_time(entry["start"], now, "UTC")
                end = resolve_time(entry["end"], now, "UTC")
            except ValueError as exc:
                problems.append((place(where), str(exc)))
                continue
            if not isinstance(start, datetime) or not isinstance(end, datetime) or end <= start:
                problems.append((place([*where, "end"]), "a period needs times, end after start"))
                continue
            key = (acc, entry["available_period_id"])
            if key in self.periods:
                problems.append((place(where), f"duplicate available_period_id {key[1]!r}"))
            self.periods[key] = Period(acc, key[1], start, end)

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.rules:
            out["availability_rules"] = [
                {"account": r.account_id, **r.json()} for r in self.rules.values()
            ]
        if self.periods:
            out["available_periods"] = [
                {
                    "account": p.account_id,
                    "available_period_id": p.period_id,
                    "start": format_utc(p.start),
                    "end": format_utc(p.end),
                }
                for p in self.periods.values()
            ]
        return out


def _calendar_ids(world: World, account_id: str) -> set[str]:
    return {c.id for c in world.calendars_of(account_id) if not c.deleted}


def _ident(body: dict[str, Any], name: str, errors: ErrorList) -> str | None:
    value = body.get(name)
    if value is None:
        errors.required(name)
        return None
    if not isinstance(value, str) or not _ID.match(value):
        errors.add(name, "invalid", f"{name} must be an ASCII string of 1 to 64 characters")
        return None
    return value


def check_rule(
    body: dict[str, Any], errors: ErrorList, calendars: set[str], account_id: str
) -> Rule | None:
    """A rule from an upsert body (or world-file entry), or None with `errors` filled."""
    rule_id = _ident(body, "availability_rule_id", errors)
    tzid = body.get("tzid")
    if tzid is None:
        errors.required("tzid")
    elif not isinstance(tzid, str) or not is_zone(tzid):
        errors.add("tzid", "invalid", "tzid must be a valid IANA time zone identifier")
    cal_ids = body.get("calendar_ids")
    if cal_ids is not None:
        if not isinstance(cal_ids, list) or not cal_ids:
            errors.add(
                "calendar_ids", "invalid", "when provided at least one calendar must be specified"
            )
        elif any(not isinstance(c, str) or c not in calendars for c in cal_ids):
            errors.add(
                "calendar_ids",
                "invalid_calendar_ids",
                "calendar_ids must list calendars of this account",
            )
    periods = body.get("weekly_periods")
    weekly: list[tuple[str, str, str]] = []
    if periods is None:
        errors.required("weekly_periods")
    elif not isinstance(periods, list):
        errors.add("weekly_periods", "invalid", "weekly_periods must be an array")
    else:
        for entry in periods:
            day = entry.get("day") if isinstance(entry, dict) else None
            start = entry.get("start_time") if isinstance(entry, dict) else None
            end = entry.get("end_time") if isinstance(entry, dict) else None
            if day not in DAYS:
                errors.add(
                    "weekly_periods",
                    "invalid",
                    "day must be one of sunday, monday, tuesday, wednesday, thursday, friday, saturday",
                )
                break
            try:
                if av.clock_minutes(start) >= av.clock_minutes(end, end=True):
                    raise ValueError("empty")
            except ValueError:
                errors.add(
                    "weekly_periods",
                    "invalid",
                    "start_time and end_time must be HH:mm times, start_time before end_time",
                )
                break
            weekly.append((day, start, end))
    if errors:
        return None
    return Rule(
        account_id,
        rule_id,  # type: ignore[arg-type]
        tzid,  # type: ignore[arg-type]
        tuple(weekly),
        tuple(cal_ids) if cal_ids is not None else None,
    )


def _period_time(value: Any, errors: ErrorList, name: str) -> datetime | None:
    """A Time, or `{"time": Time, "tzid": zone}` (the time is UTC whatever the tzid)."""
    if value is None:
        errors.required(name)
        return None
    parsed = wire.parse_event_time(value, errors, name, "Etc/UTC")
    if parsed is None:
        return None
    if not isinstance(parsed[0], datetime):
        errors.add(name, "invalid", f"{name} must be a time, not a date")
        return None
    return parsed[0]


class ManagedAvailability:
    """The operations of /v1/availability_rules and /v1/available_periods for one account."""

    def __init__(self, world: World, tables: Managed, settings: CronofySettings) -> None:
        self.world = world
        self.tables = tables
        self.settings = settings
        self.pages: OrderedDict[str, tuple[str, dict[str, Any], int]] = OrderedDict()

    # -- rules ---------------------------------------------------------------------------

    def upsert_rule(self, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
        errors = ErrorList()
        rule = check_rule(body, errors, _calendar_ids(self.world, account_id), account_id)
        errors.raise_if_any()
        assert rule is not None
        self.tables.rules[(account_id, rule.rule_id)] = rule
        return {"availability_rule": rule.json()}

    def list_rules(self, account_id: str) -> dict[str, Any]:
        return {"availability_rules": [r.json() for r in self.tables.rules_of(account_id)]}

    def read_rule(self, account_id: str, rule_id: str) -> dict[str, Any]:
        rule = self.tables.rules.get((account_id, rule_id))
        if rule is None:
            raise not_found()
        return {"availability_rule": rule.json()}

    def delete_rule(self, account_id: str, rule_id: str) -> None:
        if self.tables.rules.pop((account_id, rule_id), None) is None:
            raise not_found()

    # -- available periods ---------------------------------------------------------------

    def upsert_period(self, account_id: str, body: dict[str, Any]) -> None:
        errors = ErrorList()
        period_id = _ident(body, "available_period_id", errors)
        start = _period_time(body.get("start"), errors, "start")
        end = _period_time(body.get("end"), errors, "end")
        if start is not None and end is not None and end <= start:
            errors.add("end", "invalid", "end must be after start")
        errors.raise_if_any()
        self.tables.periods[(account_id, period_id)] = Period(account_id, period_id, start, end)  # type: ignore[arg-type]

    def delete_periods(self, account_id: str, body: dict[str, Any]) -> None:
        if "delete_all" in body:
            if wire.boolean(body["delete_all"]) is not True:
                raise invalid("delete_all", "invalid", "delete_all must be true when specified")
            for key in [k for k in self.tables.periods if k[0] == account_id]:
                del self.tables.periods[key]
            return
        errors = ErrorList()
        period_id = _ident(body, "available_period_id", errors)
        errors.raise_if_any()
        self.tables.periods.pop((account_id, period_id), None)  # type: ignore[arg-type]

    def read_periods(self, account_id: str, params: dict[str, Any], base: str) -> dict[str, Any]:
        errors = ErrorList()
        tzid = params.get("tzid") or "Etc/UTC"
        if not is_zone(tzid):
            errors.add("tzid", "invalid", "tzid must be a valid IANA time zone identifier")
            tzid = "Etc/UTC"
        bounds: dict[str, datetime] = {}
        for name in ("from", "to"):
            value = params.get(name)
            if value is None:
                continue
            try:
                bounds[name] = day_start(parse_date(value), tzid)
            except (ValueError, TypeError):
                errors.add(name, "invalid", f"{name} must be a valid date")
        localized = False
        if params.get("localized_times") is not None:
            flag = wire.boolean(params["localized_times"])
            if flag is None:
                errors.add(
                    "localized_times",
                    "must_be_boolean",
                    "must be a boolean value, either true or false",
                )
            localized = bool(flag)
        errors.raise_if_any()
        query = {"tzid": tzid, "localized": localized, **bounds}
        return self._page(account_id, query, 1, base)

    def page(self, account_id: str, token: str, base: str) -> dict[str, Any]:
        state = self.pages.get(token)
        if state is None or state[0] != account_id:
            raise not_found()
        return self._page(account_id, state[1], state[2], base)

    def _page(
        self, account_id: str, query: dict[str, Any], number: int, base: str
    ) -> dict[str, Any]:
        # "start before the given `to` date and end on or after the given `from` date"
        found = [
            p
            for p in self.tables.periods_of(account_id)
            if ("to" not in query or p.start < query["to"])
            and ("from" not in query or p.end >= query["from"])
        ]
        size = self.settings.page_size
        total = max(1, -(-len(found) // size))
        rows = found[(number - 1) * size : number * size]
        pages: dict[str, Any] = {"current": number, "total": total}
        if number < total:
            token = ids.hex_id("", 12)
            self.pages[token] = (account_id, query, number + 1)
            while len(self.pages) > MAX_PAGE_STATES:
                self.pages.popitem(last=False)
            pages["next_page"] = f"{base}/v1/available_periods/pages/{token}"
        tzid, localized = query["tzid"], query["localized"]
        return {
            "pages": pages,
            "available_periods": [
                {
                    "available_period_id": p.period_id,
                    "start": wire.render_time(p.start, tzid, localized),
                    "end": wire.render_time(p.end, tzid, localized),
                }
                for p in rows
            ],
        }

    # -- for availability queries --------------------------------------------------------

    def windows_of(
        self, account_id: str, rule_ids: list[str] | None
    ) -> tuple[tuple[av.Schedule, ...], tuple[av.Interval, ...], tuple[str, ...] | None]:
        """A managed member's schedules (its rules, or only `rule_ids`), its available periods,
        and the calendars its rules name (None: every calendar; some rule names none)."""
        rules = self.tables.rules_of(account_id)
        if rule_ids is not None:
            rules = [r for r in rules if r.rule_id in rule_ids]
        calendars: set[str] | None = set()
        for r in rules:
            if r.calendar_ids is None:
                calendars = None
            elif calendars is not None:
                calendars |= set(r.calendar_ids)
        periods = tuple((p.start, p.end) for p in self.tables.periods_of(account_id))
        chosen = None if calendars is None or not rules else tuple(sorted(calendars))
        return tuple(r.schedule() for r in rules), periods, chosen
