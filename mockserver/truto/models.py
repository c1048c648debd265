"""The Truto backend: auth, the per-integration support matrix and required fields, sandbox and
rate rules, and every unified operation on the shared world. Handlers in responses.py only parse
HTTP and call one method here."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mockserver.core import recurrence
from mockserver.core.changes import Actor, act_as
from mockserver.core.index import instance_uid
from mockserver.core.models import Account, Calendar, Event, Occurrence
from mockserver.core.ratelimit import Budget, RateLimiter
from mockserver.core.world import World
from mockserver.truto import remote, wire
from mockserver.truto.exceptions import (
    TrutoError,
    bad_request,
    method_not_allowed,
    missing_query,
    not_found,
    too_many_requests,
    unauthorized,
)
from mockserver.truto.query import Page, Query, Rendered, scalar
from mockserver.truto.reads import Reader
from mockserver.truto.settings import TrutoSettings
from mockserver.truto.store import ApiToken, IntegratedAccount, TrutoStore

RESOURCES = (
    "attachments",
    "availability",
    "calendars",
    "contacts",
    "event_types",
    "events",
    "users",
)
ALL_EVENT_METHODS = frozenset({"list", "get", "create", "update", "delete"})
# The integration-coverage page: which (resource, method) each integration maps.
SUPPORT: dict[str, dict[str, frozenset[str]]] = {
    "calcom": {
        "availability": frozenset({"list"}),
        "calendars": frozenset({"list"}),
        "event_types": frozenset({"list", "get"}),
        "events": frozenset({"list"}),
    },
    "calendly": {
        "availability": frozenset({"list"}),
        "event_types": frozenset({"list", "get"}),
        "events": frozenset({"list", "get"}),
    },
    "google": {
        "availability": frozenset({"list"}),
        "calendars": frozenset({"list", "get"}),
        "contacts": frozenset({"list"}),
        "events": ALL_EVENT_METHODS,
    },
    "googlecalendar": {
        "availability": frozenset({"list"}),
        "calendars": frozenset({"list", "get"}),
        "contacts": frozenset({"list"}),
        "events": ALL_EVENT_METHODS,
    },
    "outlookcalendar": {
        "attachments": frozenset({"list"}),
        "availability": frozenset({"list"}),
        "calendars": frozenset({"list", "get"}),
        "contacts": frozenset({"list"}),
        "events": ALL_EVENT_METHODS,
        "users": frozenset({"list"}),
    },
}
CALENDAR_BASED = ("google", "googlecalendar", "outlookcalendar")
_CAL = {i: ("calendar[id]",) for i in CALENDAR_BASED}
# Query parameters each integration requires, per (resource, method).
REQUIRED_QUERY: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("events", "list"): _CAL,
    ("events", "get"): _CAL,
    ("events", "delete"): _CAL,
    ("availability", "list"): {
        "google": ("start_time", "end_time", "calendar[id]"),
        "googlecalendar": ("start_time", "end_time", "calendar[id]"),
        "outlookcalendar": ("start_time", "end_time", "timezone"),
    },
    ("attachments", "list"): {"outlookcalendar": ("event[id]",)},
}
WRITES = ("create", "update", "delete")
MAX_IDEMPOTENT = 10_000
MAX_RENDERED = 200_000


@dataclass
class Call:
    """One unified request, checked: who asks, through which integrated account, for what."""

    token: ApiToken
    account: IntegratedAccount
    owner: Account
    resource: str
    method: str
    query: Query
    calendar: Calendar | None = None  # the provider calendar the call resolved to, if any
    rid: str | None = None

    @property
    def integration(self) -> str:
        return self.account.integration


@dataclass
class RemoteFault:
    """A provider error queued for an integrated account (`/_mock/truto/remote_errors`)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


class TrutoBackend:
    def __init__(self, world: World, store: TrutoStore, settings: TrutoSettings) -> None:
        self.world = world
        self.store = store
        self.settings = settings
        self.limiter = RateLimiter(world.clock.monotonic)
        self.reader = Reader(self)
        self.idempotent: OrderedDict[tuple, tuple[int, bytes, dict[str, str]]] = OrderedDict()
        self.faults: dict[str, list[RemoteFault]] = {}
        self._rendered: dict[tuple, tuple[Event, Calendar, Account, Rendered]] = {}
        from mockserver.truto.webhooks import Webhooks  # (webhooks.py imports this module)

        self.webhooks = Webhooks(self)  # the admin API's webhooks, account connections

    # -- every call ----------------------------------------------------------------------

    def authenticate(self, header: str | None) -> ApiToken:
        scheme, _, value = (header or "").strip().partition(" ")
        token = self.store.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise unauthorized("Invalid API token" if header else "Missing Authorization header")
        # what this request changes is the Truto customer's doing (by environment)
        act_as(Actor.app("truto", token.environment))
        self.throttle(f"token:{token.token}", self.settings.token_limit)
        return token

    def throttle(self, key: str, limit: int) -> None:
        if not self.settings.rate_limit:
            return
        verdict = self.limiter.hit(key, (Budget(limit, float(self.settings.rate_window)),))
        if not verdict.allowed:
            raise too_many_requests(self.settings.retry_after)

    def begin(self, token: ApiToken, params: dict[str, Any], resource: str, method: str) -> Call:
        """Every check a unified call passes before it reaches the (simulated) provider."""
        acc = self.visible_account(token, scalar(params, "integrated_account_id"))
        if acc is None:
            raise bad_request("integrated_account_id is required")
        self.throttle(f"account:{acc.id}", self.settings.account_limit)
        if method not in SUPPORT[acc.integration].get(resource, ()):
            raise not_found(
                f"Resource not found: {method} calendar/{resource} is not supported by the "
                f"{acc.integration} integration"
            )
        if acc.is_sandbox and method in WRITES:
            raise method_not_allowed("Sandbox integrated accounts are read-only")
        query = Query.parse(params, self.settings)
        notify = scalar(params, "send_notifications")
        if method in WRITES and notify is not None and notify not in wire.SEND_NOTIFICATIONS:
            raise bad_request(
                f"send_notifications must be one of {', '.join(wire.SEND_NOTIFICATIONS)}"
            )
        missing = [
            name
            for name in REQUIRED_QUERY.get((resource, method), {}).get(acc.integration, ())
            if not has_param(params, name)
        ]
        if missing:
            raise missing_query(missing)
        if acc.status == "needs_reauth":
            raise remote.remote_error(acc.integration, 401)
        self.provider_fault(acc)
        owner = self.world.accounts[acc.account_id]
        return Call(token, acc, owner, resource, method, query)

    def visible_account(self, token: ApiToken, account_id: str | None) -> IntegratedAccount | None:
        """The integrated account named, if this token's environment has it (404 otherwise);
        None when no id is given."""
        if not account_id:
            return None
        acc = self.store.accounts.get(account_id)
        if acc is None or acc.environment != token.environment:
            raise not_found(f"Integrated account {account_id} not found")
        return acc

    def provider_fault(self, acc: IntegratedAccount) -> None:
        queue = self.faults.get(acc.id)
        if not queue:
            return
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        raise TrutoError(
            fault.status,
            remote.message_of(fault.body),
            remote=fault.body,
            is_remote=True,
            headers=fault.headers or None,
        )

    def inject(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a provider error for an integrated account's next calls."""
        acc_id = body.get("integrated_account_id")
        status = body.get("status")
        times = body.get("times", 1)
        headers = body.get("headers", {})
        if acc_id not in self.store.accounts:
            raise not_found(f"Integrated account {acc_id} not found")
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise bad_request("status must be an HTTP error status (400-599)")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise bad_request("times must be a positive integer")
        if not isinstance(headers, dict) or any(not isinstance(v, str) for v in headers.values()):
            raise bad_request("headers must be an object of strings")
        raw = body.get("body", {"error": {"code": status, "message": "Injected provider error"}})
        self.faults.setdefault(acc_id, []).append(RemoteFault(status, raw, headers, times))
        return self.describe_faults()

    def describe_faults(self) -> dict[str, Any]:
        return {
            "remote_errors": [
                {
                    "integrated_account_id": acc,
                    "status": f.status,
                    "times": f.times,
                    "body": f.body,
                    "headers": f.headers,
                }
                for acc, queue in self.faults.items()
                for f in queue
            ]
        }

    # -- idempotency ---------------------------------------------------------------------

    def idempotency_key(
        self, token: ApiToken, verb: str, path: str, params: dict[str, Any], header: str | None
    ) -> tuple | None:
        """What an `Idempotency-Key` is scoped to: the API token, the method, the path and the
        integrated account (a key reused for another account is another request)."""
        if not header:
            return None
        return (token.token, verb, path, scalar(params, "integrated_account_id"), header)

    def replay(self, key: tuple) -> tuple[int, bytes, dict[str, str]] | None:
        return self.idempotent.get(key)

    def remember(self, key: tuple, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.idempotent[key] = (status, body, headers)
        while len(self.idempotent) > MAX_IDEMPOTENT:
            self.idempotent.popitem(last=False)

    # -- calendars -----------------------------------------------------------------------

    def resolve_calendar(self, call: Call, ref: Any) -> Calendar:
        """`primary`, the fake's calendar id, or the provider's own calendar id."""
        cals = call.account.calendars(self.world)
        if isinstance(ref, str) and ref:
            if ref == "primary" and cals:
                return cals[0]  # primary first
            for cal in cals:
                if ref in (cal.id, cal.provider_id):
                    return cal
        raise remote.remote_error(call.integration, 404)

    def calendars_for(self, call: Call) -> list[Calendar]:
        """`calendar[id]` if sent (required where the integration says so), else all."""
        ref = param_id(call.query.params, "calendar")
        if ref is None:
            return call.account.calendars(self.world)
        call.calendar = self.resolve_calendar(call, ref)
        return [call.calendar]

    def render_calendar(self, call: Call, cal: Calendar) -> Rendered:
        return Rendered(
            wire.calendar_json(cal, call.owner),
            wire.render_remote_calendar(call.integration, cal, call.owner),
        )

    def get_calendar(self, call: Call, ref: str) -> Rendered:
        call.calendar = self.resolve_calendar(call, ref)
        return self.render_calendar(call, call.calendar)

    # -- events: reading -----------------------------------------------------------------

    def render_occurrence(
        self, call: Call, occ: Occurrence, expand: bool, *, partial: bool = False
    ) -> Rendered:
        ev = occ.event
        master = ev.provider_event_id or ev.uid
        if occ.is_instance and expand:
            return self.render_event(
                call, ev, instance_uid(master, occ.start), occ.start, occ.end, master, partial
            )
        return self.render_event(call, ev, master, ev.start, ev.end, None, partial)

    def render_event(
        self,
        call: Call,
        ev: Event,
        rid: str,
        start: datetime | date,
        end: datetime | date,
        master_id: str | None = None,
        partial: bool = False,
    ) -> Rendered:
        cal = self.world.calendars[ev.calendar_id]
        # Records are replaced on every write, never mutated: the very same event, calendar
        # and owner objects render the same, so a page of an unchanged world is lookups.
        dated = self.settings.all_day_as_date_time
        key = (call.integration, rid, master_id, partial, dated)
        hit = self._rendered.get(key)
        if hit is not None and hit[0] is ev and hit[1] is cal and hit[2] is call.owner:
            return hit[3]
        out = Rendered(
            wire.event_json(
                call.integration,
                ev,
                rid,
                start,
                end,
                cal,
                call.owner,
                master_id=master_id,
                partial=partial,
                all_day_as_date_time=dated,
            ),
            remote.event_remote(
                call.integration, ev, rid, start, end, cal, call.owner, master_id=master_id
            ),
        )
        if len(self._rendered) >= MAX_RENDERED:
            self._rendered.clear()
        self._rendered[key] = (ev, cal, call.owner, out)
        return out

    def find_event(
        self, call: Call, rid: Any
    ) -> tuple[Event, datetime | date, datetime | date, str | None]:
        """(event, start, end, series id for an instance) for a provider event id, as far as
        this account can see it; the provider's 404 otherwise."""
        call.rid = rid if isinstance(rid, str) else None
        visible = {c.id for c in call.account.calendars(self.world)}
        found = None
        if isinstance(rid, str) and rid:
            ev = self.world.event_by_provider_id(rid)
            found = (ev, ev.start, ev.end, None) if ev is not None else self._instance(rid)
        if found is None or found[0].deleted or found[0].calendar_id not in visible:
            raise remote.remote_error(call.integration, 404)
        ref = param_id(call.query.params, "calendar")
        if ref is not None:
            call.calendar = self.resolve_calendar(call, ref)
            if call.calendar.id != found[0].calendar_id:
                raise remote.remote_error(call.integration, 404)
        return found

    def _instance(
        self, rid: str
    ) -> tuple[Event, datetime | date, datetime | date, str | None] | None:
        master_id, sep, stamp = rid.rpartition("_")
        master = self.world.event_by_provider_id(master_id) if sep else None
        if master is None or not master.recurring:
            return None
        try:
            if len(stamp) == 8:
                when: datetime | date = datetime.strptime(stamp, "%Y%m%d").date()
                lo = datetime(when.year, when.month, when.day, tzinfo=UTC)
            else:
                when = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                lo = when
        except ValueError:
            return None
        for s, e in recurrence.occurrences(
            master.recurrence,
            master.start,
            master.end,
            master.tzid,
            lo - timedelta(days=1),
            lo + timedelta(days=2),
        ):
            if s == when:
                return master, s, e, master_id
        return None

    def get_event(self, call: Call, rid: str) -> Rendered:
        ev, start, end, master_id = self.find_event(call, rid)
        return self.render_event(call, ev, rid, start, end, master_id)

    # -- events: writing -----------------------------------------------------------------

    def _writable(self, call: Call, cal: Calendar) -> None:
        if cal.readonly:
            raise remote.remote_error(call.integration, 403)

    def create_event(self, call: Call, body: dict[str, Any]) -> Rendered:
        wire.check_required(body, call.integration, "create", self.settings.time_rules_remote)
        changes = wire.event_changes(body, None, call.owner.default_tzid)
        ref = body.get("calendar", {}).get("id") if isinstance(body.get("calendar"), dict) else None
        cal = self.resolve_calendar(call, ref or "primary")
        call.calendar = cal
        self._writable(call, cal)
        if "start" not in changes:  # integrations that allow it: an hour from now
            now = self.world.now().replace(minute=0, second=0) + _hours(1)
            changes |= {"start": now, "end": now + _hours(1)}
        changes.setdefault("tzid", call.owner.default_tzid)
        changes.setdefault("summary", "")  # Google shows "(No title)"
        with self.world.transaction():
            ev = self.world.create_event(cal.id, **changes)
        call.rid = ev.provider_event_id
        return self.render_event(call, ev, ev.provider_event_id or ev.uid, ev.start, ev.end)

    def update_event(self, call: Call, rid: str, body: dict[str, Any]) -> Rendered:
        wire.check_required(body, call.integration, "update", self.settings.time_rules_remote)
        ev, _, _, master_id = self.find_event(call, rid)
        ref = body["calendar"].get("id") if isinstance(body.get("calendar"), dict) else None
        if ref:
            call.calendar = self.resolve_calendar(call, ref)
            if call.calendar.id != ev.calendar_id:
                raise remote.remote_error(call.integration, 404)
        if master_id is not None:
            raise bad_request(
                "Updating one instance of a recurring event is not emulated by this fake; "
                "update the series instead"
            )
        self._writable(call, self.world.calendars[ev.calendar_id])
        changes = wire.event_changes(body, ev, call.owner.default_tzid)
        with self.world.transaction():
            new = self.world.update_event(ev.uid, **changes) if changes else ev
        return self.render_event(call, new, rid, new.start, new.end)

    def delete_event(self, call: Call, rid: str) -> Rendered:
        ev, start, end, master_id = self.find_event(call, rid)
        self._writable(call, self.world.calendars[ev.calendar_id])
        shown = self.render_event(call, ev, rid, start, end, master_id)
        with self.world.transaction():
            if master_id is None:
                self.world.delete_event(ev.uid)
            else:  # one instance: the series gets an EXDATE, as Google records it
                self.world.update_event(ev.uid, recurrence=(*ev.recurrence, exdate(start)))
        return shown

    # -- event types ---------------------------------------------------------------------

    def render_event_type(self, call: Call, et: dict[str, Any]) -> Rendered:
        return Rendered(
            wire.event_type_json(et, call.integration),
            remote.event_type_remote(call.integration, et, call.owner),
        )

    def get_event_type(self, call: Call, ref: str) -> Rendered:
        for et in call.account.event_types:
            if et["id"] == ref:
                return self.render_event_type(call, et)
        raise remote.remote_error(call.integration, 404)

    # -- lists -----------------------------------------------------------------------------

    def list(self, call: Call) -> Page:
        return {
            "events": self.reader.list_events,
            "calendars": self.reader.list_calendars,
            "availability": self.reader.list_availability,
            "event_types": self.reader.list_event_types,
            "users": self.reader.list_users,
            "contacts": self.reader.list_contacts,
            "attachments": self.reader.list_attachments,
        }[call.resource](call)


def _hours(n: int) -> timedelta:
    return timedelta(hours=n)


def exdate(start: datetime | date) -> str:
    if isinstance(start, datetime):
        return f"EXDATE:{start.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    return f"EXDATE;VALUE=DATE:{start.strftime('%Y%m%d')}"


def param_id(params: dict[str, Any], name: str) -> str | None:
    """`name[id]` (also a bare `name=value`); None when absent or empty."""
    value = params.get(name)
    if isinstance(value, dict):
        value = value.get("id")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name}[id] must be a single value")
    return value


def has_param(params: dict[str, Any], name: str) -> bool:
    if name.endswith("[id]"):
        return param_id(params, name[:-4]) is not None
    value = params.get(name)
    return isinstance(value, str) and value != ""
