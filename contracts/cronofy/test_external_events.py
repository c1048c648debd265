"""External-event rules (reference/cronofy.md §8, rules 32-35; §3.4, §3.6).

External events are the calendar owner's, identified only by `event_uid`. The states used for
DELETE (`disposable_external_event`, `second_disposable_external_event`) are used up by a live
run: `states.disposable` takes the first one still there from a comma-separated pool and, when
none is left, fails with the step that makes new ones (contracts/cronofy/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

# How an edit/delete the owner does not allow is refused: UNVERIFIED upstream.
REFUSALS = {403, 422}


def externals(cronofy, uid: str, **params) -> list[dict]:
    """The event (or, for a series, its instances) with this uid in the default window."""
    return [
        e
        for e in cronofy.read_events(**params)
        if e["event_uid"] == uid or e.get("series_identifier") == uid
    ]


def external(cronofy, uid: str, **params) -> dict:
    found = externals(cronofy, uid, **params)
    assert len(found) == 1, f"{uid} must be in the default read window once: {found}"
    return found[0]


def edit(ev: dict, uid: str | None = None, **changes) -> dict:
    """An upsert body that edits an external event, keeping its times."""
    return {
        "event_uid": uid or ev["event_uid"],
        "summary": ev["summary"],
        "start": ev["start"],
        "end": ev["end"],
        **changes,
    }


def delete_uid(cronofy, calendar_id: str, uid: str):
    return cronofy.delete(f"/v1/calendars/{calendar_id}/events", json={"event_uid": uid})


@pytest.mark.rule("cronofy", 32)
def test_rule_32_external_event_is_editable_by_event_uid(cronofy, states, unique_id):
    uid = states.get("editable_external_event")
    before = external(cronofy, uid)
    assert before["options"]["update"] is True
    summary = f"Edited by the contract kit {unique_id}"
    response = cronofy.upsert(before["calendar_id"], edit(before, summary=summary))
    assert response.status_code == 202
    assert response.content == b""

    after = external(cronofy, uid)
    assert after["summary"] == summary
    assert after["calendar_id"] == before["calendar_id"]
    assert "event_id" not in after  # still external, not turned into a managed event
    managed = cronofy.read_events(only_managed="true", include_deleted="true")
    assert [e for e in managed if e["summary"] == summary] == []


@pytest.mark.rule("cronofy", 32)
@pytest.mark.parametrize("state", ["non_editable_external_event", "sandbox_external_event"])
def test_rule_32_edit_is_refused_without_permission(cronofy, states, unique_id, state):
    """`options.update` false (owner forbids it) or a sandbox calendar (no unrestricted
    access) both refuse the edit."""
    uid = states.get(state)
    before = external(cronofy, uid)
    assert before["options"]["update"] is False
    response = cronofy.upsert(before["calendar_id"], edit(before, summary=f"Refused {unique_id}"))
    assert response.status_code in REFUSALS
    after = external(cronofy, uid)
    assert (after["summary"], after["updated"]) == (before["summary"], before["updated"])


@pytest.mark.rule("cronofy", 33)
def test_rule_33_deleted_external_event_is_not_recreated_by_edit(cronofy, states, unique_id):
    uid = states.disposable(
        "second_disposable_external_event", lambda u: bool(externals(cronofy, u))
    )
    ev = external(cronofy, uid)
    assert delete_uid(cronofy, ev["calendar_id"], uid).status_code == 202
    assert externals(cronofy, uid) == []

    summary = f"Resurrection attempt {unique_id}"
    response = cronofy.upsert(ev["calendar_id"], edit(ev, summary=summary))
    # Refused outright, or accepted and then not acted on (the API is asynchronous).
    assert response.status_code in {202, 403, 404, 422}
    assert externals(cronofy, uid) == []
    everything = cronofy.read_events(include_managed="true", include_deleted="true")
    assert [e for e in everything if e["summary"] == summary] == []
    assert all(e["deleted"] for e in everything if e["event_uid"] == uid)


@pytest.mark.rule("cronofy", 34)
def test_rule_34_recurring_external_events_cannot_be_edited_or_deleted(cronofy, states, unique_id):
    uid = states.get("recurring_external_event")
    before = externals(cronofy, uid)
    assert before, f"{uid} must have instances in the default read window"
    for instance in before:
        assert instance["recurring"] is True
        assert instance["options"]["update"] is False
        assert instance["options"]["delete"] is False

    cal = before[0]["calendar_id"]
    for attempt_uid in sorted({uid, before[0]["event_uid"]}):
        body = edit(before[0], uid=attempt_uid, summary=f"Refused {unique_id}")
        assert cronofy.upsert(cal, body).status_code in REFUSALS
        assert delete_uid(cronofy, cal, attempt_uid).status_code in REFUSALS

    after = externals(cronofy, uid)
    assert [(e["event_uid"], e["summary"], e["deleted"]) for e in after] == [
        (e["event_uid"], e["summary"], False) for e in before
    ]


@pytest.mark.rule("cronofy", 35)
def test_rule_35_external_event_is_deletable_by_event_uid(cronofy, states):
    uid = states.disposable("disposable_external_event", lambda u: bool(externals(cronofy, u)))
    ev = external(cronofy, uid)
    assert ev["options"]["delete"] is True
    response = delete_uid(cronofy, ev["calendar_id"], uid)
    assert response.status_code == 202
    assert response.content == b""
    assert externals(cronofy, uid) == []
    # include_deleted may still show it, but only as deleted.
    assert all(e["deleted"] for e in externals(cronofy, uid, include_deleted="true"))


@pytest.mark.rule("cronofy", 35)
@pytest.mark.parametrize("state", ["non_editable_external_event", "sandbox_external_event"])
def test_rule_35_delete_is_refused_without_permission(cronofy, states, state):
    uid = states.get(state)
    before = external(cronofy, uid)
    assert before["options"]["delete"] is False
    assert delete_uid(cronofy, before["calendar_id"], uid).status_code in REFUSALS
    after = external(cronofy, uid)
    assert (after["deleted"], after["updated"]) == (False, before["updated"])


@pytest.mark.rule("cronofy", 35)
def test_rule_35_managed_event_uid_is_422_must_be_external_event_uid(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    start = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=8)
    body = {
        "event_id": unique_id,
        "summary": "Managed, deleted by uid",
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert cronofy.upsert(cal, body).status_code == 202
    managed = [
        e for e in cronofy.read_events(only_managed="true") if e.get("event_id") == unique_id
    ]
    assert len(managed) == 1
    managed_uid = managed[0]["event_uid"]

    response = delete_uid(cronofy, cal, managed_uid)
    assert response.status_code == 422
    keys = [e["key"] for e in response.json()["errors"]["event_uid"]]
    assert "errors.must_be_external_event_uid" in keys
    still = [e for e in cronofy.read_events(only_managed="true") if e["event_uid"] == managed_uid]
    assert len(still) == 1 and still[0]["deleted"] is False
