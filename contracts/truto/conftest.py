"""Truto provider states and an HTTP helper bound to the chosen target.

Live configuration (the real api.truto.one, or anything posing as it):
  TRUTO_BASE_URL        e.g. https://api.truto.one
  TRUTO_API_TOKEN       an API token of the environment the integrated accounts below are in
  TRUTO_<STATE>         each provider state below, upper-cased (TRUTO_GOOGLECALENDAR_ACCOUNT, ...)
A live run with any of them missing fails before the first test, naming them (`--allow-partial`
skips the tests that need them instead). The event a test deletes is made by the suite itself
on a live run (`Truto.disposable_event`), so nothing has to be restored between runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from contracts.kit import Callbacks, LiveSuite, ProviderClient, ProviderStates, Target, midnight

ERROR_KEYS = {"statusCode", "error", "message"}
URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")

FAKE_STATES: dict[str, str] = {
    "api_token": "contractTrutoApiToken00000000001",
    # An API token of another environment: the accounts below are not visible to it.
    "other_environment_token": "contractTrutoOtherEnvToken000001",
    "googlecalendar_account": "c0a7c7e5-7e57-4000-8000-000000000001",
    "google_account": "c0a7c7e5-7e57-4000-8000-000000000002",
    "outlookcalendar_account": "c0a7c7e5-7e57-4000-8000-000000000003",
    "calendly_account": "c0a7c7e5-7e57-4000-8000-000000000004",
    "calcom_account": "c0a7c7e5-7e57-4000-8000-000000000005",
    "sandbox_account": "c0a7c7e5-7e57-4000-8000-000000000006",
    "needs_reauth_account": "c0a7c7e5-7e57-4000-8000-000000000007",
    # The Google account's calendars ("primary" works on the real API too) and events.
    "google_calendar": "primary",
    "google_second_calendar": "cal_c0ntract0010_second",
    "google_readonly_calendar": "cal_c0ntract0010_readonly",
    "google_event": "c0ntracttrutog00000000000001",
    "google_recurring_event": "c0ntracttrutog00000000000006",
    "google_disposable_event": "c0ntracttrutog00000000000005",
    "google_all_day_event": "c0ntracttrutog00000000000007",
    "outlook_calendar": "cal_c0ntract0011_calendar",
    "outlook_event": "c0ntracttrutoo00000000000001",  # has an attachment
    "outlook_disposable_event": "c0ntracttrutoo00000000000002",
    "calendly_event_type": "et_c0ntract_intro",
}
SUITE = LiveSuite(
    "truto",
    __file__,
    title="Truto",
    env_prefix="TRUTO_",
    states=FAKE_STATES,
    not_live={
        "google_disposable_event": "a live run creates the event it deletes",
        "outlook_disposable_event": "no test reads it",
        "google_second_calendar": "no test reads it",
        "google_readonly_calendar": "no test reads it",
        "google_recurring_event": "no test reads it",
        "calendly_event_type": "no test reads it",
    },
    packages=("truto-python-sdk",),
)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The status, and the body every Truto error has: statusCode, error, message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= ERROR_KEYS, body
    assert body["statusCode"] == status
    assert body["error"] == httpx.codes.get_reason_phrase(status)
    assert isinstance(body["message"], str)
    return body


class Truto(ProviderClient):
    """Raw HTTP against Truto's unified paths with the state's API token by default."""

    token_state = "api_token"

    def account(self, name: str = "googlecalendar") -> str:
        return self.states.get(f"{name}_account")

    def request(
        self,
        method: str,
        path: str,
        *,
        account: str | None = None,
        params: dict[str, Any] | list[tuple[str, Any]] | None = None,
        token: str | None | bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        hdrs = self.headers(headers, token)
        query: list[tuple[str, Any]] = []
        if account is not None:
            query.append(("integrated_account_id", account))
        if isinstance(params, dict):
            for key, value in params.items():
                values = value if isinstance(value, list) else [value]
                query.extend((key, v) for v in values)
        elif params:
            query.extend(params)
        return self.target.client.request(
            method, self.url(path), params=query, headers=hdrs, **kwargs
        )

    # -- events --------------------------------------------------------------------------

    def window(self, days: int = 14) -> dict[str, str]:
        return {"start_time": iso(midnight(0)), "end_time": iso(midnight(days))}

    def pages(
        self, resource: str, account: str, params: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Every page, following next_cursor with all the original parameters re-sent."""
        cursor = None
        for _ in range(1000):
            query = dict(params)
            if cursor:
                query["next_cursor"] = cursor
            response = self.get(f"/unified/calendar/{resource}", account=account, params=query)
            assert response.status_code == 200, response.text
            body = response.json()
            yield body
            cursor = body["next_cursor"]
            if not cursor:
                return
        raise AssertionError("more than 1000 pages")

    def list_all(self, resource: str, account: str, params: dict[str, Any]) -> list[dict]:
        return [item for page in self.pages(resource, account, params) for item in page["result"]]

    def google_body(self, title: str | None = None, days: int = 9, **extra: Any) -> dict:
        start = midnight(days) + timedelta(hours=13)
        body = {
            "calendar": {"id": self.states.get("google_calendar")},
            "title": title or f"contract-{uuid.uuid4().hex[:12]}",
            "start_time": iso(start),
            "end_time": iso(start + timedelta(minutes=30)),
            "timezone": "Europe/Berlin",
        }
        body.update(extra)
        return body

    def disposable_event(self) -> str:
        """A Google event this test may delete: the seeded one on a fake; on a real API one
        the suite creates, so a second run finds one too."""
        if self.target.is_fake:
            return self.states.get("google_disposable_event")
        return self.create_google(title="contract disposable")["id"]

    def create_google(self, account: str | None = None, **extra: Any) -> dict[str, Any]:
        response = self.post(
            "/unified/calendar/events",
            account=account or self.account(),
            json=self.google_body(**extra),
        )
        assert 200 <= response.status_code < 300, response.text
        return response.json()


@pytest.fixture
def states(target: Target) -> ProviderStates:
    return SUITE.provider_states(target)


@pytest.fixture
def truto(target: Target, states: ProviderStates) -> Truto:
    return Truto(target, SUITE.base_url(target), states)


@pytest.fixture
def callbacks(target: Target, _callback_receiver: Any) -> Callbacks:
    """Webhook target URLs (live: TRUTO_CALLBACK_URL, a public HTTPS URL)."""
    return Callbacks(target, _callback_receiver, "TRUTO_CALLBACK_URL")
