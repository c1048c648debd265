"""Upsert rules (reference/cronofy.md §8, rules 17-31)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.rule("cronofy", "upsert")

START, END = "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"


def event(event_id: str, **extra):
    return {"event_id": event_id, "summary": "Contract event", "start": START, "end": END, **extra}


def test_rule_17_upsert_creates_once_then_updates_in_place(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    first = cronofy.upsert(cal, event(unique_id))
    assert first.status_code == 202
    assert first.content == b""
    second = cronofy.upsert(cal, event(unique_id, summary="Renamed"))
    assert second.status_code == 202
    matches = [
        e
        for e in cronofy.read_events(only_managed="true", calendar_ids=[cal])
        if e.get("event_id") == unique_id
    ]
    assert len(matches) == 1
    assert matches[0]["summary"] == "Renamed"
