"""class-validator, as Cal.com's global ValidationPipe runs it (reference/calcom.md §2.2):
`whitelist: true` strips undeclared properties (silently: no forbidNonWhitelisted), `transform:
true`, and `validationError: {target: true, value: true}`, so each error carries the object it
was found on. A DTO here is a tuple of `Prop`s in declaration order; `validate()` returns the
stripped body and the ValidationError trees Nest puts under `error.details.errors`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockserver.core.timeutil import is_zone

UNDEFINED: Any = object()  # a property that is not there (JSON has no `undefined`)

# validator.js isISO8601 (non-strict), verbatim: dates, week dates, ordinal dates, optional time.
_ISO8601 = re.compile(
    r"^([\+-]?\d{4}(?!\d{2}\b))((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?|W([0-4]\d|5[0-3])"
    r"(-?[1-7])?|(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))([T\s]((([01]\d|2[0-3])((:?)"
    r"[0-5]\d)?|24:?00)([\.,]\d+(?!:))?)?(\17[0-5]\d([\.,]\d+)?)?([zZ]|([\+-])([01]\d|2[0-3]):?"
    r"([0-5]\d)?)?)?)?$",
    re.ASCII,
)
# validator.js isEmail, simplified: local@domain.tld without spaces.
_EMAIL = re.compile(
    r"^[^\s@\"(),:;<>\[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def is_iso8601(value: Any) -> bool:
    return isinstance(value, str) and _ISO8601.match(value) is not None


def is_string(value: Any) -> bool:
    return isinstance(value, str)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_int(value: Any) -> bool:
    return is_number(value) and float(value).is_integer()


def is_email(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 254 and _EMAIL.match(value) is not None


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # the constraint key, e.g. "isString"
    test: Callable[[Any], bool]
    message: str  # "$property must be a string"
    each: bool = False  # applied to each element of an array ("each value in ...")

    def fails(self, value: Any) -> bool:
        if self.each:
            return not isinstance(value, list) or not all(self.test(v) for v in value)
        return not self.test(value)

    def text(self, prop: str) -> str:
        return ("each value in " if self.each else "") + self.message.replace("$property", prop)


def IsString(each: bool = False) -> Check:  # noqa: N802 - named like the decorator
    return Check("isString", is_string, "$property must be a string", each)


def IsISO8601() -> Check:  # noqa: N802
    return Check("isIso8601", is_iso8601, "$property must be a valid ISO 8601 date string")


def IsDateString() -> Check:  # noqa: N802
    return Check("isDateString", is_iso8601, "$property must be a valid ISO 8601 date string")


def IsEnum(values: tuple[str, ...], each: bool = False) -> Check:  # noqa: N802
    return Check(
        "isEnum",
        lambda v: isinstance(v, str) and v in values,
        "$property must be one of the following values: " + ", ".join(values),
        each,
    )


def IsInt(each: bool = False) -> Check:  # noqa: N802
    return Check("isInt", is_int, "$property must be an integer number", each)


def IsBoolean() -> Check:  # noqa: N802
    return Check("isBoolean", lambda v: isinstance(v, bool), "$property must be a boolean value")


def IsEmail(each: bool = False) -> Check:  # noqa: N802
    return Check("isEmail", is_email, "$property must be an email", each)


def IsArray() -> Check:  # noqa: N802
    return Check("isArray", lambda v: isinstance(v, list), "$property must be an array")


def IsObject() -> Check:  # noqa: N802
    return Check("isObject", lambda v: isinstance(v, dict), "$property must be an object")


def IsTimeZone() -> Check:  # noqa: N802 - class-validator's IsTimeZone message, verbatim
    return Check("isTimeZone", is_zone, "$property must be a valid IANA time-zone")


def IsNumber(each: bool = False) -> Check:  # noqa: N802
    return Check(
        "isNumber",
        is_number,
        "$property must be a number conforming to the specified constraints",
        each,
    )


def Min(limit: float, each: bool = False) -> Check:  # noqa: N802
    return Check(
        "min",
        lambda v: is_number(v) and v >= limit,
        f"$property must not be less than {limit}",
        each,
    )


def Max(limit: float, each: bool = False) -> Check:  # noqa: N802
    return Check(
        "max",
        lambda v: is_number(v) and v <= limit,
        f"$property must not be greater than {limit}",
        each,
    )


def IsIn(values: tuple[Any, ...], each: bool = False) -> Check:  # noqa: N802
    return Check(
        "isIn",
        lambda v: any(v == x and type(v) is type(x) for x in values),
        "$property must be one of the following values: " + ", ".join(map(str, values)),
        each,
    )


def IsUrl() -> Check:  # noqa: N802
    return Check("isUrl", is_url, "$property must be a URL address")


def ArrayNotEmpty() -> Check:  # noqa: N802
    return Check(
        "arrayNotEmpty", lambda v: isinstance(v, list) and bool(v), "$property should not be empty"
    )


def ArrayUnique() -> Check:  # noqa: N802
    return Check(
        "arrayUnique",
        lambda v: isinstance(v, list) and len({orjson_key(x) for x in v}) == len(v),
        "All $property's elements must be unique",
    )


def Matches(pattern: str, message: str) -> Check:  # noqa: N802
    rx = re.compile(pattern)
    return Check("matches", lambda v: isinstance(v, str) and rx.search(v) is not None, message)


def Custom(name: str, test: Callable[[Any], bool], message: str) -> Check:  # noqa: N802
    """A registerDecorator validator: its `name` is the constraint key, `defaultMessage` the text."""
    return Check(name, test, message)


def orjson_key(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)


# validator.js isURL with its defaults, simplified: a scheme (http, https, ftp) and a host with a dot.
_URL = re.compile(
    r"^(?:(?:https?|ftp)://)?[^\s/?#:@]+(?:\.[^\s/?#:@]+)+(?::\d{1,5})?(?:[/?#]\S*)?$"
)


def is_url(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 2083 and _URL.match(value) is not None


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    checks: tuple[Check, ...] = ()
    optional: bool = True  # @IsOptional(): null and absent skip every other check
    nested: tuple[Prop, ...] | None = None  # @ValidateNested() with @Type(() => ...)
    each: bool = False  # @ValidateNested({each: true}) over an array


Dto = tuple[Prop, ...]


def whitelist(dto: Dto, obj: dict[str, Any]) -> dict[str, Any]:
    """The object with only declared properties, recursively through nested DTOs."""
    out: dict[str, Any] = {}
    for prop in dto:
        if prop.name not in obj:
            continue
        value = obj[prop.name]
        if prop.nested is not None:
            if isinstance(value, dict):
                value = whitelist(prop.nested, value)
            elif isinstance(value, list):
                value = [whitelist(prop.nested, v) if isinstance(v, dict) else v for v in value]
        out[prop.name] = value
    return out


def _error(target: Any, value: Any, prop: str) -> dict[str, Any]:
    err: dict[str, Any] = {"target": target}
    if value is not UNDEFINED:
        err["value"] = value
    err["property"] = prop
    err["children"] = []
    return err


def _nested_message(prop: Prop) -> str:
    return ("each value in " if prop.each else "") + (
        f"nested property {prop.name} must be either object or array"
    )


def errors(dto: Dto, obj: dict[str, Any]) -> list[dict[str, Any]]:
    """ValidationError trees for a (whitelisted) object, in declaration order."""
    found: list[dict[str, Any]] = []
    for prop in dto:
        value = obj.get(prop.name, UNDEFINED)
        if prop.optional and (value is UNDEFINED or value is None):
            continue
        err = _error(obj, value, prop.name)
        constraints = {c.name: c.text(prop.name) for c in prop.checks if c.fails(value)}
        if prop.nested is not None:
            if isinstance(value, dict) and not prop.each:
                err["children"] = errors(prop.nested, value)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    child = _error(value, item, str(i))
                    if isinstance(item, dict):
                        child["children"] = errors(prop.nested, item)
                    else:
                        child["constraints"] = {"nestedValidation": _nested_message(prop)}
                    if child["children"] or "constraints" in child:
                        err["children"].append(child)
            elif not isinstance(value, dict):
                constraints["nestedValidation"] = _nested_message(prop)
        if constraints:
            err["constraints"] = constraints
        if constraints or err["children"]:
            found.append(err)
    return found


def unknown_value(body: Any) -> list[dict[str, Any]]:
    """What class-validator says about a body that is not an object (a JSON array)."""
    return [
        {
            "target": body,
            "children": [],
            "constraints": {"unknownValue": "an unknown value was passed to the validate function"},
        }
    ]


def validate(dto: Dto, body: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(body, dict):
        return {}, unknown_value(body)
    clean = whitelist(dto, body)
    return clean, errors(dto, clean)


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
BOOKING_ATTENDEE: Dto = (
    Prop("name", (IsString(),), optional=False),
    Prop("email", (IsEmail(),)),
    Prop("timeZone", (IsTimeZone(),), optional=False),
    Prop("phoneNumber", (IsString(),)),
    Prop("language", (IsEnum(LANGUAGES),)),
)
CREATE_BOOKING: Dto = (  # CreateBookingInput_2024_08_13
    Prop("start", (IsDateString(),), optional=False),
    Prop("attendee", (IsObject(),), optional=False, nested=BOOKING_ATTENDEE),
    Prop("bookingFieldsResponses", (IsObject(),)),
    Prop("eventTypeId", (IsInt(),)),
    Prop("eventTypeSlug", (IsString(),)),
    Prop("username", (IsString(),)),
    Prop("teamSlug", (IsString(),)),
    Prop("organizationSlug", (IsString(),)),
    Prop("guests", (IsArray(), IsEmail(each=True))),
    Prop("meetingUrl", (IsString(),)),
    Prop("location"),  # a location object or (tolerated) a string; kept as given
    Prop("metadata", (IsObject(),)),
    Prop("lengthInMinutes", (IsInt(),)),
    Prop("routing", (IsObject(),)),
    Prop("emailVerificationCode", (IsString(),)),
    Prop("recurrenceCount", (IsNumber(),)),  # CreateRecurringBookingInput_2024_08_13
    Prop("reservedSlotUid", (IsString(),)),  # the reservation the booking takes
)
CANCEL_BOOKING: Dto = (
    Prop("cancellationReason", (IsString(),)),
    Prop("cancelSubsequentBookings", (IsBoolean(),)),
    Prop("seatUid", (IsString(),)),
)
RESCHEDULE_BOOKING: Dto = (
    Prop("start", (IsDateString(),), optional=False),
    Prop("rescheduledBy", (IsEmail(),)),
    Prop("reschedulingReason", (IsString(),)),
    Prop("emailVerificationCode", (IsString(),)),
    Prop("seatUid", (IsString(),)),
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
    Prop("start", optional=False, nested=CREATE_DATE_TIME),
    Prop("end", optional=False, nested=CREATE_DATE_TIME),
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
