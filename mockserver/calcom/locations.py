"""Where a booking takes place: the event type's location rendered as a booking's `location`
string, and the body's `location` / `meetingUrl` checked and resolved as
InputBookingsService_2024_08_13 does (apps/api/v2/src/ee/bookings/2024-08-13/services/
input.service.ts in the cal.com monorepo: isBookingLocationWithEventTypeLocations, then
transformLocation)."""

from __future__ import annotations

from typing import Any

from mockserver.calcom.exceptions import bad_request
from mockserver.calcom.js import js_text
from mockserver.calcom.store import EventType

# Cal Video rooms are served by the web app: <WEBAPP_URL>/video/<booking uid>.
WEBAPP_URL = "https://app.cal.com"


def video_room(uid: str) -> str:
    return f"{WEBAPP_URL}/video/{uid}"


def meet_link(uid: str) -> str:
    code = uid.lower()
    letters = "".join(ch for ch in code if ch.isalpha()).ljust(10, "x")
    return f"https://meet.google.com/{letters[:3]}-{letters[3:7]}-{letters[7:10]}"


def location_of(loc: dict[str, Any] | None, uid: str) -> str:
    """One of an event type's locations as a booking's `location`."""
    loc = loc or {}
    kind = loc.get("type")
    if kind == "integration" and loc.get("integration") == "google-meet":
        return meet_link(uid)
    if kind == "integration" and loc.get("integration") == "cal-video":
        return video_room(uid)
    if kind == "organizersDefaultApp":
        return video_room(uid)  # Cal Video is every organizer's default app until changed
    if kind in ("address", "link", "phone"):
        return str(loc.get(kind, ""))
    return ""


def location_string(et: EventType, uid: str) -> str:
    """The event type's first location: what a booking without its own location gets."""
    return location_of(et.location, uid)


_MISSING = object()


def booking_location(body: dict[str, Any], et: EventType, uid: str) -> str:
    """The `location` of a new booking. `location || meetingUrl` (JavaScript truthiness): a
    string is kept as given (backwards compatibility); an object must name one of the event
    type's location types (and integration), and resolves to the event type's value or, for
    the attendee* types, to what the attendee gave; nothing means the event type's location."""
    given = body.get("location") or body.get("meetingUrl")
    if not given:
        return location_string(et, uid)
    if isinstance(given, str):
        return given
    offered = list(et.locations)
    allowed = [str(loc.get("type")) for loc in offered]
    kind = given.get("type", _MISSING) if isinstance(given, dict) else _MISSING
    kind_text = "undefined" if kind is _MISSING else js_text(kind)
    if kind is _MISSING or not isinstance(kind, str) or kind not in allowed:
        raise bad_request(
            f"Booking location with type {kind_text} not valid for event type with id={et.id}. "
            f"The event type has following location types: {', '.join(allowed)}, and only these "
            "types are allowed for booking location."
        )
    assert isinstance(given, dict)
    if kind == "integration" and "integration" in given:
        integrations = [
            str(loc.get("integration")) for loc in offered if loc.get("type") == "integration"
        ]
        if given["integration"] in integrations:
            return location_of({"type": "integration", "integration": given["integration"]}, uid)
        raise bad_request(
            f"Booking location with integration {js_text(given['integration'])} not valid "
            f"for event type with id={et.id}. The event type has following integrations: "
            f"{', '.join(integrations)}, and only these integrations are allowed for booking "
            "location."
        )
    if kind == "integration" and "integration" not in given:
        raise bad_request("Invalid integration: undefined")
    attendee_value = {"attendeeAddress": "address", "attendeePhone": "phone"}
    if kind in attendee_value:
        return js_text(given.get(attendee_value[kind], ""))
    if kind == "attendeeDefined":
        return js_text(given.get("location", ""))
    chosen = next(loc for loc in offered if loc.get("type") == kind)
    return location_of(chosen, uid)
