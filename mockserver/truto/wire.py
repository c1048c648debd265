"""Truto's unified wire format: core records rendered as unified objects, and unified write
bodies parsed into core changes. Fields the core has no place for (event `type`, the
`guests_can_*` flags, `draft`, the full unified `location`, a write's `remote_data`) are kept in
the event's `extra["truto"]`."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mockserver.core import recurrence as rrules
from mockserver.core.models import Account, Attendee, Calendar, Event, Person
from mockserver.core.timeutil import is_zone, parse_date, parse_time
from mockserver.truto import remote
from mockserver.truto.exceptions import TrutoError, bad_request, insight_entry
from mockserver.truto.query import Page, Rendered
from mockserver.truto.remote import iso_ms

if TYPE_CHECKING:
    from mockserver.truto.models import Call

STATUSES = ("confirmed", "tentative", "cancelled", "draft")
AVAILABILITIES = ("busy", "free")
VISIBILITIES = {"calendar_default": "default", "public": "public", "private": "private"}
UNIFIED_VISIBILITY = {v: k for k, v in VISIBILITIES.items()}
TYPES = ("default", "focus_time", "out_of_office", "working_location")
RESPONSES = ("needs_action", "declined", "tentative", "accepted")
SEND_NOTIFICATIONS = ("all", "external_only", "none")
GUEST_FLAGS = ("guests_can_invite_others", "guests_can_modify", "guests_can_see_other_guests")
GUEST_DEFAULTS = {
    "guests_can_invite_others": True,
    "guests_can_modify": False,
    "guests_can_see_other_guests": True,
}
# Body fields each integration requires, per write (rules 22 and 23; Outlook's create is [INF]).
REQUIRED_BODY = {
    ("google", "create"): ("calendar.id", "start_time"),
    ("googlecalendar", "create"): ("calendar.id", "start_time"),
    ("outlookcalendar", "create"): ("calendar.id", "start_time"),
    ("google", "update"): ("calendar.id", "start_time"),
    ("googlecalendar", "update"): ("calendar.id", "start_time"),
    ("outlookcalendar", "update"): ("calendar.id",),
}
# The start/end/timezone co-requirement of writes (Update Events page): a field sent makes
# these required too. The meta endpoints publish it as JSON Schema `dependentRequired`.
DEPENDENT_BODY = {
    "start_time": ("end_time", "timezone"),
    "end_time": ("start_time", "timezone"),
}
CONDITIONAL_BODY = {
    "start_time": "Required if end_time is provided",
    "end_time": "Required if start_time is provided",
    "timezone": "Required if start_time or end_time is provided",
}
MAX_TITLE = 1024
MAX_TEXT = 8192


def time_text(value: datetime | date, all_day_as_date_time: bool = True) -> str:
    """A unified start_time / end_time. An all-day event's date is midnight UTC of that date
    (`2026-12-07T00:00:00.000Z`, as Graph gives an all-day event's times) unless
    `all_day_as_date_time` is off, then the bare date (`2026-12-07`, Google's form)."""
    if isinstance(value, datetime):
        return iso_ms(value)
    if all_day_as_date_time:
        return f"{value.isoformat()}T00:00:00.000Z"
    return value.isoformat()


def person_json(email: str, name: str | None) -> dict[str, Any]:
    return {"name": name or email, "emails": [{"email": email, "type": "work"}]}


def truto_extra(ev: Event) -> dict[str, Any]:
    value = ev.extra.get("truto")
    return value if isinstance(value, dict) else {}


# -- rendering --------------------------------------------------------------------------------


def event_json(
    integration: str,
    ev: Event,
    rid: str,
    start: datetime | date,
    end: datetime | date,
    cal: Calendar,
    owner: Account,
    *,
    master_id: str | None = None,
    partial: bool = False,
    all_day_as_date_time: bool = True,
) -> dict[str, Any]:
    """The unified Event; `partial` leaves out what Calendly's list does not return."""
    extra = truto_extra(ev)
    org = ev.organizer or Person(owner.email, owner.name)
    status = "draft" if extra.get("draft") and ev.status != "cancelled" else ev.status
    out: dict[str, Any] = {
        "id": rid,
        "title": ev.summary,
        "start_time": time_text(start, all_day_as_date_time),
        "end_time": time_text(end, all_day_as_date_time),
        "timezone": ev.tzid,
        "calendar": {"id": cal.id, "name": cal.name},
        "description": ev.description,
        "status": status,
        "availability": "free" if ev.transparency == "transparent" else "busy",
        "visibility": UNIFIED_VISIBILITY.get(ev.visibility, "calendar_default"),
        "type": extra.get("type", "default"),
    }
    location = location_json(ev)
    if location is not None:
        out["location"] = location
    if not partial:
        out["attendees"] = [attendee_json(a, owner) for a in ev.attendees]
    attachments = attachments_of(ev)
    out |= {
        "attachments": [attachment_json(a, ev) for a in attachments],
        "has_attachments": bool(attachments),
        "created_by": person_json(org.email, org.display_name),
        "organizer": person_json(org.email, org.display_name),
    }
    for flag in GUEST_FLAGS:
        out[flag] = extra.get(flag, GUEST_DEFAULTS[flag])
    out |= {
        "identifiers": {"ical_uid": ev.ical_id, "ical_sequence": 0},
        "is_locked": cal.readonly,
        "is_recurring": ev.recurring,
    }
    if master_id:
        out["parent_event"] = {"id": master_id}
    elif ev.recurrence:
        out["recurrence"] = list(ev.recurrence)
    if extra.get("event_type"):
        out["event_type"] = {"id": extra["event_type"]}
    urls = []
    if ev.url:
        urls.append({"type": "event", "url": ev.url})
    if ev.conferencing and ev.conferencing.get("join_url"):
        urls.append({"type": "conference", "url": ev.conferencing["join_url"]})
    out["urls"] = urls
    out["created_at"] = iso_ms(ev.created)
    out["updated_at"] = iso_ms(ev.updated)
    return out


def attendee_json(a: Attendee, owner: Account) -> dict[str, Any]:
    return {
        "person": person_json(a.email, a.display_name),
        "is_optional": a.optional,
        "is_organizer": a.organizer,
        "is_self": a.email.lower() == owner.email.lower(),
        "response": {"status": a.status if a.status in RESPONSES else "needs_action"},
    }


def location_json(ev: Event) -> dict[str, Any] | None:
    extra = truto_extra(ev)
    if extra.get("location") is not None and extra.get("location_for") == ev.location:
        return extra["location"]
    if not ev.location:
        return None
    out: dict[str, Any] = {}
    if ev.location.get("description"):
        out["name"] = ev.location["description"]
    with contextlib.suppress(KeyError, TypeError, ValueError):
        out["coordinates"] = {
            "latitude": float(ev.location["lat"]),
            "longitude": float(ev.location["long"]),
        }
    return out or None


def attachments_of(ev: Event) -> list[dict[str, Any]]:
    items = ev.extra.get("attachments")
    return [a for a in items if isinstance(a, dict)] if isinstance(items, list) else []


def attachment_json(a: dict[str, Any], ev: Event) -> dict[str, Any]:
    return {
        "id": str(a.get("id", "")),
        "name": a.get("name"),
        "mime_type": a.get("mime_type"),
        "url": a.get("url"),
        "created_at": a.get("created_at", iso_ms(ev.created)),
        "updated_at": a.get("updated_at", iso_ms(ev.updated)),
    }


def access_role(cal: Calendar) -> str:
    return "reader" if cal.readonly else "owner"


def calendar_json(cal: Calendar, owner: Account) -> dict[str, Any]:
    role = access_role(cal)
    out: dict[str, Any] = {
        "id": cal.id,
        "name": cal.name,
        "description": "",
        "status": "active",
        "visibility": "public",
        "is_default": cal.primary,
        "timezone": owner.default_tzid,
        "access_role": {"id": role, "name": role},
    }
    if cal.color:
        out["colors"] = {"background": cal.color, "foreground": "#000000"}
    return out


def event_type_json(et: dict[str, Any], integration: str) -> dict[str, Any]:
    """The unified EventTypes object. The EventTypes Object page: `name` is the "Slug or unique
    readable name", `label` the "Human readable name" (the world file's `name`). Fields the
    provider has no value for are left out: Cal.com's event types carry no colour unless set and
    no created/updated times (its API v2 EventTypeOutput has neither)."""
    slug = et.get("slug", et["id"])
    out: dict[str, Any] = {
        "id": et["id"],
        "name": slug,
        "label": et.get("label", et["name"]),
        "status": et.get("status", "active"),
        "urls": [{"type": "scheduling", "url": f"https://scheduling.example.com/{slug}"}],
    }
    color = remote.event_type_color(integration, et)
    if color is not None:
        out["color"] = color
    out |= {
        "duration": et.get("duration", 30),
        "description": et.get("description", ""),
        "allow_scheduling": et.get("status", "active") == "active",
        "position": et.get("position", 0),
        "form_fields": et.get("form_fields", []),
        "locations": et.get("locations", []),
    }
    if integration == "calendly" and "created" in et:
        out["created_at"] = iso_ms(remote.instant_of(et["created"]))
        out["updated_at"] = iso_ms(remote.instant_of(et.get("updated", et["created"])))
    return out


def user_json(owner: Account) -> dict[str, Any]:
    first, _, last = owner.name.partition(" ")
    return {
        "id": owner.id,
        "external_id": owner.id,
        "identifiers": {"email": owner.email},
        "first_name": first,
        "last_name": last,
        "name": owner.name,
        "username": owner.email,
        "emails": [{"email": owner.email, "is_primary": True, "type": "work"}],
        "timezone": owner.default_tzid,
    }


def contact_id(email: str) -> str:
    return hashlib.sha1(email.lower().encode()).hexdigest()[:20]


def contact_json(cid: str, person: Person, first: datetime, last: datetime) -> dict[str, Any]:
    name = person.display_name or ""
    given, _, family = name.partition(" ")
    return {
        "id": cid,
        "first_name": given,
        "middle_name": "",
        "last_name": family,
        "name": name or person.email,
        "title": "",
        "addresses": [],
        "email_addresses": [{"email": person.email, "type": "work"}],
        "phone_numbers": [],
        "tags": [],
        "last_activity_at": iso_ms(last),
        "created_at": iso_ms(first),
        "updated_at": iso_ms(last),
    }


def render_remote_calendar(integration: str, cal: Calendar, owner: Account) -> Any:
    return remote.calendar_remote(integration, cal, owner, access_role(cal))


# -- write bodies -------------------------------------------------------------------------------


def present(body: dict[str, Any], name: str) -> bool:
    if name == "calendar.id":
        cal = body.get("calendar")
        return isinstance(cal, dict) and isinstance(cal.get("id"), str) and bool(cal["id"])
    return body.get(name) is not None


def invalid(field: str, why: str) -> TrutoError:
    return bad_request(
        f"Invalid value for {field}: {why}",
        conditionally_required_body_fields=CONDITIONAL_BODY,
    )


def missing_body(names: list[str]) -> TrutoError:
    return TrutoError(
        400,
        f"Missing required body fields: {', '.join(names)}",
        insight={
            "missing_required_body_fields": insight_entry("missing_required_body_fields", names),
            "conditionally_required_body_fields": insight_entry(
                "conditionally_required_body_fields", CONDITIONAL_BODY
            ),
        },
    )


def check_required(body: dict[str, Any], integration: str, op: str, time_rules_remote: bool):
    """The integration's required fields, then the start/end/timezone co-requirement."""
    missing = [n for n in REQUIRED_BODY.get((integration, op), ()) if not present(body, n)]
    if missing:
        raise missing_body(missing)
    corequired: list[str] = []
    for name, needs in DEPENDENT_BODY.items():
        if present(body, name):
            corequired += [n for n in needs if not present(body, n) and n not in corequired]
    if corequired:
        if time_rules_remote:
            msg = f"Missing {' and '.join(corequired)}."
            raise remote.remote_error(integration, 400, msg)
        raise missing_body(corequired)


def event_changes(body: dict[str, Any], current: Event | None, default_tz: str) -> dict[str, Any]:
    """Core changes for the fields sent (null counts as not sent); raises 400 on a bad value."""
    changes: dict[str, Any] = {}
    extra = dict(truto_extra(current)) if current else {}
    for name, limit in (("title", MAX_TITLE), ("description", MAX_TEXT)):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise invalid(name, "must be a string")
        if len(value) > limit:
            raise invalid(name, f"must be at most {limit} characters")
        changes["summary" if name == "title" else "description"] = value
    tz = body.get("timezone")
    if tz is not None:
        if not isinstance(tz, str) or not is_zone(tz):
            raise invalid("timezone", "must be an IANA time zone such as Europe/Berlin")
        changes["tzid"] = tz
    zone_for = tz if isinstance(tz, str) else (current.tzid if current else default_tz)
    if body.get("start_time") is not None and body.get("end_time") is not None:
        start = parse_when(body["start_time"], "start_time", zone_for)
        end = parse_when(body["end_time"], "end_time", zone_for)
        if isinstance(start, datetime) != isinstance(end, datetime):
            raise invalid("end_time", "start_time and end_time must both be dates or date-times")
        if end < start:  # type: ignore[operator]
            raise invalid("end_time", "must not be before start_time")
        changes |= {"start": start, "end": end, "end_tzid": None}
    enum_map = (
        ("status", STATUSES),
        ("availability", AVAILABILITIES),
        ("visibility", tuple(VISIBILITIES)),
        ("type", TYPES),
    )
    for name, allowed in enum_map:
        value = body.get(name)
        if value is None:
            continue
        if value not in allowed:
            raise invalid(name, f"must be one of {', '.join(allowed)}")
        if name == "status":
            extra["draft"] = value == "draft"
            changes["status"] = "confirmed" if value == "draft" else value
        elif name == "availability":
            changes["transparency"] = "transparent" if value == "free" else "opaque"
        elif name == "visibility":
            changes["visibility"] = VISIBILITIES[value]
        else:
            extra["type"] = value
    for flag in GUEST_FLAGS:
        value = body.get(flag)
        if value is None:
            continue
        if not isinstance(value, bool):
            raise invalid(flag, "must be a boolean")
        extra[flag] = value
    if body.get("attendees") is not None:
        changes["attendees"] = parse_attendees(body["attendees"])
    if body.get("location") is not None:
        core, unified = parse_location(body["location"])
        changes["location"] = core
        extra["location"], extra["location_for"] = unified, core
    if body.get("recurrence") is not None:
        lines = body["recurrence"]
        if not isinstance(lines, list) or any(not isinstance(x, str) for x in lines):
            raise invalid("recurrence", "must be a list of RRULE / EXDATE / RDATE lines")
        start = changes.get("start", current.start if current else None)
        if lines and start is not None:
            try:
                rrules.validate(lines, start, changes.get("tzid", zone_for))
            except ValueError as exc:
                raise invalid("recurrence", str(exc)) from exc
        changes["recurrence"] = tuple(lines)
    if body.get("remote_data") is not None:
        if not isinstance(body["remote_data"], dict):
            raise invalid("remote_data", "must be an object")
        extra["remote_data"] = body["remote_data"]
    if extra != (truto_extra(current) if current else {}):
        changes["extra"] = {**(current.extra if current else {}), "truto": extra}
    return changes


def parse_when(value: Any, name: str, tzid: str) -> datetime | date:
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return parse_date(value)
            return parse_time(value).aware(tzid)
        except ValueError:
            pass
    raise invalid(name, "must be an ISO 8601 date-time")


def parse_attendees(value: Any) -> tuple[Attendee, ...]:
    if not isinstance(value, list):
        raise invalid("attendees", "must be a list")
    out = []
    for i, item in enumerate(value):
        where = f"attendees[{i}]"
        if not isinstance(item, dict):
            raise invalid(where, "must be an object")
        person = item.get("person") or {}
        emails = person.get("emails") if isinstance(person, dict) else None
        first = emails[0] if isinstance(emails, list) and emails else None
        email = first.get("email") if isinstance(first, dict) else None
        if not isinstance(email, str) or "@" not in email:
            raise invalid(f"{where}.person.emails[0].email", "an email address is required")
        name = person.get("name")
        if name is not None and not isinstance(name, str):
            raise invalid(f"{where}.person.name", "must be a string")
        response = item.get("response") or {}
        status = response.get("status", "needs_action") if isinstance(response, dict) else None
        if status not in RESPONSES:
            raise invalid(f"{where}.response.status", f"must be one of {', '.join(RESPONSES)}")
        flags = {}
        for key in ("is_optional", "is_organizer"):
            flag = item.get(key, False)
            if not isinstance(flag, bool):
                raise invalid(f"{where}.{key}", "must be a boolean")
            flags[key] = flag
        out.append(Attendee(email, name, status, flags["is_optional"], flags["is_organizer"]))
    return tuple(out)


def parse_location(value: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(the core location Cronofy also reads, the unified object as sent)."""
    if not isinstance(value, dict):
        raise invalid("location", "must be an object")
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        raise invalid("location.name", "must be a string")
    address = value.get("address")
    text = name
    if address is not None:
        if not isinstance(address, dict) or any(
            not isinstance(v, str) for v in address.values() if v is not None
        ):
            raise invalid("location.address", "must be an object of strings")
        if not text:
            keys = ("street_1", "street_2", "city", "state", "postal_code", "country")
            text = ", ".join(address[k] for k in keys if address.get(k))
    core: dict[str, Any] = {"description": text} if text else {}
    coords = value.get("coordinates")
    if coords is not None:
        lat, lon = (
            coords.get(k) if isinstance(coords, dict) else None for k in ("latitude", "longitude")
        )
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (lat, lon)):
            raise invalid("location.coordinates", "latitude and longitude must be numbers")
        core |= {"lat": str(lat), "long": str(lon)}
    return core or None, value


# -- the answer of a unified call -----------------------------------------------------


def response_body(call: Call, result: Rendered | Page) -> Any:
    """What a unified call answers: the shaped result (truto_* parameters), or with
    `truto_response_format=debug` the result and the provider request behind it."""
    q = call.query
    if isinstance(result, Page):
        out: Any = q.shape_page(result)
        raw: Any = [item.remote for item in result.items]
    else:
        out, raw = q.shape(result), result.remote
    if q.fmt != "debug":
        return out
    verb, url = remote.request_url(
        call.integration, call.resource, call.method, call.calendar, call.rid
    )
    if q.remote_query:
        url += "?" + urlencode(flatten(q.remote_query))
    return {
        "result": out,
        "debug": {
            "requestUrl": url,
            "requestOptions": {
                "method": verb,
                "headers": {"accept": "application/json"},
                "query": q.remote_query,
            },
            "data": raw,
            "responseHeaders": {"content-type": "application/json; charset=UTF-8"},
        },
    }


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            pair
            for k, v in value.items()
            for pair in flatten(v, f"{prefix}[{k}]" if prefix else str(k))
        ]
    if isinstance(value, list):
        return [pair for v in value for pair in flatten(v, f"{prefix}[]")]
    return [(prefix, str(value))]


def dashboard_event(backend: Any, ev: Event) -> dict[str, Any] | None:
    """The unified Event as each integrated account that sees the event's calendar returns it,
    by the account's label (registry.Provider.render_event, for the dashboard)."""
    world = backend.world
    cal = world.calendars.get(ev.calendar_id)
    if cal is None:
        return None
    out: dict[str, Any] = {}
    for acc in backend.store.accounts.values():
        owner = world.accounts.get(acc.account_id)
        if owner is None or cal not in acc.calendars(world):
            continue
        rid = ev.provider_event_id or ev.uid
        body = event_json(acc.integration, ev, rid, ev.start, ev.end, cal, owner)
        out[acc.label or acc.id] = {
            **body,
            "remote_data": remote.event_remote(
                acc.integration, ev, rid, ev.start, ev.end, cal, owner
            ),
        }
    return out or None
