"""Server settings. Where a provider's real behaviour is not documented, the choice made is a
setting here, so a user can match what their live contract run shows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CronofySettings:
    page_size: int = 100  # events / free-busy entries per page (undocumented upstream)
    token_lifetime: int = 3600  # seconds; Cronofy's examples all say 3600
    code_lifetime: int = 600  # seconds an authorization code stays usable
    # Status for writes into a read-only or deleted calendar (UNVERIFIED upstream): 422 carries
    # errors on `calendar_id`; 403 / 404 send no body.
    readonly_calendar_status: int = 422
    # Status when an external event may not be edited/deleted (sandbox calendar, options false,
    # recurring). UNVERIFIED upstream; 403 or 422 are the likely answers.
    external_refusal_status: int = 403
    # Status for Create Calendar with a profile the account does not have (UNVERIFIED).
    unknown_profile_status: int = 422
    # Status for Read Events with calendar_ids the account does not have (UNVERIFIED): 422, or
    # 200 to ignore them.
    unknown_calendar_ids_status: int = 422
    # Delete Event with an event_id this app never used in that calendar: the docs list 404;
    # 202 models a purely asynchronous API. A repeated delete of a deleted event is always 202.
    unknown_event_delete_status: int = 404
    rate_limit: bool = False  # enforce 50 req/s and 500 req/min per application
    force_429: bool = False  # answer every /v1 request with 429
    max_batch: int = 50

    def check(self, name: str, value: Any) -> str | None:
        if name in ("page_size", "token_lifetime", "code_lifetime") and value < 1:
            return f"cronofy.{name} must be >= 1"  # page_size 0 would divide by zero
        if name == "max_batch" and value < 0:
            return "cronofy.max_batch must be >= 0"
        statuses = ("readonly_calendar_status", "external_refusal_status", "unknown_profile_status")
        if name in statuses and not 400 <= value <= 499:
            return f"cronofy.{name} must be a 4xx status"
        if name == "unknown_calendar_ids_status" and value not in (200, 422):
            return "cronofy.unknown_calendar_ids_status must be 200 or 422"
        if name == "unknown_event_delete_status" and value != 202 and not 400 <= value <= 499:
            return "cronofy.unknown_event_delete_status must be 202 or a 4xx status"
        return None


@dataclass
class CalcomSettings:
    """Cal.com API v2 (see mockserver/calcom/__init__.py for each choice)."""

    # "hosted": what api.cal.com documents (Dec-2025 code, hosted docs 2026): GET .../event/{uid}
    # and PATCH .../events/{uid} only. "oss-2026": also the 2026 open-source routes (DELETE,
    # list, create, freebusy, connections), which api.cal.com may not serve.
    profile: str = "hosted"
    # cal.diy also serves GET .../events/{uid} and PATCH .../event/{uid}; hosted: 404 (rule 3).
    event_path_aliases: bool = False
    rate_limit: bool = True  # X-RateLimit-*-Default headers and the 429 (rule 31)
    api_key_limit: int = 120  # requests per `rate_window` seconds per API key
    access_token_limit: int = 500  # ... per managed-user access token
    anonymous_limit: int = 120  # ... per client IP without credentials
    rate_window: int = 60
    # The real lookup ignores the caller (an IDOR, calcom.md §1.3); the fake answers 404 for
    # another user's event unless this is False.
    scope_events_to_caller: bool = True
    # An unknown `cal_` key: the throttler's text (code-derived) or the auth strategy's
    # ("ApiAuthStrategy - api key - Your api key is not valid"); production is unverified.
    unknown_api_key_message: str = "CustomThrottlerGuard - Invalid API Key"
    # calendarEventOwner copies Google's organizer: `displayName`; the schema says `name`.
    owner_name_key: str = "displayName"
    # PATCH attendees: null crashes the real input pipe (bare 500, code-derived); off: ignored.
    null_attendees_crash: bool = False
    # POST /v2/bookings and reschedule refuse a slot the host is busy in (400
    # no_available_users_found_error) or one in the past.
    refuse_conflicting_bookings: bool = True

    def check(self, name: str, value: Any) -> str | None:
        if name == "profile" and value not in ("hosted", "oss-2026"):
            return "calcom.profile must be 'hosted' or 'oss-2026'"
        if name == "owner_name_key" and value not in ("displayName", "name"):
            return "calcom.owner_name_key must be 'displayName' or 'name'"
        limits = ("api_key_limit", "access_token_limit", "anonymous_limit", "rate_window")
        if name in limits and value < 1:
            return f"calcom.{name} must be >= 1"
        return None


@dataclass
class TrutoSettings:
    """Truto Unified Calendar API (see mockserver/truto/__init__.py for each choice)."""

    default_limit: int = 100  # list items per page when `limit` is absent (undocumented)
    max_limit: int = 1000  # a larger `limit` is clamped to this (no maximum is documented)
    create_status: int = 201  # POST /events success: 201 or 200 (undocumented)
    # The start_time / end_time / timezone co-requirement on writes: a Truto 400 (False) or a
    # provider 400 passed through with truto_is_remote_error (True). Undocumented which.
    time_rules_remote: bool = False
    # List events without the expand flag: recurring masters once (False), or their instances
    # (True). The flag's name and default are undocumented; the fake reads `single_events`.
    expand_recurring: bool = False
    rate_limit: bool = False  # enforce the per-token and per-account budgets below
    token_limit: int = 500  # requests per `rate_window` seconds per API token
    account_limit: int = 50  # requests per `rate_window` seconds per integrated account
    rate_window: int = 10
    retry_after: int = 10  # the Retry-After header on Truto's own 429

    def check(self, name: str, value: Any) -> str | None:
        if name == "create_status" and value not in (200, 201):
            return "truto.create_status must be 200 or 201"
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            return f"truto.{name} must be >= 0"
        if name in ("default_limit", "max_limit", "rate_window") and value < 1:
            return f"truto.{name} must be >= 1"
        return None


@dataclass
class MockSettings:
    """The fake's own behaviour, for every provider (see mockserver/middleware.py)."""

    journal_size: int = 1000  # requests the journal holds, oldest dropped first; 0 = off
    journal_body_limit: int = 64 * 1024  # bytes of each request body kept
    # bytes of each response body kept: a long page costs memory bandwidth on every request
    # while 1000 of them are held, so only its start is kept (the entry says it was truncated)
    journal_response_limit: int = 16 * 1024
    latency: float = 0.0  # seconds added to every provider request
    latency_max: float = 0.0  # if above `latency`: a uniform random delay in [latency, max]

    def check(self, name: str, value: Any) -> str | None:
        if value < 0:
            return f"mock.{name} must be >= 0"
        return None


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    cronofy: CronofySettings = field(default_factory=CronofySettings)
    calcom: CalcomSettings = field(default_factory=CalcomSettings)
    truto: TrutoSettings = field(default_factory=TrutoSettings)
    mock: MockSettings = field(default_factory=MockSettings)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply `{"cronofy": {"page_size": 5}}`-style changes; returns problems, applies none
        if there are any."""
        problems: list[str] = []
        staged: list[tuple[Any, str, Any]] = []
        for section, values in changes.items():
            target = getattr(self, section, None)
            if not dataclasses.is_dataclass(target) or not isinstance(values, dict):
                problems.append(f"unknown settings section {section!r}")
                continue
            for name, value in values.items():
                fields = {f.name: f for f in dataclasses.fields(target)}
                if name not in fields:
                    problems.append(f"unknown setting {section}.{name}")
                    continue
                current = getattr(target, name)
                if type(current) is float and type(value) is int:
                    value = float(value)
                if type(value) is not type(current):
                    problems.append(f"{section}.{name} must be {type(current).__name__}")
                    continue
                problem = target.check(name, value) if hasattr(target, "check") else None
                if problem:
                    problems.append(problem)
                    continue
                staged.append((target, name, value))
        if not problems:
            for target, name, value in staged:
                setattr(target, name, value)
        return problems
