"""Cal.com's section of a world file, loaded into a CalcomStore: users with their Google
credentials, API keys and managed-user tokens, event types, and bookings (each with its Google
event in the world and its references). Every problem names its place in the file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from mockserver.calcom import event_type_input
from mockserver.calcom.availability import span
from mockserver.calcom.booking_content import create_event, default_title
from mockserver.calcom.exceptions import CalcomError
from mockserver.calcom.locations import location_string
from mockserver.calcom.schedules import DEFAULT_AVAILABILITY
from mockserver.calcom.store import (
    AccessToken,
    ApiKey,
    Attendee,
    Booking,
    CalcomStore,
    Credential,
    EventType,
    Reservation,
    Schedule,
    User,
    Webhook,
    google_id,
    replace,
)
from mockserver.calcom.wire import to_ms
from mockserver.core.fixtures import FixtureError, place, resolve_time
from mockserver.core.timeutil import is_zone
from mockserver.core.world import World


def load_section(store: CalcomStore, section: dict[str, Any], world: World) -> CalcomStore:
    """Fill `store` from a world file's `calcom` section (already schema-checked); bookings
    create their Google event in the world unless it is already there. Every problem names its
    place."""
    problems: list[tuple[str, str]] = []
    now = world.clock.now()
    usernames: set[str] = set()
    for ui, raw in enumerate(section.get("users", [])):
        where = ["calcom", "users", ui]
        acc = world.accounts.get(raw["account"])
        if acc is None:
            problems.append((place([*where, "account"]), f"no account {raw['account']!r}"))
            continue
        if raw["id"] in store.users:
            problems.append((place([*where, "id"]), f"duplicate user id {raw['id']}"))
        if raw["username"] in usernames:
            problems.append((place([*where, "username"]), "duplicate username"))
        if store.user_of_account(acc.id):
            problems.append((place([*where, "account"]), "account already has a user"))
        usernames.add(raw["username"])
        tz = raw.get("timeZone", acc.default_tzid)
        if not is_zone(tz):
            problems.append((place([*where, "timeZone"]), f"unknown time zone {tz!r}"))
            tz = "UTC"
        mine = {c.id for c in world.calendars_of(acc.id)}
        dest = raw.get("destinationCalendar")
        if dest is not None and dest not in mine:
            problems.append(
                (
                    place([*where, "destinationCalendar"]),
                    f"no calendar {dest!r} of this account",
                )
            )
        user = User(
            id=raw["id"],
            username=raw["username"],
            account_id=acc.id,
            email=raw.get("email", acc.email),
            name=raw.get("name", acc.name),
            time_zone=tz,
            week_start=raw.get("weekStart", "Monday"),
            time_format=raw.get("timeFormat", 24),
            default_schedule_id=raw.get("defaultScheduleId"),
            organization_id=raw.get("organizationId"),
            destination_calendar=dest,
            avatar_url=raw.get("avatarUrl"),
            bio=raw.get("bio"),
            locale=raw.get("locale"),
            metadata=raw.get("metadata", {}),
        )
        store.users[user.id] = user
        store.seen("user", user.id)
        for ci, cred in enumerate(raw.get("credentials", [])):
            cwhere = [*where, "credentials", ci]
            prof = world.profiles.get(cred["profile"])
            if prof is None or prof.account_id != acc.id:
                problems.append(
                    (
                        place([*cwhere, "profile"]),
                        f"no profile {cred['profile']!r} of this account",
                    )
                )
            elif prof.provider_name != "google":
                problems.append((place([*cwhere, "profile"]), "not a google profile"))
            if cred["id"] in store.credentials:
                problems.append((place([*cwhere, "id"]), f"duplicate credential id {cred['id']}"))
            own = {c.id for c in world.calendars.values() if c.profile_id == cred["profile"]}
            for si, cal_id in enumerate(cred.get("selectedCalendars", [])):
                if cal_id not in own:
                    problems.append(
                        (
                            place([*cwhere, "selectedCalendars", si]),
                            f"no calendar {cal_id!r} in this profile",
                        )
                    )
            selected = cred.get("selectedCalendars")
            if selected is None:  # default: the profile's primary calendar
                selected = [
                    c.id
                    for c in world.calendars.values()
                    if c.profile_id == cred["profile"] and c.primary
                ]
            store.credentials[cred["id"]] = Credential(
                cred["id"],
                user.id,
                cred["profile"],
                tuple(selected),
                cred.get("invalid", False),
            )
            store.seen("credential", cred["id"])
        for ki, key in enumerate(raw.get("apiKeys", [])):
            if key["key"] in store.api_keys:
                problems.append((place([*where, "apiKeys", ki, "key"]), "duplicate API key"))
            expires = resolve_time(key["expiresAt"], now, "UTC") if "expiresAt" in key else None
            store.api_keys[key["key"]] = ApiKey(key["key"], user.id, expires, key.get("label"))  # type: ignore[arg-type]
        for ti, tok in enumerate(raw.get("accessTokens", [])):
            if tok["token"] in store.tokens:
                problems.append(
                    (place([*where, "accessTokens", ti, "token"]), "duplicate access token")
                )
            expires = resolve_time(tok["expiresAt"], now, "UTC") if "expiresAt" in tok else None
            store.tokens[tok["token"]] = AccessToken(
                tok["token"], user.id, expires, tok.get("label")
            )  # type: ignore[arg-type]
    _load_schedules(store, section, now, problems)
    for ei, raw in enumerate(section.get("eventTypes", [])):
        where = ["calcom", "eventTypes", ei]
        if raw["user"] not in store.users:
            problems.append((place([*where, "user"]), f"no user {raw['user']}"))
        if raw["id"] in store.event_types:
            problems.append((place([*where, "id"]), f"duplicate event type id {raw['id']}"))
        spec = {
            k: v
            for k, v in raw.items()
            if k not in ("id", "user", "location", "requiresConfirmation")
        }
        if raw.get("requiresConfirmation") and "confirmationPolicy" not in raw:
            # the world file's shorthand: every booking waits for the host
            spec["confirmationPolicy"] = {
                "type": "always",
                "blockUnconfirmedBookingsInBooker": False,
            }
        if "location" in raw and "locations" not in raw:  # the single-location shorthand
            loc = dict(raw["location"])
            if loc["type"] in ("address", "link", "phone"):
                loc.setdefault("public", True)
            spec["locations"] = [loc]
        try:
            spec = event_type_input.validate(spec)
        except CalcomError as exc:
            problems.append((place(where), _error_text(exc)))
            continue
        sch = spec.get("scheduleId")
        if sch is not None and (
            sch not in store.schedules or store.schedules[sch].user_id != raw["user"]
        ):
            problems.append((place([*where, "scheduleId"]), f"no schedule {sch} of this user"))
        store.event_types[raw["id"]] = EventType(raw["id"], raw["user"], spec)
        store.seen("eventType", raw["id"])
    for ui, raw in enumerate(section.get("users", [])):
        default = raw.get("defaultScheduleId")
        user = store.users.get(raw["id"])
        if default is not None and user is not None:
            sch = store.schedules.get(default)
            if sch is None or sch.user_id != user.id:
                problems.append(
                    (
                        place(["calcom", "users", ui, "defaultScheduleId"]),
                        f"no schedule {default} of this user",
                    )
                )
    if problems:  # bookings need users and event types that exist
        raise FixtureError(problems)
    booking_ids: set[int] = set()
    for bi, raw in enumerate(section.get("bookings", [])):
        try:
            _load_booking(store, raw, world, now, ["calcom", "bookings", bi], problems, booking_ids)
        except ValueError as exc:
            problems.append((place(["calcom", "bookings", bi]), str(exc)))
    for ri, raw in enumerate(section.get("reservations", [])):
        _load_reservation(store, raw, now, ["calcom", "reservations", ri], problems)
    for wi, raw in enumerate(section.get("webhooks", [])):
        where = ["calcom", "webhooks", wi]
        owner_user, owner_type = raw.get("user"), raw.get("eventType")
        if (owner_user is None) == (owner_type is None):
            problems.append((place(where), "a webhook belongs to exactly one user or event type"))
        elif owner_user is not None and owner_user not in store.users:
            problems.append((place([*where, "user"]), f"no user {owner_user}"))
        elif owner_type is not None and owner_type not in store.event_types:
            problems.append((place([*where, "eventType"]), f"no event type {owner_type}"))
        if raw["id"] in store.webhooks:
            problems.append((place([*where, "id"]), f"duplicate webhook id {raw['id']!r}"))
        store.webhooks[raw["id"]] = Webhook(
            raw["id"],
            raw["subscriberUrl"],
            tuple(raw["triggers"]),
            raw.get("active", True),
            raw.get("payloadTemplate"),
            raw.get("secret"),
            owner_user,
            owner_type,
        )
    if problems:
        raise FixtureError(problems)
    return store


def _error_text(exc: CalcomError) -> str:
    """A validation failure of an event type, as one line."""
    details = exc.details if isinstance(exc.details, dict) else {}
    errors = details.get("errors")
    if not errors:
        return exc.message
    texts = []
    for err in errors:
        texts += list((err.get("constraints") or {}).values())
        texts += [f"{err['property']}: invalid" for _ in err.get("children") or ()][:1]
    return "; ".join(texts) or exc.message


def _load_schedules(
    store: CalcomStore, section: dict[str, Any], now: datetime, problems: list[tuple[str, str]]
) -> None:
    for si, raw in enumerate(section.get("schedules", [])):
        where = ["calcom", "schedules", si]
        if raw["user"] not in store.users:
            problems.append((place([*where, "user"]), f"no user {raw['user']}"))
            continue
        if raw["id"] in store.schedules:
            problems.append((place([*where, "id"]), f"duplicate schedule id {raw['id']}"))
        tz = raw["timeZone"]
        if not is_zone(tz):
            problems.append((place([*where, "timeZone"]), f"unknown time zone {tz!r}"))
        rows = raw.get("availability")
        store.schedules[raw["id"]] = Schedule(
            raw["id"],
            raw["user"],
            raw["name"],
            tz,
            tuple((tuple(r["days"]), r["startTime"], r["endTime"]) for r in rows)
            if rows is not None
            else DEFAULT_AVAILABILITY,
            tuple(
                (_override_date(o["date"], now, tz), o["startTime"], o["endTime"])
                for o in raw.get("overrides", [])
            ),
        )
        store.seen("schedule", raw["id"])
        if raw.get("isDefault"):
            user = store.users[raw["user"]]
            store.users[user.id] = replace(user, default_schedule_id=raw["id"])


def _override_date(value: str, now: datetime, tzid: str) -> str:
    """An override's date, or one relative to the load date (`today+7d`) in the schedule's zone."""
    day = resolve_time(value, now, tzid if is_zone(tzid) else "UTC")
    return (day.date() if isinstance(day, datetime) else day).isoformat()


def _load_reservation(
    store: CalcomStore,
    raw: dict[str, Any],
    now: datetime,
    where: list[Any],
    problems: list[tuple[str, str]],
) -> None:
    et = store.event_types.get(raw["eventType"])
    if et is None:
        problems.append((place([*where, "eventType"]), f"no event type {raw['eventType']}"))
        return
    user = store.users[et.user_id]
    start = resolve_time(raw["slotStart"], now, user.time_zone)
    if not isinstance(start, datetime):
        problems.append((place([*where, "slotStart"]), "slotStart must be a time, not a date"))
        return
    end = resolve_time(raw["slotEnd"], now, user.time_zone) if "slotEnd" in raw else None
    if not isinstance(end, datetime):
        end = start + span(et.length)
    minutes = raw.get("reservationDuration", 5)
    until = (
        resolve_time(raw["reservationUntil"], now, "UTC")
        if "reservationUntil" in raw
        else now + span(minutes)
    )
    created = resolve_time(raw["createdAt"], now, "UTC") if "createdAt" in raw else now
    if raw["uid"] in store.reservations:
        problems.append((place([*where, "uid"]), f"duplicate reservation uid {raw['uid']!r}"))
        return
    store.reservations[raw["uid"]] = Reservation(
        raw["uid"],
        et.id,
        start,
        end,
        until,
        minutes,
        created,  # type: ignore[arg-type]
    )


def _load_booking(
    store: CalcomStore,
    raw: dict[str, Any],
    world: World,
    now: datetime,
    where: list[Any],
    problems: list[tuple[str, str]],
    booking_ids: set[int],
) -> None:
    et = store.event_types.get(raw["eventType"])
    if et is None:
        problems.append((place([*where, "eventType"]), f"no event type {raw['eventType']}"))
        return
    user = store.users[et.user_id]
    if raw["uid"] in store.bookings:
        problems.append((place([*where, "uid"]), f"duplicate booking uid {raw['uid']!r}"))
        return
    start = resolve_time(raw["start"], now, user.time_zone)
    if not isinstance(start, datetime):
        raise ValueError("start must be a time, not a date")
    end = resolve_time(raw["end"], now, user.time_zone) if "end" in raw else start + span(et.length)
    if not isinstance(end, datetime) or end < start:
        raise ValueError("end must be a time after start")
    created = resolve_time(raw["createdAt"], now, "UTC") if "createdAt" in raw else now
    ident = raw.get("id") or store.next_id("booking")
    if ident in booking_ids:
        problems.append((place([*where, "id"]), f"duplicate booking id {ident}"))
        return
    booking_ids.add(ident)
    attendees = tuple(
        Attendee(
            a["name"],
            a["email"],
            a.get("timeZone", user.time_zone),
            a.get("language", "en"),
            a.get("absent", False),
            a.get("phoneNumber"),
            a.get("seatUid") or (str(uuid.uuid4()) if et.seats else None),
            a.get("bookingFieldsResponses", {}),
        )
        for a in raw.get("attendees", [])
    )
    booking = Booking(
        id=ident,
        uid=raw["uid"],
        user_id=user.id,
        event_type_id=et.id,
        title=raw.get("title") or default_title(et, user, attendees),
        start=start,
        end=end,  # type: ignore[arg-type]
        created=to_ms(created),  # type: ignore[arg-type]
        updated=to_ms(created),  # type: ignore[arg-type]
        status=raw.get("status", "accepted"),
        description=raw.get("description", ""),
        attendees=attendees,
        guests=tuple(raw.get("guests", ())),
        location=raw.get("location") or location_string(et, raw["uid"]),
        metadata=raw.get("metadata", {}),
        responses=raw.get("bookingFieldsResponses", {}),
        cancellation_reason=raw.get("cancellationReason"),
        rejection_reason=raw.get("rejectionReason"),
        recurring_uid=raw.get("recurringBookingUid"),
        absent_host=raw.get("absentHost", False),
    )
    store.put_booking(booking)
    event_uid = raw.get("googleEventId")
    existing = world.event_by_provider_id(event_uid) if event_uid else None
    cal = store.destination(user, world)
    cred = store.credential_for(user, cal)
    if existing is not None:
        cal = world.calendars[existing.calendar_id]
        cred = store.credential_for(user, cal)
        if cred is None:
            problems.append(
                (place([*where, "googleEventId"]), "the event is not in a calendar of the host")
            )
            return
    elif booking.status != "accepted" and not event_uid:
        return  # only accepted bookings get a calendar event
    elif cal is None or cred is None:
        problems.append((place(where), "the host has no Google calendar to put the event in"))
        return
    else:
        existing = create_event(world, booking, et, user, cal, event_uid)
        if booking.status in ("cancelled", "rejected"):
            world.delete_event(existing.uid)
    store.add_reference(
        booking.uid,
        "google_calendar",
        existing.provider_event_id or "",
        google_id(cal),
        cred.id,
    )
    _video_reference(store, booking, et)


def _video_reference(store: CalcomStore, booking: Booking, et: EventType) -> None:
    if (et.location or {}).get("integration") == "cal-video":
        store.add_reference(booking.uid, "daily_video", booking.uid, None, None)
