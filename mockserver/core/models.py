"""Plain records of the calendar world. Updates replace a record (dataclasses.replace), never
mutate it, so the undo log of a transaction can simply put the old record back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Transparency = Literal["opaque", "transparent"]
EventStatus = Literal["confirmed", "tentative", "cancelled"]
Participation = Literal["needs_action", "accepted", "declined", "tentative", "unknown"]
Visibility = Literal["default", "public", "private"]


@dataclass(slots=True, frozen=True)
class Account:
    id: str
    email: str
    name: str
    default_tzid: str = "Etc/UTC"


@dataclass(slots=True, frozen=True)
class Profile:
    id: str
    account_id: str
    provider_name: str  # google, apple, exchange, live_connect, cronofy
    provider_service: str  # google, gsuite, icloud, exchange, office365, outlook_com, cronofy
    name: str  # usually the mailbox address
    connected: bool = True
    allow_duplicate_calendar_names: bool = False


@dataclass(slots=True, frozen=True)
class Calendar:
    id: str
    profile_id: str
    name: str
    primary: bool = False
    readonly: bool = False
    deleted: bool = False
    permission_level: Literal["sandbox", "unrestricted"] = "sandbox"
    color: str | None = None
    provider_id: str | None = None  # the backing provider's own calendar id (e.g. a Google address)
    conferencing_available: bool = False
    attachments_available: bool = False


@dataclass(slots=True, frozen=True)
class Person:
    email: str
    display_name: str | None = None


@dataclass(slots=True, frozen=True)
class Attendee:
    email: str
    display_name: str | None = None
    status: Participation = "needs_action"
    optional: bool = False
    organizer: bool = False


@dataclass(slots=True, frozen=True)
class EventOptions:
    """What the calendar owner lets apps do to an event they did not create."""

    update: bool = True
    delete: bool = True
    change_participation_status: bool = True


# The `extra` of every loaded event that has none: shared, so never mutate an event's extra
# (records are replaced, not changed).
NO_EXTRA: dict[str, Any] = {}


@dataclass(slots=True, frozen=True)
class Event:
    uid: str
    calendar_id: str
    summary: str
    start: datetime | date  # aware UTC datetime, or a date for all-day events
    end: datetime | date
    created: datetime
    updated: datetime
    tzid: str = "Etc/UTC"
    end_tzid: str | None = None
    app_id: str | None = None  # the API client that manages it; None = made by the owner
    app_event_id: str | None = None  # the managing app's own id for it
    description: str = ""
    location: dict[str, Any] | None = None
    url: str | None = None
    transparency: Transparency = "opaque"
    status: EventStatus = "confirmed"
    visibility: Visibility = "default"
    participation_status: Participation = "needs_action"
    attendees: tuple[Attendee, ...] = ()
    organizer: Person | None = None
    recurrence: tuple[str, ...] = ()  # RFC 5545 lines: RRULE:..., EXDATE:...
    reminders: tuple[int, ...] = ()
    conferencing: dict[str, Any] | None = None
    color: str | None = None
    categories: tuple[str, ...] = ()
    options: EventOptions = field(default_factory=EventOptions)
    deleted: bool = False
    ical_uid: str | None = None
    # The id the backing calendar (Google, Microsoft...) knows the event by: Cal.com's booking
    # references and Truto's Google/Outlook accounts speak in these, Cronofy in `uid`.
    provider_event_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # provider-specific passthrough

    @property
    def ical_id(self) -> str:
        """The iCalendar UID: the one the event was given, else derived from its uid (not
        stored per event: a world of 100k events would keep 100k such strings)."""
        return self.ical_uid or f"{self.uid}@calendar-mockserver"

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def recurring(self) -> bool:
        return bool(self.recurrence)

    def managed_by(self, app_id: str | None) -> bool:
        return app_id is not None and self.app_id == app_id


@dataclass(slots=True, frozen=True)
class Occurrence:
    """One instance of an event inside a read window (a recurring event yields several)."""

    event: Event
    start: datetime | date
    end: datetime | date
    instance_uid: str  # event.uid for single events

    @property
    def is_instance(self) -> bool:
        return self.instance_uid != self.event.uid
