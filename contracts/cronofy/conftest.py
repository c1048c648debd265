"""Cronofy provider states and an HTTP helper bound to the chosen target.

Live configuration (real Cronofy, or anything posing as it):
  CRONOFY_BASE_URL                 e.g. https://api.cronofy.com (or api-uk..., ...)
  CRONOFY_ACCESS_TOKEN             a token with every granular scope
  CRONOFY_CLIENT_ID / CRONOFY_CLIENT_SECRET / CRONOFY_REFRESH_TOKEN
  CRONOFY_<STATE>                  each provider state below, upper-cased
A live run with any of them missing fails before the first test, naming them (`--allow-partial`
skips the tests that need them instead). `SUITE.restore` says how to make fresh disposable
external events, which the run deletes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contracts.cronofy.scheduling import Busy
from contracts.kit import Callbacks, LiveSuite, ProviderClient, ProviderStates, Target, at

FAKE_STATES: dict[str, str] = {
    "access_token": "contractAllScopesToken0000000001",
    "refresh_token": "contractRefreshToken000000000001",
    "client_id": "contract_client_id_00000000000001",
    "client_secret": "contract_client_secret_000000000000000001",
    "redirect_uri": "http://127.0.0.1/callback",
    "free_busy_only_token": "contractFreeBusyOnlyToken0000001",
    "create_event_only_token": "contractCreateEventOnlyToken0001",
    "expired_token": "contractExpiredToken000000000001",
    "read_events_only_token": "contractReadEventsOnlyToken00001",
    "other_account_email": "stranger@contract.example",
    "no_duplicate_names_profile": "pro_c0ntract0001",
    "account_id": "acc_c0ntract0000000000000001",
    "profile_id": "pro_c0ntract0001",
    "writable_calendar": "cal_c0ntract0001_work",
    "second_writable_calendar": "cal_c0ntract0001_second",
    "sandbox_calendar": "cal_c0ntract0001_sandbox",
    "readonly_calendar": "cal_c0ntract0001_readonly",
    "other_account_calendar": "cal_c0ntract0002_other",
    "editable_external_event": "evt_external_c0ntract000000000000001",
    "second_editable_external_event": "evt_external_c0ntract000000000000004",
    "non_editable_external_event": "evt_external_c0ntract000000000000002",
    "recurring_external_event": "evt_external_c0ntract000000000000003",
    "sandbox_external_event": "evt_external_c0ntract000000000000101",
    # A calendar with calendar_deleted true; an external event in a read-only calendar.
    "deleted_calendar": "cal_c0ntract0001_deleted",
    "readonly_external_event": "evt_external_c0ntract000000000000201",
    # Editable external events the tests DELETE: on live, provide fresh ones for every run.
    "disposable_external_event": "evt_external_c0ntract000000000000005",
    "second_disposable_external_event": "evt_external_c0ntract000000000000006",
    # External events outside the default Read Events window (today-42d .. today+201d).
    "beyond_window_external_event": "evt_external_c0ntract000000000000301",
    "before_window_external_event": "evt_external_c0ntract000000000000302",
    # Scheduling: a second account authorized to the same application (with its own token and
    # a writable calendar), and an account the application has no authorization for. The
    # availability tests make busy time only in `second_writable_calendar` and
    # `second_account_calendar`: on live, keep both free of other events.
    "second_account_id": "acc_c0ntract0000000000000002",
    "second_access_token": "contractSecondAccountToken000001",
    "second_account_calendar": "cal_c0ntract0002_other",
    "unauthorized_account_id": "acc_c0ntract0000000000000010",
    # The upstream replay suites (test_upstream_*.py): an account of its own (google/gsuite,
    # one unrestricted calendar) whose external events have the shapes of the SDKs' fixtures.
    "replay_access_token": "contractReplayAllScopesToken0001",
    "replay_account_id": "acc_c0ntract0000000000000003",
    "replay_profile_id": "pro_c0ntract0003",
    "replay_calendar": "cal_c0ntract0003_home",
    # all-day, location, organizer, one attendee, provider (Google) event id
    "replay_all_day_event": "evt_external_c0ntract000000000000401",
    # timed, location, organizer, one attendee
    "replay_timed_event": "evt_external_c0ntract000000000000402",
    # weekly series of two, location with lat/long (instances' uids start with this uid)
    "replay_recurring_event": "evt_external_c0ntract000000000000403",
    # timed, transparent (free in free-busy)
    "replay_free_event": "evt_external_c0ntract000000000000404",
    # a second, disconnected profile (apple/icloud) with one read-only calendar
    "replay_disconnected_profile": "pro_c0ntract0004",
    "replay_readonly_calendar": "cal_c0ntract0004_holidays",
    # External events the replay tests DELETE, one per test (on live, fresh ones every run),
    # in a calendar of their own so they do not change what the read tests page through.
    "replay_disposable_calendar": "cal_c0ntract0003_disposable",
    "replay_disposable_event_1": "evt_external_c0ntract000000000000501",
    "replay_disposable_event_2": "evt_external_c0ntract000000000000502",
    "replay_disposable_event_3": "evt_external_c0ntract000000000000503",
    "replay_disposable_event_4": "evt_external_c0ntract000000000000504",
    "replay_disposable_event_5": "evt_external_c0ntract000000000000505",
    # Connected profiles the replay tests revoke, one per test (on live, fresh ones every run).
    "replay_revocable_profile_1": "pro_c0ntract0005",
    "replay_revocable_profile_2": "pro_c0ntract0006",
    "replay_revocable_profile_3": "pro_c0ntract0007",
}

_FRESH_EXTERNAL = (
    "create an event in the calendar ${calendar} from the calendar's own app (Google Calendar, "
    "Outlook: not through this Cronofy application), within the next 200 days, then set {var} "
    "to its event_uid, as `GET /v1/events?tzid=Etc/UTC&calendar_ids[]=${calendar}` lists it{token}"
    " (several uids, comma-separated, last several runs)"
)
_FRESH_PROFILE = (
    "connect a calendar account again to the account of $CRONOFY_REPLAY_ACCESS_TOKEN (Cronofy's "
    "authorization flow adds a profile), then set {var} to its profile_id, as `GET /v1/profiles` "
    "with that token lists it (several ids, comma-separated, last several runs)"
)
_CONSUMED = {
    "disposable_external_event": ("CRONOFY_WRITABLE_CALENDAR", ""),
    "second_disposable_external_event": ("CRONOFY_WRITABLE_CALENDAR", ""),
    **{
        f"replay_disposable_event_{n}": (
            "CRONOFY_REPLAY_DISPOSABLE_CALENDAR",
            " with $CRONOFY_REPLAY_ACCESS_TOKEN",
        )
        for n in range(1, 6)
    },
}
SUITE = LiveSuite(
    "cronofy",
    __file__,
    title="Cronofy",
    env_prefix="CRONOFY_",
    states=FAKE_STATES,
    not_live={"second_editable_external_event": "no test reads it"},
    restore={
        **{
            name: _FRESH_EXTERNAL.format(calendar=cal, var=f"CRONOFY_{name.upper()}", token=token)
            for name, (cal, token) in _CONSUMED.items()
        },
        **{
            f"replay_revocable_profile_{n}": _FRESH_PROFILE.format(
                var=f"CRONOFY_REPLAY_REVOCABLE_PROFILE_{n}"
            )
            for n in range(1, 4)
        },
    },
    packages=("pycronofy",),
)


def event(
    event_id: str,
    start: str | None = None,
    end: str | None = None,
    *,
    offset: int = 10,
    hour: int = 10,
    minutes: int = 60,
    summary: str = "Contract event",
    **extra: Any,
) -> dict[str, Any]:
    """A managed event's upsert body; without start/end it lasts `minutes` from `hour` UTC,
    `offset` days ahead. `summary` may name the event (`"Contract read {event_id}"`)."""
    if start is None:
        start = at(offset, hour)
    if end is None:
        end = at(offset, hour + minutes // 60, minutes % 60)
    return {
        "event_id": event_id,
        "summary": summary.format(event_id=event_id),
        "start": start,
        "end": end,
        **extra,
    }


class Cronofy(ProviderClient):
    """Raw HTTP against Cronofy's paths with the state's all-scopes token by default."""

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None | bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        return self.target.client.request(
            method, self.url(path), headers=self.headers(headers, token), **kwargs
        )

    def upsert(self, calendar_id: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
        return self.post(f"/v1/calendars/{calendar_id}/events", json=body, **kw)

    def read_events(self, **params: Any) -> list[dict[str, Any]]:
        """Every event across all pages (follows next_page)."""
        params.setdefault("tzid", "Etc/UTC")
        response = self.get("/v1/events", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        events = list(body["events"])
        while body["pages"].get("next_page"):
            response = self.get(body["pages"]["next_page"])
            assert response.status_code == 200, response.text
            body = response.json()
            events.extend(body["events"])
        return events

    def find(
        self, event_id: str | None = None, event_uid: str | None = None, **params: Any
    ) -> dict | None:
        params.setdefault("include_managed", "true")
        for ev in self.read_events(**params):
            if (event_id and ev.get("event_id") == event_id) or (
                event_uid and ev["event_uid"] == event_uid
            ):
                return ev
        return None


@pytest.fixture
def states(target: Target) -> ProviderStates:
    return SUITE.provider_states(target)


@pytest.fixture
def cronofy(target: Target, states: ProviderStates) -> Cronofy:
    return Cronofy(target, SUITE.base_url(target), states)


@pytest.fixture
def busy(cronofy: Cronofy) -> Iterator[Busy]:
    """`busy(calendar_id, start, end, token=...)` makes busy time, deleted after the test."""
    maker = Busy(cronofy)
    yield maker
    maker.clean()


@pytest.fixture
def unique_id() -> str:
    """An event_id no earlier run used, so live runs never collide with old data."""
    return f"contract-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def callbacks(target: Target, _callback_receiver: Any) -> Callbacks:
    """Callback URLs for channels (live: CRONOFY_CALLBACK_URL, a public URL)."""
    return Callbacks(target, _callback_receiver, "CRONOFY_CALLBACK_URL")
