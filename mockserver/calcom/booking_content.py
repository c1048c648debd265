"""What a booking carries besides its times: the default title, the location string (from the
body or the event type), the checks of bookingFieldsResponses against the type's booking fields,
and the Google event it puts in the host's calendar."""

from __future__ import annotations

from typing import Any

from mockserver.calcom.exceptions import bad_request
from mockserver.calcom.store import Attendee, Booking, EventType, User
from mockserver.core import ids
from mockserver.core.models import Attendee as CoreAttendee
from mockserver.core.models import Calendar, Event, Person
from mockserver.core.world import World


def default_title(et: EventType, user: User, attendees: tuple[Attendee, ...]) -> str:
    """Cal.com's default event name: `{Event type title} between {Organiser} and {Booker}`."""
    booker = attendees[0].name if attendees else "Guest"
    return f"{et.title} between {user.name} and {booker}"


EXPECTED = {  # a custom booking field's type -> the JavaScript type its response must have
    "number": "number",
    "boolean": "boolean",
    "multiselect": "array",
    "checkbox": "array",
    "multiemail": "array",
}


def _js_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def check_responses(et: EventType, responses: dict[str, Any]) -> None:
    """bookingFieldsResponses against the type's custom booking fields (input.service): every
    required visible field answered, each answer of its type, options among the field's."""
    for field in et.spec.get("bookingFields") or ():
        kind, slug = field.get("type"), field.get("slug")
        if kind in (None, "name", "email", "splitName") or slug in DEFAULT_RESPONSES:
            continue
        if slug not in responses:
            if field.get("required") and not field.get("hidden"):
                raise bad_request(
                    f"Missing required booking field response: {slug} - it is required by the "
                    "event type booking fields, but missing in the bookingFieldsResponses. You "
                    f"can fetch the event type with ID {et.id} to see the required fields."
                )
            continue
        value = responses[slug]
        expected = EXPECTED.get(kind, "string")
        if _js_type(value) != expected:
            raise bad_request(
                f"Invalid type for booking field '{slug}'. Expected type {expected} (compatible "
                f"with field type '{kind}'), but received {_js_type(value).replace('array', 'object')}."
            )
        options = [str(o) for o in field.get("options") or ()]
        if kind in ("select", "radio", "multiselect", "checkbox") and options:
            for choice in value if isinstance(value, list) else [value]:
                if str(choice) not in options:
                    raise bad_request(
                        f"Invalid option '{choice}' for booking field '{slug}'. Allowed options "
                        f"are: {', '.join(options)}."
                    )


DEFAULT_RESPONSES = (
    "title",
    "notes",
    "guests",
    "rescheduleReason",
    "location",
    "attendeePhoneNumber",
)


def create_event(
    world: World,
    booking: Booking,
    et: EventType,
    user: User,
    cal: Calendar,
    provider_event_id: str | None = None,
) -> Event:
    """The Google event a booking puts in the host's calendar (the owner made it: app_id None)."""
    host = CoreAttendee(user.email, user.name, "accepted", organizer=True)
    people = [host]
    people += [CoreAttendee(a.email, a.name, "needs_action") for a in booking.attendees]
    people += [CoreAttendee(g, None, "needs_action") for g in booking.guests]
    fields: dict[str, Any] = {}
    if booking.location.startswith("https://meet.google.com/"):  # a Meet link is a conference
        fields["conferencing"] = {
            "profile_id": "default",
            "provider_description": "Google Meet",
            "join_url": booking.location,
        }
    elif booking.location:
        fields["location"] = {"description": booking.location}
    return world.create_event(
        cal.id,
        summary=booking.title,
        description=booking.description,
        start=booking.start,
        end=booking.end,
        tzid=user.time_zone,
        attendees=tuple(people),
        organizer=Person(user.email, user.name),
        participation_status="accepted",
        ical_uid=booking.ics_uid,
        provider_event_id=provider_event_id or ids.provider_event_id(),
        extra={"calcom_booking_uid": booking.uid},
        **fields,
    )
