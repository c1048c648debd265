"""Cronofy's settings section: where the real behaviour is not documented, the choice made
(each is UNVERIFIED upstream; see mockserver/cronofy/__init__.py)."""

from __future__ import annotations

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
    # Delete Event with an event_id this app never used in that calendar: 202, decided on the
    # evidence (the Delete Event page lists 404 only for an unknown calendar_id; the C#, Python
    # and Ruby SDK tests delete ids they never created and expect 202); 404 (or another 4xx) is
    # the other candidate. A repeated delete of a deleted event is always 202.
    unknown_event_delete_status: int = 202
    rate_limit: bool = False  # enforce 50 req/s and 500 req/min per application
    force_429: bool = False  # answer every /v1 request with 429
    max_batch: int = 50
    # Push notification channels (reference/webhooks.md §1.7).
    max_channels: int = 128  # open channels per account per application (rule 7)
    # A callback_url longer than this is refused (422); older docs said 128, the current page
    # says nothing (UNVERIFIED): 0 = no limit.
    max_callback_url_length: int = 0
    # Seconds a receiver has to answer before the attempt counts as failed (rule 27, from a
    # third-party description: UNVERIFIED).
    notification_timeout: float = 5.0
    # Failed notifications are retried for this long (fake-clock seconds), then the channel is
    # closed (rule 28, UNVERIFIED). The waits between retries follow `notification_backoff`.
    notification_retry_for: int = 86_400
    notification_backoff: str = "60,300,900,1800,3600"
    close_failed_channels: bool = True
    # Coalescing (rule 29, UNVERIFIED): a change notification not yet sent absorbs later changes
    # on its channel (its changes_since is the earliest); `notification_delay` seconds (fake
    # clock) between a change and its notification leave room for that.
    coalesce_notifications: bool = True
    notification_delay: float = 0.0
    # Availability (all UNVERIFIED upstream): the start_interval used when a query gives none,
    # in minutes, and the values a query may give; slots and period starts sit on that grid.
    default_start_interval: int = 15
    start_intervals: list[int] = field(default_factory=lambda: [5, 10, 15, 20, 30, 45, 60])
    default_max_results: int = 512  # results when max_results is not given
    max_results: int = 512  # the largest max_results accepted (the C# SDK's bound)
    max_query_periods: int = 50
    max_query_days: int = 35  # from the earliest query period start to the latest end
    max_sequences: int = 20  # sequences one Sequenced Availability answer holds
    # Which accounts an access token may name in an availability query: "application" (every
    # account that authorized the same application with free/busy access) or "own".
    availability_subs: str = "application"

    def check(self, name: str, value: Any) -> str | None:
        if name in ("page_size", "token_lifetime", "code_lifetime") and value < 1:
            return f"cronofy.{name} must be >= 1"  # page_size 0 would divide by zero
        limits = ("default_start_interval", "default_max_results", "max_results")
        if name in limits + ("max_query_periods", "max_query_days", "max_sequences") and value < 1:
            return f"cronofy.{name} must be >= 1"
        if name == "start_intervals" and (
            not value or any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in value)
        ):
            return "cronofy.start_intervals must be a non-empty list of minutes >= 1"
        if name == "availability_subs" and value not in ("application", "own"):
            return 'cronofy.availability_subs must be "application" or "own"'
        if name == "max_batch" and value < 0:
            return "cronofy.max_batch must be >= 0"
        if name in ("max_channels",) and value < 1:
            return f"cronofy.{name} must be >= 1"
        numbers = ("max_callback_url_length", "notification_retry_for", "notification_delay")
        if name in numbers and value < 0:
            return f"cronofy.{name} must be >= 0"
        if name == "notification_timeout" and value <= 0:
            return "cronofy.notification_timeout must be > 0"
        if name == "notification_backoff":
            try:
                waits = [float(v) for v in value.split(",")]
            except ValueError:
                return "cronofy.notification_backoff must be comma-separated seconds"
            if not waits or any(w < 0 for w in waits):
                return "cronofy.notification_backoff must be comma-separated seconds >= 0"
        statuses = ("readonly_calendar_status", "external_refusal_status", "unknown_profile_status")
        if name in statuses and not 400 <= value <= 499:
            return f"cronofy.{name} must be a 4xx status"
        if name == "unknown_calendar_ids_status" and value not in (200, 422):
            return "cronofy.unknown_calendar_ids_status must be 200 or 422"
        if name == "unknown_event_delete_status" and value != 202 and not 400 <= value <= 499:
            return "cronofy.unknown_event_delete_status must be 202 or a 4xx status"
        return None
