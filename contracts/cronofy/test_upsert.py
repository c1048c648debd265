"""Upsert rules (reference/cronofy.md §8, rules 17-31)."""

from __future__ import annotations

from functools import partial

import pytest

from contracts.cronofy.conftest import event as cronofy_event
from contracts.kit import at, day

DAY = 9  # test events sit this many days ahead: inside every read window, never in the past
# Status for writes into a read-only or deleted calendar: UNVERIFIED upstream.
CALENDAR_REFUSALS = {403, 404, 422}


START, END = at(DAY, 10), at(DAY, 11)


event = partial(cronofy_event, offset=DAY)  # 10:00-11:00 UTC, DAY days ahead


def copies(cronofy, event_id: str, **params) -> list[dict]:
    """Every read-back copy of one of our managed events around the test day (a recurring one
    gives one per instance)."""
    params.setdefault("only_managed", "true")
    params.setdefault("from", day(DAY - 1).isoformat())
    params.setdefault("to", day(DAY + 5).isoformat())
    return [e for e in cronofy.read_events(**params) if e.get("event_id") == event_id]


def one(cronofy, event_id: str, **params) -> dict:
    found = copies(cronofy, event_id, **params)
    assert len(found) == 1, found
    return found[0]


def assert_absent(cronofy, event_id: str) -> None:
    assert copies(cronofy, event_id, include_deleted="true") == []


def error_fields(response) -> set[str]:
    assert response.status_code == 422, (response.status_code, response.text)
    return set(response.json()["errors"])


def error_keys(response, field: str) -> list[str]:
    return [e["key"] for e in response.json()["errors"][field]]


@pytest.mark.rule("cronofy", 17)
def test_rule_17_upsert_creates_once_then_updates_in_place(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    first = cronofy.upsert(cal, event(unique_id))
    assert first.status_code == 202
    assert first.content == b""
    second = cronofy.upsert(cal, event(unique_id, summary="Renamed"))
    assert second.status_code == 202
    matches = [
        e
        for e in cronofy.read_events(only_managed="true", **{"calendar_ids[]": [cal]})
        if e.get("event_id") == unique_id
    ]
    assert len(matches) == 1
    assert matches[0]["summary"] == "Renamed"


@pytest.mark.rule("cronofy", 18)
def test_rule_18_same_event_id_in_two_calendars_is_two_events(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    assert cronofy.upsert(first, event(unique_id, summary="In the first")).status_code == 202
    assert cronofy.upsert(second, event(unique_id, summary="In the second")).status_code == 202
    found = {e["calendar_id"]: e for e in copies(cronofy, unique_id)}
    assert set(found) == {first, second}
    assert found[first]["summary"] == "In the first"
    assert found[second]["summary"] == "In the second"
    assert found[first]["event_uid"] != found[second]["event_uid"]

    # Changing one leaves the other alone.
    assert cronofy.upsert(first, event(unique_id, summary="First again")).status_code == 202
    found = {e["calendar_id"]: e for e in copies(cronofy, unique_id)}
    assert found[first]["summary"] == "First again"
    assert found[second]["summary"] == "In the second"


@pytest.mark.rule("cronofy", 19)
@pytest.mark.parametrize("field", ["event_id", "summary", "start", "end"])
def test_rule_19_missing_required_field_is_422_required(cronofy, states, unique_id, field):
    cal = states.get("writable_calendar")
    marker = f"Missing {field} {unique_id}"
    body = event(unique_id, summary=marker)
    del body[field]
    response = cronofy.upsert(cal, body)
    assert field in error_fields(response)
    assert "errors.required" in error_keys(response, field)
    leftovers = [
        e
        for e in cronofy.read_events(only_managed="true", include_deleted="true")
        if e.get("event_id") == unique_id or e["summary"] == marker
    ]
    assert leftovers == []


@pytest.mark.rule("cronofy", 20)
@pytest.mark.parametrize("field, limit", [("summary", 1024), ("description", 4096)])
def test_rule_20_text_longer_than_its_limit_is_422(cronofy, states, unique_id, field, limit):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, **{field: "x" * (limit + 1)}))
    assert field in error_fields(response)  # key UNVERIFIED: compare the field only
    assert_absent(cronofy, unique_id)

    assert cronofy.upsert(cal, event(unique_id, **{field: "y" * limit})).status_code == 202
    assert one(cronofy, unique_id)[field] == "y" * limit


@pytest.mark.rule("cronofy", 21)
def test_rule_21_start_and_end_accept_time_date_and_time_with_tzid(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    timed, all_day, zoned = f"{unique_id}-t", f"{unique_id}-d", f"{unique_id}-z"
    assert cronofy.upsert(cal, event(timed)).status_code == 202
    assert (
        cronofy.upsert(
            cal, event(all_day, start=day(DAY).isoformat(), end=day(DAY + 1).isoformat())
        ).status_code
        == 202
    )
    zoned_body = event(
        zoned,
        start={"time": START, "tzid": "Europe/Paris"},
        end={"time": END, "tzid": "Europe/Paris"},
    )
    assert cronofy.upsert(cal, zoned_body).status_code == 202

    ev = one(cronofy, timed)
    assert (ev["start"], ev["end"]) == (START, END)
    ev = one(cronofy, all_day)
    assert (ev["start"], ev["end"]) == (day(DAY).isoformat(), day(DAY + 1).isoformat())
    ev = one(cronofy, zoned)  # `time` is UTC whatever the tzid says
    assert (ev["start"], ev["end"]) == (START, END)


@pytest.mark.rule("cronofy", 21)
def test_rule_21_start_and_end_of_different_kinds_is_422(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, end=day(DAY + 1).isoformat()))
    assert error_fields(response) & {"start", "end"}
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 21)
@pytest.mark.parametrize("end", [START, at(DAY, 9)], ids=["equal", "before"])
def test_rule_21_end_not_after_start_is_422(cronofy, states, unique_id, end):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, end=end))
    assert error_fields(response) & {"start", "end"}  # key UNVERIFIED
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 22)
def test_rule_22_invalid_top_level_tzid_is_422(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, tzid="Mars/Olympus_Mons"))
    assert "tzid" in error_fields(response)
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 22)
def test_rule_22_invalid_tzid_inside_start_is_422(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    body = event(unique_id, start={"time": START, "tzid": "Mars/Olympus_Mons"})
    fields = error_fields(cronofy.upsert(cal, body))
    assert any(f.startswith("start") or f == "tzid" for f in fields), fields
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 22)
def test_rule_22_tzid_defaults_to_utc_and_top_level_tzid_applies(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    plain, zoned = f"{unique_id}-utc", f"{unique_id}-ny"
    assert cronofy.upsert(cal, event(plain)).status_code == 202
    assert cronofy.upsert(cal, event(zoned, tzid="America/New_York")).status_code == 202
    local = {"localized_times": "true", "tzid": "Europe/Paris"}
    assert one(cronofy, plain, **local)["start"]["tzid"] == "Etc/UTC"
    ev = one(cronofy, zoned, **local)
    assert ev["start"]["tzid"] == ev["end"]["tzid"] == "America/New_York"
    assert one(cronofy, zoned)["start"] == START  # still the same instant


@pytest.mark.rule("cronofy", 23)
def test_rule_23_non_zero_milliseconds_are_422(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, start=START.replace(":00Z", ":00.500Z")))
    assert "start" in error_fields(response)
    assert_absent(cronofy, unique_id)

    # A zero millisecond part is not an error.
    body = event(unique_id, start=START.replace(":00Z", ":00.000Z"))
    assert cronofy.upsert(cal, body).status_code == 202
    assert one(cronofy, unique_id)["start"] == START


@pytest.mark.rule("cronofy", 24)
def test_rule_24_space_separator_and_offsets_are_normalised_to_utc(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    d = day(DAY).isoformat()
    body = event(unique_id, start=f"{d} 10:00:00Z", end=f"{d}T13:00:00+02:00")
    response = cronofy.upsert(cal, body)
    assert response.status_code == 202, response.text
    ev = one(cronofy, unique_id)
    assert (ev["start"], ev["end"]) == (START, END)


@pytest.mark.rule("cronofy", 25)
@pytest.mark.parametrize("which", ["unknown", "other_account"])
def test_rule_25_unknown_or_foreign_calendar_is_404(cronofy, states, unique_id, which):
    cal = (
        "cal_c0ntract9999_nosuchcalendar"
        if which == "unknown"
        else states.get("other_account_calendar")
    )
    response = cronofy.upsert(cal, event(unique_id))
    assert response.status_code == 404
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 25)
@pytest.mark.parametrize("state", ["readonly_calendar", "deleted_calendar"])
def test_rule_25_readonly_or_deleted_calendar_is_refused(cronofy, states, unique_id, state):
    cal = states.get(state)
    response = cronofy.upsert(cal, event(unique_id))
    assert response.status_code in CALENDAR_REFUSALS
    if response.status_code == 422:
        assert response.json()["errors"]
    assert_absent(cronofy, unique_id)


@pytest.mark.rule("cronofy", 26)
def test_rule_26_url_omitted_keeps_it_and_null_clears_it(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    url = f"https://contract.example/events/{unique_id}"
    assert cronofy.upsert(cal, event(unique_id, url=url)).status_code == 202
    assert one(cronofy, unique_id)["url"] == url

    assert cronofy.upsert(cal, event(unique_id, summary="No url sent")).status_code == 202
    ev = one(cronofy, unique_id)
    assert (ev["summary"], ev.get("url")) == ("No url sent", url)

    assert cronofy.upsert(cal, event(unique_id, url=None)).status_code == 202
    assert not one(cronofy, unique_id).get("url")


@pytest.mark.rule("cronofy", 27)
def test_rule_27_transparency_defaults_by_event_kind(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    timed, all_day = f"{unique_id}-t", f"{unique_id}-d"
    assert cronofy.upsert(cal, event(timed)).status_code == 202
    body = event(all_day, start=day(DAY).isoformat(), end=day(DAY + 1).isoformat())
    assert cronofy.upsert(cal, body).status_code == 202
    assert one(cronofy, timed)["transparency"] == "opaque"
    assert one(cronofy, all_day)["transparency"] == "transparent"


@pytest.mark.rule("cronofy", 27)
def test_rule_27_transparency_only_opaque_or_transparent(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    response = cronofy.upsert(cal, event(unique_id, transparency="busy"))
    assert "transparency" in error_fields(response)
    assert_absent(cronofy, unique_id)

    assert cronofy.upsert(cal, event(unique_id, transparency="transparent")).status_code == 202
    assert one(cronofy, unique_id)["transparency"] == "transparent"


@pytest.mark.rule("cronofy", 28)
def test_rule_28_at_most_five_reminders(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    six = [{"minutes": m} for m in (5, 10, 15, 30, 60, 120)]
    response = cronofy.upsert(cal, event(unique_id, reminders=six))
    assert "reminders" in error_fields(response)  # key UNVERIFIED
    assert_absent(cronofy, unique_id)

    assert cronofy.upsert(cal, event(unique_id, reminders=six[:5])).status_code == 202
    assert one(cronofy, unique_id)["summary"] == "Contract event"


@pytest.mark.rule("cronofy", 29)
def test_rule_29_conferencing_omitted_is_left_unchanged(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    join_url = f"https://meet.contract.example/{unique_id}"
    conferencing = {
        "profile_id": "explicit",
        "provider_description": "Contract Meet",
        "join_url": join_url,
    }
    assert cronofy.upsert(cal, event(unique_id, conferencing=conferencing)).status_code == 202
    assert one(cronofy, unique_id)["conferencing"]["join_url"] == join_url

    assert cronofy.upsert(cal, event(unique_id, summary="Renamed")).status_code == 202
    ev = one(cronofy, unique_id)
    assert ev["summary"] == "Renamed"
    assert ev["conferencing"]["join_url"] == join_url


@pytest.mark.rule("cronofy", 29)
def test_rule_29_recurrence_omitted_is_kept_and_empty_rules_clear_it(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    daily = {"rules": [{"frequency": "daily", "interval": 1, "count": 3}]}
    assert cronofy.upsert(cal, event(unique_id, recurrence=daily)).status_code == 202
    found = copies(cronofy, unique_id)
    assert len(found) >= 2 and all(e["recurring"] for e in found), found

    assert cronofy.upsert(cal, event(unique_id, summary="Still daily")).status_code == 202
    found = copies(cronofy, unique_id)
    assert len(found) >= 2, found
    assert all(e["recurring"] and e["summary"] == "Still daily" for e in found)

    assert cronofy.upsert(cal, event(unique_id, recurrence={"rules": []})).status_code == 202
    assert one(cronofy, unique_id)["recurring"] is False


@pytest.mark.rule("cronofy", 30)
def test_rule_30_upsert_after_delete_creates_the_event_again(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id)).status_code == 202
    gone = cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": unique_id})
    assert gone.status_code == 202
    assert copies(cronofy, unique_id) == []

    assert cronofy.upsert(cal, event(unique_id, summary="Back again")).status_code == 202
    ev = one(cronofy, unique_id)
    assert (ev["summary"], ev["deleted"]) == ("Back again", False)


@pytest.mark.rule("cronofy", 31)
def test_rule_31_event_id_wins_over_event_uid(cronofy, states, unique_id):
    uid = states.get("editable_external_event")
    before = [e for e in cronofy.read_events() if e["event_uid"] == uid]
    assert len(before) == 1, "the editable external event must be in the default read window"
    external = before[0]
    body = event(unique_id, event_uid=uid, summary=f"Managed, not external {unique_id}")
    response = cronofy.upsert(external["calendar_id"], body)
    assert response.status_code == 202

    managed = one(cronofy, unique_id)
    assert managed["summary"] == body["summary"]
    assert managed["event_uid"] != uid
    after = [e for e in cronofy.read_events() if e["event_uid"] == uid]
    assert len(after) == 1
    assert after[0]["summary"] == external["summary"]
    assert after[0]["updated"] == external["updated"]
    assert "event_id" not in after[0]
