"""The world-file `calcom` section of a store: what `GET /_mock/dump` and state files write, and
what loader.py reads back (a dump loads into an equal store)."""

from __future__ import annotations

from typing import Any

from mockserver.calcom.store import AccessToken, ApiKey, CalcomStore, User
from mockserver.core.timeutil import format_utc
from mockserver.core.world import World


def dump_section(store: CalcomStore, world: World) -> dict[str, Any]:
    out: dict[str, Any] = {
        "users": [_user(store, u) for u in store.users.values()],
        "eventTypes": [
            {"id": et.id, "user": et.user_id, **et.spec} for et in store.event_types.values()
        ],
        "schedules": [
            {
                "id": s.id,
                "user": s.user_id,
                "name": s.name,
                "timeZone": s.time_zone,
                "availability": [
                    {"days": list(days), "startTime": start, "endTime": end}
                    for days, start, end in s.availability
                ],
                "overrides": [
                    {"date": day, "startTime": start, "endTime": end}
                    for day, start, end in s.overrides
                ],
            }
            for s in sorted(store.schedules.values(), key=lambda s: s.id)
        ],
        "reservations": [
            {
                "uid": r.uid,
                "eventType": r.event_type_id,
                "slotStart": format_utc(r.start),
                "slotEnd": format_utc(r.end),
                "reservationUntil": format_utc(r.until),
                "reservationDuration": r.duration,
                "createdAt": format_utc(r.created),
            }
            for r in store.reservations.values()
        ],
        "bookings": [],
    }
    for b in sorted(store.bookings.values(), key=lambda b: b.id):
        entry: dict[str, Any] = {
            "id": b.id,
            "uid": b.uid,
            "eventType": b.event_type_id,
            "title": b.title,
            "description": b.description,
            "start": format_utc(b.start),
            "end": format_utc(b.end),
            "createdAt": format_utc(b.created),
            "status": b.status,
            "attendees": [
                {
                    "name": a.name,
                    "email": a.email,
                    "timeZone": a.time_zone,
                    "language": a.language,
                    **({"absent": True} if a.absent else {}),
                    **({"phoneNumber": a.phone_number} if a.phone_number else {}),
                    **({"seatUid": a.seat_uid} if a.seat_uid else {}),
                    **({"bookingFieldsResponses": a.responses} if a.responses else {}),
                }
                for a in b.attendees
            ],
            "guests": list(b.guests),
            "location": b.location,
            "metadata": b.metadata,
            "bookingFieldsResponses": b.responses,
        }
        for key, value in (
            ("cancellationReason", b.cancellation_reason),
            ("rejectionReason", b.rejection_reason),
            ("recurringBookingUid", b.recurring_uid),
        ):
            if value:
                entry[key] = value
        if b.absent_host:
            entry["absentHost"] = True
        refs = [r for r in store.references_of(b.uid) if r.type == "google_calendar"]
        if refs and world.event_by_provider_id(refs[0].event_uid) is not None:
            entry["googleEventId"] = refs[0].event_uid
        out["bookings"].append(entry)
    if store.webhooks:
        from mockserver.calcom.store import webhook_section  # store imports this module

        out["webhooks"] = [webhook_section(w) for w in store.webhooks.values()]
    return out


def _user(store: CalcomStore, u: User) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": u.id,
        "username": u.username,
        "account": u.account_id,
        "email": u.email,
        "name": u.name,
        "timeZone": u.time_zone,
        "weekStart": u.week_start,
        "timeFormat": u.time_format,
        "credentials": [
            {
                "id": c.id,
                "type": c.type,
                "profile": c.profile_id,
                "selectedCalendars": list(c.selected),
                "invalid": c.invalid,
            }
            for c in store.credentials_of(u.id)
        ],
        "apiKeys": [_secret("key", k) for k in store.api_keys.values() if k.user_id == u.id],
        "accessTokens": [_secret("token", t) for t in store.tokens.values() if t.user_id == u.id],
    }
    for key, value in (
        ("destinationCalendar", u.destination_calendar),
        ("defaultScheduleId", u.default_schedule_id),
        ("avatarUrl", u.avatar_url),
        ("bio", u.bio),
        ("locale", u.locale),
    ):
        if value is not None:
            entry[key] = value
    if u.metadata:
        entry["metadata"] = u.metadata
    return entry


def _secret(name: str, record: ApiKey | AccessToken) -> dict[str, Any]:
    value = getattr(record, name)
    out: dict[str, Any] = {name: value}
    if record.expires_at:
        out["expiresAt"] = format_utc(record.expires_at)
    if record.label:
        out["label"] = record.label
    return out
