"""Cal.com's settings section (see mockserver/calcom/__init__.py for each choice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
    # POST /v2/bookings and reschedule check the start against the host's availability (working
    # hours, busy calendars, bookings, buffers, notice, booking window) as GET /v2/slots
    # computes it; off: only a start in the past is refused.
    refuse_conflicting_bookings: bool = True
    # Where an event type's bookingUrl points (the output service's `app.baseUrl` default).
    booking_url_base: str = "https://app.cal.com"
    # How many occurrences of a recurring booking are checked against availability
    # (numSlotsToCheckForAvailability: 1 in the current booking service, 2 in older ones).
    recurring_slots_checked: int = 1
    # GET /v2/slots computes at most this many days from `start` (Cal.com states no bound; a
    # booker asks for a month or so): a longer range answers the first days only.
    max_slot_range_days: int = 400
    # Webhooks (reference/webhooks.md §2.8). cal.com SaaS accepts only public HTTPS subscriber
    # URLs (rule 26); the fake allows localhost and plain HTTP unless this is on.
    public_https_only: bool = False
    # Whether network failures (no answer at all) are retried, 3 tries 5 minutes apart, as the
    # tasker's webhookDelivery task would (rule 27, UNVERIFIED for api.cal.com). A non-2xx
    # answer is never retried (rule 24).
    retry_network_errors: bool = False
    webhook_timeout: float = 10.0  # seconds (no timeout is set in sendPayload: UNVERIFIED)

    def check(self, name: str, value: Any) -> str | None:
        if name == "profile" and value not in ("hosted", "oss-2026"):
            return "calcom.profile must be 'hosted' or 'oss-2026'"
        if name == "owner_name_key" and value not in ("displayName", "name"):
            return "calcom.owner_name_key must be 'displayName' or 'name'"
        if name == "max_slot_range_days" and value < 1:
            return "calcom.max_slot_range_days must be >= 1"
        if name == "recurring_slots_checked" and value < 0:
            return "calcom.recurring_slots_checked must be >= 0"
        if name == "webhook_timeout" and value <= 0:
            return "calcom.webhook_timeout must be > 0"
        limits = ("api_key_limit", "access_token_limit", "anonymous_limit", "rate_window")
        if name in limits and value < 1:
            return f"calcom.{name} must be >= 1"
        return None
