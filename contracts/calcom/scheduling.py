"""What the scheduling contracts share (docs/reference/scheduling.md §3): the API versions, the
week they book in (2050-09-05 is a Monday, as in Cal.com's own slot e2e tests: far from any
real booking, inside no booking window), and factories that create a schedule or an event type
over HTTP and delete it afterwards, so every test runs unchanged against the real API."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

SLOTS = "2024-09-04"
EVENT_TYPES = "2024-06-14"
SCHEDULES = "2024-06-11"
BOOKINGS = "2024-08-13"
MONDAY = "2050-09-05"  # the week: Mon 09-05 ... Sun 09-11 (Europe/Rome: UTC+2)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ROME_HOURS = {"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}
# The 60-minute hourly grid of 09:00-17:00 Rome in September (slots-e2e expected-slots).
ROME_HOURLY = [f"{h:02d}:00:00.000Z" for h in range(7, 15)]


def slots(calcom: Any, **params: Any) -> httpx.Response:
    """GET /v2/slots, anonymously (slots need no credentials, S-K1)."""
    return calcom.get("/v2/slots", params=params, version=SLOTS, token=False)


def slot_times(response: httpx.Response) -> dict[str, list[str]]:
    """The answer's dates -> slot start times (the part after the date)."""
    assert response.status_code == 200, response.text
    return {day: [s["start"][11:] for s in items] for day, items in response.json()["data"].items()}


def booking_body(event_type_id: int, start: str, **extra: Any) -> dict[str, Any]:
    return {
        "start": start,
        "eventTypeId": event_type_id,
        "attendee": {
            "name": "Sam Scheduler",
            "email": "sam.scheduler@contract.example",
            "timeZone": "Europe/Rome",
        },
        **extra,
    }


def after_change(target: Any) -> None:
    """Slots are cached for 2 s upstream (SLOTS_CACHE_TTL, S-K39): wait that out on a real API."""
    if not target.is_fake:
        time.sleep(2.2)


class Made:
    """Factories for schedules, event types and bookings that undo themselves."""

    def __init__(self, calcom: Any) -> None:
        self.calcom = calcom
        self.cleanups: list[Callable[[], Any]] = []

    def schedule(self, **body: Any) -> dict[str, Any]:
        body = {
            "name": f"Contract {uuid.uuid4().hex[:8]}",
            "timeZone": "Europe/Rome",
            "isDefault": False,
            "availability": [ROME_HOURS],
            **body,
        }
        response = self.calcom.post("/v2/schedules", json=body, version=SCHEDULES)
        assert response.status_code == 201, response.text
        made = response.json()["data"]
        self.cleanups.append(
            lambda: self.calcom.delete(f"/v2/schedules/{made['id']}", version=SCHEDULES)
        )
        return made

    def event_type(self, schedule: bool = True, **body: Any) -> dict[str, Any]:
        """An event type (60 minutes unless told) on its own Rome schedule unless `scheduleId`
        is given or `schedule` is False."""
        if schedule and "scheduleId" not in body:
            body["scheduleId"] = self.schedule()["id"]
        tag = uuid.uuid4().hex[:10]
        body = {
            "title": f"Contract {tag}",
            "slug": f"contract-{tag}",
            "lengthInMinutes": 60,
            **body,
        }
        response = self.calcom.post("/v2/event-types", json=body, version=EVENT_TYPES)
        assert response.status_code == 201, response.text
        made = response.json()["data"]
        self.cleanups.append(
            lambda: self.calcom.delete(f"/v2/event-types/{made['id']}", version=EVENT_TYPES)
        )
        return made

    def booking(self, event_type_id: int, start: str, **extra: Any) -> httpx.Response:
        response = self.calcom.post(
            "/v2/bookings",
            json=booking_body(event_type_id, start, **extra),
            version=BOOKINGS,
            token=False,
        )
        if response.status_code == 201:
            data = response.json()["data"]
            uid = data[0]["recurringBookingUid"] if isinstance(data, list) else data["uid"]
            self.cleanups.append(
                lambda: self.calcom.post(f"/v2/bookings/{uid}/cancel", json={}, version=BOOKINGS)
            )
        return response

    def close(self) -> None:
        for undo in reversed(self.cleanups):
            undo()


@pytest.fixture
def made(calcom: Any) -> Iterator[Made]:
    factory = Made(calcom)
    try:
        yield factory
    finally:
        factory.close()


def at(day: str, clock: str) -> str:
    return f"{day}T{clock}"


def minutes_until(when: str) -> int:
    """Minutes from now until `when` (a minimum booking notice that reaches exactly there)."""
    target = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return int((target - datetime.now(target.tzinfo)).total_seconds() // 60)
