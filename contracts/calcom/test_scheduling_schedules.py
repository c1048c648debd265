"""Schedules, cal-api-version 2024-06-11 (docs/reference/scheduling.md §3.5, rules S-K33..S-K38;
schedules_2024_06_11 controller, services and e2e spec, the DTOs in
packages/platform/types/schedules/schedules-2024-06-11) and PATCH /v2/me (§3.9, S-K54, S-K55;
ee/me, modules/users/inputs/update-managed-user.input.ts)."""

from __future__ import annotations

import pytest

from contracts.calcom.conftest import error_of
from contracts.calcom.scheduling import (
    MONDAY,
    ROME_HOURLY,
    SCHEDULES,
    after_change,
    slot_times,
    slots,
)

DEFAULT_ROWS = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "09:00",
        "endTime": "17:00",
    }
]


def post(calcom, body, **kw):
    return calcom.post("/v2/schedules", json=body, version=SCHEDULES, **kw)


def properties(response):
    return {e["property"] for e in error_of(response)["details"]["errors"]}


@pytest.fixture
def default_restored(calcom):
    """Whatever default schedule the user had is the default again afterwards."""
    before = calcom.get("/v2/schedules/default", version=SCHEDULES).json()["data"]
    yield before
    if before is not None:
        calcom.patch(f"/v2/schedules/{before['id']}", json={"isDefault": True}, version=SCHEDULES)


@pytest.mark.rule("scheduling", "S-K33")
def test_rule_S_K33_create_needs_name_zone_and_default_flag(calcom, made):
    sch = made.schedule(availability=None)  # without availability: Mon-Fri 09:00-17:00
    assert set(sch) == {
        "id",
        "ownerId",
        "name",
        "timeZone",
        "availability",
        "isDefault",
        "overrides",
    }
    assert sch["availability"] == DEFAULT_ROWS
    assert (sch["overrides"], sch["isDefault"], sch["timeZone"]) == ([], False, "Europe/Rome")
    missing = post(calcom, {"availability": DEFAULT_ROWS})
    assert missing.status_code == 400
    assert {"name", "timeZone", "isDefault"} <= properties(missing)
    also = calcom.post(
        "/v2/schedules",
        json={"name": "Also", "timeZone": "UTC", "isDefault": False},
        version="2024-06-14",
    )
    assert also.status_code == 201, also.text
    calcom.delete(f"/v2/schedules/{also.json()['data']['id']}", version=SCHEDULES)


@pytest.mark.rule("scheduling", "S-K34")
def test_rule_S_K34_is_default_moves_the_default(calcom, made, default_restored):
    sch = made.schedule(isDefault=True)
    assert sch["isDefault"] is True
    default = calcom.get("/v2/schedules/default", version=SCHEDULES).json()["data"]
    assert default["id"] == sch["id"]
    me = calcom.get("/v2/me").json()["data"]
    assert me["defaultScheduleId"] == sch["id"]
    unset = calcom.patch(f"/v2/schedules/{sch['id']}", json={"isDefault": False}, version=SCHEDULES)
    assert unset.status_code == 200 and unset.json()["data"]["isDefault"] is True  # ignored
    if default_restored is not None:
        listed = calcom.get("/v2/schedules", version=SCHEDULES).json()["data"]
        flags = {s["id"]: s["isDefault"] for s in listed}
        assert flags[sch["id"]] is True and flags[default_restored["id"]] is False


@pytest.mark.rule("scheduling", "S-K35")
def test_rule_S_K35_times_days_and_dates_are_validated(calcom):
    bad_time = post(
        calcom,
        {
            "name": "Bad",
            "timeZone": "UTC",
            "isDefault": False,
            "availability": [{"days": ["Monday"], "startTime": "9am", "endTime": "24:00"}],
        },
    )
    assert bad_time.status_code == 400
    [err] = error_of(bad_time)["details"]["errors"]
    row = err["children"][0]
    texts = {c["property"]: c["constraints"] for c in row["children"]}
    assert texts["startTime"]["matches"] == "startTime must be a valid time format HH:MM"
    assert texts["endTime"]["matches"] == "endTime must be a valid time format HH:MM"
    bad_day = post(
        calcom,
        {
            "name": "Bad",
            "timeZone": "UTC",
            "isDefault": False,
            "availability": [{"days": ["Funday"], "startTime": "09:00", "endTime": "10:00"}],
        },
    )
    assert bad_day.status_code == 400
    bad_date = post(
        calcom,
        {
            "name": "Bad",
            "timeZone": "UTC",
            "isDefault": False,
            "overrides": [{"date": "2050-02-30", "startTime": "09:00", "endTime": "10:00"}],
        },
    )
    assert bad_date.status_code == 400


@pytest.mark.rule("scheduling", "S-K36")
def test_rule_S_K36_patch_replaces_rows_and_overrides_wholesale(calcom, made):
    sch = made.schedule(
        overrides=[{"date": "2050-09-06", "startTime": "10:00", "endTime": "11:00"}]
    )
    url = f"/v2/schedules/{sch['id']}"
    named = calcom.patch(url, json={"name": "Renamed"}, version=SCHEDULES).json()["data"]
    assert named["name"] == "Renamed"
    assert named["availability"] == sch["availability"] and named["overrides"] == sch["overrides"]
    rows = [{"days": ["Saturday"], "startTime": "08:00", "endTime": "09:00"}]
    replaced = calcom.patch(url, json={"availability": rows, "overrides": []}, version=SCHEDULES)
    assert replaced.json()["data"]["availability"] == rows
    assert replaced.json()["data"]["overrides"] == []
    cleared = calcom.patch(url, json={"availability": []}, version=SCHEDULES).json()["data"]
    assert cleared["availability"] == []


@pytest.mark.rule("scheduling", "S-K37")
def test_rule_S_K37_default_is_null_for_a_user_without_one(calcom, states):
    response = calcom.get(
        "/v2/schedules/default", version=SCHEDULES, token=states.get("other_api_key")
    )
    assert response.status_code == 200, response.text
    if not calcom.target.is_fake and response.json()["data"] is not None:
        pytest.skip("the other user has a default schedule on this target")
    assert response.json() == {"status": "success", "data": None}


@pytest.mark.rule("scheduling", "S-K38")
def test_rule_S_K38_unknown_and_foreign_schedules(calcom, states, made):
    missing = calcom.get("/v2/schedules/987654321", version=SCHEDULES)
    assert missing.status_code == 404
    assert error_of(missing)["message"] == "Schedule with ID=987654321 does not exist."
    patch = calcom.patch("/v2/schedules/987654321", json={"name": "x"}, version=SCHEDULES)
    assert patch.status_code == 404
    delete = calcom.delete("/v2/schedules/987654321", version=SCHEDULES)
    assert delete.status_code == 400
    assert error_of(delete)["message"] == "Schedule with ID=987654321 does not exist."
    sch = made.schedule()
    other = states.get("other_api_key")
    foreign = calcom.get(f"/v2/schedules/{sch['id']}", version=SCHEDULES, token=other)
    assert foreign.status_code == 403
    assert error_of(foreign)["message"].endswith(f"does not own schedule with ID={sch['id']}")
    extra = post(calcom, {"name": "Gone", "timeZone": "UTC", "isDefault": False}).json()["data"]
    done = calcom.delete(f"/v2/schedules/{extra['id']}", version=SCHEDULES)
    assert (done.status_code, done.json()) == (200, {"status": "success"})


# -- PATCH /v2/me ------------------------------------------------------------------------------


@pytest.fixture
def me_restored(calcom):
    before = calcom.get("/v2/me").json()["data"]
    yield before
    keep = {k: before[k] for k in ("timeZone", "weekStart", "timeFormat", "name")}
    calcom.patch("/v2/me", json=keep)


@pytest.mark.rule("scheduling", "S-K54")
def test_rule_S_K54_time_zone_moves_the_default_schedule(
    calcom, made, default_restored, me_restored
):
    sch = made.schedule(isDefault=True, timeZone="Europe/Rome")
    et = made.event_type(scheduleId=sch["id"])
    assert (
        slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
        == ROME_HOURLY
    )
    changed = calcom.patch("/v2/me", json={"timeZone": "America/New_York"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["timeZone"] == "America/New_York"
    default = calcom.get("/v2/schedules/default", version=SCHEDULES).json()["data"]
    assert default["timeZone"] == "America/New_York"
    after_change(calcom.target)
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert day[0] == "13:00:00.000Z"  # 09:00 in New York (EDT)
    bad = calcom.patch("/v2/me", json={"timeZone": "Mars/Base"})
    assert bad.status_code == 400
    assert "timeZone" in properties(bad)


@pytest.mark.rule("scheduling", "S-K55")
def test_rule_S_K55_me_fields_are_validated_and_unknown_keys_dropped(calcom, me_restored):
    for body, prop in (
        ({"timeFormat": 13}, "timeFormat"),
        ({"weekStart": "Funday"}, "weekStart"),
        ({"avatarUrl": "not a url"}, "avatarUrl"),
    ):
        response = calcom.patch("/v2/me", json=body)
        assert response.status_code == 400, body
        assert prop in properties(response)
    ok = calcom.patch(
        "/v2/me", json={"weekStart": "Sunday", "timeFormat": 12, "favouriteColour": "red"}
    )
    assert ok.status_code == 200, ok.text
    data = ok.json()["data"]
    assert (data["weekStart"], data["timeFormat"]) == ("Sunday", 12)
    assert "favouriteColour" not in data
    assert {"id", "username", "email", "timeZone", "defaultScheduleId"} <= set(data)
