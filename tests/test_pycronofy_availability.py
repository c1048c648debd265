"""pycronofy 2.1.1's scheduling calls against a live fake, unchanged but for the base URL:
availability (periods, slots, query slots, buffers, max results), sequenced availability and
the availability-rule calls, with the bodies the SDK builds itself (docs/reference/scheduling.md
§2; the shapes of pycronofy's own tests/test_availability.py and tests/test_client.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pycronofy
import pytest
from pycronofy.exceptions import PyCronofyRequestError

from contracts.cronofy.conftest import FAKE_STATES as S
from mockserver.testing import LiveServer

WORLD_FILE = Path(__file__).resolve().parents[1] / "contracts" / "world.json"
OWNER, SECOND = S["account_id"], S["second_account_id"]
EMPTY, SECOND_CAL = S["second_writable_calendar"], S["second_account_calendar"]
DAY = (datetime.now(UTC) + timedelta(days=12)).replace(hour=0, minute=0, second=0, microsecond=0)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute)


def hm(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["start"][11:16], i["end"][11:16]) for i in items]


@pytest.fixture(scope="module")
def srv() -> Iterator[LiveServer]:
    with LiveServer(fixture=json.loads(WORLD_FILE.read_text(encoding="utf-8"))) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(srv: LiveServer) -> None:
    httpx.post(f"{srv.url}/_mock/reset").raise_for_status()


def sdk(srv: LiveServer, token: str = S["access_token"]) -> pycronofy.Client:
    client = pycronofy.Client(access_token=token)
    client.request_handler.base_url = srv.url
    return client


@pytest.fixture
def client(srv: LiveServer) -> pycronofy.Client:
    return sdk(srv)


def busy(
    client: pycronofy.Client, calendar_id: str, event_id: str, start: datetime, end: datetime
) -> None:
    client.upsert_event(
        calendar_id, {"event_id": event_id, "summary": "busy", "start": start, "end": end}
    )


def members(*subs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"sub": sub, "calendar_ids": [cal]} for sub, cal in subs]


@pytest.mark.rule("scheduling", "S-C7")
def test_availability_periods_for_a_single_group(client: pycronofy.Client, srv: LiveServer) -> None:
    busy(client, EMPTY, "sdk-busy", at(10), at(11))
    sdk(srv, S["second_access_token"]).upsert_event(
        SECOND_CAL, {"event_id": "sdk-busy-2", "summary": "busy", "start": at(13), "end": at(14)}
    )
    periods = client.availability(
        participants={"members": members((OWNER, EMPTY), (SECOND, SECOND_CAL))},  # one group
        required_duration=60,  # an integer: the SDK sends {"minutes": 60}
        available_periods=[{"start": at(9), "end": at(18)}],  # datetimes: the SDK formats them
    )
    assert hm(periods) == [("09:00", "10:00"), ("11:00", "13:00"), ("14:00", "18:00")]
    assert all(
        sorted(p["sub"] for p in x["participants"]) == sorted([OWNER, SECOND]) for x in periods
    )


@pytest.mark.rule("scheduling", "S-C9")
def test_availability_slots_with_interval_buffers_and_max_results(client: pycronofy.Client) -> None:
    busy(client, EMPTY, "sdk-busy", at(12), at(13))
    slots = client.availability(
        participants=[{"members": members((OWNER, EMPTY)), "required": "all"}],
        required_duration={"minutes": 60},
        available_periods=[{"start": at(9), "end": at(16)}],
        start_interval=30,
        buffer={"before": 30, "after": {"minimum": 15}},
        response_format="slots",
    )
    assert hm(slots) == [
        ("09:00", "10:00"),
        ("10:00", "11:00"),
        ("13:30", "14:30"),
        ("14:30", "15:30"),
    ]
    first = client.availability(
        participants=[{"members": members((OWNER, EMPTY))}],
        required_duration=60,
        available_periods=[{"start": at(9), "end": at(16)}],
        response_format="overlapping_slots",
        start_interval=30,
        max_results=3,
    )
    assert hm(first) == [("09:00", "10:00"), ("09:30", "10:30"), ("10:00", "11:00")]


@pytest.mark.rule("scheduling", "S-C16")
def test_availability_with_query_slots(client: pycronofy.Client) -> None:
    busy(client, EMPTY, "sdk-busy", at(10), at(11))
    slots = client.availability(
        participants=[{"members": members((OWNER, EMPTY))}],
        required_duration=60,
        query_slots=[{"start": at(9)}, {"start": at(10)}, {"start": at(15)}],
        response_format="slots",
    )
    assert hm(slots) == [("09:00", "10:00"), ("15:00", "16:00")]


@pytest.mark.rule("scheduling", "S-C12")
def test_managed_availability_with_the_sdks_rule_calls(client: pycronofy.Client) -> None:
    weekday = DAY.strftime("%A").lower()
    rule = {
        "availability_rule_id": "rule-1",
        "tzid": "America/Chicago",
        "calendar_ids": [EMPTY],
        "weekly_periods": [
            {"day": weekday, "start_time": "09:30", "end_time": "12:30"},
            {"day": weekday, "start_time": "14:00", "end_time": "17:00"},
        ],
    }
    assert client.upsert_availability_rule(rule) == rule  # pycronofy's own fixture, re-based
    assert client.get_availability_rule("rule-1") == rule
    assert client.list_availability_rules() == [rule]
    periods = client.availability(
        participants=[{"members": [{"sub": OWNER, "managed_availability": True}]}],
        required_duration=60,
        available_periods=[{"start": at(0), "end": at(23, 59)}],
    )
    chicago = ZoneInfo("America/Chicago")

    def utc(hour: int, minute: int) -> str:
        local = datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=chicago)
        return local.astimezone(UTC).strftime("%H:%M")

    assert hm(periods) == [(utc(9, 30), utc(12, 30)), (utc(14, 0), utc(17, 0))]
    client.delete_availability_rule("rule-1")
    assert client.list_availability_rules() == []
    with pytest.raises(PyCronofyRequestError) as err:
        client.get_availability_rule("rule-1")
    assert err.value.response.status_code == 404


@pytest.mark.rule("scheduling", "S-C17")
def test_sequenced_availability_as_pycronofy_sends_it(client: pycronofy.Client) -> None:
    # pycronofy maps every step field: the second step goes out with "start_interval": null,
    # "buffer": {} and "required_duration" mapped (S-C18)
    sequences = client.sequenced_availability(
        sequence=[
            {
                "sequence_id": "1234",
                "ordinal": 1,
                "participants": [{"members": members((OWNER, EMPTY)), "required": "all"}],
                "required_duration": {"minutes": 30},
                "start_interval": {"minutes": 60},
                "buffer": {
                    "before": {"minimum": {"minutes": 30}, "maximum": {"minutes": 45}},
                    "after": {"minimum": {"minutes": 45}, "maximum": {"minutes": 60}},
                },
            },
            {
                "sequence_id": "4567",
                "ordinal": 2,
                "participants": [{"members": members((SECOND, SECOND_CAL)), "required": "all"}],
                "required_duration": {"minutes": 60},
            },
        ],
        available_periods=[{"start": at(9), "end": at(13)}],
    )
    assert sequences
    for entry in sequences:
        first, then = entry["sequence"]
        assert (first["sequence_id"], then["sequence_id"]) == ("1234", "4567")
        gap = datetime.fromisoformat(then["start"].replace("Z", "+00:00")) - datetime.fromisoformat(
            first["end"].replace("Z", "+00:00")
        )
        assert timedelta(minutes=45) <= gap <= timedelta(minutes=60)
    assert hm(sequences[0]["sequence"]) == [("09:00", "09:30"), ("10:15", "11:15")]


def test_bad_queries_raise_the_sdks_request_error(client: pycronofy.Client) -> None:
    with pytest.raises(PyCronofyRequestError) as err:
        client.availability(
            participants=[{"members": [S["unauthorized_account_id"]]}],  # bare string: {"sub"}
            required_duration=60,
            available_periods=[{"start": at(9), "end": at(10)}],
        )
    assert err.value.response.status_code == 422
    assert "participants" in err.value.response.json()["errors"]
    with pytest.raises(PyCronofyRequestError) as err:
        client.availability(participants=[{"members": [OWNER]}], required_duration=60)
    assert err.value.response.status_code == 422
    assert "query_periods" in err.value.response.json()["errors"]
