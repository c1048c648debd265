"""The DTOs Cal.com declares for the operations the fake serves, as `validator.Prop` tuples
(class-validator itself, and the order its constraints come in, is validator.py)."""

from __future__ import annotations

from typing import Any

from mockserver.calcom.validator import (
    UNDEFINED,
    ArrayNotEmpty,
    ArrayUnique,
    Check,
    Custom,
    Dto,
    IsArray,
    IsBoolean,
    IsDateString,
    IsEmail,
    IsEnum,
    IsIn,
    IsInt,
    IsISO8601,
    IsNumber,
    IsObject,
    IsString,
    IsTimeZone,
    IsUrl,
    Matches,
    Max,
    Min,
    Prop,
    ValidateMetadata,
    errors,
    is_email,
    is_int,
    is_iso8601,
    is_number,
    is_string,
    is_url,
    orjson_key,
    pipe_message,
    unknown_value,
    validate,
    whitelist,
)

# the validator machinery is used through this module too (dto.validate(dto.X, ...), dto.IsIn)
__all__ = [
    "UNDEFINED",
    "ArrayNotEmpty",
    "ArrayUnique",
    "Check",
    "Custom",
    "Dto",
    "IsArray",
    "IsBoolean",
    "IsDateString",
    "IsEmail",
    "IsEnum",
    "IsIn",
    "IsInt",
    "IsISO8601",
    "IsNumber",
    "IsObject",
    "IsString",
    "IsTimeZone",
    "IsUrl",
    "Matches",
    "Max",
    "Min",
    "Prop",
    "ValidateMetadata",
    "errors",
    "is_email",
    "is_int",
    "is_iso8601",
    "is_number",
    "is_string",
    "is_url",
    "orjson_key",
    "pipe_message",
    "unknown_value",
    "validate",
    "whitelist",
]

# -- the DTOs Cal.com declares -----------------------------------------------------------------

RESPONSE_STATUSES = ("accepted", "pending", "declined", "needsAction")
EVENT_STATUSES = ("accepted", "pending", "declined", "cancelled")

DATE_TIME_WITH_ZONE: Dto = (
    Prop("time", (IsISO8601(),)),
    Prop("timeZone", (IsString(),)),
)
UPDATE_ATTENDEE: Dto = (
    Prop("email", (IsString(),), optional=False),
    Prop("name", (IsString(),)),
    Prop("responseStatus", (IsEnum(RESPONSE_STATUSES),)),
    Prop("self"),  # declared, not type-checked
    Prop("optional"),
    Prop("host"),
)
UPDATE_EVENT: Dto = (  # UpdateUnifiedCalendarEventInput
    Prop("start", nested=DATE_TIME_WITH_ZONE),
    Prop("end", nested=DATE_TIME_WITH_ZONE),
    Prop("title", (IsString(),)),
    Prop("description", (IsString(),)),
    Prop("attendees", (IsArray(),), nested=UPDATE_ATTENDEE, each=True),
    Prop("status", (IsEnum(EVENT_STATUSES),)),
)

LANGUAGES = (
    "ar", "ca", "de", "es", "eu", "he", "id", "ja", "lv", "pl", "ro", "sr", "th", "vi", "az",
    "cs", "el", "es-419", "fi", "hr", "it", "km", "nl", "pt", "ru", "sv", "tr", "zh-CN", "bg",
    "da", "en", "et", "fr", "hu", "iw", "ko", "no", "pt-BR", "sk", "ta", "uk", "zh-TW", "bn",
)  # fmt: skip
EVENT_TYPE_IDENTIFICATION = (
    "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided"
)
METADATA_LIMITS = (
    "Metadata must have at most 50 keys, each key up to 40 characters, and string values up to "
    "500 characters."
)


def _identifies_event_type(body: dict[str, Any]) -> bool:
    """RequireEventTypeIdentification: JavaScript truthiness of the three ways."""
    slug = bool(body.get("eventTypeSlug"))
    return bool(body.get("eventTypeId")) or (
        slug and (bool(body.get("username")) or bool(body.get("teamSlug")))
    )


# packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts. `email` and
# `phoneNumber` carry `@Validate(<arrow function>)`, which registers no constraint: class-validator
# runs nothing for them (the booking responses check does, booking_fields.py).
BOOKING_ATTENDEE: Dto = (
    Prop("name", (IsString(),), optional=False),
    Prop("email"),
    Prop("timeZone", (IsTimeZone(),), optional=False),
    Prop("phoneNumber"),
    Prop("language", (IsEnum(LANGUAGES),)),
    Prop(
        "attendee email or phone",
        (
            Check(
                "requireEmailOrPhone",
                lambda a: bool(a.get("phoneNumber")) or bool(a.get("email")),
                "Attendee must have at least one contact method (email or phone number)",
            ),
        ),
        whole=True,
    ),
)
ROUTING: Dto = (
    Prop("responseId", (IsInt(),), optional=False),
    Prop("teamMemberIds", (IsInt(each=True), IsArray()), optional=False),
    Prop("teamMemberEmail", (IsString(),)),
    Prop("skipContactOwner", (IsBoolean(),)),
    Prop("crmAppSlug", (IsString(),)),
    Prop("crmOwnerRecordType", (IsString(),)),
)
CREATE_BOOKING: Dto = (  # CreateBookingInput_2024_08_13
    Prop("start", (IsDateString(),), optional=False),
    Prop("attendee", optional=False, defined=True, nested=BOOKING_ATTENDEE),
    Prop("bookingFieldsResponses", (IsObject(),)),
    Prop("eventTypeId", (IsInt(),)),
    Prop("eventTypeSlug", (IsString(),)),
    Prop("username", (IsString(),)),
    Prop("teamSlug", (IsString(),)),
    Prop("organizationSlug", (IsString(),)),
    Prop("guests", (IsString(each=True), IsArray())),
    Prop("meetingUrl", (IsUrl(),)),
    # ValidateBookingLocation's validator is async, so the pipes' validateSync never sees its
    # verdict: any location passes here and the service checks it (bookings.py).
    Prop("location"),
    Prop("metadata", (ValidateMetadata(METADATA_LIMITS), IsObject())),
    Prop("lengthInMinutes", (Min(1), IsInt())),
    Prop("routing", nested=ROUTING),
    Prop("emailVerificationCode", (IsString(),)),
    Prop("reservedSlotUid", (IsString(),)),  # the reservation the booking takes
    Prop(
        "eventTypeId or eventTypeSlug + username",
        (
            Check(
                "requireEventTypeIdentification", _identifies_event_type, EVENT_TYPE_IDENTIFICATION
            ),
        ),
        whole=True,
    ),
)
# the subclasses' own properties come first, then the inherited ones (class-validator)
CREATE_RECURRING_BOOKING: Dto = (Prop("recurrenceCount", (Min(1), IsInt())), *CREATE_BOOKING)
CREATE_INSTANT_BOOKING: Dto = (Prop("instant", (IsBoolean(),), optional=False), *CREATE_BOOKING)
CANCEL_BOOKING: Dto = (  # cancel-booking.input.ts
    Prop("cancellationReason", (IsString(),)),
    Prop("cancelSubsequentBookings", (IsBoolean(),)),
)
CANCEL_SEATED_BOOKING: Dto = (Prop("seatUid", (IsString(),), optional=False),)
RESCHEDULE_BOOKING: Dto = (  # reschedule-booking.input.ts; rescheduledBy: @Validate(<arrow>)
    Prop("start", (IsDateString(),), optional=False),
    Prop("rescheduledBy"),
    Prop("reschedulingReason", (IsString(),)),
    Prop("emailVerificationCode", (IsString(),)),
    Prop("rrHostSubsetIds", (IsInt(each=True), IsArray())),
)
RESCHEDULE_SEATED_BOOKING: Dto = (
    Prop("start", (IsDateString(),), optional=False),
    Prop("rescheduledBy"),
    Prop("seatUid", (IsString(),), optional=False),
    Prop("emailVerificationCode", (IsString(),)),
)

# -- calendars ------------------------------------------------------------------------------

BUSY_CALENDAR: Dto = (  # Calendar: credentialId read with parseInt first (models.busy_times)
    Prop("credentialId", (IsNumber(),), optional=False),
    Prop("externalId", (IsString(),), optional=False),
)
BUSY_TIMES_QUERY: Dto = (  # CalendarBusyTimesInput (apps/api/v2/src/ee/calendars/inputs)
    Prop("loggedInUsersTz", (IsString(),)),
    Prop("timeZone", (IsTimeZone(), IsString())),
    Prop("dateFrom", (IsDateString(), IsString()), optional=False),
    Prop("dateTo", (IsDateString(), IsString()), optional=False),
    Prop("calendarsToLoad", (IsArray(),), optional=False, nested=BUSY_CALENDAR, each=True),
)

# -- the 2026 open-source routes (reference/calcom.md §1.5) -----------------------------------

CREATE_DATE_TIME: Dto = (
    Prop("time", (IsISO8601(),), optional=False),
    Prop("timeZone", (IsTimeZone(),), optional=False),
)
CREATE_ATTENDEE: Dto = (
    Prop("email", (IsEmail(),), optional=False),
    Prop("name", (IsString(),)),
)
CREATE_EVENT: Dto = (  # CreateUnifiedCalendarEventInput
    Prop("title", (IsString(),), optional=False),
    Prop("start", optional=False, defined=True, nested=CREATE_DATE_TIME),
    Prop("end", optional=False, defined=True, nested=CREATE_DATE_TIME),
    Prop("description", (IsString(),)),
    Prop("attendees", (IsArray(),), nested=CREATE_ATTENDEE, each=True),
)
RANGE_QUERY: Dto = (  # from / to / timeZone / calendarId query parameters
    Prop("from", (IsISO8601(),), optional=False),
    Prop("to", (IsISO8601(),), optional=False),
    Prop("timeZone", (IsTimeZone(),)),
    Prop("calendarId", (IsString(),)),
)

# -- webhooks (reference/webhooks.md §2.1-2.3) -------------------------------------------------

# WebhookTriggerEvents as the published OpenAPI document lists them (its example's
# BOOKING_CONFIRMED, BOOKING_COMPLETED, BOOKING_NO_SHOW and BOOKING_REOPENED are not among them)
TRIGGERS = (
    "BOOKING_CREATED", "BOOKING_PAYMENT_INITIATED", "BOOKING_PAID", "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED", "BOOKING_CANCELLED", "BOOKING_REJECTED", "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED", "MEETING_ENDED", "MEETING_STARTED", "RECORDING_READY", "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED", "OOO_CREATED", "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW", "FORM_SUBMITTED_NO_EVENT", "DELEGATION_CREDENTIAL_ERROR",
)  # fmt: skip
CREATE_WEBHOOK: Dto = (  # CreateWebhookInputDto (webhook.input.ts)
    Prop("payloadTemplate", (IsString(),)),
    Prop("active", (IsBoolean(),), optional=False),
    Prop("subscriberUrl", (IsString(),), optional=False),
    Prop("triggers", (IsArray(), IsEnum(TRIGGERS, each=True)), optional=False),
    Prop("secret", (IsString(),)),
)
UPDATE_WEBHOOK: Dto = tuple(  # UpdateWebhookInputDto: every property optional
    Prop(p.name, p.checks) for p in CREATE_WEBHOOK
)
WEBHOOK_PAGE: Dto = ()  # take / skip are checked by hand (query strings)
DECLINE_BOOKING: Dto = (Prop("reason", (IsString(),)),)
