"""Read Events and Free-busy rules (reference/cronofy.md §8, rules 40-49 and 51; §3.8, §3.9)."""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from contracts.cronofy.conftest import event as cronofy_event
from contracts.kit import at, day, window

PATHS = ["/v1/events", "/v1/free_busy"]
EVENT_FIELDS = {
    "calendar_id",
    "event_uid",
    "summary",
    "description",
    "start",
    "end",
    "deleted",
    "created",
    "updated",
    "participation_status",
    "transparency",
    "status",
    "categories",
    "recurring",
    "event_private",
    "options",
}
FREE_BUSY_FIELDS = {"calendar_id", "start", "end", "free_busy_status"}


event = partial(cronofy_event, summary="Contract read {event_id}")


def upsert(cronofy, calendar_id: str, body: dict) -> None:
    response = cronofy.upsert(calendar_id, body)
    assert response.status_code == 202, response.text


def ours(events: list[dict], event_id: str) -> list[dict]:
    return [e for e in events if e.get("event_id") == event_id]


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# -- rule 40 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 40)
@pytest.mark.parametrize("path", PATHS)
def test_rule_40_tzid_is_required(cronofy, path):
    response = cronofy.get(path)
    assert response.status_code == 422
    keys = [e["key"] for e in response.json()["errors"]["tzid"]]
    assert "errors.required" in keys


@pytest.mark.rule("cronofy", 40)
@pytest.mark.parametrize("path", PATHS)
def test_rule_40_invalid_tzid_is_422(cronofy, path):
    response = cronofy.get(path, params={"tzid": "Mars/Olympus_Mons"})
    assert response.status_code == 422
    assert "tzid" in response.json()["errors"]  # key UNVERIFIED


# -- rule 41 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 41)
def test_rule_41_managed_events_only_with_include_or_only_managed(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    external_uid = states.get("editable_external_event")
    upsert(cronofy, cal, event(unique_id, at(5, 10), at(5, 11)))

    default = cronofy.read_events()
    assert all("event_id" not in e for e in default)  # none of ours without asking
    assert any(e["event_uid"] == external_uid for e in default)

    included = cronofy.read_events(include_managed="true")
    assert len(ours(included, unique_id)) == 1
    assert any(e["event_uid"] == external_uid for e in included)

    only = cronofy.read_events(only_managed="true")
    assert len(ours(only, unique_id)) == 1
    assert all("event_id" in e for e in only)
    assert all(e["event_uid"] != external_uid for e in only)


# -- rule 42 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 42)
def test_rule_42_window_is_start_before_to_and_end_on_or_after_from(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    evening = f"{unique_id}-evening"
    to_midnight, from_midnight = f"{unique_id}-to-midnight", f"{unique_id}-from-midnight"
    upsert(cronofy, cal, event(evening, at(10, 20), at(10, 21)))
    upsert(cronofy, cal, event(to_midnight, at(12, 22), at(13, 0)))
    upsert(cronofy, cal, event(from_midnight, at(13, 0), at(13, 1)))

    def seen(event_id: str, tzid: str, start: int, end: int) -> bool:
        events = cronofy.read_events(
            include_managed="true",
            tzid=tzid,
            **{"from": day(start).isoformat(), "to": day(end).isoformat()},
        )
        return bool(ours(events, event_id))

    assert seen(evening, "Etc/UTC", 10, 11)
    assert not seen(evening, "Etc/UTC", 11, 12)  # ended before `from`
    assert not seen(evening, "Etc/UTC", 9, 10)  # `to` is exclusive
    assert seen(evening, "Asia/Tokyo", 11, 12)  # 20:00Z is 05:00 the next day in Tokyo
    assert seen(to_midnight, "Etc/UTC", 13, 14)  # ends exactly at `from`
    assert not seen(from_midnight, "Etc/UTC", 12, 13)  # starts exactly at `to`
    assert seen(from_midnight, "Etc/UTC", 13, 14)


@pytest.mark.rule("cronofy", 42)
@pytest.mark.parametrize("path", PATHS)
def test_rule_42_from_at_most_42_days_back(cronofy, path):
    ok = cronofy.get(path, params={"tzid": "Etc/UTC", "from": day(-42).isoformat()})
    assert ok.status_code == 200, ok.text
    response = cronofy.get(path, params={"tzid": "Etc/UTC", "from": day(-43).isoformat()})
    assert response.status_code == 422
    assert "from" in response.json()["errors"]


@pytest.mark.rule("cronofy", 42)
@pytest.mark.parametrize("path", PATHS)
def test_rule_42_to_at_most_201_days_ahead(cronofy, path):
    ok = cronofy.get(path, params={"tzid": "Etc/UTC", "to": day(201).isoformat()})
    assert ok.status_code == 200, ok.text
    response = cronofy.get(path, params={"tzid": "Etc/UTC", "to": day(230).isoformat()})
    assert response.status_code == 422
    assert "to" in response.json()["errors"]


@pytest.mark.rule("cronofy", 42)
def test_rule_42_default_window_is_42_days_back_to_201_ahead(cronofy, states):
    beyond = states.get("beyond_window_external_event")
    before = states.get("before_window_external_event")
    events = cronofy.read_events()
    uids = {e["event_uid"] for e in events}
    assert beyond not in uids and before not in uids
    for e in events:  # a day of slack each side for where "today" is
        assert e["start"][:10] <= day(202).isoformat(), e
        assert e["end"][:10] >= day(-43).isoformat(), e


# -- rule 43 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 43)
def test_rule_43_managed_events_ignore_the_default_window(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    past, future = f"{unique_id}-past", f"{unique_id}-future"
    upsert(cronofy, cal, event(past, at(-100, 10), at(-100, 11)))
    upsert(cronofy, cal, event(future, at(250, 10), at(250, 11)))

    everything = cronofy.read_events(only_managed="true")
    assert len(ours(everything, past)) == 1
    assert len(ours(everything, future)) == 1
    # An explicit window still applies to them.
    windowed = cronofy.read_events(only_managed="true", **window(-1, 30))
    assert not ours(windowed, past) and not ours(windowed, future)


# -- rule 44 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 44)
def test_rule_44_deleted_events_only_with_include_deleted(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    doomed, kept = f"{unique_id}-doomed", f"{unique_id}-kept"
    upsert(cronofy, cal, event(doomed, at(14, 10), at(14, 11)))
    upsert(cronofy, cal, event(kept, at(14, 12), at(14, 13)))
    gone = cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": doomed})
    assert gone.status_code == 202

    plain = cronofy.read_events(include_managed="true", **window(14, 2))
    assert not ours(plain, doomed)
    assert ours(plain, kept)[0]["deleted"] is False
    assert all(e["deleted"] is False for e in plain)

    with_deleted = cronofy.read_events(
        include_managed="true", include_deleted="true", **window(14, 2)
    )
    assert [e["deleted"] for e in ours(with_deleted, doomed)] == [True]
    assert [e["deleted"] for e in ours(with_deleted, kept)] == [False]


# -- rule 45 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 45)
def test_rule_45_last_modified_returns_only_events_changed_since(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    first, second = f"{unique_id}-a", f"{unique_id}-b"
    read = {"only_managed": "true", "include_deleted": "true", **window(15, 2)}

    def get(event_id: str, **params) -> list[dict]:
        return ours(cronofy.read_events(**read, **params), event_id)

    upsert(cronofy, cal, event(first, at(15, 10), at(15, 11)))
    [a] = get(first)
    time.sleep(1.1)  # `updated` has whole-second resolution
    upsert(cronofy, cal, event(second, at(15, 12), at(15, 13)))
    [b] = get(second)
    assert parse(b["updated"]) > parse(a["updated"])

    assert get(second, last_modified=b["updated"])
    assert not get(first, last_modified=b["updated"])

    time.sleep(1.1)
    upsert(cronofy, cal, event(first, at(15, 10), at(15, 11), summary="Changed"))
    [a2] = get(first, last_modified=b["updated"])  # the update brings it back into the feed
    assert a2["created"] == a["created"]
    assert parse(a2["updated"]) > parse(b["updated"])

    gone = cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": second})
    assert gone.status_code == 202
    [b2] = get(second, last_modified=b["updated"])
    assert b2["deleted"] is True
    assert b2["created"] == b["created"]
    assert parse(b2["updated"]) > parse(b["updated"])


# -- rule 46 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 46)
def test_rule_46_calendar_ids_restrict_the_results(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    upsert(cronofy, first, event(f"{unique_id}-1", at(16, 10), at(16, 11)))
    upsert(cronofy, second, event(f"{unique_id}-2", at(16, 10), at(16, 11)))

    only_second = cronofy.read_events(
        include_managed="true", **window(16, 2), **{"calendar_ids[]": [second]}
    )
    assert only_second and all(e["calendar_id"] == second for e in only_second)
    assert ours(only_second, f"{unique_id}-2") and not ours(only_second, f"{unique_id}-1")

    both = cronofy.read_events(
        include_managed="true", **window(16, 2), **{"calendar_ids[]": [first, second]}
    )
    assert ours(both, f"{unique_id}-1") and ours(both, f"{unique_id}-2")

    free_busy = cronofy.get(
        "/v1/free_busy",
        params={"tzid": "Etc/UTC", "include_managed": "true", "calendar_ids[]": [second]},
    )
    assert free_busy.status_code == 200
    assert all(e["calendar_id"] == second for e in free_busy.json()["free_busy"])


@pytest.mark.rule("cronofy", 46)
@pytest.mark.parametrize("path", PATHS)
def test_rule_46_unknown_calendar_ids_are_422_or_match_nothing(cronofy, path):
    response = cronofy.get(
        path, params={"tzid": "Etc/UTC", "calendar_ids[]": ["cal_c0ntract9999_nosuchcalendar"]}
    )
    assert response.status_code in {200, 422}  # UNVERIFIED which
    if response.status_code == 422:
        assert "calendar_ids" in response.json()["errors"]
    else:
        assert response.json()["events" if path == "/v1/events" else "free_busy"] == []


# -- rule 47 / 48 -----------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 47)
def test_rule_47_every_event_carries_the_documented_fields(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    external_uid = states.get("editable_external_event")
    upsert(cronofy, cal, event(unique_id, at(5, 10), at(5, 11)))
    events = cronofy.read_events(include_managed="true")
    [managed] = ours(events, unique_id)
    [external] = [e for e in events if e["event_uid"] == external_uid]
    for ev in (managed, external):
        assert set(ev) >= EVENT_FIELDS, EVENT_FIELDS - set(ev)
        assert isinstance(ev["deleted"], bool) and isinstance(ev["recurring"], bool)
        assert ev["created"].endswith("Z") and ev["updated"].endswith("Z")
        assert set(ev["options"]) >= {"delete", "update", "change_participation_status"}
    assert managed["event_id"] == unique_id
    assert (managed["calendar_id"], managed["summary"]) == (cal, f"Contract read {unique_id}")
    assert "event_id" not in external
    for ev in events:
        assert set(ev) >= EVENT_FIELDS, (ev["event_uid"], EVENT_FIELDS - set(ev))


@pytest.mark.rule("cronofy", 48)
def test_rule_48_options_follow_management_and_permissions(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    upsert(cronofy, cal, event(unique_id, at(5, 10), at(5, 11)))
    events = cronofy.read_events(include_managed="true")

    def options(uid_state: str) -> list[tuple[bool, bool]]:
        uid = states.get(uid_state)
        found = [e for e in events if uid in (e["event_uid"], e.get("series_identifier"))]
        assert found, f"{uid} must be in the default read window"
        return [(e["options"]["update"], e["options"]["delete"]) for e in found]

    assert [(e["options"]["update"], e["options"]["delete"]) for e in ours(events, unique_id)] == [
        (True, True)
    ]
    assert set(options("editable_external_event")) == {(True, True)}
    assert set(options("sandbox_external_event")) == {(False, False)}  # not unrestricted
    assert set(options("recurring_external_event")) == {(False, False)}  # recurring
    assert set(options("non_editable_external_event")) == {(False, False)}  # owner forbids


# -- rule 49 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 49)
def test_rule_49_times_are_utc_or_dates_unless_localized(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    timed, all_day = f"{unique_id}-t", f"{unique_id}-d"
    zone = "America/New_York"
    start, end = at(12, 15), at(12, 16)
    body = event(timed, {"time": start, "tzid": zone}, {"time": end, "tzid": zone})
    upsert(cronofy, cal, body)
    upsert(cronofy, cal, event(all_day, day(12).isoformat(), day(13).isoformat()))
    params = {"include_managed": "true", "tzid": "Europe/Paris", **window(11, 3)}

    plain = cronofy.read_events(**params)
    [t] = ours(plain, timed)
    assert (t["start"], t["end"]) == (start, end)
    [d] = ours(plain, all_day)
    assert (d["start"], d["end"]) == (day(12).isoformat(), day(13).isoformat())

    local = cronofy.read_events(localized_times="true", **params)
    [t] = ours(local, timed)
    for key, utc in (("start", start), ("end", end)):
        value = t[key]
        assert set(value) == {"time", "tzid"} and value["tzid"] == zone, value
        moment = datetime.fromisoformat(value["time"])
        assert moment == parse(utc)  # the same instant...
        assert moment.utcoffset() == moment.astimezone(ZoneInfo(zone)).utcoffset()  # ...in tzid
    [d] = ours(local, all_day)
    assert d["start"]["time"] == day(12).isoformat() and d["end"]["time"] == day(13).isoformat()
    assert isinstance(d["start"]["tzid"], str) and d["start"]["tzid"]


# -- rule 51 ----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 51)
def test_rule_51_free_busy_entries_and_managed_exclusion(cronofy, states, unique_id):
    cal = states.get("second_writable_calendar")
    busy_start, busy_end = at(20, 7, 13), at(20, 7, 47)
    free_start, free_end = at(20, 9, 13), at(20, 9, 47)
    upsert(cronofy, cal, event(f"{unique_id}-busy", busy_start, busy_end))
    upsert(
        cronofy,
        cal,
        event(f"{unique_id}-free", free_start, free_end, transparency="transparent"),
    )
    params = {"tzid": "Etc/UTC", "calendar_ids[]": [cal], **window(20, 1)}

    def slots(**extra) -> dict[tuple[str, str], str]:
        response = cronofy.get("/v1/free_busy", params={**params, **extra})
        assert response.status_code == 200, response.text
        body = response.json()
        assert {"current", "total"} <= set(body["pages"])
        for entry in body["free_busy"]:
            assert set(entry) >= FREE_BUSY_FIELDS, entry
            assert entry["free_busy_status"] in {"free", "busy", "tentative", "unknown"}
            assert entry["calendar_id"] == cal
        return {(e["start"], e["end"]): e["free_busy_status"] for e in body["free_busy"]}

    default = slots()
    assert (busy_start, busy_end) not in default and (free_start, free_end) not in default
    included = slots(include_managed="true")
    assert included[(busy_start, busy_end)] == "busy"
    assert included[(free_start, free_end)] == "free"


@pytest.mark.rule("cronofy", 51)
def test_rule_51_free_busy_includes_external_events_by_default(cronofy, states):
    uid = states.get("editable_external_event")
    [ev] = [e for e in cronofy.read_events() if e["event_uid"] == uid]
    response = cronofy.get("/v1/free_busy", params={"tzid": "Etc/UTC"})
    assert response.status_code == 200
    body = response.json()
    entries = list(body["free_busy"])
    while body["pages"].get("next_page"):
        body = cronofy.get(body["pages"]["next_page"]).json()
        entries.extend(body["free_busy"])
    match = [
        e
        for e in entries
        if (e["calendar_id"], e["start"], e["end"]) == (ev["calendar_id"], ev["start"], ev["end"])
    ]
    assert match and match[0]["free_busy_status"] in {"busy", "tentative", "free"}
