"""What the two Truto SDK suites (tests/test_truto_sdk.py, tests/test_truto_ts_sdk.py) share:
the account and calendar their drivers list, and the same listing over plain HTTP to compare
the SDKs' pages with."""

from __future__ import annotations

from typing import Any

import httpx

from contracts.truto.conftest import FAKE_STATES as S
from mockserver.testing import LiveServer

ACCOUNT = S["googlecalendar_account"]
CALENDAR = "primary"
EVENTS = "/unified/calendar/events"


def expected_ids(server: LiveServer, run: dict[str, Any]) -> list[str]:
    """The driver's listing (its `window`), in one page, over plain HTTP."""
    start, end = run["window"]
    response = httpx.get(
        f"{server.url}{EVENTS}",
        params={
            "integrated_account_id": ACCOUNT,
            "calendar[id]": CALENDAR,
            "start_time": start,
            "end_time": end,
            "limit": 1000,
        },
        headers={"Authorization": f"Bearer {S['api_token']}"},
    )
    response.raise_for_status()
    return [e["id"] for e in response.json()["result"]]
