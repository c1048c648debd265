"""Cronofy's wire format: parse request values into core values, render core records as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from mockserver.core.busy import free_busy_status
from mockserver.core.models import Attendee, Calendar, Event, Occurrence, Profile
from mockserver.core.timeutil import format_local, format_utc, is_zone, parse_date, parse_time
from mockserver.cronofy.exceptions import ErrorList

TRUE = ("true", "True", "TRUE", "1")
FALSE = ("false", "False", "FALSE", "0")
WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
FREQUENCIES = ("daily", "weekly", "monthly", "yearly")


def boolean(value: Any) -> bool | None:
    """true/false as JSON, or the strings pycronofy (`True`) and forms (`true`, `1`) send."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in TRUE:
            return True
        if value in FALSE:
            return False
    return None


# -- times ------------------------------------------------------------------------------------


def parse_instant(value: Any, errors: ErrorList, field: str) -> datetime | None:
    """A Cronofy Time: UTC (or offset) ISO 8601; a non-zero millisecond part is refused."""
    if not isinstance(value, str):
        errors.add(field, "invalid", f"{field} must be a time")
        return None
    try:
        parts = parse_time(value)
    except ValueError:
        errors.add(field, "invalid", f"{field} must be an ISO 8601 time")
        return None
    if parts.fraction and int(parts.fraction):
        errors.add(field, "invalid", f"{field} must not have a non-zero millisecond component")
        return None
    return parts.aware("Etc/UTC")


def parse_event_time(
    value: Any, errors: ErrorList, field: str, default_tzid: str
) -> tuple[datetime | date, str] | None:
    """`start`/`end`: a Time, a Date, or {"time": Time|Date, "tzid": zone}. Returns (value, tzid)."""
    tzid = default_tzid
    if isinstance(value, dict):
        if "tzid" in value:
            tzid = value["tzid"]
            if not isinstance(tzid, str) or not is_zone(tzid):
                errors.add(field, "invalid", f"{field}.tzid must be a valid IANA time zone")
                return None
        if "time" not in value:
            errors.add(field, "required", f"{field}.time must be specified")
            return None
        value = value["time"]
    if not isinstance(value, str):
        errors.add(field, "invalid", f"{field} must be a time or a date")
        return None
    if len(value) == 10:
        try:
            return parse_date(value), tzid
        except ValueError:
            errors.add(field, "invalid", f"{field} must be a valid date")
            return None
    parsed = parse_instant(value, errors, field)
    return (parsed, tzid) if parsed is not None else None


def render_time(value: datetime | date, tzid: str, localized: bool) -> Any:
    if isinstance(value, datetime):
        if localized:
            return {"time": format_local(value, tzid), "tzid": tzid}
        return format_utc(value)
    text = value.isoformat()
    return {"time": text, "tzid": tzid} if localized else text


# -- upsert body -------------------------------------------------------------------------------


def text(body: dict, field: str, errors: ErrorList, limit: int, *, required: bool) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            errors.required(field)
        return None
    if not isinstance(value, str):
        errors.add(field, "invalid", f"{field} must be a string")
        return None
    if required and not value.strip():
        errors.required(field)
        return None
    if len(value) > limit:
        errors.add(field, "too_long", f"{field} must be no longer than {limit} characters")
        return None
    return value


def recurrence_rules(value: Any, errors: ErrorList) -> tuple[str, ...] | None:
    """`{"rules": [{"frequency", "interval", "by_day", "count", "until"}]}` → RRULE lines."""
    if not isinstance(value, dict) or not isinstance(value.get("rules"), list):
        errors.add("recurrence", "invalid", "recurrence must be an object with a rules array")
        return None
    lines = []
    for i, rule in enumerate(value["rules"]):
        where = f"recurrence.rules[{i}]"
        if not isinstance(rule, dict) or rule.get("frequency") not in FREQUENCIES:
            errors.add(
                "recurrence",
                "invalid",
                f"{where}.frequency must be one of {', '.join(FREQUENCIES)}",
            )
            return None
        parts = [f"FREQ={rule['frequency'].upper()}"]
        interval = rule.get("interval", 1)
        if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 1000:
            errors.add("recurrence", "invalid", f"{where}.interval must be a positive integer")
            return None
        if interval != 1:
            parts.append(f"INTERVAL={interval}")
        if "count" in rule:
            count = rule["count"]
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
                errors.add("recurrence", "invalid", f"{where}.count must be a positive integer")
                return None
            parts.append(f"COUNT={count}")
        if "until" in rule:
            until = rule["until"]
            try:
                stamp = (
                    parse_date(until).strftime("%Y%m%d")
                    if isinstance(until, str) and len(until) == 10
                    else parse_time(until).aware().strftime("%Y%m%dT%H%M%SZ")
                )
            except (ValueError, TypeError):
                errors.add("recurrence", "invalid", f"{where}.until must be a date or time")
                return None
            parts.append(f"UNTIL={stamp}")
        if "by_day" in rule:
            days = rule["by_day"]
            if rule["frequency"] != "weekly":
                errors.add("recurrence", "invalid", f"{where}.by_day is only allowed with weekly")
                return None
            if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
                errors.add("recurrence", "invalid", f"{where}.by_day must list weekday names")
                return None
            parts.append("BYDAY=" + ",".join(WEEKDAYS[d] for d in days))
        lines.append("RRULE:" + ";".join(parts))
    return tuple(lines)


def attendee_changes(value: Any, errors: ErrorList) -> tuple[list[dict], list[str]] | None:
    """`{"invite": [{email, display_name}], "remove": [{email}]}` (Ruby docs say `reject`)."""
    if not isinstance(value, dict):
        errors.add("attendees", "invalid", "attendees must be an object with invite/remove")
        return None
    invite, remove = value.get("invite", []), value.get("remove", value.get("reject", []))
    if not isinstance(invite, list) or not isinstance(remove, list):
        errors.add("attendees", "invalid", "attendees.invite and attendees.remove must be arrays")
        return None
    for person in [*invite, *remove]:
        if (
            not isinstance(person, dict)
            or not isinstance(person.get("email"), str)
            or "@" not in person["email"]
        ):
            errors.add("attendees", "invalid", "each attendee needs an email address")
            return None
        if "display_name" in person and not isinstance(person["display_name"], str):
            errors.add("attendees", "invalid", "attendee display_name must be a string")
            return None
    return invite, [p["email"].lower() for p in remove]


def apply_attendees(
    current: tuple[Attendee, ...], invite: list[dict], remove: list[str]
) -> tuple[Attendee, ...]:
    out = [a for a in current if a.email.lower() not in remove]
    known = {a.email.lower() for a in out}
    for person in invite:
        if person["email"].lower() not in known:
            out.append(Attendee(person["email"], person.get("display_name")))
            known.add(person["email"].lower())
    return tuple(out)


def is_uri(value: str) -> bool:
    parsed = urlparse(value)
    return bool(parsed.scheme) and bool(parsed.netloc or parsed.path)


# -- rendering --------------------------------------------------------------------------------


def calendar_json(cal: Calendar, profile: Profile, *, with_profile: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if with_profile:
        out |= {
            "provider_name": profile.provider_name,
            "profile_id": profile.id,
            "profile_name": profile.name,
        }
    out |= {
        "calendar_id": cal.id,
        "calendar_name": cal.name,
        "calendar_readonly": cal.readonly,
        "calendar_deleted": cal.deleted,
        "calendar_primary": cal.primary,
        "calendar_integrated_conferencing_available": cal.conferencing_available,
        "calendar_attachments_available": cal.attachments_available,
        "permission_level": cal.permission_level,
    }
    if cal.color:
        out["calendar_color"] = cal.color
    return out


def profile_json(profile: Profile, base: str) -> dict[str, Any]:
    out = {
        "provider_name": profile.provider_name,
        "provider_service": profile.provider_service,
        "profile_id": profile.id,
        "profile_name": profile.name,
        "profile_connected": profile.connected,
        "profile_initial_sync_required": False,
    }
    if not profile.connected:
        out["profile_relink_url"] = f"{base}/oauth/authorize?relink={profile.id}"
    return out


def event_options(event: Event, calendar: Calendar, app_id: str) -> dict[str, bool]:
    """Managed events are the app's to change; external ones need an unrestricted calendar, the
    owner's consent on the event, and no recurrence."""
    if event.managed_by(app_id):
        allowed = not calendar.readonly
        return {"delete": allowed, "update": allowed, "change_participation_status": allowed}
    editable = (
        event.app_id is None
        and calendar.permission_level == "unrestricted"
        and not calendar.readonly
        and not event.recurring
    )
    return {
        "delete": editable and event.options.delete,
        "update": editable and event.options.update,
        "change_participation_status": not calendar.readonly
        and event.options.change_participation_status,
    }


def event_json(
    occ: Occurrence,
    calendar: Calendar,
    app_id: str,
    *,
    tzid: str,
    localized: bool,
    google_ids: bool = False,
) -> dict[str, Any]:
    ev = occ.event
    zone_for = ev.tzid or tzid
    out: dict[str, Any] = {"calendar_id": ev.calendar_id, "event_uid": occ.instance_uid}
    if ev.managed_by(app_id):
        out["event_id"] = ev.app_event_id
    out |= {
        "summary": ev.summary,
        "description": ev.description,
        "start": render_time(occ.start, zone_for, localized),
        "end": render_time(occ.end, ev.end_tzid or zone_for, localized),
        "deleted": ev.deleted,
        "created": format_utc(ev.created),
        "updated": format_utc(ev.updated),
    }
    if ev.location:
        out["location"] = ev.location
    out["participation_status"] = ev.participation_status
    out["attendees"] = [
        {"email": a.email, "display_name": a.display_name or a.email, "status": a.status}
        for a in ev.attendees
    ]
    if ev.organizer:
        out["organizer"] = {
            "email": ev.organizer.email,
            "display_name": ev.organizer.display_name or ev.organizer.email,
        }
    out["transparency"] = ev.transparency
    if isinstance(ev.extra.get("extended_transparency"), str):  # cronofy-csharp GetEvents.cs
        out["extended_transparency"] = ev.extra["extended_transparency"]
    out |= {
        "status": ev.status,
        "categories": list(ev.categories),
        "recurring": ev.recurring,
        "event_private": ev.visibility == "private",
        "options": event_options(ev, calendar, app_id),
    }
    if ev.recurring:
        out["series_identifier"] = ev.uid
    if ev.url:
        out["url"] = ev.url
    if ev.conferencing:
        join = ev.conferencing.get("join_url")
        out["conferencing"] = {
            "provider_name": ev.conferencing.get("provider_description", "explicit"),
            "join_url": join,
        }
        if join:
            out["meeting_url"] = join
    if ev.color:
        out["color"] = ev.color
    if google_ids:
        out["google_event_id"] = ev.provider_event_id
    return out


def free_busy_json(occ: Occurrence, tzid: str, localized: bool) -> dict[str, Any]:
    ev = occ.event
    status = free_busy_status(ev) or "free"  # the reader leaves out what takes no time
    zone_for = ev.tzid or tzid
    return {
        "calendar_id": ev.calendar_id,
        "start": render_time(occ.start, zone_for, localized),
        "end": render_time(occ.end, ev.end_tzid or zone_for, localized),
        "free_busy_status": status,
    }


def dashboard_event(backend: Any, ev: Event) -> dict[str, Any] | None:
    """The event as Read Events shows it to the app that manages it (any app, for an external
    event), in UTC: registry.Provider.render_event, for the dashboard."""
    calendar = backend.world.calendars.get(ev.calendar_id)
    if calendar is None:
        return None
    occ = Occurrence(ev, ev.start, ev.end, ev.uid)
    return event_json(occ, calendar, ev.app_id or "", tzid="Etc/UTC", localized=False)
