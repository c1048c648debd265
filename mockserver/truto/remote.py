"""What each simulated integration's own API would say: the provider-shaped objects Truto hands
back as `remote_data` (and as the whole answer with `truto_response_format=raw`), the provider's
error bodies that Truto passes through, and the provider request a unified call stands for
(shown by `truto_response_format=debug`)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from mockserver.core.models import Account, Attendee, Calendar, Event, Person
from mockserver.core.timeutil import format_local, format_utc, parse_time
from mockserver.truto.exceptions import TrutoError

GOOGLE = ("google", "googlecalendar")
G_RESPONSE = {
    "needs_action": "needsAction",
    "accepted": "accepted",
    "declined": "declined",
    "tentative": "tentative",
    "unknown": "needsAction",
}
MS_RESPONSE = {
    "needs_action": "notResponded",
    "accepted": "accepted",
    "declined": "declined",
    "tentative": "tentativelyAccepted",
    "unknown": "none",
}
G_EVENT_TYPE = {
    "default": "default",
    "focus_time": "focusTime",
    "out_of_office": "outOfOffice",
    "working_location": "workingLocation",
}


def iso_ms(value: datetime) -> str:
    """`2025-03-10T15:00:00.000Z`: the form Truto's examples use."""
    return format_utc(value)[:-1] + ".000Z"


def _g_time(value: datetime | date, tzid: str) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"dateTime": format_local(value, tzid), "timeZone": tzid}
    return {"date": value.isoformat()}


def _ms_time(value: datetime | date) -> dict[str, str]:
    if isinstance(value, datetime):
        return {
            "dateTime": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"),
            "timeZone": "UTC",
        }
    return {"dateTime": f"{value.isoformat()}T00:00:00.0000000", "timeZone": "UTC"}


def _plain(value: datetime | date) -> str:
    return iso_ms(value) if isinstance(value, datetime) else value.isoformat()


def _location_text(ev: Event) -> str | None:
    loc = ev.location or {}
    text = loc.get("description")
    return text if isinstance(text, str) and text else None


def _organizer(ev: Event, owner: Account) -> Person:
    return ev.organizer or Person(owner.email, owner.name)


def calendar_remote_id(cal: Calendar) -> str:
    return cal.provider_id or cal.id


def event_remote(
    integration: str,
    ev: Event,
    rid: str,
    start: datetime | date,
    end: datetime | date,
    cal: Calendar,
    owner: Account,
    *,
    master_id: str | None = None,
) -> dict[str, Any]:
    """The event as the integration's API returns it, with any `remote_data` a write passed on."""
    if integration in GOOGLE:
        out = google_event(ev, rid, start, end, cal, owner, master_id)
    elif integration == "outlookcalendar":
        out = graph_event(ev, rid, start, end, owner, master_id)
    elif integration == "calendly":
        out = calendly_event(ev, rid, start, end, owner)
    else:
        out = calcom_booking(ev, rid, start, end, owner)
    passed = ev.extra.get("truto", {}).get("remote_data")
    if isinstance(passed, dict):
        out = {**out, **passed}
    return out


def google_event(
    ev: Event,
    rid: str,
    start: datetime | date,
    end: datetime | date,
    cal: Calendar,
    owner: Account,
    master_id: str | None,
) -> dict[str, Any]:
    extra = ev.extra.get("truto", {})
    org = _organizer(ev, owner)
    eid = base64.urlsafe_b64encode(f"{rid} {calendar_remote_id(cal)}".encode()).decode()
    out: dict[str, Any] = {
        "kind": "calendar#event",
        "etag": f'"{int(ev.updated.timestamp() * 1000)}"',
        "id": rid,
        "status": ev.status,
        "htmlLink": f"https://www.google.com/calendar/event?eid={eid.rstrip('=')}",
        "created": iso_ms(ev.created),
        "updated": iso_ms(ev.updated),
        "summary": ev.summary,
    }
    if ev.description:
        out["description"] = ev.description
    if _location_text(ev):
        out["location"] = _location_text(ev)
    out["creator"] = {"email": owner.email, "self": True}
    out["organizer"] = {
        "email": org.email,
        **({"displayName": org.display_name} if org.display_name else {}),
        **({"self": True} if org.email.lower() == owner.email.lower() else {}),
    }
    out["start"] = _g_time(start, ev.tzid)
    out["end"] = _g_time(end, ev.end_tzid or ev.tzid)
    if master_id:
        out["recurringEventId"] = master_id
        out["originalStartTime"] = _g_time(start, ev.tzid)
    elif ev.recurrence:
        out["recurrence"] = list(ev.recurrence)
    if ev.transparency == "transparent":
        out["transparency"] = "transparent"
    if ev.visibility != "default":
        out["visibility"] = ev.visibility
    out["iCalUID"] = ev.ical_id
    out["sequence"] = 0
    if ev.attendees:
        out["attendees"] = [_g_attendee(a, owner) for a in ev.attendees]
    for key, name in (
        ("guests_can_invite_others", "guestsCanInviteOthers"),
        ("guests_can_see_other_guests", "guestsCanSeeOtherGuests"),
    ):
        if extra.get(key) is False:
            out[name] = False
    if extra.get("guests_can_modify") is True:
        out["guestsCanModify"] = True
    out["reminders"] = {"useDefault": not ev.reminders}
    out["eventType"] = G_EVENT_TYPE.get(extra.get("type", "default"), "default")
    return out


def _g_attendee(a: Attendee, owner: Account) -> dict[str, Any]:
    out: dict[str, Any] = {"email": a.email}
    if a.display_name:
        out["displayName"] = a.display_name
    if a.organizer:
        out["organizer"] = True
    if a.email.lower() == owner.email.lower():
        out["self"] = True
    if a.optional:
        out["optional"] = True
    out["responseStatus"] = G_RESPONSE.get(a.status, "needsAction")
    return out


def graph_event(
    ev: Event,
    rid: str,
    start: datetime | date,
    end: datetime | date,
    owner: Account,
    master_id: str | None,
) -> dict[str, Any]:
    extra = ev.extra.get("truto", {})
    org = _organizer(ev, owner)
    stamp = hashlib.sha1(f"{rid}{ev.updated.isoformat()}".encode()).hexdigest()[:16]
    if master_id:
        kind = "occurrence"
    elif ev.recurrence:
        kind = "seriesMaster"
    else:
        kind = "singleInstance"
    show_as = "free" if ev.transparency == "transparent" else "busy"
    if ev.status == "tentative":
        show_as = "tentative"
    return {
        "@odata.etag": f'W/"{stamp}"',
        "id": rid,
        "createdDateTime": ev.created.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
        "lastModifiedDateTime": ev.updated.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
        "changeKey": stamp,
        "categories": list(ev.categories),
        "originalStartTimeZone": ev.tzid,
        "originalEndTimeZone": ev.end_tzid or ev.tzid,
        "iCalUId": ev.ical_id,
        "reminderMinutesBeforeStart": ev.reminders[0] if ev.reminders else 15,
        "isReminderOn": True,
        "hasAttachments": bool(ev.extra.get("attachments")),
        "subject": ev.summary,
        "bodyPreview": ev.description[:255],
        "importance": "normal",
        "sensitivity": "private" if ev.visibility == "private" else "normal",
        "isAllDay": ev.all_day,
        "isCancelled": ev.status == "cancelled",
        "isOrganizer": org.email.lower() == owner.email.lower(),
        "responseRequested": True,
        "seriesMasterId": master_id,
        "showAs": show_as,
        "type": kind,
        "webLink": f"https://outlook.office365.com/owa/?itemid={quote(rid)}&exvsurl=1&path=/calendar/item",
        "isDraft": bool(extra.get("draft")),
        "allowNewTimeProposals": True,
        "responseStatus": {
            "response": MS_RESPONSE.get(ev.participation_status, "none"),
            "time": "0001-01-01T00:00:00Z",
        },
        "body": {"contentType": "text", "content": ev.description},
        "start": _ms_time(start),
        "end": _ms_time(end),
        "location": {"displayName": _location_text(ev) or "", "locationType": "default"},
        "recurrence": _ms_recurrence(ev) if kind == "seriesMaster" else None,
        "attendees": [
            {
                "type": "optional" if a.optional else "required",
                "status": {
                    "response": MS_RESPONSE.get(a.status, "none"),
                    "time": "0001-01-01T00:00:00Z",
                },
                "emailAddress": {"name": a.display_name or a.email, "address": a.email},
            }
            for a in ev.attendees
        ],
        "organizer": {
            "emailAddress": {"name": org.display_name or org.email, "address": org.email}
        },
    }


def _ms_recurrence(ev: Event) -> dict[str, Any]:
    """Graph's patternedRecurrence, roughly: the RRULE's frequency and interval."""
    parts: dict[str, str] = {}
    for line in ev.recurrence:
        if line.startswith("RRULE:"):
            parts = dict(p.split("=", 1) for p in line[6:].split(";") if "=" in p)
            break
    freq = {
        "DAILY": "daily",
        "WEEKLY": "weekly",
        "MONTHLY": "absoluteMonthly",
        "YEARLY": "absoluteYearly",
    }.get(parts.get("FREQ", ""), "daily")
    start = ev.start.date() if isinstance(ev.start, datetime) else ev.start
    rng: dict[str, Any] = {"type": "noEnd", "startDate": start.isoformat()}
    if "COUNT" in parts:
        rng = {**rng, "type": "numbered", "numberOfOccurrences": int(parts["COUNT"])}
    return {"pattern": {"type": freq, "interval": int(parts.get("INTERVAL", "1"))}, "range": rng}


def calendly_event(
    ev: Event, rid: str, start: datetime | date, end: datetime | date, owner: Account
) -> dict[str, Any]:
    et = ev.extra.get("truto", {}).get("event_type")
    loc = _location_text(ev)
    return {
        "uri": f"https://api.calendly.com/scheduled_events/{rid}",
        "name": ev.summary,
        "meeting_notes_plain": ev.description or None,
        "status": "canceled" if ev.status == "cancelled" else "active",
        "start_time": _plain(start),
        "end_time": _plain(end),
        "event_type": f"https://api.calendly.com/event_types/{et}" if et else None,
        "location": {"type": "physical", "location": loc} if loc else None,
        "invitees_counter": {
            "total": len(ev.attendees),
            "active": len(ev.attendees),
            "limit": max(1, len(ev.attendees)),
        },
        "created_at": iso_ms(ev.created),
        "updated_at": iso_ms(ev.updated),
        "event_memberships": [
            {
                "user": f"https://api.calendly.com/users/{owner.id}",
                "user_email": owner.email,
                "user_name": owner.name,
            }
        ],
        "event_guests": [],
    }


def calcom_booking(
    ev: Event, rid: str, start: datetime | date, end: datetime | date, owner: Account
) -> dict[str, Any]:
    minutes = 0
    if isinstance(start, datetime) and isinstance(end, datetime):
        minutes = int((end - start).total_seconds() // 60)
    return {
        "id": int(hashlib.sha1(rid.encode()).hexdigest()[:8], 16),
        "uid": rid,
        "title": ev.summary,
        "description": ev.description,
        "status": "cancelled" if ev.status == "cancelled" else "accepted",
        "start": _plain(start),
        "end": _plain(end),
        "duration": minutes,
        "eventTypeId": ev.extra.get("truto", {}).get("event_type"),
        "location": _location_text(ev),
        "hosts": [
            {
                "id": owner.id,
                "name": owner.name,
                "email": owner.email,
                "timeZone": owner.default_tzid,
            }
        ],
        "attendees": [
            {
                "name": a.display_name or a.email,
                "email": a.email,
                "timeZone": ev.tzid,
                "absent": False,
            }
            for a in ev.attendees
        ],
        "createdAt": iso_ms(ev.created),
        "updatedAt": iso_ms(ev.updated),
    }


def calendar_remote(integration: str, cal: Calendar, owner: Account, role: str) -> dict[str, Any]:
    if integration in GOOGLE:
        out: dict[str, Any] = {
            "kind": "calendar#calendarListEntry",
            "etag": f'"{hashlib.sha1(cal.id.encode()).hexdigest()[:16]}"',
            "id": calendar_remote_id(cal),
            "summary": cal.name,
            "timeZone": owner.default_tzid,
            "backgroundColor": cal.color or "#9fe1e7",
            "foregroundColor": "#000000",
            "selected": True,
            "accessRole": role,
            "defaultReminders": [],
        }
        if cal.primary:
            out["primary"] = True
        return out
    if integration == "outlookcalendar":
        return {
            "id": cal.id,
            "name": cal.name,
            "color": "auto",
            "hexColor": cal.color or "",
            "isDefaultCalendar": cal.primary,
            "changeKey": hashlib.sha1(cal.id.encode()).hexdigest()[:16],
            "canShare": role == "owner",
            "canViewPrivateItems": role == "owner",
            "canEdit": role in ("owner", "writer"),
            "allowedOnlineMeetingProviders": ["teamsForBusiness"],
            "defaultOnlineMeetingProvider": "teamsForBusiness",
            "isTallyingResponses": True,
            "isRemovable": not cal.primary,
            "owner": {"name": owner.name, "address": owner.email},
        }
    return {  # Cal.com's connected calendar
        "externalId": calendar_remote_id(cal),
        "name": cal.name,
        "primary": cal.primary,
        "readOnly": cal.readonly,
        "isSelected": True,
        "credentialId": int(hashlib.sha1(cal.profile_id.encode()).hexdigest()[:6], 16),
        "email": owner.email,
    }


CALENDLY_DEFAULT_COLOR = "#0069ff"  # what Calendly gives an event type nobody coloured


def event_type_color(integration: str, et: dict[str, Any]) -> str | None:
    if integration == "calendly":
        return et.get("color", CALENDLY_DEFAULT_COLOR)
    return et.get("color")


def instant_of(value: str) -> datetime:
    """A world-file instant as the store keeps it (`2026-01-05T10:00:00Z`)."""
    return parse_time(value).aware()


def event_type_remote(integration: str, et: dict[str, Any], owner: Account) -> dict[str, Any]:
    if integration == "calendly":
        created = instant_of(et["created"]) if "created" in et else None
        updated = instant_of(et.get("updated", et["created"])) if created else None
        return {
            "uri": f"https://api.calendly.com/event_types/{et['id']}",
            "name": et["name"],
            "active": et.get("status", "active") == "active",
            "slug": et.get("slug", et["id"]),
            "scheduling_url": f"https://calendly.com/{owner.id}/{et.get('slug', et['id'])}",
            "duration": et.get("duration", 30),
            "kind": "solo",
            "color": event_type_color(integration, et),
            "description_plain": et.get("description"),
            "position": et.get("position", 0),
            "created_at": _calendly_time(created) if created else None,
            "updated_at": _calendly_time(updated) if updated else None,
            "profile": {
                "type": "User",
                "name": owner.name,
                "owner": f"https://api.calendly.com/users/{owner.id}",
            },
        }
    out = {
        "id": et["id"],
        "title": et["name"],
        "slug": et.get("slug", et["id"]),
        "lengthInMinutes": et.get("duration", 30),
        "description": et.get("description"),
        "hidden": et.get("status", "active") != "active",
        "position": et.get("position", 0),
        "ownerId": owner.id,
    }
    if et.get("color"):  # Cal.com API v2 EventTypeColor_2024_06_14
        out["color"] = {"lightThemeHex": et["color"], "darkThemeHex": et["color"]}
    return out


def _calendly_time(value: datetime) -> str:
    """Calendly's timestamps: `2019-01-02T03:04:05.678123Z` (microseconds)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def user_remote(owner: Account) -> dict[str, Any]:
    first, _, last = owner.name.partition(" ")
    return {
        "id": owner.id,
        "displayName": owner.name,
        "givenName": first or None,
        "surname": last or None,
        "mail": owner.email,
        "userPrincipalName": owner.email,
        "jobTitle": None,
        "businessPhones": [],
        "mobilePhone": None,
        "officeLocation": None,
        "preferredLanguage": "en-US",
    }


def contact_remote(integration: str, cid: str, person: Person) -> dict[str, Any]:
    name = person.display_name or ""
    if integration == "outlookcalendar":
        return {
            "id": cid,
            "displayName": name,
            "emailAddresses": [{"name": name, "address": person.email}],
        }
    return {
        "resourceName": f"otherContacts/{cid}",
        "names": [{"displayName": name}] if name else [],
        "emailAddresses": [{"value": person.email}],
    }


# -- the provider's errors -------------------------------------------------------------------


def not_found_body(integration: str) -> tuple[Any, str]:
    """(raw_response, message) for an object the provider does not have."""
    if integration in GOOGLE:
        return {
            "error": {
                "errors": [{"domain": "global", "reason": "notFound", "message": "Not Found"}],
                "code": 404,
                "message": "Not Found",
            }
        }, "Not Found"
    if integration == "outlookcalendar":
        msg = "The specified object was not found in the store."
        return {"error": {"code": "ErrorItemNotFound", "message": msg}}, msg
    if integration == "calendly":
        msg = "The server could not find the requested resource."
        return {"title": "Resource Not Found", "message": msg}, msg
    msg = "Resource not found"
    return {"status": "error", "error": {"code": "NotFoundException", "message": msg}}, msg


def unauthorized_body(integration: str) -> tuple[Any, str]:
    if integration in GOOGLE:
        msg = "Request had invalid authentication credentials."
        return {"error": {"code": 401, "message": msg, "status": "UNAUTHENTICATED"}}, msg
    if integration == "outlookcalendar":
        msg = "Access token has expired or is not yet valid."
        return {"error": {"code": "InvalidAuthenticationToken", "message": msg}}, msg
    msg = "The access token is expired"
    return {"title": "Unauthenticated", "message": msg}, msg


def bad_request_body(integration: str, msg: str) -> Any:
    if integration in GOOGLE:
        return {
            "error": {
                "errors": [{"domain": "global", "reason": "required", "message": msg}],
                "code": 400,
                "message": msg,
            }
        }
    return {"error": {"code": "ErrorInvalidRequest", "message": msg}}


def forbidden_body(integration: str) -> tuple[Any, str]:
    if integration in GOOGLE:
        msg = "You need to have writer access to this calendar."
        return {
            "error": {
                "errors": [{"domain": "calendar", "reason": "requiredAccessLevel", "message": msg}],
                "code": 403,
                "message": msg,
            }
        }, msg
    msg = "Access is denied. Check credentials and try again."
    return {"error": {"code": "ErrorAccessDenied", "message": msg}}, msg


def remote_error(
    integration: str, status: int, message: str = "", headers: dict[str, str] | None = None
) -> TrutoError:
    """The provider's own error for `status`, as Truto passes it through."""
    if status == 404:
        raw, message = not_found_body(integration)
    elif status == 401:
        raw, message = unauthorized_body(integration)
    elif status == 403:
        raw, message = forbidden_body(integration)
    else:
        raw = bad_request_body(integration, message)
    return TrutoError(status, message, remote=raw, is_remote=True, headers=headers)


# The provider keys Truto reads a message from (docs overview/errors: "message, msg,
# errorMessage, description, detail, summary, error_description, and a long list of variants").
MESSAGE_KEYS = (
    "message",
    "msg",
    "errorMessage",
    "description",
    "detail",
    "summary",
    "error_description",
)


def message_of(raw: Any) -> str:
    """The message Truto lifts from a provider body: the first of the usual keys found walking
    it breadth-first, through objects and arrays (the docs' example lifts
    `errors[0].message`); a bare string body is its own message."""
    if isinstance(raw, str):
        return raw
    level, seen = [raw], 0
    while level and seen < 1000:  # bounded: a provider body is small, a hostile one is not
        following = []
        for node in level:
            seen += 1
            if isinstance(node, dict):
                for key in MESSAGE_KEYS:
                    if isinstance(node.get(key), str) and node[key]:
                        return node[key]
                following.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                following.extend(v for v in node if isinstance(v, dict | list))
        level = following
    return ""


# -- the provider request a unified call stands for ------------------------------------------


def request_url(
    integration: str, resource: str, method: str, cal: Calendar | None, rid: str | None
) -> tuple[str, str]:
    """(HTTP method, URL) of the provider call (for the `debug` response format)."""
    verb = {"list": "GET", "get": "GET", "create": "POST", "update": "PATCH", "delete": "DELETE"}[
        method
    ]
    cal_part = quote(calendar_remote_id(cal), safe="") if cal else "primary"
    if integration in GOOGLE:
        base = "https://www.googleapis.com/calendar/v3"
        paths = {
            "events": f"/calendars/{cal_part}/events" + (f"/{rid}" if rid else ""),
            "calendars": "/users/me/calendarList" + (f"/{cal_part}" if rid else ""),
            "availability": "/freeBusy",
            "contacts": "/../../people/v1/otherContacts",
        }
        if resource == "availability":
            verb = "POST"
    elif integration == "outlookcalendar":
        base = "https://graph.microsoft.com/v1.0/me"
        paths = {
            "events": f"/calendars/{cal_part}/events" + (f"/{rid}" if rid else ""),
            "calendars": "/calendars" + (f"/{rid}" if rid else ""),
            "availability": "/calendar/getSchedule",
            "contacts": "/contacts",
            "users": "/../users",
            "attachments": f"/events/{rid}/attachments",
        }
        if resource == "availability":
            verb = "POST"
    elif integration == "calendly":
        base = "https://api.calendly.com"
        paths = {
            "events": "/scheduled_events" + (f"/{rid}" if rid else ""),
            "event_types": "/event_types" + (f"/{rid}" if rid else ""),
            "availability": "/user_busy_times",
        }
    else:
        base = "https://api.cal.com/v2"
        paths = {
            "events": "/bookings" + (f"/{rid}" if rid else ""),
            "event_types": "/event-types" + (f"/{rid}" if rid else ""),
            "calendars": "/calendars",
            "availability": "/calendars/busy-times",
        }
    return verb, base + paths.get(resource, f"/{resource}")
