"""The 2024-06-14 event-type input DTOs (CreateEventTypeInput_2024_06_14 and its update twin),
as class-validator and Cal.com's custom validators check them (docs/reference/scheduling.md
§3.4; packages/platform/types/event-types/event-types_2024_06_14/inputs/*.ts).

Two kinds of failure, as in the real pipe: the async custom validators of `locations` and
`bookingFields` throw a BadRequestException with their own text (which wins over every other
error: the whole validation promise rejects), the rest are ordinary ValidationError trees."""

from __future__ import annotations

import re
from typing import Any

from mockserver.calcom import dto
from mockserver.calcom.dto import (
    ArrayNotEmpty,
    ArrayUnique,
    Custom,
    IsArray,
    IsBoolean,
    IsEnum,
    IsInt,
    IsString,
    IsUrl,
    Min,
    Prop,
)
from mockserver.calcom.exceptions import bad_request, validation_failed

INTEGRATIONS = (
    "cal-video", "google-meet", "zoom", "whereby-video", "whatsapp-video", "webex-video",
    "telegram-video", "tandem", "sylaps-video", "skype-video", "sirius-video", "signal-video",
    "shimmer-video", "salesroom-video", "roam-video", "riverside-video", "ping-video",
    "office365-video", "mirotalk-video", "jitsi", "jelly-video", "jelly-conferencing", "huddle",
    "facetime-video", "element-call-video", "eightxeight-video", "discord-video",
    "demodesk-video", "campfire-video",
)  # fmt: skip
LOCATION_TYPES = (
    "address", "link", "integration", "phone", "attendeeAddress", "attendeePhone",
    "attendeeDefined", "organizersDefaultApp",
)  # fmt: skip
# The upper bound of seatsPerTimeSlot (MAX_SEATS_PER_TIME_SLOT): value UNVERIFIED.
MAX_SEATS = 1000
FREQUENCIES = ("yearly", "monthly", "weekly")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


# -- locations (ValidateLocations_2024_06_14: throws) -----------------------------------------


def _location_messages(loc: dict[str, Any]) -> list[str]:
    """class-validator's constraint texts for one location object, property by property."""
    kind = loc["type"]
    out: list[str] = []
    if kind == "address":
        address = loc.get("address")
        if not (isinstance(address, str) and len(address) >= 1):
            out.append("address must be longer than or equal to 1 characters")
        if not isinstance(address, str):
            out.append("address must be a string")
    elif kind == "link" and not dto.is_url(loc.get("link")):
        out.append("link must be a URL address")
    elif kind == "integration" and loc.get("integration") not in INTEGRATIONS:
        out.append("integration must be one of the following values: " + ", ".join(INTEGRATIONS))
    elif kind == "phone" and not (
        isinstance(loc.get("phone"), str) and _E164.match(loc["phone"].replace(" ", ""))
    ):
        out.append("phone must be a valid phone number")
    if kind in ("address", "link", "phone") and not isinstance(loc.get("public"), bool):
        out.append("public must be a boolean value")
    return out


def check_locations(locations: Any) -> None:
    if not isinstance(locations, list):
        raise bad_request("'locations' must be an array.")
    if not locations:
        raise bad_request("'locations' must contain at least 1 location.")
    for loc in locations:
        if not isinstance(loc, dict):
            raise bad_request("Each object in 'locations' must be an object.")
        kind = loc.get("type")
        if not kind:
            raise bad_request("Each object in 'locations' must have a 'type' property.")
        if kind not in LOCATION_TYPES[:-1]:  # organizersDefaultApp: team event types only
            raise bad_request(
                f"Unsupported location type '{kind}'. Valid types are address, link, "
                "integration, and phone."
            )
        messages = _location_messages(loc)
        if messages:
            raise bad_request(f"Validation failed for {kind} location: {', '.join(messages)}")


# -- booking fields (ValidateInputBookingFields_2024_06_14: throws) ----------------------------

DEFAULT_FIELD_SLUGS = ("title", "notes", "guests", "rescheduleReason", "location")
NO_SLUG_TYPES = ("name", "splitName", "email")
CUSTOM_TYPES = (
    "phone", "address", "text", "number", "textarea", "select", "multiselect", "multiemail",
    "checkbox", "radio", "boolean", "url",
)  # fmt: skip
OPTION_TYPES = ("select", "multiselect", "checkbox", "radio")


def _field_messages(field: dict[str, Any], key: str) -> list[str]:
    out: list[str] = []

    def optional(name: str, test: Any, text: str) -> None:
        if name in field and field[name] is not None and not test(field[name]):
            out.append(text)

    def boolean(name: str) -> None:
        optional(name, lambda v: isinstance(v, bool), f"{name} must be a boolean value")

    def string(name: str) -> None:
        optional(name, lambda v: isinstance(v, str), f"{name} must be a string")

    if key in CUSTOM_TYPES:
        if not isinstance(field.get("slug"), str):
            out.append("slug must be a string")
        if not isinstance(field.get("label"), str):
            out.append("label must be a string")
        if not isinstance(field.get("required"), bool):
            out.append("required must be a boolean value")
        if key in OPTION_TYPES and not isinstance(field.get("options"), list):
            out.append("options must be an array")
    else:
        string("label")
        boolean("required")
    string("placeholder")
    boolean("disableOnPrefill")
    boolean("hidden")
    return out


def check_booking_fields(fields: Any) -> None:
    if not isinstance(fields, list):
        raise bad_request("'bookingFields' must be an array.")
    if not fields:
        raise bad_request("'bookingFields' must contain at least 1 booking field.")
    slugs: list[Any] = []
    for field in fields:
        field = field if isinstance(field, dict) else {}
        kind, slug = field.get("type"), field.get("slug")
        needs_type = slug not in DEFAULT_FIELD_SLUGS
        if needs_type and not kind:
            raise bad_request(
                "All booking fields except ones with slug equal to title, notes, guests, "
                "rescheduleReason and location must have a 'type' property."
            )
        needs_slug = kind not in NO_SLUG_TYPES
        if needs_slug and not slug:
            raise bad_request(
                "Each booking field except ones with type equal to name, splitName, email must "
                "have a 'slug' property."
            )
        if slug in slugs:
            raise bad_request(
                f"Duplicate bookingFields slug '{slug}' found. All bookingFields slugs must be "
                "unique."
            )
        if needs_slug:
            slugs.append(slug)
        key = kind if needs_type else slug
        if key not in (*NO_SLUG_TYPES, *DEFAULT_FIELD_SLUGS, *CUSTOM_TYPES):
            raise bad_request(
                f"Unsupported booking field type '{kind}'."
                if needs_type
                else f"Unsupported booking field slug '{slug}'."
            )
        messages = _field_messages(field, key)
        if messages:
            raise bad_request(
                f"Validation failed for {kind or slug} booking field: {', '.join(messages)}"
            )
    email = next((f for f in fields if isinstance(f, dict) and f.get("type") == "email"), None)
    if email is not None and (email.get("required") is False or email.get("hidden") is True):
        raise bad_request(
            "checkIsEmailUserAccessible - Email booking field must be required and visible"
        )


# -- the custom sync validators (their defaultMessage is the constraint text) ------------------


def _disabled(v: Any) -> bool:
    return isinstance(v, dict) and v.get("disabled") is True


def _booking_window_ok(v: Any) -> bool:
    if not isinstance(v, dict):
        return False
    if _disabled(v):
        return True
    kind = v.get("type")
    if kind in ("businessDays", "calendarDays"):
        return dto.is_number(v.get("value")) and v.get("rolling") in (None, True, False)
    if kind == "range":
        value = v.get("value")
        return isinstance(value, list) and all(dto.is_iso8601(d) for d in value)
    return False


def _confirmation_ok(v: Any) -> bool:
    if not isinstance(v, dict):
        return False
    if _disabled(v):
        return True
    if not isinstance(v.get("blockUnconfirmedBookingsInBooker"), bool):
        return False
    if v.get("type") == "always":
        return True
    threshold = v.get("noticeThreshold")
    return (
        v.get("type") == "time"
        and isinstance(threshold, dict)
        and threshold.get("unit") in ("minutes", "hours")
        and dto.is_number(threshold.get("count"))
    )


LIMIT_KEYS = ("day", "week", "month", "year")


def _limits_ok(v: Any, multiple: int = 1) -> bool:
    if not isinstance(v, dict):
        return False
    if _disabled(v):
        return True
    values = [v[k] for k in LIMIT_KEYS if k in v]
    return all(dto.is_int(n) and n >= 1 and n % multiple == 0 for n in values) and all(
        k in (*LIMIT_KEYS, "disabled") for k in v
    )


def limits_order_problem(v: dict[str, Any]) -> str | None:
    """A smaller period may not allow more bookings than a larger one (et-dto)."""
    present = [k for k in LIMIT_KEYS if k in v]
    for small, big in zip(present, present[1:], strict=False):
        if v[small] > v[big]:
            return (
                f"Invalid bookingLimitsCount: The number of bookings for {small} cannot exceed "
                f"the number of bookings for {big}."
            )
    return None


BOOKER_LAYOUTS: dto.Dto = (
    Prop("defaultLayout", (IsEnum(("month", "week", "column")),), optional=False),
    Prop("enabledLayouts", (IsEnum(("month", "week", "column"), each=True), IsArray())),
)
RECURRENCE: dto.Dto = (
    Prop("interval", (Min(1), IsInt()), optional=False),
    Prop("occurrences", (Min(1), IsInt()), optional=False),
    Prop("frequency", (IsEnum(FREQUENCIES),), optional=False),
)
SEATS: dto.Dto = (
    Prop("seatsPerTimeSlot", (dto.Max(MAX_SEATS), Min(1), IsInt()), optional=False),
    Prop("showAttendeeInfo", (IsBoolean(),), optional=False),
    Prop("showAvailabilityCount", (IsBoolean(),), optional=False),
)
DISABLED: dto.Dto = (Prop("disabled", (IsBoolean(),), optional=False),)
CAL_VIDEO: dto.Dto = tuple(
    Prop(name, (IsBoolean(),))
    for name in (
        "disableRecordingForOrganizer",
        "disableRecordingForGuests",
        "enableAutomaticRecordingForOrganizer",
        "enableAutomaticTranscription",
        "disableTranscriptionForGuests",
        "disableTranscriptionForOrganizer",
    )
) + (Prop("redirectUrlOnExit", (IsUrl(),)),)


def _union(value: Any, key: str) -> dto.Dto:
    """The @Transform of recurrence / seats: the class chosen by which key is present (a
    non-object fails @ValidateNested whatever the class)."""
    full = RECURRENCE if key == "interval" else SEATS
    if isinstance(value, dict) and key not in value and "disabled" in value:
        return DISABLED
    return full


# CreateEventTypeInput_2024_06_14 in declaration order (each Prop's checks bottom-up, the
# order class-validator reports them).
def create_dto(recurrence: Any = None, seats: Any = None, update: bool = False) -> dto.Dto:
    required = not update
    return (
        Prop("lengthInMinutes", (Min(1), IsInt()), optional=not required),
        Prop(
            "lengthInMinutesOptions",
            (Min(1, each=True), IsInt(each=True), ArrayUnique(), ArrayNotEmpty(), IsArray()),
        ),
        Prop("title", (IsString(),), optional=not required),
        Prop("slug", (IsString(),), optional=not required),
        Prop("description", (IsString(),)),
        Prop("bookingFields"),  # ValidateInputBookingFields_2024_06_14 (check_booking_fields)
        Prop("disableGuests", (IsBoolean(),)),
        Prop("slotInterval", (IsInt(),)),
        Prop("minimumBookingNotice", (Min(0), IsInt())),
        Prop("beforeEventBuffer", (IsInt(),)),
        Prop("afterEventBuffer", (IsInt(),)),
        Prop("scheduleId", (IsInt(),)),
        Prop(
            "bookingLimitsCount",
            (Custom("ValidateBookingLimitsCount", _limits_ok, "Invalid bookingLimitsCount."),),
        ),
        Prop("bookerActiveBookingsLimit"),
        Prop("onlyShowFirstAvailableSlot", (IsBoolean(),)),
        Prop(
            "bookingLimitsDuration",
            (
                Custom(
                    "ValidateBookingLimistsDuration",
                    # BookingLimitsDurationValidator checks the structure and the order only:
                    # "must be a multiple of 15" is the DTO's description, and the e2e spec
                    # creates `{"day": 60, "week": 100}` (et-dto booking-limits-duration.input.ts
                    # @ 31e08cf1419917c5e1202978492dcf2d1768c021; et-e2e)
                    _limits_ok,
                    "Invalid booking durations structure",
                ),
            ),
        ),
        Prop(
            "bookingWindow",
            (
                Custom(
                    "ValidateBookingWindow", _booking_window_ok, "Invalid bookingWindow structure."
                ),
            ),
        ),
        Prop("offsetStart", (Min(0), IsInt())),
        Prop("bookerLayouts", nested=BOOKER_LAYOUTS),
        Prop(
            "confirmationPolicy",
            (
                Custom(
                    "ValidateConfirmationPolicy",
                    _confirmation_ok,
                    'Invalid requiresConfirmation structure. Use "type": "always" or provide a '
                    'valid time and unit in "noticeThreshold" for "type": "time".',
                ),
            ),
        ),
        Prop("recurrence", nested=_union(recurrence, "interval")),
        Prop("requiresBookerEmailVerification", (IsBoolean(),)),
        Prop("hideCalendarNotes", (IsBoolean(),)),
        Prop("lockTimeZoneToggleOnBookingPage", (IsBoolean(),)),
        Prop("color"),  # @Type only: not validated
        Prop("seats", nested=_union(seats, "seatsPerTimeSlot")),
        Prop("customName", (IsString(),)),
        Prop("destinationCalendar"),  # @Type only
        Prop("useDestinationCalendarEmail", (IsBoolean(),)),
        Prop("hideCalendarEventDetails", (IsBoolean(),)),
        Prop("successRedirectUrl", (IsUrl(),)),
        Prop("hideOrganizerEmail", (IsBoolean(),)),
        Prop("calVideoSettings", nested=CAL_VIDEO),
        Prop("hidden", (IsBoolean(),)),
        Prop("bookingRequiresAuthentication", (IsBoolean(),)),
        Prop("locations"),  # ValidateLocations_2024_06_14 (check_locations)
    )


# Keys whose `{"disabled": true}` form means "none" (stored as absent).
DISABLEABLE = (
    "bookingLimitsCount",
    "bookerActiveBookingsLimit",
    "bookingLimitsDuration",
    "bookingWindow",
    "confirmationPolicy",
    "recurrence",
    "seats",
)


def validate(body: Any, update: bool = False) -> dict[str, Any]:
    """The whitelisted body, or raise the pipe's 400."""
    raw = body if isinstance(body, dict) else {}
    shape = create_dto(raw.get("recurrence"), raw.get("seats"), update)
    clean, errors = dto.validate(shape, body)
    # the custom async validators reject the whole validation first
    if clean.get("locations") is not None:
        check_locations(clean["locations"])
    if clean.get("bookingFields") is not None:
        check_booking_fields(clean["bookingFields"])
    if errors:
        raise validation_failed(errors)
    return {k: v for k, v in clean.items() if v is not None}


def slugify(text: str) -> str:
    """slugifyLenient, roughly: lower case, anything but letters, digits and dashes a dash."""
    out = re.sub(r"[^a-z0-9-]+", "-", text.strip().lower())
    return re.sub(r"-{2,}", "-", out).strip("-")
