"""Delete and bulk delete rules (reference/cronofy.md §8, rules 36-39; §3.5, §3.7).

Bulk delete removes every managed event of the account (or of the calendars named): on a live
account run these tests alone (-n 0), not beside tests that rely on their own managed events."""

from __future__ import annotations

import json

import pytest

from contracts.cronofy.conftest import event as cronofy_event
from contracts.kit import day, fake_settings

DAY = 11


def event(event_id: str, hour: int = 10) -> dict:
    return cronofy_event(
        event_id, offset=DAY, hour=hour, minutes=30, summary="Contract delete {event_id}"
    )


def managed(cronofy, **params) -> dict[tuple[str, str], dict]:
    """Our managed events around the test day, by (calendar_id, event_id)."""
    params.setdefault("only_managed", "true")
    params.setdefault("from", day(DAY - 1).isoformat())
    params.setdefault("to", day(DAY + 2).isoformat())
    return {(e["calendar_id"], e["event_id"]): e for e in cronofy.read_events(**params)}


def create(cronofy, calendar_id: str, event_id: str) -> None:
    response = cronofy.upsert(calendar_id, event(event_id))
    assert response.status_code == 202, response.text
    assert (calendar_id, event_id) in managed(cronofy)


def delete_event(cronofy, calendar_id: str, body: dict):
    return cronofy.delete(f"/v1/calendars/{calendar_id}/events", json=body)


@pytest.mark.rule("cronofy", 36)
def test_rule_36_delete_by_event_id(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    doomed, kept = f"{unique_id}-doomed", f"{unique_id}-kept"
    create(cronofy, cal, doomed)
    create(cronofy, cal, kept)

    response = delete_event(cronofy, cal, {"event_id": doomed})
    assert response.status_code == 202
    assert response.content == b""
    live = managed(cronofy)
    assert (cal, doomed) not in live
    assert live[(cal, kept)]["deleted"] is False
    with_deleted = managed(cronofy, include_deleted="true")
    assert with_deleted[(cal, doomed)]["deleted"] is True


@pytest.mark.rule("cronofy", 37)
@pytest.mark.parametrize("body", [{}, {"include_userinfo": False}], ids=["empty", "no_id"])
def test_rule_37_missing_event_id_and_event_uid_is_422_required(cronofy, states, unique_id, body):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    response = delete_event(cronofy, cal, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    fields = set(errors) & {"event_id", "event_uid"}
    assert fields, errors
    assert all("errors.required" in [e["key"] for e in errors[f]] for f in fields)
    assert managed(cronofy)[(cal, unique_id)]["deleted"] is False


@pytest.mark.rule("cronofy", 37)
def test_rule_37_unknown_event_id_is_202_and_repeated_delete_is_202(cronofy, states, unique_id):
    """The Delete Event page lists 404 only for an unrecognised calendar_id, and the SDK tests
    delete event_ids they never created and expect 202 (cronofy/cronofy-csharp
    DeleteEvent.cs::CanDeleteEvent, cronofy/pycronofy tests/test_batch.py::test_batch): an
    unknown event_id is accepted and changes nothing. Deleting a deleted one again: 202."""
    cal = states.get("writable_calendar")
    before = managed(cronofy, include_deleted="true")
    response = delete_event(cronofy, cal, {"event_id": f"{unique_id}-never"})
    assert response.status_code == 202 and response.content == b""
    assert managed(cronofy, include_deleted="true") == before
    create(cronofy, cal, unique_id)
    assert delete_event(cronofy, cal, {"event_id": unique_id}).status_code == 202
    assert delete_event(cronofy, cal, {"event_id": unique_id}).status_code == 202


@pytest.mark.rule("cronofy", 37)
@pytest.mark.fake_only
def test_rule_37_unknown_event_id_is_404_when_so_set(cronofy, states, unique_id):
    """`unknown_event_delete_status: 404` (the other reading of the Delete Event page): an
    event_id never upserted is refused with no body; a deleted one is still recognised (202)."""
    cal = states.get("writable_calendar")
    with fake_settings(cronofy.target, unknown_event_delete_status=404):
        response = delete_event(cronofy, cal, {"event_id": f"{unique_id}-never"})
        assert response.status_code == 404 and response.content == b""
        create(cronofy, cal, unique_id)
        assert delete_event(cronofy, cal, {"event_id": unique_id}).status_code == 202
        assert delete_event(cronofy, cal, {"event_id": unique_id}).status_code == 202


@pytest.mark.rule("cronofy", 37)
@pytest.mark.parametrize("which", ["unknown", "other_account"])
def test_rule_37_unknown_or_foreign_calendar_is_404(cronofy, states, unique_id, which):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    target = (
        "cal_c0ntract9999_nosuchcalendar"
        if which == "unknown"
        else states.get("other_account_calendar")
    )
    response = delete_event(cronofy, target, {"event_id": unique_id})
    assert response.status_code == 404
    assert managed(cronofy)[(cal, unique_id)]["deleted"] is False


@pytest.mark.rule("cronofy", 38)
def test_rule_38_delete_body_as_json_with_charset(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    response = cronofy.delete(
        f"/v1/calendars/{cal}/events",
        content=json.dumps({"event_id": unique_id}).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 202
    assert (cal, unique_id) not in managed(cronofy)


@pytest.mark.rule("cronofy", 38)
def test_rule_38_bulk_delete_accepts_pycronofy_query_calendar_ids(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    create(cronofy, first, unique_id)
    create(cronofy, second, unique_id)
    # pycronofy: DELETE /v1/events?calendar_ids[]=... with a `{}` JSON body.
    response = cronofy.delete("/v1/events", params={"calendar_ids[]": [second]}, json={})
    assert response.status_code == 202
    live = managed(cronofy)
    assert (second, unique_id) not in live
    assert (first, unique_id) in live


@pytest.mark.rule("cronofy", 38)
def test_rule_38_bulk_delete_accepts_pycronofy_query_delete_all(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    create(cronofy, first, unique_id)
    create(cronofy, second, unique_id)
    # pycronofy: DELETE /v1/events?delete_all=True (Python-style boolean) with a `{}` body.
    response = cronofy.delete("/v1/events", params={"delete_all": "True"}, json={})
    assert response.status_code == 202
    assert managed(cronofy) == {}


@pytest.mark.rule("cronofy", 39)
def test_rule_39_delete_all_removes_managed_events_and_keeps_external(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    external_uid = states.get("editable_external_event")
    create(cronofy, first, unique_id)
    create(cronofy, second, unique_id)

    response = cronofy.delete("/v1/events", json={"delete_all": True})
    assert response.status_code == 202
    assert response.content == b""
    assert managed(cronofy) == {}
    assert cronofy.read_events(only_managed="true") == []  # of all time, not just this window
    deleted = managed(cronofy, include_deleted="true")
    assert deleted[(first, unique_id)]["deleted"] is True
    assert deleted[(second, unique_id)]["deleted"] is True
    external = [e for e in cronofy.read_events() if e["event_uid"] == external_uid]
    assert len(external) == 1 and external[0]["deleted"] is False


@pytest.mark.rule("cronofy", 39)
def test_rule_39_calendar_ids_limits_bulk_delete_to_those_calendars(cronofy, states, unique_id):
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    create(cronofy, first, unique_id)
    create(cronofy, second, unique_id)
    response = cronofy.delete("/v1/events", json={"calendar_ids": [second]})
    assert response.status_code == 202
    live = managed(cronofy)
    assert (second, unique_id) not in live
    assert live[(first, unique_id)]["deleted"] is False


@pytest.mark.rule("cronofy", 39)
@pytest.mark.parametrize("shape", ["neither", "both"])
def test_rule_39_exactly_one_of_delete_all_and_calendar_ids(cronofy, states, unique_id, shape):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    body = {} if shape == "neither" else {"delete_all": True, "calendar_ids": [cal]}
    response = cronofy.delete("/v1/events", json=body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) & {"delete_all", "calendar_ids"}
    assert managed(cronofy)[(cal, unique_id)]["deleted"] is False


@pytest.mark.rule("cronofy", 39)
@pytest.mark.parametrize("value", [False, "yes"])
def test_rule_39_delete_all_must_be_true(cronofy, states, unique_id, value):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    response = cronofy.delete("/v1/events", json={"delete_all": value})
    assert response.status_code == 422
    keys = [e["key"] for e in response.json()["errors"]["delete_all"]]
    assert "errors.must_be_boolean" in keys
    assert managed(cronofy)[(cal, unique_id)]["deleted"] is False


@pytest.mark.rule("cronofy", 39)
@pytest.mark.parametrize("which", ["empty", "unknown", "other_account"])
def test_rule_39_empty_or_unknown_calendar_ids_are_422(cronofy, states, unique_id, which):
    cal = states.get("writable_calendar")
    create(cronofy, cal, unique_id)
    ids = {
        "empty": [],
        "unknown": ["cal_c0ntract9999_nosuchcalendar"],
        "other_account": [states.get("other_account_calendar")],
    }[which]
    response = cronofy.delete("/v1/events", json={"calendar_ids": ids})
    assert response.status_code == 422
    keys = [e["key"] for e in response.json()["errors"]["calendar_ids"]]
    assert "errors.invalid_calendar_ids" in keys
    assert managed(cronofy)[(cal, unique_id)]["deleted"] is False
