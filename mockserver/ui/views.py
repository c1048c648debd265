"""What the dashboard's pages show, as plain data built from the running fake's state: the
account tree, a week of one calendar, one event with every provider's rendering, journal rows.
Providers are reached only through the registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mockserver import registry
from mockserver.core import recurrence
from mockserver.core.index import instance_uid
from mockserver.core.models import Calendar, Event
from mockserver.core.timeutil import zone
from mockserver.state import ServerState


def tree(state: ServerState) -> list[dict[str, Any]]:
    """Accounts → profiles → calendars, with each calendar's live and deleted event counts."""
    world = state.world
    live: dict[str, int] = {}
    gone: dict[str, int] = {}
    for ev in world.events.values():
        table = gone if ev.deleted else live
        table[ev.calendar_id] = table.get(ev.calendar_id, 0) + 1
    out = []
    for acc in world.accounts.values():
        profiles = []
        for prof in world.profiles_of(acc.id):
            cals = [c for c in world.calendars.values() if c.profile_id == prof.id]
            profiles.append(
                {
                    "profile": prof,
                    "calendars": [
                        {"calendar": c, "events": live.get(c.id, 0), "deleted": gone.get(c.id, 0)}
                        for c in cals
                    ],
                }
            )
        out.append({"account": acc, "profiles": profiles})
    return out


@dataclass
class Block:
    """One occurrence placed in the week grid."""

    event: Event
    instance: str
    day: int  # 0 = Monday
    days: int  # columns an all-day block spans
    top: int  # minutes after midnight (timed)
    height: int  # minutes (timed)
    label: str  # "09:30–10:00" or "all day"

    @property
    def kind(self) -> str:
        return "managed" if self.event.app_id else "external"


def monday_of(value: date) -> date:
    return value - timedelta(days=value.weekday())


def week(state: ServerState, calendar: Calendar, tzid: str, around: date) -> dict[str, Any]:
    """The week (Monday to Sunday, in `tzid`) holding `around`: all-day blocks and timed blocks,
    recurring series expanded, deleted events included (the page marks them)."""
    tz = zone(tzid)
    first = monday_of(around)
    lo = datetime(first.year, first.month, first.day, tzinfo=tz)
    hi = lo + timedelta(days=7)
    blocks: list[Block] = []
    for ev in state.world.events.values():
        if ev.calendar_id != calendar.id:
            continue
        if ev.recurring:
            spans = list(recurrence.occurrences(ev.recurrence, ev.start, ev.end, ev.tzid, lo, hi))
        else:
            spans = [(ev.start, ev.end)]
        for start, end in spans:
            block = _place(ev, start, end, first, tz, lo, hi)
            if block is not None:
                blocks.append(block)
    blocks.sort(key=lambda b: (b.day, b.top, b.event.summary))
    days = [first + timedelta(days=i) for i in range(7)]
    return {
        "days": days,
        "all_day": [b for b in blocks if b.label == "all day"],
        "timed": [[b for b in blocks if b.label != "all day" and b.day == i] for i in range(7)],
        "previous": first - timedelta(days=7),
        "next": first + timedelta(days=7),
        "count": len(blocks),
    }


def _place(
    ev: Event,
    start: datetime | date,
    end: datetime | date,
    first: date,
    tz: Any,
    lo: datetime,
    hi: datetime,
) -> Block | None:
    uid = instance_uid(ev.uid, start) if ev.recurring else ev.uid
    if not isinstance(start, datetime):
        assert not isinstance(end, datetime)
        last = max(end - timedelta(days=1), start)
        if last < first or start >= first + timedelta(days=7):
            return None
        day = max((start - first).days, 0)
        span = min((last - first).days, 6) - day + 1
        return Block(ev, uid, day, span, 0, 0, "all day")
    assert isinstance(end, datetime)
    if end <= lo and not (start == end and lo <= start) or start >= hi:
        return None
    local = start.astimezone(tz)
    local_end = end.astimezone(tz)
    day = (local.date() - first).days
    if day < 0:  # began the week before: shown from Monday's midnight
        day, top = 0, 0
    else:
        top = local.hour * 60 + local.minute
    minutes = max(int((local_end - max(local, lo.astimezone(tz))).total_seconds() // 60), 15)
    height = min(minutes, 24 * 60 - top)
    return Block(ev, uid, day, 1, top, height, f"{local:%H:%M}–{local_end:%H:%M}")


def calendar_context(state: ServerState, calendar: Calendar) -> dict[str, Any]:
    world = state.world
    profile = world.profiles[calendar.profile_id]
    account = world.accounts[profile.account_id]
    return {"calendar": calendar, "profile": profile, "account": account}


def renderings(state: ServerState, ev: Event) -> list[dict[str, Any]]:
    """Each registered provider's JSON for the event (`registry.Provider.render_event`), or why
    there is none."""
    out = []
    for p in registry.providers():
        if p.render_event is None:
            out.append({"provider": p.name, "json": None, "note": "no rendering registered"})
            continue
        backend = state.backends.get(p.name)
        try:
            body = p.render_event(backend, ev) if backend is not None else None
        except Exception as exc:  # a rendering bug must not take the page down
            out.append({"provider": p.name, "json": None, "note": f"cannot render: {exc!r}"})
            continue
        note = "" if body is not None else "this provider does not show the event"
        out.append({"provider": p.name, "json": body, "note": note})
    return out


def core_fields(ev: Event) -> dict[str, Any]:
    """The provider-neutral record, as the world-file dump would name its fields."""
    return {
        "uid": ev.uid,
        "calendar_id": ev.calendar_id,
        "summary": ev.summary,
        "start": ev.start.isoformat(),
        "end": ev.end.isoformat(),
        "tzid": ev.tzid,
        "managed_by": {"app": ev.app_id, "event_id": ev.app_event_id} if ev.app_id else None,
        "recurrence": list(ev.recurrence),
        "status": ev.status,
        "deleted": ev.deleted,
        "transparency": ev.transparency,
        "attendees": [a.email for a in ev.attendees],
        "provider_event_id": ev.provider_event_id,
        "created": ev.created.isoformat(),
        "updated": ev.updated.isoformat(),
    }


JOURNAL_FILTERS = ("provider", "method", "status", "path")


def journal_rows(state: ServerState, filters: dict[str, str], limit: int = 200) -> list[Any]:
    """The newest `limit` journal entries matching the filters, newest first."""
    criteria: dict[str, Any] = {}
    if filters.get("provider"):
        criteria["provider"] = filters["provider"].split(",")
    if filters.get("method"):
        criteria["method"] = [m.upper() for m in filters["method"].split(",")]
    if filters.get("status"):
        criteria["status"] = [int(s) for s in filters["status"].split(",") if s.strip().isdigit()]
    if filters.get("path"):
        criteria["path"] = filters["path"]
    entries = state.journal.find(**criteria)
    return list(reversed(entries[-limit:]))


def signature(state: ServerState) -> tuple[Any, ...]:
    """Changes when anything a page shows changes: the live-update stream compares these."""
    clock = state.clock
    fired = tuple((r.id, r.fired) for r in state.faults.rules)
    return (
        id(state.world),
        state.world.version,
        state.journal.total,
        fired,
        clock.frozen,
        clock.describe()["now"] if clock.frozen else clock.describe()["offset_seconds"],
    )
