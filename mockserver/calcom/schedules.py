"""Schedules, cal-api-version 2024-06-11 (or 2024-06-14): a user's working hours and date
overrides (docs/reference/scheduling.md §3.5, rules S-K33..S-K38;
apps/api/v2/src/ee/schedules/schedules_2024_06_11/**). `windows()` turns a schedule into the
availability windows the engine takes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mockserver.calcom import dto
from mockserver.calcom.dto import IsArray, IsBoolean, IsIn, IsString, IsTimeZone, Prop
from mockserver.calcom.exceptions import bad_request, forbidden, not_found, validation_failed
from mockserver.calcom.store import EventType, Schedule, User, replace

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller
    from mockserver.calcom.store import CalcomStore

VERSIONS = ("2024-06-11", "2024-06-14")
WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HH_MM = r"^([01]\d|2[0-3]):([0-5]\d)$"
DEFAULT_AVAILABILITY = ((WEEK_DAYS[:5], "09:00", "17:00"),)


def _time(name: str) -> Prop:
    return Prop(
        name,
        (dto.Matches(HH_MM, f"{name} must be a valid time format HH:MM"), IsString()),
        optional=False,
    )


def override_day(value: Any) -> date | None:
    """The calendar date of an ISO 8601 value (any form validator.js accepts that names a day:
    `2050-09-05`, `20500905`, `2050-W36-1`, with or without a time), or None."""
    if not dto.is_iso8601(value):
        return None
    head = value.replace(" ", "T").split("T")[0]
    try:
        return date.fromisoformat(head)
    except ValueError:
        return None


def _strict_date(value: Any) -> bool:
    """IsISO8601({strict: true}) on a date: the calendar date must exist."""
    return override_day(value) is not None


AVAILABILITY: dto.Dto = (
    Prop("days", (IsIn(WEEK_DAYS, each=True), IsArray()), optional=False),
    _time("startTime"),
    _time("endTime"),
)
OVERRIDE: dto.Dto = (
    Prop(
        "date",
        (dto.Check("isIso8601", _strict_date, "$property must be a valid ISO 8601 date string"),),
        optional=False,
    ),
    _time("startTime"),
    _time("endTime"),
)


def schedule_dto(update: bool) -> dto.Dto:
    return (
        Prop("name", (IsString(),), optional=update),
        Prop("timeZone", (IsTimeZone(),), optional=update),
        Prop("availability", (IsArray(),), nested=AVAILABILITY, each=True),
        Prop("isDefault", (IsBoolean(),), optional=update),
        Prop("overrides", (IsArray(),), nested=OVERRIDE, each=True),
    )


def schedule_json(s: Schedule, owner: User) -> dict[str, Any]:
    """ScheduleOutput_2024_06_11: isDefault computed from the owner's defaultScheduleId."""
    return {
        "id": s.id,
        "ownerId": s.user_id,
        "name": s.name,
        "timeZone": s.time_zone or "Europe/London",
        "availability": [
            {"days": list(days), "startTime": start, "endTime": end}
            for days, start, end in s.availability
        ],
        "isDefault": owner.default_schedule_id == s.id,
        "overrides": [
            {"date": day, "startTime": start, "endTime": end} for day, start, end in s.overrides
        ],
    }


def rows(clean: dict[str, Any]) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    return tuple((tuple(r["days"]), r["startTime"], r["endTime"]) for r in clean["availability"])


def overrides(clean: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (override_day(o["date"]).isoformat(), o["startTime"], o["endTime"])  # type: ignore[union-attr]
        for o in clean["overrides"]
    )


class Schedules:
    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def store(self) -> CalcomStore:
        return self.be.store

    def json(self, s: Schedule) -> dict[str, Any]:
        return schedule_json(s, self.store.users[s.user_id])

    def _own(self, caller: Caller, ident: int, unknown: str = "404") -> Schedule:
        s = self.store.schedules.get(ident)
        if s is None:
            text = f"Schedule with ID={ident} does not exist."
            raise bad_request(text) if unknown == "400" else not_found(text)
        if s.user_id != caller.user.id:
            raise forbidden(f"User with ID={caller.user.id} does not own schedule with ID={ident}")
        return s

    def _set_default(self, user: User, ident: int | None) -> None:
        self.store.users[user.id] = replace(self.store.users[user.id], default_schedule_id=ident)

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(schedule_dto(False), body)
        if errors:
            raise validation_failed(errors)
        s = Schedule(
            self.store.next_id("schedule"),
            caller.user.id,
            clean["name"],
            clean["timeZone"],
            rows(clean) if clean.get("availability") is not None else DEFAULT_AVAILABILITY,
            overrides(clean) if clean.get("overrides") is not None else (),
        )
        self.store.schedules[s.id] = s
        if clean["isDefault"]:
            self._set_default(caller.user, s.id)
        return self.json(s)

    def list(self, caller: Caller) -> list[dict[str, Any]]:
        return [self.json(s) for s in self.store.schedules_of(caller.user.id)]

    def default(self, caller: Caller) -> dict[str, Any] | None:
        ident = self.store.users[caller.user.id].default_schedule_id
        s = self.store.schedules.get(ident) if ident is not None else None
        return self.json(s) if s is not None else None

    def get(self, caller: Caller, ident: int) -> dict[str, Any]:
        return self.json(self._own(caller, ident))

    def update(self, caller: Caller, ident: int, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(schedule_dto(True), body)
        if errors:
            raise validation_failed(errors)
        s = self._own(caller, ident)
        changes: dict[str, Any] = {}
        if clean.get("name") is not None:
            changes["name"] = clean["name"]
        if clean.get("timeZone") is not None:
            changes["time_zone"] = clean["timeZone"]
        if clean.get("availability") is not None:
            changes["availability"] = rows(clean)  # replaces every weekly row ([] clears)
        if clean.get("overrides") is not None:
            changes["overrides"] = overrides(clean)
        s = replace(s, **changes)
        self.store.schedules[s.id] = s
        if clean.get("isDefault") is True:  # false changes nothing
            self._set_default(caller.user, s.id)
        return self.json(s)

    def delete(self, caller: Caller, ident: int) -> None:
        s = self._own(caller, ident, unknown="400")
        del self.store.schedules[s.id]
        if self.store.users[caller.user.id].default_schedule_id == s.id:
            self._set_default(caller.user, None)
        for et in list(self.store.event_types.values()):  # scheduleId is set null
            if et.schedule_id == s.id:
                spec = {k: v for k, v in et.spec.items() if k != "scheduleId"}
                self.store.event_types[et.id] = replace(et, spec=spec)

    # -- which schedule an event type uses --------------------------------------------------

    def of_event_type(self, et: EventType) -> tuple[str, tuple[Any, ...], tuple[Any, ...]]:
        """(zone, weekly rows, overrides): the type's schedule, else the owner's default, else
        the owner's first schedule, else Mon-Fri 09:00-17:00 in the owner's zone
        (detectEventTypeScheduleForUser, DEFAULT_SCHEDULE_DATA)."""
        user = self.store.users[et.user_id]
        chosen = self.store.schedules.get(et.schedule_id) if et.schedule_id else None
        if chosen is None and user.default_schedule_id is not None:
            chosen = self.store.schedules.get(user.default_schedule_id)
        if chosen is None:
            mine = self.store.schedules_of(user.id)
            chosen = mine[0] if mine else None
        if chosen is None:
            return user.time_zone, DEFAULT_AVAILABILITY, ()
        return chosen.time_zone or "Europe/London", chosen.availability, chosen.overrides
