"""Helpers the Cronofy scheduling contracts share: who is asked about, where busy time is made,
and waiting for a live API to catch up with a write (Cronofy applies writes after its 202)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from contracts.kit import at

DAY = 22  # days ahead: clear of the days every other Cronofy contract test writes to (<= 20)
ISO_Z = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


def owner(states, **extra: Any) -> dict[str, Any]:
    """The contract account, its busy time read from the (otherwise empty) second calendar."""
    return {
        "sub": states.get("account_id"),
        "calendar_ids": [states.get("second_writable_calendar")],
        **extra,
    }


def second(states, **extra: Any) -> dict[str, Any]:
    return {
        "sub": states.get("second_account_id"),
        "calendar_ids": [states.get("second_account_calendar")],
        **extra,
    }


def period(start: int = 9, end: int = 18, offset: int = DAY) -> dict[str, str]:
    return {"start": at(offset, start), "end": at(offset, end)}


def query(
    *groups: dict[str, Any], minutes: int = 60, offset: int = DAY, **extra: Any
) -> dict[str, Any]:
    """An availability body over 09:00-18:00Z of day `offset` unless periods are given."""
    body: dict[str, Any] = {
        "participants": list(groups),
        "required_duration": {"minutes": minutes},
    }
    if "available_periods" not in extra:
        body["query_periods"] = [period(offset=offset)]
    body.update(extra)
    return body


def group(*members: dict[str, Any], required: Any = "all") -> dict[str, Any]:
    return {"members": list(members), "required": required}


class Busy:
    """Makes busy time (managed events) and deletes it again when the test ends, so a live
    account keeps nothing between tests. Each test that makes busy time uses a day of its own,
    so a live API's lag in applying a delete cannot leak into the next test."""

    def __init__(self, cronofy) -> None:
        self.cronofy = cronofy
        self.made: list[tuple[str, str, str | bool]] = []

    def __call__(
        self, calendar_id: str, start: str, end: str, *, token: str | bool = True, **extra: Any
    ) -> None:
        event_id = f"contract-busy-{uuid.uuid4().hex[:12]}"
        body = {"event_id": event_id, "summary": "Contract busy", "start": start, "end": end}
        response = self.cronofy.upsert(calendar_id, {**body, **extra}, token=token)
        assert response.status_code == 202, response.text
        self.made.append((calendar_id, event_id, token))

    def clean(self) -> None:
        for calendar_id, event_id, token in self.made:
            self.cronofy.delete(
                f"/v1/calendars/{calendar_id}/events", json={"event_id": event_id}, token=token
            )


def ask(cronofy, body: dict[str, Any], path: str = "/v1/availability", **kw: Any) -> httpx.Response:
    return cronofy.post(path, json=body, **kw)


def spans(response: httpx.Response, key: str = "available_periods") -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return [(a["start"][11:16], a["end"][11:16]) for a in response.json()[key]]


def subs(item: dict[str, Any]) -> list[str]:
    return sorted(p["sub"] for p in item["participants"])


def eventually(target, check: Callable[[], None], seconds: float = 45.0) -> None:
    """Run `check` (which asserts); on a live API retry until it passes or time runs out."""
    if target.is_fake:
        check()
        return
    deadline = time.monotonic() + seconds
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(3)
