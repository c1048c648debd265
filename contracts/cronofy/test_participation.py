"""Participation status (reference/cronofy.md §8, rule 52; §3.10)."""

from __future__ import annotations

import pytest


def find(cronofy, uid: str) -> dict:
    found = [e for e in cronofy.read_events() if e["event_uid"] == uid]
    assert len(found) == 1, f"{uid} must be in the default read window once: {found}"
    return found[0]


def set_status(cronofy, ev: dict, body: dict):
    path = f"/v1/calendars/{ev['calendar_id']}/events/{ev['event_uid']}/participation_status"
    return cronofy.post(path, json=body)


@pytest.mark.rule("cronofy", 52)
def test_rule_52_participation_status_changes(cronofy, states):
    uid = states.get("editable_external_event")
    ev = find(cronofy, uid)
    assert ev["options"]["change_participation_status"] is True
    # Two changes, so the test proves a change whatever the event's status was before.
    for status in ("tentative", "accepted"):
        response = set_status(cronofy, ev, {"status": status})
        assert response.status_code == 202
        assert response.content == b""
        assert find(cronofy, uid)["participation_status"] == status


@pytest.mark.rule("cronofy", 52)
@pytest.mark.parametrize(
    "body",
    [{"status": "maybe"}, {"status": "needs_action"}, {"status": ""}, {}],
    ids=["maybe", "needs_action", "blank", "missing"],
)
def test_rule_52_other_status_values_are_422(cronofy, states, body):
    uid = states.get("editable_external_event")
    before = find(cronofy, uid)
    response = set_status(cronofy, before, body)
    assert response.status_code == 422
    assert "status" in response.json()["errors"]  # key UNVERIFIED
    after = find(cronofy, uid)
    assert (after["participation_status"], after["updated"]) == (
        before["participation_status"],
        before["updated"],
    )


@pytest.mark.rule("cronofy", 52)
@pytest.mark.parametrize(
    "state, refusals",
    [
        # options.change_participation_status false: refusal status UNVERIFIED
        ("non_editable_external_event", {403, 422}),
        # an event in a read-only calendar: refusal status UNVERIFIED
        ("readonly_external_event", {403, 404, 422}),
    ],
)
def test_rule_52_refused_when_not_permitted(cronofy, states, state, refusals):
    uid = states.get(state)
    before = find(cronofy, uid)
    assert before["options"]["change_participation_status"] is False
    new = "declined" if before["participation_status"] != "declined" else "accepted"
    response = set_status(cronofy, before, {"status": new})
    assert response.status_code in refusals
    after = find(cronofy, uid)
    assert (after["participation_status"], after["updated"]) == (
        before["participation_status"],
        before["updated"],
    )
