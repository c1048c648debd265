"""What happens to a booking after it is made (cal-api-version 2024-08-13; docs/reference/
scheduling.md §3.8, rules S-K49..S-K53): confirm / decline a booking that needs confirmation,
mark-absent, add guests, 'Add to calendar' links, and PATCH .../location. State changes go
through `Bookings.save()`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from mockserver.calcom import dto
from mockserver.calcom.dto import IsArray, IsBoolean, IsEmail, IsEnum, IsString, IsTimeZone, Prop
from mockserver.calcom.exceptions import bad_request, not_found, trpc_failure, validation_failed
from mockserver.calcom.store import Attendee, Booking, replace
from mockserver.calcom.wire import iso_ms
from mockserver.core.models import Attendee as CoreAttendee

if TYPE_CHECKING:
    from mockserver.calcom.bookings import Bookings
    from mockserver.calcom.models import Caller
    from mockserver.calcom.store import CalcomStore

DECLINE: dto.Dto = (Prop("reason", (IsString(),)),)
MARK_ABSENT: dto.Dto = (
    Prop("host", (IsBoolean(),)),
    Prop(
        "attendees",
        (IsArray(),),
        nested=(
            Prop("email", (IsEmail(),), optional=False),
            Prop("absent", (IsBoolean(),), optional=False),
        ),
        each=True,
    ),
)
GUEST: dto.Dto = (
    Prop("email", (IsEmail(),), optional=False),
    Prop("name", (IsString(),)),
    Prop("timeZone", (IsTimeZone(),)),
    Prop("phoneNumber", (IsString(),)),
    Prop("language", (IsEnum(dto.LANGUAGES),)),
)
ADD_GUESTS: dto.Dto = (Prop("guests", (IsArray(),), optional=False, nested=GUEST, each=True),)
LOCATION_KINDS = (
    "address", "attendeeAddress", "attendeeDefined", "attendeePhone", "integration", "link",
    "phone", "organizersDefaultApp",
)  # fmt: skip
UPDATE_LOCATION: dto.Dto = (
    Prop(
        "location",
        (dto.IsObject(),),
        nested=(
            Prop("type", (IsEnum(LOCATION_KINDS),), optional=False),
            Prop("address", (IsString(),)),
            Prop("link", (dto.IsUrl(),)),
            Prop("phone", (IsString(),)),
            Prop("location", (IsString(),)),
            Prop("integration", (IsString(),)),
        ),
    ),
)


def _utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def calendar_links(b: Booking) -> list[dict[str, str]]:
    """packages/lib/bookings/getCalendarLinks.ts: Google, Office 365, Outlook.com, an ICS file."""
    title, details, where = b.title, b.description or "", b.location or ""
    google = "https://calendar.google.com/calendar/r/eventedit?" + urlencode(
        {
            "dates": f"{_utc(b.start)}/{_utc(b.end)}",
            "text": title,
            "details": details,
            "location": where,
        },
        quote_via=quote,
    )

    def outlook(host: str) -> str:
        return f"https://{host}/calendar/0/deeplink/compose?" + urlencode(
            {
                "body": details,
                "enddt": iso_ms(b.end),
                "location": where,
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "startdt": iso_ms(b.start),
                "subject": title,
            },
            quote_via=quote,
        )

    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Cal.com//EN",
            "BEGIN:VEVENT",
            f"UID:{b.ics_uid}",
            f"DTSTAMP:{_utc(b.created)}",
            f"DTSTART:{_utc(b.start)}",
            f"DTEND:{_utc(b.end)}",
            f"SUMMARY:{title}",
            f"DESCRIPTION:{details}",
            f"LOCATION:{where}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
    return [
        {"label": "Google Calendar", "link": google},
        {"label": "Microsoft Office", "link": outlook("outlook.office.com")},
        {"label": "Microsoft Outlook", "link": outlook("outlook.live.com")},
        {"label": "ICS", "link": "data:text/calendar," + quote(ics)},
    ]


class Lifecycle:
    def __init__(self, bookings: Bookings) -> None:
        self.bk = bookings

    @property
    def store(self) -> CalcomStore:
        return self.bk.store

    def _host_booking(self, caller: Caller, uid: str, missing: str) -> Booking:
        """The caller's booking (hosted or attended); anyone else's reads as unknown."""
        b = self.store.bookings.get(uid)
        mine = b is not None and (
            b.user_id == caller.user.id
            or any(a.email.lower() == caller.user.email.lower() for a in b.attendees)
        )
        if b is None or not mine:
            raise not_found(missing)
        return b

    def _not_accepted(self, b: Booking) -> None:
        """confirmHandler (confirm and decline alike) refuses a booking that is accepted
        already: a TRPCError (packages/trpc/server/routers/viewer/bookings/confirm.handler.ts)."""
        if b.status == "accepted":
            raise trpc_failure(400, "Booking already confirmed")

    def confirm(self, caller: Caller, uid: str) -> dict[str, Any]:
        b = self._host_booking(caller, uid, f"Booking with uid={uid} was not found in the database")
        self._not_accepted(b)
        targets = self.store.series(b.recurring_uid) if b.recurring_uid else [b]
        with self.bk.world.transaction():
            for one in targets:
                if one.status != "pending":
                    continue  # only a booking awaiting confirmation changes
                confirmed = self.bk.save(
                    replace(one, status="accepted", updated=self.bk.stamp()), "confirmed"
                )
                et = self.store.event_types[one.event_type_id]
                self.bk.attach_event(confirmed, et, self.store.users[one.user_id])
        return self.bk.booking_json(self.store.bookings[uid])

    def decline(self, caller: Caller, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(DECLINE, body)
        if errors:
            raise validation_failed(errors)
        b = self._host_booking(caller, uid, f"Booking with uid={uid} was not found in the database")
        self._not_accepted(b)
        targets = self.store.series(b.recurring_uid) if b.recurring_uid else [b]
        with self.bk.world.transaction():
            for one in targets:
                if one.status == "pending":
                    self.bk.save(
                        replace(
                            one,
                            status="rejected",
                            rejection_reason=clean.get("reason"),
                            updated=self.bk.stamp(),
                        ),
                        "rejected",
                    )
        return self.bk.booking_json(self.store.bookings[uid])

    def mark_absent(self, caller: Caller, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(MARK_ABSENT, body)
        if errors:
            raise validation_failed(errors)
        b = self._host_booking(caller, uid, f"Booking with uid={uid} not found.")
        now = self.bk.now()
        if now < b.start:
            raise bad_request(
                "Bookings can only be marked as absent after their scheduled start time. Current "
                f"time in UTC+0: {iso_ms(now)}, Booking start time in UTC+0: {iso_ms(b.start)}"
            )
        absent = {a["email"].lower(): a["absent"] for a in clean.get("attendees") or ()}
        attendees = tuple(
            replace(a, absent=absent.get(a.email.lower(), a.absent)) for a in b.attendees
        )
        host = clean["host"] if clean.get("host") is not None else b.absent_host
        b = self.bk.save(
            replace(b, attendees=attendees, absent_host=host, updated=self.bk.stamp()), "updated"
        )
        return self.bk.booking_json(b)

    def add_guests(self, caller: Caller, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(ADD_GUESTS, body)
        if errors:
            raise validation_failed(errors)
        b = self._host_booking(caller, uid, f"Booking with uid {uid} not found")
        known = {a.email.lower() for a in b.attendees}
        tz = b.attendees[0].time_zone if b.attendees else self.store.users[b.user_id].time_zone
        added = []
        for g in clean["guests"]:
            if g["email"].lower() in known:
                continue
            known.add(g["email"].lower())
            added.append(
                Attendee(
                    g.get("name") or g["email"].split("@")[0],
                    g["email"],
                    g.get("timeZone") or tz,
                    g.get("language") or "en",
                    phone_number=g.get("phoneNumber"),
                )
            )
        ev = self.bk.google_event_of(b)
        with self.bk.world.transaction():
            if ev is not None and added:  # the guests are invited to the calendar event too
                people = ev.attendees + tuple(
                    CoreAttendee(a.email, a.name, "needs_action") for a in added
                )
                self.bk.world.update_event(ev.uid, attendees=people)
            b = self.bk.save(
                replace(b, attendees=b.attendees + tuple(added), updated=self.bk.stamp()),
                "updated",
            )
        return self.bk.booking_json(b)

    def links(self, caller: Caller, uid: str) -> list[dict[str, str]]:
        b = self._host_booking(caller, uid, f"Booking with uid {uid} not found")
        if b.event_type_id not in self.store.event_types:
            raise bad_request(f"Booking with uid {uid} has no event type")
        return calendar_links(b)

    def update_location(self, caller: Caller, uid: str, body: Any) -> dict[str, Any]:
        clean, errors = dto.validate(UPDATE_LOCATION, body)
        if errors:
            raise validation_failed(errors)
        b = self._host_booking(caller, uid, f"Booking with uid={uid} was not found in the database")
        loc = clean.get("location")
        if isinstance(loc, dict):
            text = next(
                (loc[k] for k in ("link", "address", "phone", "location") if loc.get(k)),
                loc.get("integration") or loc["type"],
            )
            # the calendar event keeps its location: a documented limitation of this endpoint
            b = self.bk.save(replace(b, location=str(text), updated=self.bk.stamp()), "updated")
        return self.bk.booking_json(b)
