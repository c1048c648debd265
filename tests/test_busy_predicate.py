"""One free/busy predicate (mockserver/core/busy.py) behind all three dialects: a cancelled event
takes no time anywhere, a transparent one is free, a tentative one blocks time (Cronofy says
`tentative`). The same four events in Alice's Work calendar, read through each dialect."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mockserver.app import create_app
from mockserver.core.busy import blocks_time, free_busy_status
from mockserver.core.fixtures import demo_path, read
from mockserver.core.models import Event
from mockserver.testing import asgi_client

WORK = "cal_a11cedemo0001_work"
CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CALCOM = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
GOOGLE_ACCOUNT = "0a11ce00-7e57-4d00-8000-000000000001"
DAY = 30
# hour of the day -> (status, transparency)
EVENTS = {
    9: ("confirmed", "opaque"),
    10: ("cancelled", "opaque"),
    11: ("confirmed", "transparent"),
    12: ("tentative", "opaque"),
}


def day() -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=DAY)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    world = copy.deepcopy(read(demo_path()))
    work = world["accounts"][0]["profiles"][0]["calendars"][0]
    assert work["id"] == WORK
    for hour, (status, transparency) in EVENTS.items():
        work["events"].append(
            {
                "uid": f"evt_external_busy{hour:02d}",
                "summary": f"{status} {transparency}",
                "start": f"today+{DAY}dT{hour:02d}:00",
                "end": f"today+{DAY}dT{hour:02d}:30",
                "tzid": "Etc/UTC",
                "status": status,
                "transparency": transparency,
            }
        )
    with asgi_client(create_app(fixture=world)) as c:
        yield c


def hours(spans: list[tuple[str, str]]) -> list[int]:
    return sorted(datetime.fromisoformat(s.replace("Z", "+00:00")).hour for s, _ in spans)


def test_the_predicate() -> None:
    def ev(status: str, transparency: str) -> Event:
        when = day()
        return Event("u", "c", "", when, when, when, when, status=status, transparency=transparency)

    assert [free_busy_status(ev(*kind)) for kind in EVENTS.values()] == [
        "busy",
        None,
        "free",
        "tentative",
    ]
    assert [blocks_time(ev(*kind)) for kind in EVENTS.values()] == [True, False, False, True]


def test_cronofy_free_busy(client: httpx.Client) -> None:
    params = {
        "tzid": "Etc/UTC",
        "from": day().date().isoformat(),
        "to": (day() + timedelta(days=1)).date().isoformat(),
        "calendar_ids[]": WORK,
    }
    body = client.get("/v1/free_busy", params=params, headers=CRONOFY).json()
    statuses = {e["start"][11:13]: e["free_busy_status"] for e in body["free_busy"]}
    assert statuses == {"09": "busy", "11": "free", "12": "tentative"}  # no cancelled event
    assert body["pages"]["total"] == 1


def test_calcom_busy_times(client: httpx.Client) -> None:
    params = {
        "loggedInUsersTz": "UTC",
        "dateFrom": day().date().isoformat(),
        "dateTo": day().date().isoformat(),
        "calendarsToLoad[0][credentialId]": "1",
        "calendarsToLoad[0][externalId]": "alice@example.com",
    }
    answer = client.get("/v2/calendars/busy-times", params=params, headers=CALCOM)
    assert answer.status_code == 200, answer.text
    spans = [(b["start"], b["end"]) for b in answer.json()["data"]]
    assert hours(spans) == [9, 12]


def test_truto_availability(client: httpx.Client) -> None:
    params = {
        "integrated_account_id": GOOGLE_ACCOUNT,
        "calendar[id]": "primary",
        "start_time": day().isoformat(),
        "end_time": (day() + timedelta(days=1)).isoformat(),
    }
    answer = client.get("/unified/calendar/availability", params=params, headers=TRUTO)
    assert answer.status_code == 200, answer.text
    spans = [(b["start_time"], b["end_time"]) for b in answer.json()["result"]]
    assert hours(spans) == [9, 12]
