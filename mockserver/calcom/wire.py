"""Cal.com's JSON in and out: Google events rendered as UnifiedCalendarEventOutput (the
GoogleCalendarEventOutputPipe, reference/calcom.md §1.6), the unified PATCH body turned into core
event changes (the GoogleCalendarEventInputPipe, §1.4), and bookings, users and calendars in
their 2024-08-13 / v2 shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from mockserver.calcom.store import Booking, CalcomStore, Credential, User, google_id
from mockserver.core.models import Account, Attendee, Calendar, Event, Person
from mockserver.core.timeutil import day_start, format_local, is_zone, parse_date, parse_time

# -- Google event -> UnifiedCalendarEventOutput ----------------------------------------------

RESPONSE_OUT = {
    "accepted": "accepted",
    "tentative": "pending",
    "declined": "declined",
    "needs_action": "needsAction",
}
STATUS_OUT = {"confirmed": "accepted", "tentative": "pending", "cancelled": "cancelled"}
RESPONSE_IN = {"accepted": "accepted", "pending": "tentative", "declined": "declined"}
STATUS_IN = {
    None: "confirmed",
    "accepted": "confirmed",
    "pending": "tentative",
    "cancelled": "cancelled",
    "declined": "cancelled",  # reads back as "cancelled" (rule 22)
}


def google_time(value: datetime | date, tzid: str) -> dict[str, str]:
    """Google's dateTime is given in the event's zone offset; all-day dates come out as
    `<date>T00:00:00` in UTC (the 2026 list mapping; the Dec-2025 pipe is silent on them)."""
    if not isinstance(value, datetime):
        return {"time": f"{value.isoformat()}T00:00:00", "timeZone": "UTC"}
    text = format_local(value, tzid)
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return {"time": text, "timeZone": tzid}


def organizer_of(ev: Event, owner: Account) -> Person:
    """Google always has an organizer: the event's, else the calendar's owner."""
    return ev.organizer or Person(owner.email, owner.name)


def locations(ev: Event) -> list[dict[str, Any]]:
    conf = ev.conferencing or {}
    join = conf.get("join_url")
    if isinstance(join, str) and join:
        return [{"type": "video", "url": join, "label": join.split("://", 1)[-1]}]
    text = (ev.location or {}).get("description")
    if isinstance(text, str) and text:
        return [{"type": "video", "url": text}]  # the pipe calls any free-text location video
    return []


def attendee_json(a: Attendee, owner_email: str) -> dict[str, Any]:
    out: dict[str, Any] = {"email": a.email}
    if a.display_name:
        out["name"] = a.display_name
    out["responseStatus"] = RESPONSE_OUT.get(a.status)
    out["host"] = a.organizer
    if a.email.lower() == owner_email.lower():
        out["self"] = True
    if a.optional:
        out["optional"] = True
    return out


def unified_event(ev: Event, owner: Account, owner_name_key: str = "displayName") -> dict[str, Any]:
    organizer = organizer_of(ev, owner)
    out: dict[str, Any] = {
        "id": ev.provider_event_id,
        "title": ev.summary,
        "description": ev.description or None,
        "start": google_time(ev.start, ev.tzid),
        "end": google_time(ev.end, ev.end_tzid or ev.tzid),
        "locations": locations(ev),
    }
    if ev.attendees:
        out["attendees"] = [attendee_json(a, owner.email) for a in ev.attendees]
    out["status"] = STATUS_OUT.get(ev.status)
    owner_obj: dict[str, Any] = {"email": organizer.email}
    if organizer.display_name:
        owner_obj[owner_name_key] = organizer.display_name
    if organizer.email.lower() == owner.email.lower():
        owner_obj["self"] = True
    out["calendarEventOwner"] = owner_obj
    hosts = [
        {
            "email": a.email,
            **({"name": a.display_name} if a.display_name else {}),
            "responseStatus": RESPONSE_OUT.get(a.status),
        }
        for a in ev.attendees
        if a.organizer
    ]
    if not hosts:
        hosts = [
            {
                "email": organizer.email,
                **({"name": organizer.display_name} if organizer.display_name else {}),
                "responseStatus": None,
            }
        ]
    out["hosts"] = hosts
    out["source"] = "google"
    return out


# -- UpdateUnifiedCalendarEventInput -> core changes -----------------------------------------


class GoogleRejects(Exception):
    """Google would refuse this patch; the API turns every such failure into a 404."""


def _when(part: dict[str, Any], current_tz: str) -> tuple[datetime, str]:
    """`{time, timeZone}` as the input pipe sends it to Google (`dateTime: time || ""`,
    `timeZone: timeZone || ""`). Google needs a full RFC 3339 dateTime, and a zone for times
    without an offset; an empty timeZone keeps the event's (UNVERIFIED)."""
    if not isinstance(part, dict):  # an array passes @ValidateNested; `[].time` is undefined
        raise GoogleRejects("missing dateTime")
    time, tz = part.get("time") or "", part.get("timeZone") or ""
    if not time:
        raise GoogleRejects("missing dateTime")
    if tz and not is_zone(tz):
        raise GoogleRejects("invalid time zone")
    try:
        parts = parse_time(time)
    except ValueError as exc:
        raise GoogleRejects("invalid dateTime") from exc
    if parts.offset is None and not tz:
        raise GoogleRejects("missing time zone definition")
    return parts.aware(tz or current_tz), tz or current_tz


def patch_changes(body: dict[str, Any], ev: Event) -> dict[str, Any]:
    """Core event changes for a validated (whitelisted) PATCH body; fields left out keep their
    values (Google patch semantics)."""
    changes: dict[str, Any] = {}
    if "title" in body:
        changes["summary"] = body["title"] or ""
    if "description" in body:
        changes["description"] = body["description"] or ""
    start, end = ev.start, ev.end
    tzid, end_tzid = ev.tzid, ev.end_tzid
    if body.get("start") is not None:
        start, tzid = _when(body["start"], ev.tzid)
        changes |= {"start": start, "tzid": tzid}
    if body.get("end") is not None:
        end, end_tzid = _when(body["end"], ev.end_tzid or ev.tzid)
        changes["end"] = end
    if "start" in changes or "end" in changes:
        if isinstance(start, datetime) != isinstance(end, datetime):
            raise GoogleRejects("start and end must both be dates or both be times")
        if end < start:  # type: ignore[operator]
            raise GoogleRejects("The specified time range is empty.")
        changes["end_tzid"] = end_tzid if end_tzid != tzid else None
    if body.get("attendees") is not None:
        organizer = (ev.organizer.email if ev.organizer else "").lower()
        people = []
        for a in body["attendees"]:
            email = a["email"].strip()
            if "@" not in email:
                raise GoogleRejects("Invalid attendee email.")
            people.append(
                Attendee(
                    email=email,
                    display_name=a.get("name") or None,
                    status=RESPONSE_IN.get(a.get("responseStatus"), "needs_action"),  # type: ignore[arg-type]
                    optional=a.get("optional") is True,
                    organizer=email.lower() == organizer,  # Google's organizer flag is read-only
                )
            )
        changes["attendees"] = tuple(people)
    if "status" in body:
        changes["status"] = STATUS_IN[body["status"]]
    return {k: v for k, v in changes.items() if getattr(ev, k) != v}


# -- bookings (2024-08-13) --------------------------------------------------------------------


def iso_ms(value: datetime) -> str:
    """JavaScript's Date.toISOString(): UTC with milliseconds."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def host_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "username": user.username,
        "timeZone": user.time_zone,
    }


def booking_json(b: Booking, store: CalcomStore) -> dict[str, Any]:
    et = store.event_types[b.event_type_id]
    out: dict[str, Any] = {
        "id": b.id,
        "uid": b.uid,
        "title": b.title,
        "description": b.description,
        "hosts": [host_json(store.users[b.user_id])],
        "status": b.status,
    }
    for key, value in (
        ("cancellationReason", b.cancellation_reason),
        ("cancelledByEmail", b.cancelled_by),
        ("reschedulingReason", b.rescheduling_reason),
        ("rescheduledByEmail", b.rescheduled_by),
        ("rescheduledFromUid", b.rescheduled_from),
        ("rescheduledToUid", b.rescheduled_to),
    ):
        if value is not None:
            out[key] = value
    out |= {
        "start": iso_ms(b.start),
        "end": iso_ms(b.end),
        "duration": int((b.end - b.start).total_seconds() // 60),
        "eventTypeId": et.id,
        "eventType": {"id": et.id, "slug": et.slug},
        "meetingUrl": b.location,
        "location": b.location,
        "absentHost": b.absent_host,
        "createdAt": iso_ms(b.created),
        "updatedAt": iso_ms(b.updated),
        "metadata": b.metadata,
        "icsUid": b.ics_uid,
        "attendees": [
            {
                "name": a.name,
                "email": a.email,
                "timeZone": a.time_zone,
                "language": a.language,
                "absent": a.absent,
                **({"phoneNumber": a.phone_number} if a.phone_number else {}),
            }
            for a in b.attendees
        ],
        "guests": list(b.guests),
        "bookingFieldsResponses": {
            **({"name": b.attendees[0].name, "email": b.attendees[0].email} if b.attendees else {}),
            **({"guests": list(b.guests)} if b.guests else {}),
            **b.responses,
        },
    }
    return out


# -- users and calendars -----------------------------------------------------------------------


def me_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "avatarUrl": None,
        "bio": None,
        "timeFormat": user.time_format,
        "defaultScheduleId": user.default_schedule_id,
        "weekStart": user.week_start,
        "timeZone": user.time_zone,
        "organizationId": user.organization_id,
    }


GOOGLE_INTEGRATION = {
    "name": "Google Calendar",
    "description": "Google Calendar is a time management and scheduling service developed by "
    "Google. Allows you to connect multiple Google Calendar accounts.",
    "installed": True,
    "type": "google_calendar",
    "title": "Google Calendar",
    "variant": "calendar",
    "category": "calendar",
    "categories": ["calendar"],
    "logo": "/app-store/googlecalendar/logo.webp",
    "publisher": "Cal.com",
    "slug": "google-calendar",
    "url": "https://cal.com/",
    "email": "help@cal.com",
    "dirName": "googlecalendar",
    "locationOption": None,
    "appData": None,
    "__template": "",
}


def calendar_entry(cal: Calendar, cred: Credential, email: str) -> dict[str, Any]:
    return {
        "externalId": google_id(cal),
        "integration": "google_calendar",
        "name": cal.name,
        "primary": cal.primary or None,
        "readOnly": cal.readonly,
        "email": email,
        "isSelected": cal.id in cred.selected,
        "credentialId": cred.id,
        "delegationCredentialId": None,
    }


def connected_calendar(cred: Credential, calendars: list[Calendar], email: str) -> dict[str, Any]:
    entries = [calendar_entry(c, cred, email) for c in calendars]
    primary = next((e for e in entries if e["primary"]), entries[0] if entries else None)
    out: dict[str, Any] = {
        "integration": GOOGLE_INTEGRATION,
        "credentialId": cred.id,
        "delegationCredentialId": None,
    }
    if primary is not None:
        out["primary"] = {**primary, "primary": True}
    out["calendars"] = entries
    return out


def destination_json(user: User, cal: Calendar | None, cred: Credential | None) -> dict[str, Any]:
    return {
        "id": cred.id * 1000 + user.id if cred and cal else 0,
        "integration": "google_calendar",
        "externalId": google_id(cal) if cal else "",
        "primaryEmail": user.email,
        "userId": user.id,
        "eventTypeId": None,
        "credentialId": cred.id if cred else None,
        "delegationCredentialId": None,
        "name": cal.name if cal else None,
        "primary": bool(cal and cal.primary),
        "readOnly": bool(cal and cal.readonly),
        "email": user.email,
        "integrationTitle": "Google Calendar",
    }


def iso_instant(value: Any) -> datetime | None:
    """A validated ISO 8601 string as an instant (dates at UTC midnight); None if Python cannot
    place it (week dates and the like pass class-validator but are not worth emulating)."""
    try:
        if len(value) == 10:
            return day_start(parse_date(value), "UTC")
        return parse_time(value).aware("UTC")
    except (ValueError, TypeError):
        return None


def dashboard_event(backend: Any, ev: Event) -> dict[str, Any] | None:
    """The event as `GET /v2/calendars/google/event/{id}` shows it, for an event of a Google
    calendar one of the users has credentials over (registry.Provider.render_event)."""
    cal = backend.world.calendars.get(ev.calendar_id)
    profile = backend.world.profiles.get(cal.profile_id) if cal else None
    if profile is None or profile.provider_name != "google" or not ev.provider_event_id:
        return None
    owner = backend.world.accounts.get(profile.account_id)
    users = backend.store.users.values()
    if owner is None or not any(u.account_id == owner.id for u in users):
        return None
    return unified_event(ev, owner)
