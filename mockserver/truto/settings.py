"""Truto's settings section (see mockserver/truto/__init__.py for each choice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
    # An all-day event's start_time / end_time: midnight UTC of its dates as a date-time (True;
    # the Events Object types both `string · date-time`, and Graph's all-day times are such),
    # or the bare dates (False; Google's `start.date`). How Truto maps Google's is unverified.
    all_day_as_date_time: bool = True
    # truto-python-sdk writes a Python None as the text `None` (`limit=None`): read it as not
    # sent for the typed parameters (limit, next_cursor, the truto_* flags, single_events), as
    # a JavaScript API parsing them would (True), or refuse it like any bad value (False).
    # Text filters (title=None) always match the text. Unverified upstream.
    python_none_is_absent: bool = True
    rate_limit: bool = False  # enforce the per-token and per-account budgets below
    token_limit: int = 500  # requests per `rate_window` seconds per API token
    account_limit: int = 50  # requests per `rate_window` seconds per integrated account
    rate_window: int = 10
    retry_after: int = 10  # the Retry-After header on Truto's own 429
    # Webhooks (reference/webhooks.md §3.5).
    # The digest in X-Truto-Signature `format=sha256,v=<digest>`: "hex" (Truto's skill docs)
    # or "base64" (integrators' handlers) - UNVERIFIED (rule 9).
    signature_encoding: str = "hex"
    # The envelope field naming the event: "event" (both payload examples), "event_type" (the
    # list-events guide), or "both" - UNVERIFIED (rule 10).
    event_field: str = "event"
    # A non-200 answer is retried 3 times with exponential backoff of at most 10 s (rule 11).
    webhook_retries: int = 3
    webhook_timeout: float = 10.0
    # Deliveries given up on in a row before the webhook is set is_active: false (rule 12; the
    # threshold is UNVERIFIED).
    deactivate_after_failures: int = 5
    public_https_only: bool = False  # Truto requires HTTPS targets (rule 17); off: localhost ok

    def check(self, name: str, value: Any) -> str | None:
        if name == "create_status" and value not in (200, 201):
            return "truto.create_status must be 200 or 201"
        if name == "signature_encoding" and value not in ("hex", "base64"):
            return "truto.signature_encoding must be 'hex' or 'base64'"
        if name == "event_field" and value not in ("event", "event_type", "both"):
            return "truto.event_field must be 'event', 'event_type' or 'both'"
        if name == "webhook_timeout" and value <= 0:
            return "truto.webhook_timeout must be > 0"
        if name == "deactivate_after_failures" and value < 1:
            return "truto.deactivate_after_failures must be >= 1"
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            return f"truto.{name} must be >= 0"
        if name in ("default_limit", "max_limit", "rate_window") and value < 1:
            return f"truto.{name} must be >= 1"
        return None
