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

    def check(self, name: str, value: Any) -> str | None:
        if name == "create_status" and value not in (200, 201):
            return "truto.create_status must be 200 or 201"
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            return f"truto.{name} must be >= 0"
        if name in ("default_limit", "max_limit", "rate_window") and value < 1:
            return f"truto.{name} must be >= 1"
        return None
