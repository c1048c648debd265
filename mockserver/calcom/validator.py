"""class-validator, as Cal.com's global ValidationPipe and booking pipes run it (reference/calcom.md §2.2):
`whitelist: true` strips undeclared properties (silently: no forbidNonWhitelisted), `transform:
true`, and `validationError: {target: true, value: true}`, so each error carries the object it
was found on. A DTO here is a tuple of `Prop`s in declaration order; `validate()` returns the
stripped body and the ValidationError trees Nest puts under `error.details.errors`.

Within one property the checks are listed in class-validator's order, which is the order the
decorators were applied: bottom-up (the decorator nearest the property first), so a message
that joins several constraints reads as the real one. `validate(..., forbid=True)` is
`forbidNonWhitelisted: true` (the booking body pipes, pipes.py): an undeclared property is a
`whitelistValidation` error instead of being dropped. A `Prop(whole=True)` is a class-level
validator (registerDecorator on the class): its test sees the whole object and its error is
reported under the property name it was registered with."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
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
# validator.js isURL with its defaults (protocol optional, http/https/ftp, a TLD or an IP),
# simplified: no credentials check beyond "user[:pass]@", no IDN.
_URL = re.compile(
    r"^(?:(?:https?|ftp)://)?(?:[^\s/@:]+(?::[^\s/@]*)?@)?"
    r"(?:(?:[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+"
    r"[A-Za-z\u00a1-\uffff]{2,63}|\d{1,3}(?:\.\d{1,3}){3}|localhost)"
    r"(?::\d{1,5})?(?:[/?#][^\s]*)?$"
)
# validator.js isEmail, simplified: local@domain.tld without spaces.
_EMAIL = re.compile(
    r"^[^\s@\"(),:;<>\[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def is_iso8601(value: Any, strict: bool = False) -> bool:
    """validator.js isISO8601; `strict` also refuses dates that do not exist (2030-02-30)."""
    if not isinstance(value, str) or _ISO8601.match(value) is None:
        return False
    return _real_date(value) if strict else True


def _real_date(text: str) -> bool:
    """validator.js isValidDate: ordinal days within the year, calendar dates that exist."""
    ordinal = re.match(r"^(\d{4})-?(\d{3})([ T]|$)", text)
    if ordinal:
        year, day = int(ordinal[1]), int(ordinal[2])
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        return day <= (366 if leap else 365)
    found = re.search(r"(\d{4})-?(\d{0,2})-?(\d*)", text)
    assert found is not None  # the ISO 8601 pattern matched
    year, month, day = (int(g) if g else 0 for g in found.groups())
    if not (month and day):
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_string(value: Any) -> bool:
    return isinstance(value, str)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_int(value: Any) -> bool:
    return is_number(value) and float(value).is_integer()


def is_email(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 254 and _EMAIL.match(value) is not None


def is_url(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 2083 and _URL.match(value) is not None


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # the constraint key, e.g. "isString"
    test: Callable[[Any], bool]
    message: str  # "$property must be a string"
    each: bool = False  # applied to each element of an array ("each value in ...")

    def fails(self, value: Any) -> bool:
        if self.each and isinstance(value, list):  # `each` on a non-array checks the value
            return not all(self.test(v) for v in value)
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


def IsNumber(each: bool = False) -> Check:  # noqa: N802
    return Check(
        "isNumber",
        is_number,
        "$property must be a number conforming to the specified constraints",
        each,
    )


def IsBoolean() -> Check:  # noqa: N802
    return Check("isBoolean", lambda v: isinstance(v, bool), "$property must be a boolean value")


def IsEmail(each: bool = False) -> Check:  # noqa: N802
    return Check("isEmail", is_email, "$property must be an email", each)


def IsArray() -> Check:  # noqa: N802
    return Check("isArray", lambda v: isinstance(v, list), "$property must be an array")


def IsObject() -> Check:  # noqa: N802
    return Check("isObject", lambda v: isinstance(v, dict), "$property must be an object")


def IsTimeZone() -> Check:  # noqa: N802
    return Check("isTimeZone", is_zone, "$property must be a valid IANA time-zone")


def IsUrl() -> Check:  # noqa: N802
    return Check("isUrl", is_url, "$property must be a URL address")


def Min(limit: float, each: bool = False) -> Check:  # noqa: N802 - non-numbers fail too
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


def _metadata_ok(value: Any) -> bool:
    """ValidateMetadata: at most 50 keys of at most 40 characters; values numbers, booleans or
    strings of at most 500 characters."""
    if not isinstance(value, dict) or len(value) > 50:
        return False
    for key, item in value.items():
        if len(key) > 40:
            return False
        if isinstance(item, str):
            if len(item) > 500:
                return False
        elif not isinstance(item, (int, float)):  # bool is an int
            return False
    return True


def ValidateMetadata(message: str) -> Check:  # noqa: N802
    return Check("ValidateMetadata", _metadata_ok, message)


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    checks: tuple[Check, ...] = ()
    optional: bool = True  # @IsOptional(): null and absent skip every other check
    nested: tuple[Prop, ...] | None = None  # @ValidateNested() with @Type(() => ...)
    each: bool = False  # @ValidateNested({each: true}) over an array
    defined: bool = False  # @IsDefined(): null and absent are errors of their own
    whole: bool = False  # a class-level validator: each check's test gets the whole object


Dto = tuple[Prop, ...]


def whitelist(dto: Dto, obj: dict[str, Any]) -> dict[str, Any]:
    """The object with only declared properties, recursively through nested DTOs."""
    out: dict[str, Any] = {}
    for prop in dto:
        if prop.whole or prop.name not in obj:
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


def errors(dto: Dto, obj: dict[str, Any], forbid: bool = False) -> list[dict[str, Any]]:
    """ValidationError trees for an object, in class-validator's order: with `forbid`, one
    whitelistValidation error per undeclared key first, then each property in declaration
    order, class-level validators last."""
    found: list[dict[str, Any]] = []
    if forbid:
        declared = {p.name for p in dto}
        for key in obj:
            if key not in declared:
                err = _error(obj, obj[key], key)
                del err["children"]  # class-validator leaves them undefined
                err["constraints"] = {"whitelistValidation": f"property {key} should not exist"}
                found.append(err)
    for prop in dto:
        if prop.whole:
            failed = {c.name: c.text(prop.name) for c in prop.checks if not c.test(obj)}
            if failed:
                found.append({**_error(obj, UNDEFINED, prop.name), "constraints": failed})
            continue
        value = obj.get(prop.name, UNDEFINED)
        err = _error(obj, value, prop.name)
        constraints: dict[str, str] = {}
        if prop.defined and (value is UNDEFINED or value is None):
            constraints["isDefined"] = f"{prop.name} should not be null or undefined"
        if prop.optional and (value is UNDEFINED or value is None):
            continue
        constraints |= {c.name: c.text(prop.name) for c in prop.checks if c.fails(value)}
        if prop.nested is not None and value is not UNDEFINED:
            if isinstance(value, dict) and not prop.each:
                err["children"] = errors(prop.nested, value, forbid)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    child = _error(value, item, str(i))
                    if isinstance(item, dict):
                        child["children"] = errors(prop.nested, item, forbid)
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


def validate(
    dto: Dto, body: Any, forbid: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(body, dict):
        return {}, unknown_value(body)
    if forbid:
        return whitelist(dto, body), errors(dto, body, forbid=True)
    clean = whitelist(dto, body)
    return clean, errors(dto, clean)


def pipe_message(found: list[dict[str, Any]]) -> str:
    """The booking pipes' formatErrors: `<property> property is wrong,<constraints> <children>`
    joined by ", " (an error without a property, class-validator's unknownValue, says
    "undefined")."""
    parts = []
    for err in found:
        constraints = ", ".join((err.get("constraints") or {}).values())
        children = pipe_message(err["children"]) if err.get("children") else ""
        prop = err.get("property", "undefined")
        parts.append(f"{prop} property is wrong,{constraints} {children}")
    return ", ".join(parts)
