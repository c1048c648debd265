"""Event types, cal-api-version 2024-06-14 (docs/reference/scheduling.md §3.4, rules S-K23..S-K32):
create, list, get, update, delete, and the EventTypeOutput_2024_06_14 object
(apps/api/v2/src/ee/event-types/event-types_2024_06_14/services/output-event-types.service.ts).
The handlers in responses.py call `CalcomBackend.event_types`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.calcom import event_type_input as inp
from mockserver.calcom.exceptions import bad_request, forbidden, not_found, validation_failed
from mockserver.calcom.store import (
    DEFAULT_LOCATIONS,
    DEFAULT_MINIMUM_NOTICE,
    EventType,
    User,
    replace,
)

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller
    from mockserver.calcom.store import CalcomStore

VERSION = "2024-06-14"


def _field(slug: str, kind: str, required: bool, **extra: Any) -> dict[str, Any]:
    return {"isDefault": True, "type": kind, "slug": slug, "required": required, **extra}


# getBookingFieldsWithSystemFields for an event type with no bookingFields, as the output
# transformer renders it (legacy e2e `expectedReturnSystemFields`).
DEFAULT_FIELDS: tuple[dict[str, Any], ...] = (
    _field("name", "name", True, label="your_name", disableOnPrefill=False),
    _field("email", "email", True, disableOnPrefill=False, hidden=False),
    _field("location", "radioInput", False, hidden=False),
    _field("title", "text", True, disableOnPrefill=False, hidden=False),
    _field("notes", "textarea", False, disableOnPrefill=False, hidden=False),
    _field("guests", "multiemail", False, disableOnPrefill=False, hidden=False),
    _field("rescheduleReason", "textarea", False, disableOnPrefill=False, hidden=False),
    _field("attendeePhoneNumber", "phone", False, disableOnPrefill=False, hidden=True),
)
DEFAULT_TYPES = {
    "title": "text",
    "notes": "textarea",
    "guests": "multiemail",
    "rescheduleReason": "textarea",
    "location": "radioInput",
}


def _copy_keys(src: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: src[k] for k in keys if src.get(k) is not None}


def booking_field_out(field: dict[str, Any]) -> dict[str, Any]:
    """One input booking field as the output transformer renders it."""
    kind, slug = field.get("type"), field.get("slug")
    if kind == "name":
        return {
            "isDefault": True,
            "type": "name",
            "slug": "name",
            "required": True,
            **_copy_keys(field, ("label", "placeholder")),
            "disableOnPrefill": bool(field.get("disableOnPrefill")),
        }
    if kind == "email":
        return {
            "isDefault": True,
            "type": "email",
            "slug": "email",
            "required": field.get("required", True) is not False,
            **_copy_keys(field, ("label", "placeholder")),
            "disableOnPrefill": bool(field.get("disableOnPrefill")),
            "hidden": bool(field.get("hidden")),
        }
    if slug in DEFAULT_TYPES and (kind is None or kind == DEFAULT_TYPES[slug]):
        out = {
            "isDefault": True,
            "type": DEFAULT_TYPES[slug],
            "slug": slug,
            "required": bool(field.get("required", slug == "title")),
            **_copy_keys(field, ("label", "placeholder")),
        }
        if slug != "location":
            out["disableOnPrefill"] = bool(field.get("disableOnPrefill"))
        out["hidden"] = bool(field.get("hidden"))
        return out
    out = {
        "isDefault": False,
        "type": kind,
        "slug": slug,
        "label": field.get("label") or "",
        "required": bool(field.get("required")),
        **_copy_keys(field, ("placeholder",)),
    }
    if kind in inp.OPTION_TYPES:
        out["options"] = [str(o) for o in field.get("options") or ()]
    out["disableOnPrefill"] = bool(field.get("disableOnPrefill"))
    out["hidden"] = bool(field.get("hidden"))
    return out


def booking_fields_out(et: EventType) -> list[dict[str, Any]]:
    """The stored fields with the system ones around them: name and email first, the location
    field when there is more than one location, rescheduleReason, then the custom fields in
    the order given (et-e2e "should create an event type")."""
    given = et.spec.get("bookingFields")
    if not given:
        return [dict(f) for f in DEFAULT_FIELDS]
    rendered = [booking_field_out(f) for f in given]
    by_slug = {f["slug"]: f for f in rendered if f["isDefault"]}
    system = ["name", "email"]
    location = et.location_field
    if location is None:
        location = len(et.locations) > 1
    if location:
        system.append("location")
    system.append("rescheduleReason")
    defaults = {f["slug"]: f for f in DEFAULT_FIELDS}
    head = [by_slug.get(slug) or dict(defaults[slug]) for slug in system]
    rest = [f for f in rendered if f["slug"] not in system]
    return head + rest


def event_type_json(et: EventType, user: User, booking_url_base: str) -> dict[str, Any]:
    """EventTypeOutput_2024_06_14, keys in the output service's order."""
    s = et.spec
    metadata: dict[str, Any] = {}
    if et.length_options:
        metadata["multipleDuration"] = et.length_options
    out: dict[str, Any] = {"id": et.id, "ownerId": et.user_id, "lengthInMinutes": et.length}
    if et.length_options:
        out["lengthInMinutesOptions"] = et.length_options
    out |= {
        "title": et.title,
        "slug": et.slug,
        "description": et.description,
        "locations": [dict(loc) for loc in et.locations],
        "bookingFields": booking_fields_out(et),
        "recurrence": (
            {k: et.recurrence[k] for k in ("interval", "occurrences", "frequency")}
            if et.recurrence
            else None
        ),
        "disableGuests": bool(s.get("disableGuests")),
        "slotInterval": et.slot_interval,
        "minimumBookingNotice": et.minimum_notice,
        "beforeEventBuffer": et.before_buffer,
        "afterEventBuffer": et.after_buffer,
        "metadata": metadata,
        "price": 0,
        "currency": "usd",
        "lockTimeZoneToggleOnBookingPage": bool(s.get("lockTimeZoneToggleOnBookingPage")),
        "forwardParamsSuccessRedirect": True,
        "successRedirectUrl": s.get("successRedirectUrl"),
        "isInstantEvent": False,
        "users": [
            {
                "id": user.id,
                "name": user.name,
                "username": user.username,
                "avatarUrl": user.avatar_url,
                "brandColor": None,
                "darkBrandColor": None,
                "weekStart": user.week_start,
                "metadata": {},
            }
        ],
        "scheduleId": et.schedule_id,
    }
    for key in ("bookingLimitsCount", "bookingLimitsDuration"):
        if s.get(key):
            out[key] = dict(s[key])
    out |= {
        "onlyShowFirstAvailableSlot": et.only_first_slot,
        "offsetStart": et.offset_start,
        "bookingWindow": dict(et.booking_window) if et.booking_window else {"disabled": True},
    }
    if s.get("bookerLayouts"):
        out["bookerLayouts"] = s["bookerLayouts"]
    out["confirmationPolicy"] = (
        dict(s["confirmationPolicy"]) if et.requires_confirmation else {"disabled": True}
    )
    out["requiresBookerEmailVerification"] = bool(s.get("requiresBookerEmailVerification"))
    out["hideCalendarNotes"] = bool(s.get("hideCalendarNotes"))
    if s.get("color"):
        out["color"] = s["color"]
    seats = s.get("seats")
    out["seats"] = dict(seats) if et.seats else {"disabled": True}
    if s.get("customName"):
        out["customName"] = s["customName"]
    if s.get("destinationCalendar"):
        out["destinationCalendar"] = s["destinationCalendar"]
    out |= {
        "useDestinationCalendarEmail": bool(s.get("useDestinationCalendarEmail")),
        "hideCalendarEventDetails": bool(s.get("hideCalendarEventDetails")),
        "hideOrganizerEmail": bool(s.get("hideOrganizerEmail")),
        # canSendCalVideoTranscriptionEmails defaults to true, so this is always there
        "calVideoSettings": {**(s.get("calVideoSettings") or {}), "sendTranscriptionEmails": True},
        "hidden": et.hidden,
        "bookingRequiresAuthentication": bool(s.get("bookingRequiresAuthentication")),
        "bookerActiveBookingsLimit": dict(s.get("bookerActiveBookingsLimit") or {"disabled": True}),
        "bookingUrl": f"{booking_url_base.rstrip('/')}/{user.username}/{et.slug}",
        "disableCancelling": {"disabled": False},
        "disableRescheduling": {"disabled": False},
        "interfaceLanguage": None,
        "allowReschedulingPastBookings": False,
        "allowReschedulingCancelledBookings": False,
        "showOptimizedSlots": False,
    }
    return out


def without_hidden_fields(out: dict[str, Any]) -> dict[str, Any]:
    """List answers drop booking fields marked hidden (getResponseEventTypesWithoutHiddenFields)."""
    return {
        **out,
        "bookingFields": [f for f in out["bookingFields"] if f.get("hidden") is not True],
    }


def _store_form(clean: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge a validated body into the stored spec: `{"disabled": true}` removes a setting."""
    spec = dict(current or {})
    for key, value in clean.items():
        if key in inp.DISABLEABLE and isinstance(value, dict) and value.get("disabled") is True:
            spec.pop(key, None)
        else:
            spec[key] = value
    return spec


class EventTypes:
    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def store(self) -> CalcomStore:
        return self.be.store

    def json(self, et: EventType) -> dict[str, Any]:
        return event_type_json(et, self.store.users[et.user_id], self.be.settings.booking_url_base)

    def visible(self, ident: int) -> EventType | None:
        et = self.store.event_types.get(ident)
        return None if et is None or et.deleted else et

    # -- checks the service makes after the pipe ------------------------------------------

    def _check(self, user: User, spec: dict[str, Any], ident: int | None) -> None:
        slug = spec["slug"]
        for other in self.store.event_types_of(user.id):
            if other.slug == slug and other.id != ident and not other.deleted:
                raise bad_request("User already has an event type with this slug.")
        schedule_id = spec.get("scheduleId")
        if schedule_id is not None:
            sch = self.store.schedules.get(int(schedule_id))
            if sch is None or sch.user_id != user.id:
                raise not_found(
                    f"User with ID={user.id} does not own schedule with ID={schedule_id}"
                )
        for loc in spec.get("locations") or ():
            app = loc.get("integration") if loc.get("type") == "integration" else None
            if app and app != "cal-video" and not self._connected(user, app):
                raise bad_request(f"{app} not connected.")
        limits = spec.get("bookingLimitsCount")
        if isinstance(limits, dict):
            problem = inp.limits_order_problem(limits)
            if problem:
                raise bad_request(problem)
        seats = spec.get("seats")
        if isinstance(seats, dict) and seats.get("seatsPerTimeSlot"):
            if len(spec.get("locations") or ()) > 1:
                raise bad_request(
                    "Seats Validation failed: Seats are enabled but more than one location "
                    "provided."
                )
            if spec.get("confirmationPolicy"):
                raise bad_request(
                    "Seats Validation failed: Seats are enabled but requiresConfirmation is true."
                )

    def _connected(self, user: User, app: str) -> bool:
        """Google Meet comes with a Google credential; no other video app is installed."""
        return app == "google-meet" and bool(self.store.credentials_of(user.id))

    # -- operations ---------------------------------------------------------------------

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        clean = inp.validate(body)
        spec = _store_form(clean)
        spec["slug"] = inp.slugify(spec["slug"])
        spec.setdefault("locations", [dict(loc) for loc in DEFAULT_LOCATIONS])
        spec.setdefault("minimumBookingNotice", DEFAULT_MINIMUM_NOTICE)
        self._check(caller.user, spec, None)
        et = EventType(self.store.next_id("eventType"), caller.user.id, spec, self.be.now())
        if "bookingFields" in clean:  # hasMultipleLocations: the sent or default locations
            et = replace(et, location_field=len(spec["locations"]) > 1)
        self.store.event_types[et.id] = et
        return self.json(et)

    def get(self, caller: Caller, ident: int) -> dict[str, Any]:
        et = self.visible(ident)
        if et is None or et.user_id != caller.user.id:
            raise not_found(f"Event type with id {ident} not found")
        return self.json(et)

    def update(self, caller: Caller, ident: int, body: Any) -> dict[str, Any]:
        clean = inp.validate(body, update=True)
        et = self.visible(ident)
        if et is None or et.user_id != caller.user.id:
            raise not_found(f"Event type with id {ident} not found")
        spec = _store_form(clean, et.spec)
        if "slug" in clean:
            spec["slug"] = inp.slugify(spec["slug"])
        self._check(caller.user, spec, et.id)
        # transformInputUpdateEventType (input-event-types.service.ts @ 02b4d708): booking
        # fields sent again get the location field only when this update sends several
        # locations; otherwise the stored fields keep what they had
        location = et.location_field
        if "bookingFields" in clean:
            location = len(clean.get("locations") or ()) > 1
        et = EventType(et.id, et.user_id, spec, et.created, location_field=location)
        self.store.event_types[et.id] = et
        return self.json(et)

    def delete(self, caller: Caller, ident: int) -> dict[str, Any]:
        et = self.visible(ident)
        if et is None:
            raise not_found(f"Event type with ID={ident} does not exist.")
        if et.user_id != caller.user.id:
            raise forbidden(
                f"User with ID={caller.user.id} does not own event type with ID={ident}"
            )
        # kept as a tombstone: bookings still name it
        self.store.event_types[et.id] = replace(et, deleted=True)
        return {"id": et.id, "lengthInMinutes": et.length, "title": et.title, "slug": et.slug}

    def list(self, caller: Caller | None, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        sort = query.get("sortCreatedAt", [None])[-1]
        if sort is not None and sort not in ("asc", "desc"):
            raise validation_failed(
                [
                    {
                        "target": {k: v[-1] for k, v in query.items()},
                        "value": sort,
                        "property": "sortCreatedAt",
                        "children": [],
                        "constraints": {
                            "isEnum": "sortCreatedAt must be one of the following values: asc, desc"
                        },
                    }
                ]
            )
        username = query.get("username", [None])[-1]
        slug = query.get("eventSlug", [None])[-1]
        if username is not None:
            owner = self.store.user_by_username(username)
            found = self.store.event_types_of(owner.id) if owner else []
            mine = caller is not None and owner is not None and caller.user.id == owner.id
            found = [et for et in found if not et.deleted and (mine or not et.hidden)]
            if slug is not None:
                found = [et for et in found if et.slug == slug]
        elif "usernames" in query or caller is None:
            found = []  # dynamic group event types are not emulated
        else:
            found = [et for et in self.store.event_types_of(caller.user.id) if not et.deleted]
        if sort is not None:
            found.sort(
                key=lambda et: (et.created is None, et.created, et.id), reverse=sort == "desc"
            )
        return [without_hidden_fields(self.json(et)) for et in found]
