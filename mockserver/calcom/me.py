"""PATCH /v2/me (docs/reference/scheduling.md §3.9, rules S-K54, S-K55;
apps/api/v2/src/modules/users/inputs/update-managed-user.input.ts, ee/me/services/me.service.ts):
the UpdateManagedUserInput DTO, and a time-zone change that moves the default schedule too."""

from __future__ import annotations

from typing import Any

from mockserver.calcom import dto
from mockserver.calcom.dto import IsIn, IsNumber, IsObject, IsString, IsTimeZone, IsUrl, Prop
from mockserver.calcom.exceptions import not_found, validation_failed
from mockserver.calcom.store import CalcomStore, User, replace
from mockserver.core.timeutil import is_zone

WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
METADATA_TEXT = (
    "Metadata must have at most 50 keys, each key up to 40 characters, and values up to 500 "
    "characters."
)


def _metadata_ok(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) > 50:
        return False
    return all(len(k) <= 40 and (not isinstance(v, str) or len(v) <= 500) for k, v in value.items())


UPDATE_ME: dto.Dto = (  # UpdateManagedUserInput, each Prop's checks bottom-up
    Prop("email", (IsString(),)),
    Prop("name", (IsString(),)),
    Prop("timeFormat", (IsIn((12, 24)),)),
    Prop("defaultScheduleId", (IsNumber(),)),
    Prop("weekStart", (IsIn(WEEK_DAYS), IsString())),
    Prop("timeZone", (IsTimeZone(),)),
    Prop("locale", (dto.IsEnum(dto.LANGUAGES),)),
    Prop("avatarUrl", (IsUrl(),)),
    Prop("bio", (IsString(),)),
    Prop("metadata", (dto.Custom("ValidateMetadata", _metadata_ok, METADATA_TEXT), IsObject())),
)


def capitalize_zone(value: Any) -> Any:
    """@CapitalizeTimeZone: `europe/rome` -> `Europe/Rome` (a valid zone is left alone)."""
    if not isinstance(value, str) or is_zone(value):
        return value
    parts = [
        "_".join(w[:1].upper() + w[1:].lower() for w in p.split("_")) for p in value.split("/")
    ]
    return "/".join(parts)


def update_me(store: CalcomStore, user_id: int, body: Any) -> User:
    if isinstance(body, dict) and "timeZone" in body:
        body = {**body, "timeZone": capitalize_zone(body["timeZone"])}
    clean, errors = dto.validate(UPDATE_ME, body)
    if errors:
        raise validation_failed(errors)
    user = store.users[user_id]
    schedule_id = clean.get("defaultScheduleId")
    if schedule_id is not None:
        sch = store.schedules.get(int(schedule_id))
        if sch is None or sch.user_id != user.id:  # the answer for a foreign id: UNVERIFIED
            raise not_found(f"User with ID={user.id} does not own schedule with ID={schedule_id}")
    fields = {
        "email": "email",
        "name": "name",
        "timeFormat": "time_format",
        "defaultScheduleId": "default_schedule_id",
        "weekStart": "week_start",
        "timeZone": "time_zone",
        "locale": "locale",
        "avatarUrl": "avatar_url",
        "bio": "bio",
        "metadata": "metadata",
    }
    changes = {attr: clean[key] for key, attr in fields.items() if clean.get(key) is not None}
    if "default_schedule_id" in changes:
        changes["default_schedule_id"] = int(changes["default_schedule_id"])
    user = replace(user, **changes)
    store.users[user.id] = user
    if "time_zone" in changes and user.default_schedule_id in store.schedules:
        # the default schedule moves with the user's zone (me.service)
        sch = store.schedules[user.default_schedule_id]
        store.schedules[sch.id] = replace(sch, time_zone=user.time_zone)
    return user
