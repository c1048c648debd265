"""The npm `cronofy` package (3.8.4)'s scheduling calls against a live fake, with nothing changed
but `client.urls.api`: availability (by access token and by client secret), sequenced
availability, availability rules and available periods (paged through `next_page`).

The package is installed once by tests/node_cronofy.py; tests/cronofy_node_scheduling.js prints
what the SDK returned as JSON and the tests below assert on it. Without node and npm the module
is skipped with the reason."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from node_cronofy import installed

from contracts.cronofy.conftest import FAKE_STATES as S
from contracts.kit import WORLD
from mockserver.testing import LiveServer

DRIVER = Path(__file__).with_name("cronofy_node_scheduling.js")
DAY = (datetime.now(UTC) + timedelta(days=12)).date().isoformat()


@pytest.fixture(scope="module")
def out() -> dict[str, Any]:
    module = installed()
    with LiveServer(fixture=WORLD()) as srv:
        httpx.patch(
            f"{srv.url}/_mock/settings", json={"cronofy": {"page_size": 2}}
        ).raise_for_status()
        result = subprocess.run(
            [
                "node",
                str(DRIVER),
                srv.url,
                S["access_token"],
                S["client_secret"],
                S["account_id"],
                S["second_writable_calendar"],
                DAY,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "CRONOFY_MODULE": str(module)},
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def hm(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["start"][11:16], i["end"][11:16]) for i in items]


@pytest.mark.rule("scheduling", "S-C1")
def test_availability_by_token_and_by_client_secret(out: dict[str, Any]) -> None:
    assert hm(out["periods"]["available_periods"]) == [("09:00", "10:00"), ("11:00", "13:00")]
    assert out["withSecret"] == out["periods"]
    assert hm(out["slots"]["available_slots"]) == [
        ("09:00", "10:00"),
        ("11:00", "12:00"),
        ("12:00", "13:00"),
    ]
    assert out["noCredential"]["status"] == 401


@pytest.mark.rule("scheduling", "S-C17")
def test_sequenced_availability(out: dict[str, Any]) -> None:
    first = out["sequenced"]["sequences"][0]["sequence"]
    assert [s["sequence_id"] for s in first] == ["first", "second"]
    assert hm(first) == [("09:00", "10:00"), ("11:00", "11:30")]  # 10:00-10:30 is busy


@pytest.mark.rule("scheduling", "S-C20")
def test_availability_rules(out: dict[str, Any]) -> None:
    rule = out["upsertedRule"]["availability_rule"]
    assert rule["availability_rule_id"] == "node-rule"
    assert "calendar_ids" not in rule
    assert out["rules"] == {"availability_rules": [rule]}
    assert out["readRule"] == {"availability_rule": rule}
    # a managed member: the rule's 09-12 minus the 10-11 busy hour (all calendars count)
    assert hm(out["managed"]["available_periods"]) == [("09:00", "10:00"), ("11:00", "12:00")]
    assert out["deleteRule"] == ""  # 202 with an empty body
    assert out["rulesAfter"] == {"availability_rules": []}


@pytest.mark.rule("scheduling", "S-C26")
def test_available_periods_paged_and_deleted(out: dict[str, Any]) -> None:
    first, second = out["periodPages"]
    assert first["pages"]["current"] == 1 and first["pages"]["total"] == 2
    assert first["pages"]["next_page"].startswith("http")
    ids = [p["available_period_id"] for page in (first, second) for p in page["available_periods"]]
    assert ids == ["p1", "p2", "p3"]
    assert second["pages"] == {"current": 2, "total": 2}
    assert [p["available_period_id"] for p in out["afterDeleteOne"]["available_periods"]] == [
        "p2",
        "p3",
    ]
    assert out["afterDeleteAll"]["available_periods"] == []


@pytest.mark.rule("scheduling", "S-C29")
def test_a_bad_query_is_the_422_dialect(out: dict[str, Any]) -> None:
    assert out["badQuery"]["status"] == 422
    errors = out["badQuery"]["entity"]["errors"]
    assert [e["key"] for e in errors["participants"]] == ["errors.required"]
