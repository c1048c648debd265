"""Cronofy's managed-availability state inside the fake: rules and available periods load from
the world file's `cronofy` section (with every bad place named), come back out of a dump, are
restored by reset, survive a failing request untouched, and are batchable; and the settings
that stand in for UNVERIFIED behaviour take effect."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from contracts.cronofy.conftest import FAKE_STATES as S
from contracts.kit import WORLD
from mockserver.app import create_app
from mockserver.state import check
from mockserver.testing import asgi_client

OWNER = {"Authorization": f"Bearer {S['access_token']}"}
SECRET = {"Authorization": f"Bearer {S['client_secret']}"}
DAY = (datetime.now(UTC) + timedelta(days=9)).date()
WEEKDAY = DAY.strftime("%A").lower()


def at(hour: int) -> str:
    return f"{DAY.isoformat()}T{hour:02d}:00:00Z"


def world() -> dict:
    w = copy.deepcopy(WORLD())
    w["cronofy"]["availability_rules"] = [
        {
            "account": S["account_id"],
            "availability_rule_id": "working-hours",
            "tzid": "Etc/UTC",
            "weekly_periods": [{"day": WEEKDAY, "start_time": "09:00", "end_time": "12:00"}],
        }
    ]
    w["cronofy"]["available_periods"] = [
        {
            "account": S["account_id"],
            "available_period_id": "evening",
            "start": "today+9dT18:00",
            "end": "today+9dT19:00",
        }
    ]
    return w


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app(fixture=world())) as c:
        yield c


def managed_query(member: dict | None = None) -> dict:
    return {
        "participants": [
            {"members": [member or {"sub": S["account_id"], "managed_availability": True}]}
        ],
        "required_duration": {"minutes": 60},
        "query_periods": [{"start": at(0), "end": at(23)}],
    }


def hours(response: httpx.Response) -> list[tuple[int, int]]:
    assert response.status_code == 200, response.text
    return [
        (int(p["start"][11:13]), int(p["end"][11:13])) for p in response.json()["available_periods"]
    ]


def test_world_file_rules_and_periods_drive_managed_availability(client: httpx.Client) -> None:
    rules = client.get("/v1/availability_rules", headers=OWNER).json()["availability_rules"]
    assert [r["availability_rule_id"] for r in rules] == ["working-hours"]
    assert hours(client.post("/v1/availability", json=managed_query(), headers=OWNER)) == [
        (9, 12),
        (18, 19),
    ]


def test_dump_and_seed_round_trip(client: httpx.Client) -> None:
    rule = {
        "availability_rule_id": "afternoons",
        "tzid": "Europe/Paris",
        "calendar_ids": [S["second_writable_calendar"]],
        "weekly_periods": [{"day": "friday", "start_time": "13:00", "end_time": "17:30"}],
    }
    assert client.post("/v1/availability_rules", json=rule, headers=OWNER).status_code == 200
    period = {"available_period_id": "extra", "start": at(20), "end": at(21)}
    assert client.post("/v1/available_periods", json=period, headers=OWNER).status_code == 202
    dumped = client.get("/_mock/state").json()
    section = dumped["cronofy"]
    assert {"account": S["account_id"], **rule} in section["availability_rules"]
    assert {
        "account": S["account_id"],
        "available_period_id": "extra",
        "start": at(20),
        "end": at(21),
    } in section["available_periods"]
    assert check(dumped) == []
    assert client.post("/_mock/seed", json=dumped).status_code == 200
    assert client.get("/_mock/state").json()["cronofy"] == section


def test_reset_restores_the_loaded_rules_and_periods(client: httpx.Client) -> None:
    client.delete("/v1/availability_rules/working-hours", headers=OWNER)
    client.request("DELETE", "/v1/available_periods", json={"delete_all": True}, headers=OWNER)
    assert hours(client.post("/v1/availability", json=managed_query(), headers=OWNER)) == []
    client.post("/_mock/reset")
    assert hours(client.post("/v1/availability", json=managed_query(), headers=OWNER)) == [
        (9, 12),
        (18, 19),
    ]


def test_a_refused_upsert_changes_nothing(client: httpx.Client) -> None:
    before = client.get("/v1/availability_rules/working-hours", headers=OWNER).json()
    bad = {**before["availability_rule"], "calendar_ids": ["cal_not_mine"], "tzid": "Etc/GMT+3"}
    assert client.post("/v1/availability_rules", json=bad, headers=OWNER).status_code == 422
    assert client.get("/v1/availability_rules/working-hours", headers=OWNER).json() == before
    refused = client.post(
        "/v1/available_periods",
        json={"available_period_id": "evening", "start": at(20), "end": at(19)},
        headers=OWNER,
    )
    assert refused.status_code == 422
    assert hours(client.post("/v1/availability", json=managed_query(), headers=OWNER)) == [
        (9, 12),
        (18, 19),
    ]


def test_available_periods_are_batchable(client: httpx.Client) -> None:
    batch = {
        "batch": [
            {
                "method": "POST",
                "relative_url": "/v1/available_periods",
                "data": {"available_period_id": "batched", "start": at(14), "end": at(15)},
            },
            {
                "method": "DELETE",
                "relative_url": "/v1/available_periods",
                "data": {"available_period_id": "evening"},
            },
            {
                "method": "POST",
                "relative_url": "/v1/available_periods",
                "data": {"available_period_id": "broken", "start": at(15)},
            },
        ]
    }
    response = client.post("/v1/batch", json=batch, headers=OWNER)
    assert response.status_code == 207
    statuses = [e["status"] for e in response.json()["batch"]]
    assert statuses == [202, 202, 422]
    assert "end" in response.json()["batch"][2]["data"]["errors"]
    assert hours(client.post("/v1/availability", json=managed_query(), headers=OWNER)) == [
        (9, 12),
        (14, 15),
    ]


@pytest.mark.parametrize(
    ("entry", "place"),
    [
        ({"account": "acc_nobody"}, "$.cronofy.availability_rules[0].account"),
        ({"tzid": "Mars/Base"}, "$.cronofy.availability_rules[0].tzid"),
        ({"calendar_ids": ["cal_not_mine"]}, "$.cronofy.availability_rules[0].calendar_ids"),
        (
            {"weekly_periods": [{"day": "monday", "start_time": "12:00", "end_time": "09:00"}]},
            "$.cronofy.availability_rules[0].weekly_periods",
        ),
    ],
)
def test_bad_world_file_rules_are_named(entry: dict, place: str) -> None:
    w = world()
    w["cronofy"]["availability_rules"][0].update(entry)
    assert place in [where for where, _ in check(w)]


def test_bad_world_file_periods_are_named() -> None:
    w = world()
    w["cronofy"]["available_periods"][0]["end"] = "today+9dT17:00"
    w["cronofy"]["available_periods"].append(dict(w["cronofy"]["available_periods"][0]))
    places = [where for where, _ in check(w)]
    assert "$.cronofy.available_periods[0].end" in places
    assert (
        "$.cronofy.available_periods[1]" in places or "$.cronofy.available_periods[1].end" in places
    )


def test_setting_availability_subs_own_confines_a_token_to_its_account(
    client: httpx.Client,
) -> None:
    query = managed_query({"sub": S["second_account_id"]})
    assert client.post("/v1/availability", json=query, headers=OWNER).status_code == 200
    client.patch("/_mock/settings", json={"cronofy": {"availability_subs": "own"}})
    try:
        refused = client.post("/v1/availability", json=query, headers=OWNER)
        assert refused.status_code == 422
        # the application's secret still names every account that authorized it
        assert client.post("/v1/availability", json=query, headers=SECRET).status_code == 200
    finally:
        client.patch("/_mock/settings", json={"cronofy": {"availability_subs": "application"}})


def test_settings_decide_the_default_interval_and_the_allowed_ones(client: httpx.Client) -> None:
    query = {
        "participants": [
            {"members": [{"sub": S["account_id"], "calendar_ids": [S["second_writable_calendar"]]}]}
        ],
        "required_duration": {"minutes": 60},
        "query_periods": [{"start": at(9), "end": at(11)}],
        "response_format": "overlapping_slots",
    }
    starts = lambda r: [s["start"][11:16] for s in r.json()["available_slots"]]  # noqa: E731
    assert starts(client.post("/v1/availability", json=query, headers=OWNER)) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
    ]
    changed = {"default_start_interval": 30, "start_intervals": [30, 90]}
    assert client.patch("/_mock/settings", json={"cronofy": changed}).status_code == 200
    try:
        assert starts(client.post("/v1/availability", json=query, headers=OWNER)) == [
            "09:00",
            "09:30",
            "10:00",
        ]
        asked = {**query, "start_interval": {"minutes": 90}}
        assert client.post("/v1/availability", json=asked, headers=OWNER).status_code == 200
        asked = {**query, "start_interval": {"minutes": 15}}
        assert client.post("/v1/availability", json=asked, headers=OWNER).status_code == 422
    finally:
        client.patch(
            "/_mock/settings",
            json={
                "cronofy": {
                    "default_start_interval": 15,
                    "start_intervals": [5, 10, 15, 20, 30, 45, 60],
                }
            },
        )
    bad = client.patch("/_mock/settings", json={"cronofy": {"start_intervals": []}})
    assert bad.status_code == 400 or bad.status_code == 422


def test_the_query_span_is_bounded(client: httpx.Client) -> None:
    query = managed_query()
    query["query_periods"] = [
        {"start": at(9), "end": at(10)},
        {
            "start": f"{(DAY + timedelta(days=40)).isoformat()}T09:00:00Z",
            "end": f"{(DAY + timedelta(days=40)).isoformat()}T10:00:00Z",
        },
    ]
    response = client.post("/v1/availability", json=query, headers=OWNER)
    assert response.status_code == 422
    assert "query_periods" in response.json()["errors"]
