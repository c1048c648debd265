"""Availability and Sequenced Availability: read a query body in Cronofy's terms, ask the core
engine (mockserver/core/availability.py), answer in Cronofy's shape. Every bad input is a 422
`{"errors": {<parameter>: [...]}}` naming the top-level parameter it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.core import availability as av
from mockserver.core.timeutil import format_utc
from mockserver.cronofy import wire
from mockserver.cronofy.exceptions import ErrorList
from mockserver.cronofy.store import App

if TYPE_CHECKING:
    from mockserver.cronofy.models import CronofyBackend

FORMATS = ("periods", "slots", "overlapping_slots")
NOTHING = timedelta(0)


@dataclass(frozen=True)
class Caller:
    """Who asks: the application (by its client secret), or one account's access token."""

    app: App
    account_id: str | None = None


@dataclass
class Buffer:
    minimum: timedelta = NOTHING
    maximum: timedelta | None = None


def absent(value: Any) -> bool:
    """pycronofy sends unset optional fields as null or {} (S-C18)."""
    return value is None or value == {} or value == []


def duration(value: Any, errors: ErrorList, name: str, *, least: int = 1) -> timedelta | None:
    """A Duration: `{"minutes": n}` (and/or `"hours"`), whole numbers, at least `least` minutes."""
    if not isinstance(value, dict) or not value or set(value) - {"minutes", "hours"}:
        errors.add(name, "invalid", f'{name} must be a duration such as {{"minutes": 30}}')
        return None
    total = 0
    for unit, factor in (("minutes", 1), ("hours", 60)):
        n = value.get(unit, 0)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            errors.add(name, "invalid", f"{name}.{unit} must be a whole number of at least 0")
            return None
        total += n * factor
    if total < least:
        errors.add(name, "invalid", f"{name} must be at least {least} minutes")
        return None
    return timedelta(minutes=total)


def buffers(value: Any, errors: ErrorList, name: str = "buffer") -> tuple[Buffer, Buffer]:
    """`buffer.before` / `buffer.after`: a Duration, or `{minimum, maximum}` Durations."""
    if absent(value):
        return Buffer(), Buffer()
    if not isinstance(value, dict) or set(value) - {"before", "after"}:
        errors.add(name, "invalid", f"{name} may only have before and after")
        return Buffer(), Buffer()
    out = []
    for side in ("before", "after"):
        spec = value.get(side)
        if absent(spec):
            out.append(Buffer())
        elif isinstance(spec, dict) and ("minimum" in spec or "maximum" in spec):
            low = spec.get("minimum")
            high = spec.get("maximum")
            least = NOTHING if absent(low) else duration(low, errors, name, least=0)
            most = None if absent(high) else duration(high, errors, name, least=0)
            if least is not None and most is not None and most < least:
                errors.add(name, "invalid", f"{name}.{side}.maximum must not be below its minimum")
            out.append(Buffer(least or NOTHING, most))
        else:
            out.append(Buffer(duration(spec, errors, name, least=0) or NOTHING))
    return out[0], out[1]


def time_periods(value: Any, errors: ErrorList, name: str) -> list[av.Interval]:
    """`[{start, end}]` of Times (`T` or a space between date and time, S-C19)."""
    if not isinstance(value, list) or not value:
        errors.add(name, "invalid", f"{name} must be a non-empty array of periods")
        return []
    out = []
    for period in value:
        if not isinstance(period, dict) or "start" not in period or "end" not in period:
            errors.add(name, "invalid", f"each of {name} needs a start and an end")
            return []
        probe = ErrorList()
        start = wire.parse_instant(period["start"], probe, name)
        end = wire.parse_instant(period["end"], probe, name)
        if probe or start is None or end is None:
            errors.add(name, "invalid", f"{name} start and end must be ISO 8601 times")
            return []
        if end <= start:
            errors.add(name, "invalid", f"each of {name} must end after it starts")
            return []
        out.append((start, end))
    return out


class Scheduler:
    """POST /v1/availability and POST /v1/sequenced_availability."""

    def __init__(self, backend: CronofyBackend) -> None:
        self.be = backend
        self.world = backend.world
        self.settings = backend.settings

    # -- who may be asked about ------------------------------------------------------------

    def _subs(self, caller: Caller) -> set[str]:
        """Accounts the caller may name: every account that granted this application free/busy
        access; an access token only its own account with `availability_subs = "own"`."""
        if caller.account_id is not None and self.settings.availability_subs == "own":
            return {caller.account_id}
        return {
            g.account_id
            for g in self.be.oauth.grants.values()
            if g.client_id == caller.app.client_id
            and not g.revoked
            and "read_free_busy" in g.scopes
        }

    # -- pieces of a body ----------------------------------------------------------------

    def _groups(
        self, value: Any, errors: ErrorList, caller: Caller, name: str = "participants"
    ) -> list[av.Group]:
        if value is None:
            errors.required(name)
            return []
        if not isinstance(value, list) or not value:
            errors.add(name, "invalid", f"{name} must be a non-empty array of groups")
            return []
        allowed = self._subs(caller)
        groups = []
        for group in value:
            members = group.get("members") if isinstance(group, dict) else None
            if not isinstance(members, list) or not members:
                errors.add(name, "invalid", "each participant group needs members")
                return []
            people = []
            for member in members:
                person = self._member(member, errors, allowed, name)
                if person is None:
                    return []
                people.append(person)
            required = group.get("required", "all")
            if required is None or required == "all":
                needed = None
            elif (
                isinstance(required, int)
                and not isinstance(required, bool)
                and 1 <= required <= len(people)
            ):
                needed = required
            else:
                errors.add(
                    name,
                    "invalid",
                    'required must be "all" or a number from 1 to the number of members',
                )
                return []
            groups.append(av.Group(tuple(people), needed))
        return groups

    def _member(
        self, member: Any, errors: ErrorList, allowed: set[str], name: str
    ) -> av.Participant | None:
        sub = member.get("sub") if isinstance(member, dict) else None
        if not isinstance(sub, str) or not sub:
            errors.add(name, "invalid", "each member needs a sub")
            return None
        if sub not in allowed or sub not in self.world.accounts:
            errors.add(name, "invalid", f"{sub} is not an account authorized for this application")
            return None
        account = self.world.accounts[sub]
        mine = [c.id for c in self.world.calendars_of(sub) if not c.deleted]
        calendars: tuple[str, ...] | None = None
        if not absent(member.get("calendar_ids")):
            cal_ids = member["calendar_ids"]
            if not isinstance(cal_ids, list) or any(c not in mine for c in cal_ids):
                errors.add(
                    name, "invalid_calendar_ids", f"calendar_ids of {sub} must be its own calendars"
                )
                return None
            calendars = tuple(cal_ids)
        within = None
        if not absent(member.get("available_periods")):
            within = tuple(time_periods(member["available_periods"], errors, name))
            if not within:
                return None
        hours: tuple[av.Schedule, ...] | None = None
        periods: tuple[av.Interval, ...] = ()
        managed = wire.boolean(member.get("managed_availability", False))
        if managed is None:
            errors.add(name, "invalid", "managed_availability must be true or false")
            return None
        if managed:
            rule_ids = member.get("availability_rule_ids")
            if rule_ids is not None and (
                not isinstance(rule_ids, list) or any(not isinstance(r, str) for r in rule_ids)
            ):
                errors.add(name, "invalid", "availability_rule_ids must be an array of strings")
                return None
            hours, periods, rule_calendars = self.be.managed.windows_of(sub, rule_ids)
            if calendars is None and rule_calendars is not None:
                calendars = rule_calendars
        return av.Participant(
            sub,
            tuple(mine) if calendars is None else calendars,
            hours,
            periods,
            within,
            tzid=account.default_tzid,
        )

    def _periods(
        self, body: dict[str, Any], errors: ErrorList, *, needed: bool
    ) -> list[av.Interval]:
        """`query_periods`, or its older name `available_periods` (S-C3)."""
        for name in ("query_periods", "available_periods"):
            if not absent(body.get(name)):
                found = time_periods(body[name], errors, name)
                if len(found) > self.settings.max_query_periods:
                    errors.add(
                        name, "too_many", f"at most {self.settings.max_query_periods} {name}"
                    )
                elif found:
                    span = max(e for _, e in found) - min(s for s, _ in found)
                    if span > timedelta(days=self.settings.max_query_days):
                        errors.add(
                            name,
                            "invalid",
                            f"{name} must lie within {self.settings.max_query_days} days",
                        )
                return found
        if needed:
            errors.required("query_periods")
        return []

    def _interval(self, value: Any, errors: ErrorList, name: str = "start_interval") -> timedelta:
        if absent(value):
            return timedelta(minutes=self.settings.default_start_interval)
        got = duration(value, errors, name)
        if got is not None and int(got.total_seconds() // 60) not in self.settings.start_intervals:
            allowed = ", ".join(str(m) for m in self.settings.start_intervals)
            errors.add(name, "invalid", f"{name} must be one of {allowed} minutes")
        return got or timedelta(minutes=self.settings.default_start_interval)

    def _now(self) -> datetime:
        return self.world.clock.now().replace(microsecond=0)

    # -- Availability --------------------------------------------------------------------

    def availability(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        errors = ErrorList()
        groups = self._groups(body.get("participants"), errors, caller)
        length = None
        if body.get("required_duration") is None:
            errors.required("required_duration")
        else:
            length = duration(body["required_duration"], errors, "required_duration")
        slots_asked = body.get("query_slots")
        starts: list[datetime] = []
        if not absent(slots_asked):
            starts = self._query_slots(slots_asked, errors)
        periods = self._periods(body, errors, needed=not starts)
        before, after = buffers(body.get("buffer"), errors)
        interval = self._interval(body.get("start_interval"), errors)
        fmt = body.get("response_format", "periods")
        if absent(fmt):
            fmt = "periods"
        if fmt not in FORMATS:
            errors.add(
                "response_format",
                "invalid",
                "response_format must be one of periods, slots, overlapping_slots",
            )
        limit = self.settings.default_max_results
        if not absent(body.get("max_results")):
            limit = body["max_results"]
            if (
                not isinstance(limit, int)
                or isinstance(limit, bool)
                or not 1 <= limit <= self.settings.max_results
            ):
                errors.add(
                    "max_results",
                    "invalid",
                    f"max_results must be from 1 to {self.settings.max_results}",
                )
        errors.raise_if_any()
        assert length is not None
        query = av.Query(
            tuple(groups),
            tuple(periods) or tuple((s, s + length) for s in starts),
            length,
            before.minimum,
            after.minimum,
            earliest=self._now(),
            max_results=limit,
        )
        grid = av.Grid(interval, interval, "Etc/UTC", overlapping=fmt == "overlapping_slots")
        if starts:
            found = self._at_starts(query, starts, limit)
        elif fmt == "periods":
            found = av.periods(self.world, query, grid)
        else:
            found = av.slots(self.world, query, grid)
        key = "available_periods" if fmt == "periods" else "available_slots"
        return {key: [available_json(a) for a in found]}

    def _query_slots(self, value: Any, errors: ErrorList) -> list[datetime]:
        if not isinstance(value, list):
            errors.add("query_slots", "invalid", "query_slots must be an array of {start}")
            return []
        out = []
        for slot in value:
            start = wire.parse_instant(
                slot.get("start") if isinstance(slot, dict) else None, errors, "query_slots"
            )
            if start is None:
                return []
            out.append(start)
        return sorted(set(out))

    def _at_starts(self, query: av.Query, starts: list[datetime], limit: int) -> list[av.Available]:
        """`query_slots`: one slot per given start, where available (S-C16)."""
        out = []
        for start in starts:
            free = av.free_members(self.world, query, start)
            if free is not None:
                out.append(av.Available(start, start + query.duration, free))
                if len(out) >= limit:
                    break
        return out

    # -- Sequenced Availability ----------------------------------------------------------

    def sequenced(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        errors = ErrorList()
        items = body.get("sequence")
        if items is None:
            errors.required("sequence")
            items = []
        elif (
            not isinstance(items, list) or not items or any(not isinstance(i, dict) for i in items)
        ):
            errors.add("sequence", "invalid", "sequence must be a non-empty array of steps")
            items = []
        shared = self._periods(body, errors, needed=False)
        parsed = []
        for index, item in enumerate(items):
            step = self._sequence_item(item, index, errors, caller, shared)
            if step is None:
                break
            parsed.append(step)
        errors.raise_if_any()
        parsed.sort(key=lambda s: s[0])
        steps = []
        for k, (_, key, query, grid, before, _after) in enumerate(parsed):
            if k == 0:
                steps.append(av.Step(key, query, grid))
                continue
            prev_after = parsed[k - 1][5]
            maxima = [m for m in (prev_after.maximum, before.maximum) if m is not None]
            steps.append(
                av.Step(
                    key,
                    query,
                    grid,
                    min_gap=max(prev_after.minimum, before.minimum),
                    max_gap=min(maxima) if maxima else None,
                )
            )
        chains = av.sequences(self.world, steps, self.settings.max_sequences)
        return {
            "sequences": [
                {
                    "sequence": [
                        {"sequence_id": st.key, **available_json(a)}
                        for st, a in zip(steps, chain, strict=True)
                    ]
                }
                for chain in chains
            ]
        }

    def _sequence_item(
        self,
        item: dict[str, Any],
        index: int,
        errors: ErrorList,
        caller: Caller,
        shared: list[av.Interval],
    ) -> tuple | None:
        key = item.get("sequence_id")
        if key is None or isinstance(key, bool) or not isinstance(key, str | int):
            errors.add("sequence", "invalid", "each step needs a sequence_id")
            return None
        ordinal = item.get("ordinal")
        if ordinal is not None and (not isinstance(ordinal, int) or isinstance(ordinal, bool)):
            errors.add("sequence", "invalid", "ordinal must be a whole number")
            return None
        groups = self._groups(item.get("participants"), errors, caller, "sequence")
        if item.get("required_duration") is None:
            errors.add("sequence", "required", "each step needs a required_duration")
            return None
        length = duration(item["required_duration"], errors, "sequence")
        before, after = buffers(item.get("buffer"), errors, "sequence")
        interval = self._interval(item.get("start_interval"), errors, "sequence")
        periods = self._periods(item, errors, needed=False) or shared
        if not periods:
            errors.required("query_periods")
        if errors or length is None:
            return None
        query = av.Query(
            tuple(groups),
            tuple(periods),
            length,
            before.minimum,
            after.minimum,
            earliest=self._now(),
        )
        grid = av.Grid(interval, interval, "Etc/UTC")
        order = (ordinal is None, ordinal if ordinal is not None else 0, index)
        return order, key, query, grid, before, after


def available_json(a: av.Available) -> dict[str, Any]:
    return {
        "start": format_utc(a.start),
        "end": format_utc(a.end),
        "participants": [{"sub": sub} for sub in a.participants],
    }
