"""Unified Calendar availability, answered from the shared engine's busy timeline
(docs/reference/scheduling.md §4.1, rules S-T1..S-T7). Busy time is made in the Google
account's second calendar on a day no other Truto contract test uses, and deleted afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest

from contracts.kit import midnight
from contracts.truto.conftest import assert_error, iso

AVAILABILITY = "/unified/calendar/availability"
EVENTS = "/unified/calendar/events"
DAY = 25
ITEM_KEYS = {"calendar", "email", "start_time", "end_time", "timezone", "availability"}


def hour(h: int, minute: int = 0) -> str:
    return iso(midnight(DAY) + timedelta(hours=h, minutes=minute))


class Maker:
    """Creates events through the unified API and deletes them when the test ends."""

    def __init__(self, truto) -> None:
        self.truto = truto
        self.calendar = truto.states.get("google_second_calendar")
        self.made: list[str] = []

    def __call__(self, start: str, end: str, **extra) -> None:
        body = {
            "calendar": {"id": self.calendar},
            "title": f"contract-busy-{uuid.uuid4().hex[:10]}",
            "start_time": start,
            "end_time": end,
            "timezone": "UTC",
            **extra,
        }
        response = self.truto.post(EVENTS, account=self.truto.account(), json=body)
        assert 200 <= response.status_code < 300, response.text
        self.made.append(response.json()["id"])

    def clean(self) -> None:
        for event_id in self.made:
            self.truto.delete(
                f"{EVENTS}/{event_id}",
                account=self.truto.account(),
                params={"calendar[id]": self.calendar},
            )


@pytest.fixture
def make(truto) -> Iterator[Maker]:
    maker = Maker(truto)
    yield maker
    maker.clean()


def busy(truto, start: str = hour(0), end: str = hour(24), account: str | None = None) -> list:
    params = {
        "calendar[id]": truto.states.get("google_second_calendar"),
        "start_time": start,
        "end_time": end,
    }
    response = truto.get(AVAILABILITY, account=account or truto.account(), params=params)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def spans(items: list[dict]) -> list[tuple[str, str]]:
    return [(i["start_time"][11:16], i["end_time"][11:16]) for i in items]


@pytest.mark.rule("scheduling", "S-T1")
def test_rule_S_T1_account_required_and_known(truto):
    assert_error(truto.get(AVAILABILITY, params=truto.window()), 400)
    unknown = truto.get(
        AVAILABILITY,
        account=str(uuid.uuid4()),
        params={"calendar[id]": "primary", **truto.window()},
    )
    assert_error(unknown, 404)


@pytest.mark.rule("scheduling", "S-T2")
@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("googlecalendar", "start_time"),
        ("googlecalendar", "end_time"),
        ("googlecalendar", "calendar[id]"),
        ("google", "calendar[id]"),
        ("outlookcalendar", "timezone"),
        ("outlookcalendar", "start_time"),
    ],
)
def test_rule_S_T2_required_query_parameters_per_integration(truto, name, missing):
    params = {**truto.window(), "calendar[id]": "primary", "timezone": "UTC"}
    del params[missing]
    body = assert_error(truto.get(AVAILABILITY, account=truto.account(name), params=params), 400)
    insight = body["truto_error_insight"]["missing_required_query_parameters"]
    assert missing in insight["value"], body


@pytest.mark.rule("scheduling", "S-T3")
def test_rule_S_T3_items_have_exactly_the_six_fields(truto, make):
    make(hour(9), hour(10))
    items = busy(truto)
    assert items
    for item in items:
        unified = {k: v for k, v in item.items() if k != "remote_data"}
        assert set(unified) == ITEM_KEYS
        assert set(item["calendar"]) >= {"id", "name"}
        assert "id" not in item


@pytest.mark.rule("scheduling", "S-T4")
def test_rule_S_T4_overlapping_busy_events_are_one_interval(truto, make):
    make(hour(9), hour(10))
    make(hour(9, 30), hour(11))  # overlaps the first
    make(hour(11), hour(11, 30))  # touches it
    make(hour(14), hour(15))
    items = busy(truto)
    assert spans(items) == [("09:00", "11:30"), ("14:00", "15:00")]
    assert {i["availability"] for i in items} == {"busy"}


@pytest.mark.rule("scheduling", "S-T4")
def test_rule_S_T4_free_and_cancelled_events_make_no_busy_time(truto, make):
    make(hour(9), hour(10), availability="free")
    make(hour(11), hour(12), status="cancelled")
    make(hour(13), hour(14), status="tentative")
    assert spans(busy(truto)) == [("13:00", "14:00")]


@pytest.mark.rule("scheduling", "S-T5")
def test_rule_S_T5_intervals_are_cut_to_the_window(truto, make):
    make(hour(8), hour(12))
    assert spans(busy(truto, hour(10), hour(11))) == [("10:00", "11:00")]
    assert busy(truto, hour(12), hour(13)) == []  # half-open: ends as the window starts


@pytest.mark.rule("scheduling", "S-T6")
def test_rule_S_T6_duration_is_ignored_outside_outlook(truto, make):
    make(hour(9), hour(10))
    params = {
        "calendar[id]": truto.states.get("google_second_calendar"),
        "start_time": hour(0),
        "end_time": hour(24),
    }
    plain = truto.get(AVAILABILITY, account=truto.account(), params=params)
    with_duration = truto.get(
        AVAILABILITY, account=truto.account(), params={**params, "duration": 30}
    )
    assert with_duration.status_code == 200  # UNVERIFIED: ignored, not a 400
    assert with_duration.json()["result"] == plain.json()["result"]


@pytest.mark.rule("scheduling", "S-T7")
@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_rule_S_T7_availability_is_read_only(truto, method):
    response = truto.request(method, AVAILABILITY, account=truto.account(), json={})
    assert_error(response, 404)
