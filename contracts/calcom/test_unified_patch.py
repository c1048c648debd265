"""Updating a calendar event: PATCH /v2/calendars/{calendar}/events/{eventUid} (reference/
calcom.md §1.4, §2.2; rules 2, 11, 13, 14, 19-23, 27-30)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from contracts.calcom.conftest import error_of, instant


def constraint_paths(errors: list[dict], prefix: tuple[str, ...] = ()) -> dict[tuple, dict]:
    """{(property, child, ...): constraints} for every leaf of class-validator's error trees."""
    out: dict[tuple, dict] = {}
    for err in errors:
        path = (*prefix, err["property"])
        if err.get("constraints"):
            out[path] = err["constraints"]
        out |= constraint_paths(err.get("children", []), path)
    return out


@pytest.mark.rule("calcom", 2)
def test_rule_2_patch_returns_the_updated_event(calcom, states):
    uid = states.get("disposable_event_uid")
    response = calcom.update(uid, {"title": "Contract: renamed"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    assert body["data"]["id"] == uid
    assert body["data"]["title"] == "Contract: renamed"
    assert calcom.event(uid).json()["data"]["title"] == "Contract: renamed"


@pytest.mark.rule("calcom", 11)
def test_rule_11_validation_runs_before_the_calendar_check(calcom, states):
    response = calcom.update(states.get("disposable_event_uid"), {"title": 5}, calendar="outlook")
    assert response.status_code == 400
    error = error_of(response)
    assert error["message"] == "Bad Request Exception"
    assert "Google Calendar" not in error["message"]


@pytest.mark.rule("calcom", 13)
def test_rule_13_validation_400_carries_class_validator_errors(calcom, states):
    response = calcom.update(states.get("disposable_event_uid"), {"title": 5})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "BadRequestException"
    assert error["message"] == "Bad Request Exception"
    [entry] = error["details"]["errors"]
    assert set(entry) >= {"property", "value", "target", "children", "constraints"}
    assert entry["property"] == "title"
    assert entry["value"] == 5
    assert entry["target"] == {"title": 5}
    assert entry["children"] == []
    assert entry["constraints"] == {"isString": "title must be a string"}


@pytest.mark.rule("calcom", 13)
def test_rule_13_several_errors_in_one_answer(calcom, states):
    body = {"start": {"time": "notadate"}, "status": "bogus", "attendees": [{"name": "x"}]}
    response = calcom.update(states.get("disposable_event_uid"), {**body, "extra": 1})
    assert response.status_code == 400
    errors = error_of(response)["details"]["errors"]
    assert [e["property"] for e in errors] == ["start", "attendees", "status"]
    assert errors[0]["target"] == body  # the whitelisted body: "extra" already stripped
    paths = constraint_paths(errors)
    assert paths[("start", "time")] == {"isIso8601": "time must be a valid ISO 8601 date string"}
    assert paths[("attendees", "0", "email")] == {"isString": "email must be a string"}
    assert paths[("status",)] == {
        "isEnum": "status must be one of the following values: accepted, pending, declined, cancelled"
    }


@pytest.mark.rule("calcom", 14)
def test_rule_14_unknown_properties_are_dropped_silently(calcom, states):
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    response = calcom.update(uid, {"title": "x", "foo": 1, "summary": "not a field", "id": "y"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["title"] == "x"
    assert data["id"] == uid
    assert "foo" not in data
    assert {k: v for k, v in data.items() if k != "title"} == {
        k: v for k, v in before.items() if k != "title"
    }


@pytest.mark.rule("calcom", 19)
def test_rule_19_patch_is_partial_and_empty_body_changes_nothing(calcom, states):
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    empty = calcom.update(uid, {})
    assert empty.status_code == 200
    assert empty.json()["data"] == before
    titled = calcom.update(uid, {"description": "Only the description"})
    assert titled.status_code == 200
    after = titled.json()["data"]
    assert after["description"] == "Only the description"
    for key in ("title", "start", "end", "attendees", "status", "locations"):
        assert after.get(key) == before.get(key), key


@pytest.mark.rule("calcom", 20)
def test_rule_20_attendees_replace_the_list(calcom, states):
    uid = states.get("disposable_event_uid")
    one = {"email": "only.one@contract.example", "name": "Only One"}
    response = calcom.update(uid, {"attendees": [one]})
    assert response.status_code == 200, response.text
    after = calcom.event(uid).json()["data"]
    assert [a["email"] for a in after["attendees"]] == [one["email"]]
    cleared = calcom.update(uid, {"attendees": []})
    assert cleared.status_code == 200
    assert "attendees" not in cleared.json()["data"]
    assert "attendees" not in calcom.event(uid).json()["data"]


@pytest.mark.rule("calcom", 21)
def test_rule_21_missing_response_status_reads_needs_action_and_host_is_not_settable(
    calcom, states
):
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    organizer = before["calendarEventOwner"]["email"]
    body = {
        "attendees": [
            {"email": "fresh@contract.example", "host": True, "self": True},
            {"email": organizer, "responseStatus": "accepted"},
        ]
    }
    response = calcom.update(uid, body)
    assert response.status_code == 200, response.text
    data = calcom.event(uid).json()["data"]
    by_email = {a["email"]: a for a in data["attendees"]}
    assert by_email["fresh@contract.example"]["responseStatus"] == "needsAction"
    assert not by_email["fresh@contract.example"].get("host")
    assert [h["email"] for h in data["hosts"]] == [organizer]


@pytest.mark.rule("calcom", 22)
@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("accepted", "accepted"),
        ("pending", "pending"),
        ("cancelled", "cancelled"),
        ("declined", "cancelled"),
        (None, "accepted"),
    ],
)
def test_rule_22_status_mapping(calcom, states, sent, read):
    uid = states.get("disposable_event_uid")
    if sent is None:  # start from a status other than the expected one
        calcom.update(uid, {"status": "pending"})
    response = calcom.update(uid, {"status": sent})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == read
    assert calcom.event(uid).json()["data"]["status"] == read


@pytest.mark.rule("calcom", 23)
@pytest.mark.parametrize("value", [None, ""])
def test_rule_23_empty_description_reads_null(calcom, states, value):
    uid = states.get("disposable_event_uid")
    calcom.update(uid, {"description": "something"})
    response = calcom.update(uid, {"description": value})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["description"] is None
    assert calcom.event(uid).json()["data"]["description"] is None


@pytest.mark.rule("calcom", 27)
def test_rule_27_times_are_compared_as_instants(calcom, states):
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    start = instant(before["start"]["time"]).astimezone(UTC) + timedelta(days=1)
    end = start + timedelta(minutes=45)
    body = {
        "start": {"time": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "Asia/Tokyo"},
        "end": {"time": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "Asia/Tokyo"},
    }
    response = calcom.update(uid, body)
    assert response.status_code == 200, response.text
    data = calcom.event(uid).json()["data"]
    assert instant(data["start"]["time"]) == start
    assert instant(data["end"]["time"]) == end
    assert data["start"]["timeZone"] == "Asia/Tokyo"


@pytest.mark.rule("calcom", 28)
@pytest.mark.parametrize(
    "part", [{"timeZone": "Europe/Rome"}, {}, {"time": None, "timeZone": "Europe/Rome"}]
)
def test_rule_28_start_without_time_fails_with_404(calcom, states, part):
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    response = calcom.update(uid, {"start": part, "title": "not applied"})
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "NotFoundException"
    assert error["message"] == "Failed to update meeting details"
    assert calcom.event(uid).json()["data"] == before


@pytest.mark.rule("calcom", 29)
def test_rule_29_bad_time_and_bad_status_constraints(calcom, states):
    uid = states.get("disposable_event_uid")
    bad_time = calcom.update(uid, {"end": {"time": "tomorrow at noon"}})
    assert bad_time.status_code == 400
    assert constraint_paths(error_of(bad_time)["details"]["errors"])[("end", "time")] == {
        "isIso8601": "time must be a valid ISO 8601 date string"
    }
    bad_status = calcom.update(uid, {"status": "confirmed"})
    assert bad_status.status_code == 400
    assert "isEnum" in constraint_paths(error_of(bad_status)["details"]["errors"])[("status",)]


@pytest.mark.rule("calcom", 30)
@pytest.mark.parametrize("attendee", [{"name": "No Email"}, {"email": 42}, {"email": None}])
def test_rule_30_attendee_needs_a_string_email(calcom, states, attendee):
    uid = states.get("disposable_event_uid")
    response = calcom.update(uid, {"attendees": [{"email": "fine@contract.example"}, attendee]})
    assert response.status_code == 400
    paths = constraint_paths(error_of(response)["details"]["errors"])
    assert paths == {("attendees", "1", "email"): {"isString": "email must be a string"}}
