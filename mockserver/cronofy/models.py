"""The Cronofy backend: every documented rule of the event surface, on top of the shared world.
Handlers in responses.py only parse HTTP and call one method here."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mockserver.core import ids
from mockserver.core.changes import Actor, act_as
from mockserver.core.models import Calendar, Event
from mockserver.core.ratelimit import Budget, RateLimiter
from mockserver.core.world import World
from mockserver.cronofy import wire
from mockserver.cronofy.availability import Caller, Scheduler
from mockserver.cronofy.bodies import event_fields
from mockserver.cronofy.channels import Channels
from mockserver.cronofy.exceptions import (
    INVALID_CALENDAR_IDS,
    CronofyError,
    ErrorList,
    forbidden,
    invalid,
    locked,
    not_found,
    too_many_requests,
    unauthorized,
)
from mockserver.cronofy.exceptions import oauth as oauth_error
from mockserver.cronofy.managed import ManagedAvailability
from mockserver.cronofy.reads import Reader
from mockserver.cronofy.settings import CronofySettings
from mockserver.cronofy.store import Auth, OAuthStore

BUDGETS = (Budget(50, 1.0), Budget(500, 60.0))
MAX_PAGE_STATES = 10_000
_BATCH_URL = re.compile(r"^/v1/calendars/([^/]+)/events$")
_BATCH_PERIODS = re.compile(r"^/v1/available_periods/?$")


class CronofyBackend:
    def __init__(self, world: World, oauth: OAuthStore, settings: CronofySettings) -> None:
        self.world = world
        self.oauth = oauth
        self.settings = settings
        self.limiter = RateLimiter(world.clock.monotonic)
        self.reader = Reader(world, settings)
        self.managed = ManagedAvailability(world, oauth.managed, settings)
        self.scheduler = Scheduler(self)
        self.permission_requests: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {}
        self.channels = Channels(self)  # push notification channels (channels.py)

    @property
    def store(self) -> OAuthStore:
        return self.oauth

    def keep_caches_from(self, previous: CronofyBackend) -> None:
        """Rendered events are checked against the very records they came from: keep them."""
        self.reader.rendered = previous.reader.rendered

    # -- auth ----------------------------------------------------------------------------

    def authenticate(self, header: str | None) -> Auth:
        auth = self.oauth.authenticate(header, self.world.clock.now())
        self.throttle(auth.app_id)
        # what this request changes is the application's doing (its channels are not told)
        act_as(Actor.app("cronofy", auth.app_id))
        return auth

    def authenticate_scheduling(self, header: str | None) -> Caller:
        """Availability takes an account's access token or the application's client secret
        (the docs' API key): S-C1. A token without free/busy access gets 403."""
        app = self.oauth.app_by_secret(header)
        if app is not None:
            self.throttle(app.client_id)
            return Caller(app)
        if not header:
            raise unauthorized()
        auth = self.authenticate(header)
        self.require(auth, "read_free_busy")
        return Caller(auth.app, auth.account_id)

    def throttle(self, app_id: str) -> None:
        if self.settings.force_429:
            raise too_many_requests()
        if self.settings.rate_limit:
            verdict = self.limiter.hit(app_id, BUDGETS)
            if not verdict.allowed:
                raise too_many_requests(verdict.reset_in)

    @staticmethod
    def require(auth: Auth, *any_of: str) -> None:
        if not auth.grant.scopes & set(any_of):
            raise forbidden()

    def calendar_for(self, auth: Auth, calendar_id: str) -> Calendar:
        cal = self.world.calendars.get(calendar_id)
        if cal is None or self.world.profiles[cal.profile_id].account_id != auth.account_id:
            raise not_found()
        return cal

    def refuse(self, status: int, field: str, key: str, description: str) -> CronofyError:
        if status == 422:
            return invalid(field, key, description)
        return CronofyError(status)

    def writable(self, cal: Calendar) -> None:
        if cal.readonly or cal.deleted:
            state = "read-only" if cal.readonly else "deleted"
            raise self.refuse(
                self.settings.readonly_calendar_status,
                "calendar_id",
                f"calendar_{'readonly' if cal.readonly else 'deleted'}",
                f"calendar is {state} and cannot be changed",
            )

    # -- OAuth token endpoint ------------------------------------------------------------

    def token(self, body: dict[str, Any]) -> dict[str, Any]:
        now = self.world.clock.now()
        lifetime = self.settings.token_lifetime
        grant_type = body.get("grant_type")
        app = self.oauth.client(body.get("client_id"), body.get("client_secret"))
        if grant_type not in ("authorization_code", "refresh_token"):
            raise oauth_error("unsupported_grant_type" if grant_type else "invalid_request")
        # Token issuance counts toward the app's budget; a throttled request must change nothing
        # (the single-use code stays usable), so the check comes before the exchange.
        self.throttle(app.client_id)
        if grant_type == "authorization_code":
            grant, tok = self.oauth.exchange_code(body, now, lifetime)
        else:
            grant, tok = self.oauth.refresh_grant(body, now, lifetime)
        out = {
            "token_type": "bearer",
            "access_token": tok.value,
            "expires_in": lifetime,
            "refresh_token": grant.refresh_token,
            "scope": grant.scope,
        }
        if grant_type == "authorization_code":
            acc = grant.account_id
            out |= {"account_id": acc, "sub": acc}
            profiles = self.world.profiles_of(acc)
            if profiles:
                p = profiles[0]
                out["linking_profile"] = {  # cronofy-csharp GetTokenFromCode.cs: all four
                    "provider_name": p.provider_name,
                    "provider_service": p.provider_service,
                    "profile_id": p.id,
                    "profile_name": p.name,
                }
        return out

    # -- identity ------------------------------------------------------------------------

    def calendars_json(self, auth: Auth) -> list[dict[str, Any]]:
        out = []
        for prof in self.world.profiles_of(auth.account_id):
            for cal in self.world.calendars.values():
                if cal.profile_id == prof.id:
                    out.append(wire.calendar_json(cal, prof))
        return out

    def account(self, auth: Auth) -> dict[str, Any]:
        acc = self.world.accounts[auth.account_id]
        return {
            "account": {
                "account_id": acc.id,
                "email": acc.email,
                "name": acc.name,
                "scope": auth.grant.scope,
                "default_tzid": acc.default_tzid,
            },
            "sub": acc.id,
        }

    def profiles(self, auth: Auth, base: str) -> dict[str, Any]:
        return {
            "profiles": [
                wire.profile_json(p, base) for p in self.world.profiles_of(auth.account_id)
            ]
        }

    def userinfo(self, auth: Auth, base: str) -> dict[str, Any]:
        acc = self.world.accounts[auth.account_id]
        profiles = []
        for p in self.world.profiles_of(acc.id):
            entry = wire.profile_json(p, base)
            entry["profile_calendars"] = [
                wire.calendar_json(c, p, with_profile=False)
                for c in self.world.calendars.values()
                if c.profile_id == p.id
            ]
            profiles.append(entry)
        return {
            "sub": acc.id,
            "email": acc.email,
            "name": acc.name,
            "zoneinfo": acc.default_tzid,
            "cronofy.type": "account",
            "cronofy.data": {
                "authorization": {"scope": auth.grant.scope, "status": "active"},
                "profiles": profiles,
                # The docs' example and cronofy-csharp GetUserInfo.cs list the account's
                # conferencing profiles (Zoom, GoTo, ...); the world has none.
                "conferencing_profiles": [],
            },
        }

    def request_permissions(self, auth: Auth, body: dict[str, Any], base: str) -> dict[str, Any]:
        """POST /v1/permissions: the answer carries a URL the user visits to grant the change;
        on the fake, visiting it (GET) grants at once and redirects to redirect_uri."""
        errors = ErrorList()
        wanted = body.get("permissions")
        redirect = body.get("redirect_uri")
        if not isinstance(redirect, str) or not wire.is_uri(redirect):
            errors.required("redirect_uri")
        changes: list[tuple[str, str]] = []
        if not isinstance(wanted, list) or not wanted:
            errors.required("permissions")
        else:
            for entry in wanted:
                level = entry.get("permission_level") if isinstance(entry, dict) else None
                cal_id = entry.get("calendar_id") if isinstance(entry, dict) else None
                if level not in ("unrestricted", "sandbox") or not isinstance(cal_id, str):
                    errors.add(
                        "permissions",
                        "invalid",
                        "each entry needs a calendar_id and a permission_level",
                    )
                    break
                changes.append((self.calendar_for(auth, cal_id).id, level))
        errors.raise_if_any()
        token = ids.token(24)
        self.permission_requests[token] = (auth.account_id, tuple(changes), redirect)
        return {"permissions_request": {"url": f"{base}/oauth/permissions/{token}"}}

    def grant_permissions(self, token: str) -> str:
        """The user accepted: apply the levels, return where to send the browser."""
        request = self.permission_requests.pop(token, None)
        if request is None:
            raise not_found()
        _, changes, redirect = request
        with self.world.transaction():
            for cal_id, level in changes:
                cal = self.world.calendars[cal_id]
                self.world.put_calendar(dataclasses.replace(cal, permission_level=level))
        return redirect

    def revoke_profile(self, auth: Auth, profile_id: str) -> None:
        prof = self.world.profiles.get(profile_id)
        if prof is None or prof.account_id != auth.account_id:
            raise not_found()
        self.world.put_profile(dataclasses.replace(prof, connected=False))

    def create_calendar(self, auth: Auth, body: dict[str, Any]) -> dict[str, Any]:
        self.require(auth, "create_calendar")
        errors = ErrorList()
        profile_id = body.get("profile_id")
        name = wire.text(body, "name", errors, 1024, required=True)
        if not isinstance(profile_id, str) or not profile_id:
            errors.required("profile_id")
        color = body.get("color")
        if color is not None and (
            not isinstance(color, str) or not re.fullmatch(r"#[0-9A-Fa-f]{6}", color)
        ):
            errors.add("color", "invalid", "color must be a hex colour like #49BED8")
        errors.raise_if_any()
        prof = self.world.profiles.get(profile_id)
        if prof is None or prof.account_id != auth.account_id:
            raise self.refuse(
                self.settings.unknown_profile_status,
                "profile_id",
                "not_found",
                "profile_id is not a profile of this account",
            )
        if not prof.connected:
            raise locked()
        siblings = [
            c for c in self.world.calendars.values() if c.profile_id == prof.id and not c.deleted
        ]
        if not prof.allow_duplicate_calendar_names and any(c.name == name for c in siblings):
            raise invalid(
                "name",
                "duplicate_calendar_name",
                # cronofy/pycronofy tests/test_client.py (test_create_calendar_with_duplicates_errors)
                "A calendar with this name already exists and the provider does not allow "
                "duplicates",
            )
        cal = Calendar(
            id=ids.calendar_id(prof.id),
            profile_id=prof.id,
            name=name,
            color=color,  # type: ignore[arg-type]
            permission_level="unrestricted",
        )
        self.world.put_calendar(cal)
        return {"calendar": wire.calendar_json(cal, prof)}

    # -- upsert --------------------------------------------------------------------------

    def upsert(self, auth: Auth, calendar_id: str, body: dict[str, Any]) -> None:
        self.require(auth, "create_event")
        cal = self.calendar_for(auth, calendar_id)
        self.writable(cal)
        errors = ErrorList()
        event_id, event_uid = body.get("event_id"), body.get("event_uid")
        target: Event | None = None
        if event_id is not None:  # event_id wins over event_uid (documented)
            if not isinstance(event_id, str) or not event_id.strip():
                errors.add("event_id", "invalid", "event_id must be a non-empty string")
            elif len(event_id) > 1024:
                errors.add(
                    "event_id", "too_long", "event_id must be no longer than 1024 characters"
                )
            else:
                target = self.world.managed_event(auth.app_id, cal.id, event_id)
                if target is not None and target.deleted:
                    target = None  # managed events are a true upsert: recreated after delete
        elif event_uid is not None:
            target = self._external(cal, event_uid, auth)
        else:
            errors.required("event_id")
        changes = event_fields(body, errors, target)
        errors.raise_if_any()
        if event_id is None and target is not None:
            opts = wire.event_options(target, cal, auth.app_id)
            if not opts["update"]:
                raise self.refuse(
                    self.settings.external_refusal_status,
                    "event_uid",
                    "not_permitted",
                    "event cannot be updated by this application",
                )
        with self.world.transaction():
            if target is None:
                self.world.create_event(
                    cal.id,
                    app_id=auth.app_id,
                    app_event_id=event_id,
                    participation_status="accepted",
                    **changes,
                )
            else:
                self.world.update_event(target.uid, **changes)

    def _external(self, cal: Calendar, event_uid: Any, auth: Auth) -> Event:
        ev = self.world.events.get(event_uid) if isinstance(event_uid, str) else None
        if ev is None or ev.deleted or ev.calendar_id != cal.id or ev.app_id is not None:
            raise invalid(
                "event_uid",
                "must_be_external_event_uid",
                "event uid must be a valid external event uid",
            )
        return ev

    # -- delete --------------------------------------------------------------------------

    def delete(self, auth: Auth, calendar_id: str, body: dict[str, Any]) -> None:
        self.require(auth, "delete_event")
        cal = self.calendar_for(auth, calendar_id)
        event_id, event_uid = body.get("event_id"), body.get("event_uid")
        if event_id is None and event_uid is None:
            raise invalid("event_id", "required", "event_id must be specified")
        if event_id is not None and (not isinstance(event_id, str) or not event_id):
            raise invalid("event_id", "invalid", "event_id must be a non-empty string")
        self.writable(cal)
        if event_id is not None:
            ev = self.world.managed_event(auth.app_id, cal.id, event_id)
            if ev is None and self.settings.unknown_event_delete_status == 202:
                return  # accepted, and there is nothing to delete
            if ev is None:
                raise self.refuse(
                    self.settings.unknown_event_delete_status,
                    "event_id",
                    "not_found",
                    "event_id is not recognised",
                )
            if not ev.deleted:  # deleting again is accepted: the id is still recognised
                self.world.delete_event(ev.uid)
            return
        ev = self._external(cal, event_uid, auth)
        if not wire.event_options(ev, cal, auth.app_id)["delete"]:
            raise self.refuse(
                self.settings.external_refusal_status,
                "event_uid",
                "not_permitted",
                "event cannot be deleted by this application",
            )
        self.world.delete_event(ev.uid)

    def bulk_delete(self, auth: Auth, body: dict[str, Any]) -> None:
        self.require(auth, "delete_event")
        has_all, has_ids = "delete_all" in body, "calendar_ids" in body
        if has_all == has_ids:
            field = "delete_all" if not has_all else "calendar_ids"
            raise invalid(
                field,
                "required" if not has_all else "invalid",
                "exactly one of delete_all and calendar_ids must be given",
            )
        mine = {c.id for c in self.world.calendars_of(auth.account_id)}
        if has_all:
            if wire.boolean(body["delete_all"]) is not True:
                raise invalid(
                    "delete_all", "must_be_boolean", "must be a boolean value, either true or false"
                )
            targets = mine
        else:
            cal_ids = body["calendar_ids"]
            if isinstance(cal_ids, str):
                cal_ids = [cal_ids]
            if (
                not isinstance(cal_ids, list)
                or not cal_ids
                or any(not isinstance(c, str) or c not in mine for c in cal_ids)
            ):
                raise invalid(
                    "calendar_ids",
                    "invalid_calendar_ids",
                    INVALID_CALENDAR_IDS,
                )
            targets = set(cal_ids)
        doomed = [
            ev.uid
            for ev in self.world.events.values()
            if ev.calendar_id in targets and ev.app_id == auth.app_id and not ev.deleted
        ]
        with self.world.transaction():
            for uid in doomed:
                self.world.delete_event(uid)

    # -- participation -------------------------------------------------------------------

    def participation(
        self, auth: Auth, calendar_id: str, event_uid: str, body: dict[str, Any]
    ) -> None:
        self.require(auth, "change_participation_status")
        cal = self.calendar_for(auth, calendar_id)
        status = body.get("status")
        if status is None:
            raise invalid("status", "required", "status must be specified")
        if status not in ("accepted", "tentative", "declined"):
            raise invalid(
                "status", "invalid", "status must be one of accepted, tentative, declined"
            )
        ev = self.world.events.get(event_uid)
        if ev is None or ev.deleted or ev.calendar_id != cal.id:
            raise not_found()
        if not wire.event_options(ev, cal, auth.app_id)["change_participation_status"]:
            raise self.refuse(
                self.settings.external_refusal_status,
                "status",
                "not_permitted",
                "participation status cannot be changed for this event",
            )
        owner = self.world.accounts[auth.account_id].email.lower()
        attendees = tuple(
            dataclasses.replace(a, status=status) if a.email.lower() == owner else a
            for a in ev.attendees
        )
        self.world.update_event(ev.uid, participation_status=status, attendees=attendees)

    # -- batch ---------------------------------------------------------------------------

    def batch(self, auth: Auth, body: dict[str, Any], base: str) -> dict[str, Any]:
        entries = body.get("batch")
        if entries is None:
            raise invalid("batch", "required", "batch must be specified")
        if not isinstance(entries, list):
            raise invalid("batch", "invalid", "batch must be an array")
        if len(entries) > self.settings.max_batch:
            raise invalid(
                "batch",
                "too_many",
                f"batch must contain at most {self.settings.max_batch} requests",
            )
        results = []
        for entry in entries:
            try:
                results.append(self._batch_entry(auth, entry))
            except CronofyError as exc:
                results.append({"status": exc.status, **({"data": exc.body} if exc.body else {})})
        return {"batch": results}

    def _batch_entry(self, auth: Auth, entry: Any) -> dict[str, Any]:
        if not isinstance(entry, dict):
            raise invalid("batch", "invalid", "each batch entry must be an object")
        method, url, data = entry.get("method"), entry.get("relative_url"), entry.get("data", {})
        if not isinstance(data, dict):
            raise invalid("data", "invalid", "data must be an object")
        if isinstance(url, str) and _BATCH_PERIODS.match(url) and method in ("POST", "DELETE"):
            if method == "POST":
                self.managed.upsert_period(auth.account_id, data)
            else:
                self.managed.delete_periods(auth.account_id, data)
            return {"status": 202}
        match = _BATCH_URL.match(url) if isinstance(url, str) else None
        if match is None or method not in ("POST", "DELETE"):
            raise not_found()
        with self.world.transaction():
            if method == "POST":
                self.upsert(auth, match[1], data)
            else:
                self.delete(auth, match[1], data)
        return {"status": 202}
