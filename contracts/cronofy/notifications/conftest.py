"""Helpers for the push-notification contracts (reference/webhooks.md §1.7).

Live: channels point at CRONOFY_CALLBACK_URL (a public HTTPS URL you control); tests that read
what arrived there, or that need the fake's control plane (owner edits, the clock), are
skipped with the reason. Every channel a test opens is closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contracts.cronofy.conftest import Cronofy
from contracts.kit import Callbacks, Target


class Channels:
    def __init__(self, cronofy: Cronofy) -> None:
        self.cronofy = cronofy
        self.opened: list[str] = []

    def create(self, body: dict[str, Any], **kw: Any) -> httpx.Response:
        response = self.cronofy.post("/v1/channels", json=body, **kw)
        if response.status_code == 200:
            self.opened.append(response.json()["channel"]["channel_id"])
        return response

    def open(self, callback_url: str, **filters: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"callback_url": callback_url}
        if filters:
            body["filters"] = filters
        response = self.create(body)
        assert response.status_code == 200, response.text
        return response.json()["channel"]

    def listed(self) -> list[dict[str, Any]]:
        response = self.cronofy.get("/v1/channels")
        assert response.status_code == 200, response.text
        return response.json()["channels"]

    def close(self, channel_id: str) -> httpx.Response:
        return self.cronofy.delete(f"/v1/channels/{channel_id}")

    def close_all(self) -> None:
        for ident in self.opened:
            self.close(ident)


@pytest.fixture
def channels(cronofy: Cronofy) -> Iterator[Channels]:
    helper = Channels(cronofy)
    try:
        yield helper
    finally:
        helper.close_all()


class Owner:
    """The calendar owner's own edits, through the fake's /_mock/owner (skipped live)."""

    def __init__(self, target: Target) -> None:
        self.target = target

    def create(self, calendar_id: str, **body: Any) -> dict[str, Any]:
        path = f"/_mock/owner/calendars/{calendar_id}/events"
        return self.target.control("POST", path, json=body).json()

    def move(self, event_id: str, start: str, end: str | None = None) -> dict[str, Any]:
        body = {"start": start, **({"end": end} if end else {})}
        return self.target.control("POST", f"/_mock/owner/events/{event_id}/move", json=body).json()

    def update(self, event_id: str, **body: Any) -> dict[str, Any]:
        return self.target.control("PATCH", f"/_mock/owner/events/{event_id}", json=body).json()

    def delete(self, event_id: str) -> dict[str, Any]:
        return self.target.control("DELETE", f"/_mock/owner/events/{event_id}").json()

    def disconnect(self, profile_id: str) -> None:
        self.target.control("POST", f"/_mock/owner/profiles/{profile_id}/disconnect")

    def reconnect(self, profile_id: str) -> None:
        self.target.control("POST", f"/_mock/owner/profiles/{profile_id}/reconnect")


@pytest.fixture
def owner(target: Target) -> Owner:
    return Owner(target)


def notifications(received: list[Any], kind: str | None = None) -> list[dict[str, Any]]:
    """The JSON bodies received, of one notification type if given."""
    bodies = [r.json() for r in received]
    return [b for b in bodies if kind is None or b["notification"]["type"] == kind]


def settle(callbacks: Callbacks, name: str | None = None) -> list[dict[str, Any]]:
    """Everything delivered to the test's URLs once the fake has nothing left to send."""
    callbacks.flush()
    return notifications(callbacks.received(name))
