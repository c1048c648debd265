"""Cal.com provider states and an HTTP helper bound to the chosen target.

Live configuration (the real api.cal.com, a self-hosted Cal.com, or anything posing as it):
  CALCOM_BASE_URL          e.g. https://api.cal.com (the suite adds /v2/...)
  CALCOM_API_KEY           an API key (cal_...) of the host user
  CALCOM_<STATE>           each provider state below, upper-cased (CALCOM_EVENT_UID, ...)
A live run with any of them missing fails before the first test, naming them (`--allow-partial`
skips the tests that need them instead). Tests that change data (PATCH, bookings) use the
`disposable_*` states and `bookable_start`: give them values that may be changed; the booking
tests cancel what they book, and `SUITE.restore` says how to renew a slot once it has passed. Against the real API no test asserts cross-tenant behaviour (rule 33).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from contracts.kit import Callbacks, LiveSuite, ProviderClient, ProviderStates, Target, notice

BOOKINGS_VERSION = "2024-08-13"


def _bookable(days: int, hour: int) -> str:
    """A slot no seeded event touches (the contract world's bookings sit 3-6 days out)."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


FAKE_STATES: dict[str, Any] = {
    "api_key": "cal_test_contractHost000000000000001",
    "expired_api_key": "cal_test_contractHostExpired00000001",
    "access_token": "contractCalcomAccessToken00000001",
    "expired_access_token": "contractCalcomExpiredToken0000001",
    "other_api_key": "cal_test_contractOther00000000000001",
    # A key of the host that only the rate-limit test uses: it spends the key's whole budget.
    "rate_limit_api_key": "cal_test_contractRateLimit0000000001",
    "user_email": "calhost@contract.example",
    # A booking of the host with a google_calendar reference, and that reference's eventUid.
    "booking_uid": "ctHostBooking0000000001",
    "event_uid": "c0ntractb00k1ng00000000001",
    "event_title": "Contract meeting between Cal Host and Ada Attendee",
    # A booked event the PATCH tests may change (on live: one you do not mind changing).
    "disposable_event_uid": "c0ntractb00k1ng00000000002",
    "disposable_booking_uid": "ctHostBooking0000000002",
    # A booking whose event type has a Cal Video location: a daily_video reference too.
    "video_booking_uid": "ctHostVideoBooking00001",
    # Another user's booked event (fake only: rule 33 is not asserted against the real API).
    "other_user_event_uid": "c0ntractb00k1ng00000000009",
    # A Google event of the host that no booking made (rule 34).
    "non_booking_event_uid": "c0ntractn0b00k1ng0000000001",
    "other_connection_id": "202",  # another user's Google credential id (rule 37)
    "event_type_id": "301",
    "credential_id": "201",
    "calendar_external_id": "calhost@contract.example",
    # Where new bookings go: free in the host's calendars and inside their availability.
    "bookable_start": _bookable(20, 12),
    "second_bookable_start": _bookable(21, 13),
    # The upstream replay suites (test_upstream_*.py): the host's own id, a 60-minute event
    # type without a location (the e2e specs' "peer coding"), one with an address location,
    # a booking of the host that started 45 days ago, and a booking of another user.
    "user_id": "101",
    "username": "calhost",
    "hour_event_type_id": "304",
    "hour_event_type_slug": "contract-60min",
    "address_event_type_id": "305",
    "address_location": "123 Main St",
    "video_event_type_id": "303",
    # an event type whose location the attendee gives ({"type": "attendeeAddress"})
    "attendee_place_event_type_id": "311",
    "past_booking_uid": "ctHostPastBooking000001",
    "other_booking_uid": "ctOtherBooking000000001",
    # another user's Google connection whose credential is marked invalid (their own key
    # reaches it: other_api_key)
    "other_invalid_connection_id": "203",
    # An event type of the host whose bookings wait for confirmation (webhooks rules 18-19).
    "confirmation_event_type_id": "320",
    "other_event_type_id": "302",  # another user's event type
}

_FUTURE_SLOT = (
    "set {var} to a future start (UTC, e.g. 2030-01-07T12:00:00Z) of event type "
    "$CALCOM_EVENT_TYPE_ID inside the host's availability and free in their calendars "
    "(several, comma-separated, last several runs; the suite cancels what it books)"
)
SUITE = LiveSuite(
    "calcom",
    __file__,
    title="Cal.com",
    env_prefix="CALCOM_",
    states=FAKE_STATES,
    not_live={
        "other_user_event_uid": "only the fake-only rule 33 test reads it",
        "disposable_booking_uid": "no test reads it",
        "confirmation_event_type_id": "only the fake-only webhook delivery tests read it",
    },
    restore={
        name: _FUTURE_SLOT.format(var=f"CALCOM_{name.upper()}")
        for name in ("bookable_start", "second_bookable_start")
    },
)


class Calcom(ProviderClient):
    """Raw HTTP against Cal.com's paths with the state's API key by default."""

    token_state = "api_key"

    @property
    def key(self) -> str:
        return self.token

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None | bool = True,
        version: str | None = None,
        headers: dict[str, str] | None = None,
        wait_when_throttled: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """Against a real API a 429 is waited out (X-RateLimit-Reset-Default seconds) and the
        request sent again: the suite makes more than 120 requests a minute with one key."""
        hdrs = self.headers(headers, token)
        if version:
            hdrs["cal-api-version"] = version
        url = self.url(path)
        response = self.target.client.request(method, url, headers=hdrs, **kwargs)
        for _ in range(3):
            if self.target.is_fake or not wait_when_throttled or response.status_code != 429:
                break
            reset = response.headers.get("X-RateLimit-Reset-Default", "60")
            wait = min(61, int(reset) + 1 if reset.isdigit() else 61)
            notice(
                f"Cal.com answered 429 to {method} {path}: waiting {wait} s for its rate "
                "window (X-RateLimit-Reset-Default) before sending the request again"
            )
            time.sleep(wait)
            response = self.target.client.request(method, url, headers=hdrs, **kwargs)
        return response

    # -- the calls most tests make -------------------------------------------------------

    def event(self, uid: str, calendar: str = "google", **kw: Any) -> httpx.Response:
        return self.get(f"/v2/calendars/{calendar}/event/{uid}", **kw)

    def update(self, uid: str, body: Any, calendar: str = "google", **kw: Any) -> httpx.Response:
        return self.patch(f"/v2/calendars/{calendar}/events/{uid}", json=body, **kw)

    def bookings(self, method: str, path: str = "", **kw: Any) -> httpx.Response:
        kw.setdefault("version", BOOKINGS_VERSION)
        return self.request(method, "/v2/bookings" + path, **kw)

    def google_reference(self, booking_uid: str) -> str:
        """The eventUid of a booking's google_calendar reference (§1.8)."""
        response = self.bookings(
            "GET", f"/{booking_uid}/references", params={"type": "google_calendar"}
        )
        assert response.status_code == 200, response.text
        return response.json()["data"][0]["eventUid"]


@pytest.fixture
def states(target: Target) -> ProviderStates:
    return SUITE.provider_states(target)


@pytest.fixture
def calcom(target: Target, states: ProviderStates) -> Calcom:
    return Calcom(target, SUITE.base_url(target), states)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The `error` of Cal.com's envelope, after checking the envelope's shape (rule 15)."""
    body = response.json()
    assert body["status"] == "error", body
    assert set(body) >= {"status", "timestamp", "path", "error"}, body
    assert set(body["error"]) >= {"code", "message"}, body
    return body["error"]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def callbacks(target: Target, _callback_receiver: Any) -> Callbacks:
    """Webhook subscriber URLs (live: CALCOM_CALLBACK_URL, a public HTTPS URL)."""
    return Callbacks(target, _callback_receiver, "CALCOM_CALLBACK_URL")


# the scheduling suites' factory (contracts/calcom/scheduling.py)
from contracts.calcom.scheduling import made  # noqa: E402, F401
