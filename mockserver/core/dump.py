"""The world written back out in the world-file format, so a dump can be seeded again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from mockserver.core.models import Event
from mockserver.core.timeutil import format_utc
from mockserver.core.world import World


def _time(value: datetime | date) -> str:
    return format_utc(value) if isinstance(value, datetime) else value.isoformat()


def event_dict(ev: Event) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uid": ev.uid,
        "summary": ev.summary,
        "start": _time(ev.start),
        "end": _time(ev.end),
        "tzid": ev.tzid,
        "created": format_utc(ev.created),
        "updated": format_utc(ev.updated),
        "transparency": ev.transparency,
        "status": ev.status,
        "visibility": ev.visibility,
        "participation_status": ev.participation_status,
        "options": {
            "update": ev.options.update,
            "delete": ev.options.delete,
            "change_participation_status": ev.options.change_participation_status,
        },
    }
    if ev.description:
        out["description"] = ev.description
    if ev.end_tzid:
        out["end_tzid"] = ev.end_tzid
    if ev.app_id and ev.app_event_id:
        out["managed_by"] = {"app": ev.app_id, "event_id": ev.app_event_id}
    if ev.location:
        out["location"] = ev.location
    if ev.url:
        out["url"] = ev.url
    if ev.attendees:
        out["attendees"] = [
            {
                k: v
                for k, v in (
                    ("email", a.email),
                    ("display_name", a.display_name),
                    ("status", a.status),
                    ("optional", a.optional),
                    ("organizer", a.organizer),
                )
                if v is not None
            }
            for a in ev.attendees
        ]
    if ev.organizer:
        out["organizer"] = {
            k: v
            for k, v in (("email", ev.organizer.email), ("display_name", ev.organizer.display_name))
            if v
        }
    for name in ("recurrence", "reminders", "categories"):
        if getattr(ev, name):
            out[name] = list(getattr(ev, name))
    if ev.conferencing:
        out["conferencing"] = ev.conferencing
    if ev.color:
        out["color"] = ev.color
    if ev.deleted:
        out["deleted"] = True
    if ev.extra:
        out["extra"] = ev.extra
    if ev.provider_event_id:
        out["provider_event_id"] = ev.provider_event_id
    return out


def dump_world(world: World, **sections: dict[str, Any]) -> dict[str, Any]:
    events_by_cal: dict[str, list[Event]] = {}
    for ev in world.events.values():
        events_by_cal.setdefault(ev.calendar_id, []).append(ev)
    accounts = []
    for acc in world.accounts.values():
        profiles = []
        for prof in world.profiles_of(acc.id):
            calendars = []
            for cal in world.calendars.values():
                if cal.profile_id != prof.id:
                    continue
                entry: dict[str, Any] = {
                    "id": cal.id,
                    "name": cal.name,
                    "primary": cal.primary,
                    "readonly": cal.readonly,
                    "deleted": cal.deleted,
                    "permission_level": cal.permission_level,
                    "conferencing_available": cal.conferencing_available,
                    "attachments_available": cal.attachments_available,
                    "events": [
                        event_dict(e)
                        for e in sorted(events_by_cal.get(cal.id, []), key=lambda e: e.uid)
                    ],
                }
                if cal.color:
                    entry["color"] = cal.color
                if cal.provider_id:
                    entry["provider_id"] = cal.provider_id
                calendars.append(entry)
            profiles.append(
                {
                    "id": prof.id,
                    "provider_name": prof.provider_name,
                    "provider_service": prof.provider_service,
                    "name": prof.name,
                    "connected": prof.connected,
                    "allow_duplicate_calendar_names": prof.allow_duplicate_calendar_names,
                    "calendars": calendars,
                }
            )
        accounts.append(
            {
                "id": acc.id,
                "email": acc.email,
                "name": acc.name,
                "default_tzid": acc.default_tzid,
                "profiles": profiles,
            }
        )
    return {"version": 1, "accounts": accounts, **{k: v for k, v in sections.items() if v}}
