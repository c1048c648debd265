"""Filters and shaping: rules 26-31 of reference/truto.md §12."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contracts.kit import midnight
from contracts.truto.conftest import assert_error, iso

EVENTS = "/unified/calendar/events"


def month_start(months_ahead: int) -> datetime:
    now = datetime.now(UTC)
    month = now.month - 1 + months_ahead
    return datetime(now.year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def ids(truto, account, **params) -> set[str]:
    return {e["id"] for e in truto.list_all("events", account, params)}


@pytest.mark.rule("truto", 26)
def test_rule_26_the_list_window_and_its_end_of_month_defaults(truto):
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    start = month_start(2)
    late_in_month = start + timedelta(days=20, hours=10)
    next_month = month_start(3) + timedelta(hours=12)
    inside = truto.create_google(
        start_time=iso(late_in_month), end_time=iso(late_in_month + timedelta(hours=1))
    )["id"]
    outside = truto.create_google(
        start_time=iso(next_month), end_time=iso(next_month + timedelta(hours=1))
    )["id"]
    # An explicit window is honoured (overlap), at both ends.
    window = ids(
        truto,
        acc,
        **{
            "calendar[id]": cal,
            "start_time": iso(start),
            "end_time": iso(start + timedelta(days=21)),
        },
    )
    assert inside in window and outside not in window
    narrow = ids(
        truto,
        acc,
        **{
            "calendar[id]": cal,
            "start_time": iso(start),
            "end_time": iso(start + timedelta(days=5)),
        },
    )
    assert inside not in narrow
    # No end_time: the window ends with start_time's month.
    open_end = ids(truto, acc, **{"calendar[id]": cal, "start_time": iso(start), "timezone": "UTC"})
    assert inside in open_end and outside not in open_end
    # Neither: up to the end of the current month.
    current = ids(truto, acc, **{"calendar[id]": cal, "timezone": "UTC"})
    assert inside not in current and outside not in current
    soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if soon.month == datetime.now(UTC).month and soon + timedelta(minutes=30) < month_start(1):
        this_month = truto.create_google(
            start_time=iso(soon), end_time=iso(soon + timedelta(minutes=30))
        )["id"]
        assert this_month in ids(truto, acc, **{"calendar[id]": cal, "timezone": "UTC"})


@pytest.mark.rule("truto", 27)
def test_rule_27_updated_at_and_created_at_operators(truto):
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    event = truto.create_google(days=12)
    window = {"calendar[id]": cal, "start_time": iso(midnight(12)), "end_time": iso(midnight(13))}
    for field in ("updated_at", "created_at"):
        stamp = event[field]
        expected = {"gte": True, "lte": True, "gt": False, "lt": False}
        for op, present in expected.items():
            found = ids(truto, acc, **window, **{f"{field}[{op}]": stamp})
            assert (event["id"] in found) is present, (field, op)
        later = iso(datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(days=1))
        assert event["id"] not in ids(truto, acc, **window, **{f"{field}[gt]": later})
        assert event["id"] in ids(truto, acc, **window, **{f"{field}[lt]": later})
    bad = truto.get(EVENTS, account=acc, params={**window, "updated_at[gt]": "yesterday"})
    assert_error(bad, 400)


@pytest.mark.rule("truto", 28)
def test_rule_28_remote_data_on_every_object_unless_ignored(truto):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    created = truto.create_google()
    assert isinstance(created["remote_data"], dict)
    reads = [
        truto.get(EVENTS, account=acc, params={**cal, **truto.window()}).json()["result"],
        [truto.get(f"{EVENTS}/{created['id']}", account=acc, params=cal).json()],
        truto.get("/unified/calendar/calendars", account=acc).json()["result"],
        truto.get(
            "/unified/calendar/availability", account=acc, params={**cal, **truto.window()}
        ).json()["result"],
    ]
    for items in reads:
        assert items and all(isinstance(i.get("remote_data"), dict) for i in items)
    quiet = {"truto_ignore_remote_data": "true"}
    reads = [
        truto.get(EVENTS, account=acc, params={**cal, **truto.window(), **quiet}).json()["result"],
        [truto.get(f"{EVENTS}/{created['id']}", account=acc, params={**cal, **quiet}).json()],
        [
            truto.patch(
                f"{EVENTS}/{created['id']}", account=acc, params=quiet, json=truto.google_body()
            ).json()
        ],
        truto.get("/unified/calendar/calendars", account=acc, params=quiet).json()["result"],
    ]
    for items in reads:
        assert items and not any("remote_data" in i for i in items)


@pytest.mark.rule("truto", 29)
def test_rule_29_exclude_fields_in_list_get_create_and_update(truto):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    drop = {"truto_exclude_fields[]": ["description", "attendees"]}
    created = truto.post(EVENTS, account=acc, params=drop, json=truto.google_body()).json()
    eid = created["id"]
    objects = [
        created,
        truto.get(f"{EVENTS}/{eid}", account=acc, params={**cal, **drop}).json(),
        truto.patch(f"{EVENTS}/{eid}", account=acc, params=drop, json=truto.google_body()).json(),
        *truto.get(EVENTS, account=acc, params={**cal, **truto.window(), **drop}).json()["result"],
    ]
    for obj in objects:
        assert "description" not in obj and "attendees" not in obj
        assert "title" in obj and "id" in obj


@pytest.mark.rule("truto", 30)
def test_rule_30_key_by_turns_the_result_into_an_object(truto):
    acc = truto.account()
    params = {"calendar[id]": truto.states.get("google_calendar"), **truto.window()}
    plain = truto.get(EVENTS, account=acc, params=params).json()["result"]
    keyed = truto.get(EVENTS, account=acc, params={**params, "truto_key_by": "id"}).json()
    assert isinstance(keyed["result"], dict)
    assert set(keyed["result"]) == {e["id"] for e in plain}
    for key, value in keyed["result"].items():
        assert value["id"] == key


@pytest.mark.rule("truto", 31)
def test_rule_31_raw_returns_the_provider_object_and_unknown_formats_are_400(truto):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    eid = truto.states.get("google_event")
    unified = truto.get(f"{EVENTS}/{eid}", account=acc, params=cal).json()
    raw = truto.get(
        f"{EVENTS}/{eid}", account=acc, params={**cal, "truto_response_format": "raw"}
    ).json()
    assert raw["kind"] == "calendar#event"  # a Google Calendar event resource
    assert raw["id"] == unified["id"] and raw["summary"] == unified["title"]
    assert "title" not in raw
    listed = truto.get(
        EVENTS, account=acc, params={**cal, **truto.window(), "truto_response_format": "raw"}
    ).json()
    assert listed["result"] and all(i["kind"] == "calendar#event" for i in listed["result"])
    normalized = truto.get(
        f"{EVENTS}/{eid}", account=acc, params={**cal, "truto_response_format": "normalized"}
    )
    assert normalized.status_code == 200 and normalized.json()["title"] == unified["title"]
    assert_error(
        truto.get(f"{EVENTS}/{eid}", account=acc, params={**cal, "truto_response_format": "yaml"}),
        400,
    )
