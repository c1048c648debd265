"""Create or Update Event bodies: validate a request and turn it into core field changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockserver.core import recurrence
from mockserver.core.models import Event
from mockserver.core.timeutil import is_zone
from mockserver.cronofy import wire
from mockserver.cronofy.exceptions import ErrorList

# Optional fields where JSON `null` means "not sent": cronofy-ruby's upsert body carries
# `transparency: nil` whenever the caller set none (spec/lib/cronofy/client_spec.rb
# '#create_or_update_event'), and the real API accepts it; SDK-built bodies null the others the
# same way. `url`, `description`, `location` and `color` are not here: their null clears.
NULL_IS_OMITTED = (
    "tzid",
    "transparency",
    "extended_transparency",
    "reminders",
    "reminders_create_only",
    "event_private",
    "conferencing",
    "recurrence",
    "attendees",
    "subscriptions",
    "attachments",
    "locale",
    "event_classes",
)
EXTENDED_TRANSPARENCY = ("opaque", "transparent", "working_elsewhere", "tentative", "out_of_office")


def event_fields(body: dict[str, Any], errors: ErrorList, current: Event | None) -> dict[str, Any]:
    body = {k: v for k, v in body.items() if not (v is None and k in NULL_IS_OMITTED)}
    out: dict[str, Any] = {}
    summary = wire.text(body, "summary", errors, 1024, required=True)
    if summary is not None:
        out["summary"] = summary
    if "description" in body:
        desc = body["description"]
        if desc is None:
            out["description"] = ""
        else:
            d = wire.text(body, "description", errors, 4096, required=False)
            if d is not None:
                out["description"] = d
    tzid = body.get("tzid", "Etc/UTC")
    if not isinstance(tzid, str) or not is_zone(tzid):
        errors.add("tzid", "invalid", "tzid must be a valid IANA time zone identifier")
        tzid = "Etc/UTC"
    start = end = None
    for field in ("start", "end"):
        if body.get(field) is None:
            errors.required(field)
            continue
        parsed = wire.parse_event_time(body[field], errors, field, tzid)
        if field == "start":
            start = parsed
        else:
            end = parsed
    if start and end:
        (s, s_tz), (e, e_tz) = start, end
        if isinstance(s, datetime) != isinstance(e, datetime):
            errors.add("end", "invalid", "start and end must both be times or both be dates")
        elif e <= s:  # type: ignore[operator]
            errors.add("end", "invalid", "end must be after start")
        else:
            out |= {
                "start": s,
                "end": e,
                "tzid": s_tz,
                "end_tzid": e_tz if e_tz != s_tz else None,
            }
    if "location" in body:
        loc = body["location"]
        if loc is None:
            out["location"] = None
        elif not isinstance(loc, dict) or any(
            k not in ("description", "lat", "long")
            or not isinstance(v, (str, int, float))
            or isinstance(v, bool)
            for k, v in loc.items()
        ):
            errors.add(
                "location", "invalid", "location must be an object of description, lat, long"
            )
        else:
            out["location"] = {k: str(v) for k, v in loc.items()} or None
    if "url" in body:
        url = body["url"]
        if url is None:
            out["url"] = None
        elif not isinstance(url, str) or not wire.is_uri(url):
            errors.add("url", "invalid", "url must be a valid URI")
        else:
            out["url"] = url
    all_day = start is not None and not isinstance(start[0], datetime)
    if "transparency" in body:
        if body["transparency"] not in ("opaque", "transparent"):
            errors.add("transparency", "invalid", "transparency must be opaque or transparent")
        else:
            out["transparency"] = body["transparency"]
    elif current is None:
        out["transparency"] = "transparent" if all_day else "opaque"
    if "extended_transparency" in body and body["extended_transparency"] not in (
        EXTENDED_TRANSPARENCY
    ):
        errors.add(
            "extended_transparency",
            "invalid",
            f"extended_transparency must be one of {', '.join(EXTENDED_TRANSPARENCY)}",
        )
    if "reminders" in body:
        rem = body["reminders"]
        if not isinstance(rem, list) or any(
            not isinstance(r, dict)
            or isinstance(r.get("minutes"), bool)
            or not isinstance(r.get("minutes"), int)
            or not 0 <= r["minutes"] <= 40320
            for r in rem
        ):
            errors.add("reminders", "invalid", "reminders must be a list of {minutes}")
        elif len(rem) > 5:
            errors.add("reminders", "too_many", "no more than 5 reminders may be given")
        elif not (body.get("reminders_create_only") is True and current is not None):
            out["reminders"] = tuple(r["minutes"] for r in rem)
    if "event_private" in body:
        private = wire.boolean(body["event_private"])
        if private is None:
            errors.add("event_private", "must_be_boolean", "event_private must be true or false")
        else:
            out["visibility"] = "private" if private else "default"
    if "color" in body:
        if body["color"] is not None and not isinstance(body["color"], str):
            errors.add("color", "invalid", "color must be a string")
        else:
            out["color"] = body["color"]
    if "conferencing" in body:
        conf = body["conferencing"]
        if not isinstance(conf, dict) or not isinstance(conf.get("profile_id"), str):
            errors.add("conferencing", "invalid", "conferencing must have a profile_id")
        elif conf["profile_id"] == "explicit" and not isinstance(conf.get("join_url"), str):
            errors.add("conferencing", "invalid", "explicit conferencing needs a join_url")
        else:
            out["conferencing"] = {k: v for k, v in conf.items() if isinstance(v, str)}
    if "recurrence" in body:
        rules = wire.recurrence_rules(body["recurrence"], errors)
        if rules == ():  # an explicit empty rules array removes the recurrence
            out["recurrence"] = rules
        elif rules is not None and "start" in out:
            try:
                recurrence.validate(list(rules), out["start"], out["tzid"])
            except ValueError:
                errors.add(
                    "recurrence", "invalid", "recurrence rules cannot be applied to this event"
                )
            else:
                out["recurrence"] = rules
    elif current is not None and current.recurrence and "start" in out:
        # kept rules must still fit a moved start (a date UNTIL cannot end a timed series)
        try:
            recurrence.validate(list(current.recurrence), out["start"], out["tzid"])
        except ValueError:
            errors.add(
                "recurrence", "invalid", "the event's recurrence rules do not fit the new start"
            )
    if "attendees" in body:
        change = wire.attendee_changes(body["attendees"], errors)
        if change is not None:
            base = current.attendees if current is not None else ()
            out["attendees"] = wire.apply_attendees(base, *change)
    extra = {
        k: body[k]
        for k in (
            "extended_transparency",
            "subscriptions",
            "attachments",
            "locale",
            "event_classes",
        )
        if k in body
    }
    if extra:
        out["extra"] = {**(current.extra if current else {}), **extra}
    return out
