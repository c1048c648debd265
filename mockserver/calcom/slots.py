"""Slots and slot reservations, cal-api-version 2024-09-04 (docs/reference/scheduling.md §3.2,
§3.3, rules S-K1..S-K22; apps/api/v2/src/modules/slots/slots-2024-09-04/**). Availability comes
from availability.py (the core engine); this module speaks the wire: the query pipe and its
error strings, the date-keyed answer with Luxon timestamps, and the reservation checks."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.calcom import dto
from mockserver.calcom.availability import Ask, span
from mockserver.calcom.dto import IsDateString, IsInt, Prop
from mockserver.calcom.exceptions import (
    CalcomError,
    bad_request,
    forbidden,
    not_found,
    unauthorized,
    validation_failed,
)
from mockserver.calcom.store import EventType, Reservation
from mockserver.calcom.wire import iso_instant, iso_ms
from mockserver.core.timeutil import is_zone, zone

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller
    from mockserver.calcom.store import CalcomStore

VERSION = "2024-09-04"
RESERVATION_MINUTES = 5  # reservationDuration's default
COMMON = (
    "start", "end", "timeZone", "duration", "format", "bookingUidToReschedule",
    "rrHostSubsetIds",  # hidden from the docs, declared: round-robin only, ignored here
)  # fmt: skip
SELECTORS = {  # the input class the pipe picks, by which keys are present
    "byId": ("eventTypeId",),
    "byUsername": ("username", "eventTypeSlug", "organizationSlug"),
    "byTeam": ("teamSlug", "eventTypeSlug", "organizationSlug"),
    "byUsernames": ("usernames", "organizationSlug"),
}


def unprocessable(message: str) -> CalcomError:
    return CalcomError(422, "UnprocessableEntityException", message)


# -- the query pipe (GetSlotsInputPipe: whitelist + forbidNonWhitelisted) --------------------


def _strict_date_string(value: Any) -> bool:
    """IsDateString({strict: true}): ISO 8601 and a date that exists."""
    if not dto.is_iso8601(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _number(value: Any) -> bool:
    """parseInt(value) then IsNumber: NaN fails."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    sign = text[:1] in "+-" and text[:1] != ""
    digits = text[1:] if sign else text
    return bool(digits) and digits[0].isdigit()


def _parse_int(value: str) -> int:
    """JavaScript's parseInt: the leading digits."""
    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    n = ""
    for ch in digits:
        if not ch.isdigit():
            break
        n += ch
    return sign * int(n)


def slots_query(raw: dict[str, list[str]]) -> tuple[str, dict[str, Any]]:
    """(selector, values) or raise the pipe's BadRequestException, whose message is one
    `<property> property is wrong,<constraints> ` entry per failing property, joined by ", "."""
    if "eventTypeId" in raw:
        kind = "byId"
    elif "username" in raw and "eventTypeSlug" in raw:
        kind = "byUsername"
    elif "teamSlug" in raw and "eventTypeSlug" in raw:
        kind = "byTeam"
    else:
        kind = "byUsernames"
    declared = (*SELECTORS[kind], *COMMON)
    values = {k: (v[0] if len(v) == 1 else v) for k, v in raw.items()}
    failures: list[tuple[str, list[str]]] = []
    for key in raw:  # whitelist errors come first
        if key not in declared:
            failures.append((key, [f"property {key} should not exist"]))

    def fail(prop: str, *messages: str) -> None:
        failures.append((prop, list(messages)))

    for prop in ("start", "end"):
        if not _strict_date_string(values.get(prop)):
            fail(prop, f"{prop} must be a valid ISO 8601 date string")
    if "timeZone" in values and not (
        isinstance(values["timeZone"], str) and is_zone(values["timeZone"])
    ):
        fail("timeZone", "timeZone must be a valid IANA time-zone")
    if "duration" in values and not _number(values["duration"]):
        fail("duration", "duration must be a number conforming to the specified constraints")
    if "format" in values:
        fmt = values["format"]
        if not isinstance(fmt, str) or fmt.lower() not in ("range", "time"):
            fail("format", "slotFormat must be either 'range' or 'time'")
        else:
            values["format"] = fmt.lower()
    if "bookingUidToReschedule" in values and not isinstance(values["bookingUidToReschedule"], str):
        fail("bookingUidToReschedule", "bookingUidToReschedule must be a string")
    if kind == "byId" and not _number(values["eventTypeId"]):
        fail("eventTypeId", "eventTypeId must be a number conforming to the specified constraints")
    for prop in ("username", "eventTypeSlug", "teamSlug"):
        if prop in SELECTORS[kind] and prop in values and not isinstance(values[prop], str):
            fail(prop, f"{prop} must be a string")
    if kind == "byUsernames":
        names = values.get("usernames")
        listed = [n.strip() for n in names.split(",")] if isinstance(names, str) else names or []
        if len(listed) < 2:
            fail("usernames", "The array must contain at least 2 elements.")
        values["usernames"] = listed
        if not isinstance(values.get("organizationSlug"), str):
            fail("organizationSlug", "organizationSlug must be a string")
    elif "organizationSlug" in values and not isinstance(values["organizationSlug"], str):
        fail("organizationSlug", "organizationSlug must be a string")
    if failures:
        raise bad_request(
            ", ".join(f"{prop} property is wrong,{', '.join(msgs)} " for prop, msgs in failures)
        )
    if kind == "byId":
        values["eventTypeId"] = _parse_int(values["eventTypeId"])
    if "duration" in values:
        values["duration"] = _parse_int(values["duration"])
    return kind, values


def luxon_iso(value: datetime, tzid: str | None) -> str:
    """Luxon's toISO(): milliseconds; `Z` in its UTC zone (no timeZone, or "UTC"/"GMT"),
    else the numeric offset of the zone (so Etc/UTC is +00:00)."""
    if tzid is None or tzid.upper() in ("UTC", "GMT"):
        return iso_ms(value)
    local = value.astimezone(zone(tzid))
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + (local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:])
    )


def reservation_json(r: Reservation, with_duration: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "eventTypeId": r.event_type_id,
        "slotStart": iso_ms(r.start),
        "slotEnd": iso_ms(r.end),
        "slotDuration": int((r.end - r.start).total_seconds() // 60),
        "reservationUid": r.uid,
    }
    if with_duration:
        out["reservationDuration"] = r.duration
    out["reservationUntil"] = iso_ms(r.until)
    return out


RESERVE: dto.Dto = (  # ReserveSlotInput_2024_09_04
    Prop("eventTypeId", (IsInt(),), optional=False),
    Prop("slotStart", (IsDateString(),), optional=False),
    Prop("slotDuration", (IsInt(),)),
    Prop("reservationDuration", (IsInt(),)),
)


class Slots:
    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def store(self) -> CalcomStore:
        return self.be.store

    # -- GET /v2/slots -------------------------------------------------------------------

    def _event_type(self, kind: str, q: dict[str, Any]) -> EventType:
        if q.get("organizationSlug") is not None:
            slug = q["organizationSlug"]
            raise not_found(f"slots-input.service.ts: Organization with slug {slug} not found")
        if kind == "byId":
            et = self.be.event_types.visible(q["eventTypeId"])
        elif kind == "byUsername":
            user = self.store.user_by_username(q["username"])
            if user is None:
                raise not_found(f"User with username {q['username']} not found")
            et = next(
                (
                    e
                    for e in self.store.event_types_of(user.id)
                    if e.slug == q["eventTypeSlug"] and not e.deleted
                ),
                None,
            )
        else:  # no teams in the fake
            raise not_found(f"Team with slug {q['teamSlug']} not found")
        if et is None:
            raise not_found("Event Type not found")
        return et

    def get(self, raw: dict[str, list[str]]) -> dict[str, list[dict[str, Any]]]:
        kind, q = slots_query(raw)
        et = self._event_type(kind, q)
        start = iso_instant(q["start"])
        end = iso_instant(q["end"])
        if start is None or end is None:
            raise bad_request(
                "Invalid time range given - check the 'start' and 'end' query parameters."
            )
        if (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0):
            end = end + timedelta(days=1) - timedelta(seconds=1)  # the whole UTC day
        tzid = q.get("timeZone")
        self.cleanup(et.id)
        if start > end:
            return {}
        length = q.get("duration") or et.length
        frequency = et.slot_interval or q.get("duration") or et.length
        ask = Ask(et, length, q.get("bookingUidToReschedule"))
        avail = self.be.availability
        # a slot may end at `end` exactly (23:59:59 for a whole day counts as its midnight)
        hi = end + timedelta(seconds=1) if end.second == 59 else end
        hi = min(hi, start + timedelta(days=self.be.settings.max_slot_range_days))
        starts = avail.slots(ask, start, hi, tzid or "UTC", frequency)
        seated = et.seats is not None
        booked = avail.seat_counts(ask, start, hi) if seated else {}
        out: dict[str, list[dict[str, Any]]] = {}
        first_day = _local_date(start, tzid)
        last_day = _local_date(end, tzid)
        for s in starts:
            key = _local_date(s, tzid)
            if not first_day <= key <= last_day:
                continue
            day = key.isoformat()
            if et.only_first_slot and day in out:
                continue
            slot: dict[str, Any] = {"start": luxon_iso(s, tzid)}
            if q.get("format") == "range":
                slot["end"] = luxon_iso(s + span(length), tzid)
            if seated:
                b = booked.get(s)
                taken = len(b.attendees) if b else 0
                slot |= {
                    "seatsBooked": taken,
                    "seatsRemaining": (et.seats or 0) - taken,
                    "seatsTotal": et.seats,
                }
                if b is not None:
                    slot["bookingUid"] = b.uid
            out.setdefault(day, []).append(slot)
        return out

    def cleanup(self, event_type_id: int) -> None:
        """Expired reservations of the type are deleted on every slot query."""
        now = self.be.now()
        for uid, r in list(self.store.reservations.items()):
            if r.event_type_id == event_type_id and r.until <= now:
                del self.store.reservations[uid]

    # -- reservations ---------------------------------------------------------------------

    def _checked(self, clean: dict[str, Any]) -> tuple[EventType, datetime, datetime]:
        """Checks 2 and 4..8 of slots.service reserveSlot: the event type, the start, the
        slot length, then bookings and reservations of the same type overlapping it."""
        et = self.be.event_types.visible(clean["eventTypeId"])
        if et is None:
            raise not_found(f"Event Type with ID={clean['eventTypeId']} not found")
        return et, *self._interval(et, clean)

    def _interval(self, et: EventType, clean: dict[str, Any]) -> tuple[datetime, datetime]:
        start = iso_instant(clean["slotStart"])
        if start is None:
            raise bad_request("Invalid start date")
        duration = clean.get("slotDuration")
        if duration is not None:
            if not et.length_options:
                raise bad_request(
                    "You passed 'slotDuration' but this event type is not a variable length "
                    "event type."
                )
            if duration not in et.length_options:
                raise bad_request(
                    "Provided 'slotDuration' is not one of the possible lengths for the event "
                    "type. The possible lengths for this variable length event type are: "
                    + ", ".join(map(str, et.length_options))
                )
        end = start + span(duration or et.length)
        return start, end

    def _conflicts(
        self, et: EventType, start: datetime, end: datetime, clean: dict[str, Any]
    ) -> None:
        overlapping = [
            b
            for b in self.store.bookings.values()
            if b.event_type_id == et.id
            and b.status in ("accepted", "pending", "awaiting_host")
            and b.start < end
            and b.end > start
        ]
        if overlapping:
            if et.seats is None:
                raise unprocessable("Can't reserve a slot if the event is already booked.")
            if any(len(b.attendees) >= et.seats for b in overlapping):
                raise unprocessable(
                    f"Booking with id={et.id} at {clean['slotStart']} has no more seats left."
                )
        now = self.be.now()
        for r in self.store.reservations.values():
            if r.event_type_id == et.id and r.until > now and r.start < end and r.end > start:
                raise unprocessable(
                    "This time slot is already reserved by another user. Please choose a "
                    "different time."
                )

    def reserve(self, caller: Caller | None, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(RESERVE, body)
        if errors:
            raise validation_failed(errors)
        held = clean.get("reservationDuration")
        if held is not None and caller is None:
            raise unauthorized(
                "reservationDuration can only be used for authenticated requests - use access "
                "token, api key or OAuth credentials"
            )
        et = self.be.event_types.visible(clean["eventTypeId"])
        if et is None:
            raise not_found(f"Event Type with ID={clean['eventTypeId']} not found")
        if held is not None and caller is not None and caller.user.id != et.user_id:
            raise forbidden(
                "authenticated user is not owner of event type, does not have memberships in "
                "common with owner of the event type, nor does belong to event type's team or org."
            )
        start, end = self._interval(et, clean)
        self._conflicts(et, start, end, clean)
        now = self.be.now()
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # JavaScript's precision
        minutes = RESERVATION_MINUTES if held is None else held
        r = Reservation(str(uuid.uuid4()), et.id, start, end, now + span(minutes), minutes, now)
        self.store.reservations[r.uid] = r
        return reservation_json(r)

    def reservation(self, uid: str) -> dict[str, Any] | None:
        r = self.store.reservations.get(uid)
        return reservation_json(r, with_duration=False) if r is not None else None

    def update(self, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(RESERVE, body)
        if errors:
            raise validation_failed(errors)
        current = self.store.reservations.get(uid)
        if current is None:
            raise not_found(f"Slot with uid={uid} not found")
        et, start, end = self._checked(clean)
        # the overlap check does not leave the reservation itself out (slots.service, INF)
        self._conflicts(et, start, end, clean)
        now = self.be.now()
        minutes = clean.get("reservationDuration") or RESERVATION_MINUTES
        r = Reservation(uid, et.id, start, end, now + span(minutes), minutes, now)
        self.store.reservations[uid] = r
        return reservation_json(r)

    def delete(self, uid: str) -> None:
        self.store.reservations.pop(uid, None)  # deleteMany: an unknown uid is fine

    # -- bookings and reservations --------------------------------------------------------

    def claim(self, et: EventType, start: datetime, end: datetime, uid: str | None) -> str | None:
        """Before a booking: an unexpired reservation of someone else on this time refuses it
        (400 with the seconds until it frees up); the booker's own reservation is the one the
        booking consumes (its uid is returned)."""
        now = self.be.now()
        mine = None
        for r in self.store.reservations.values():
            if r.event_type_id != et.id or r.until <= now or not (r.start < end and r.end > start):
                continue
            if uid is not None and r.uid == uid:
                mine = r.uid
                continue
            seconds = math.ceil((r.until - now).total_seconds())
            raise bad_request(
                "Someone else reserved this booking time slot before you. This time slot will be "
                f"freed up in {seconds} seconds."
            )
        return mine


def _local_date(value: datetime, tzid: str | None) -> date:
    return value.astimezone(zone(tzid) if tzid else UTC).date()
