"""The demo world's Cronofy scheduling parts: Alice's and Bob's availability rules and Alice's
available periods drive managed availability, and the second application (Carol's) is a tenant
of its own: neither application's credentials can ask about the other's accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

ALICE, BOB, CAROL = (
    "acc_5ba21743f408617d1269ea1e",
    "acc_0b0bde000000000000000b0b",
    "acc_ca201de00000000000000ca2",
)
APP1 = {"Authorization": "Bearer cronofy_demo_client_secret_00000000000001"}
APP2 = {"Authorization": "Bearer cronofy_demo_client_secret_00000000000002"}
ALICE_TOKEN = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CAROL_TOKEN = {"Authorization": "Bearer cronofyDemoCarolAllScopes0000001"}
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app()) as c:
        yield c


def next_weekday(weekday: int, weeks: int = 2) -> datetime:
    today = datetime.now(UTC).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def query(*members: dict, day: datetime, **extra) -> dict:
    return {
        "participants": [{"members": list(members), "required": "all"}],
        "required_duration": {"minutes": 30},
        "query_periods": [{"start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat()}],
        **extra,
    }


def spans(response: httpx.Response) -> list[tuple[datetime, datetime]]:
    assert response.status_code == 200, response.text
    return [
        (datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"]))
        for p in response.json()["available_periods"]
    ]


def test_alices_rules_bound_her_managed_availability(client: httpx.Client) -> None:
    friday = next_weekday(4)
    alice = {"sub": ALICE, "managed_availability": True}
    found = spans(client.post("/v1/availability", json=query(alice, day=friday), headers=APP1))
    assert found
    opens = datetime(friday.year, friday.month, friday.day, 9, tzinfo=LONDON)
    assert all(opens <= s and e <= opens + timedelta(hours=8) for s, e in found)
    short = {**alice, "availability_rule_ids": ["short-friday"]}
    found = spans(client.post("/v1/availability", json=query(short, day=friday), headers=APP1))
    assert found and all(e <= opens + timedelta(hours=3) for _, e in found)


def test_bobs_office_hours_exclude_fridays(client: httpx.Client) -> None:
    bob = {"sub": BOB, "managed_availability": True}
    friday = spans(
        client.post("/v1/availability", json=query(bob, day=next_weekday(4)), headers=APP1)
    )
    monday = spans(
        client.post("/v1/availability", json=query(bob, day=next_weekday(0)), headers=APP1)
    )
    assert friday == [] and monday


def test_each_application_sees_only_its_own_accounts(client: httpx.Client) -> None:
    day = next_weekday(1)
    for headers, mine, theirs in ((APP1, ALICE, CAROL), (APP2, CAROL, ALICE)):
        ok = client.post("/v1/availability", json=query({"sub": mine}, day=day), headers=headers)
        assert ok.status_code == 200, ok.text
        refused = client.post(
            "/v1/availability", json=query({"sub": theirs}, day=day), headers=headers
        )
        assert refused.status_code == 422
        assert "participants" in refused.json()["errors"]
    refused = client.post(
        "/v1/availability", json=query({"sub": ALICE}, day=day), headers=CAROL_TOKEN
    )
    assert refused.status_code == 422


def test_rules_are_per_account(client: httpx.Client) -> None:
    alice = client.get("/v1/availability_rules", headers=ALICE_TOKEN).json()["availability_rules"]
    carol = client.get("/v1/availability_rules", headers=CAROL_TOKEN).json()["availability_rules"]
    assert [r["availability_rule_id"] for r in alice] == ["default", "short-friday"]
    assert [(r["availability_rule_id"], r["tzid"]) for r in carol] == [("default", "Asia/Kolkata")]
    periods = client.get("/v1/available_periods", headers=ALICE_TOKEN).json()["available_periods"]
    assert [p["available_period_id"] for p in periods] == ["interview-1", "interview-2"]
    assert (
        client.get("/v1/available_periods", headers=CAROL_TOKEN).json()["available_periods"] == []
    )
