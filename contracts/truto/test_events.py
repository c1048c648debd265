"""Event state and validation: rules 17-25 of reference/truto.md §12."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import timedelta

import pytest

from contracts.kit import clock_moved, midnight
from contracts.truto.conftest import assert_error, iso, parse_iso

EVENTS = "/unified/calendar/events"
FIELDS = (
    "title",
    "description",
    "start_time",
    "end_time",
    "timezone",
    "status",
    "availability",
    "visibility",
)


def outlook_body(truto, **extra):
    start = midnight(10) + timedelta(hours=15)
    body = {
        "calendar": {"id": truto.states.get("outlook_calendar")},
        "title": "Outlook contract event",
        "start_time": iso(start),
        "end_time": iso(start + timedelta(hours=1)),
        "timezone": "America/New_York",
    }
    body.update(extra)
    return body


@pytest.mark.rule("truto", 17)
def test_rule_17_a_created_event_reads_back_with_the_same_values(truto):
    acc = truto.account()
    body = truto.google_body(
        description="Made by the contract suite",
        status="tentative",
        availability="free",
        visibility="private",
        location={"name": "Room 12"},
        attendees=[
            {
                "person": {"name": "Ann", "emails": [{"email": "ann@contract.example"}]},
                "is_optional": True,
                "response": {"status": "accepted"},
            }
        ],
    )
    response = truto.post(EVENTS, account=acc, json=body)
    assert 200 <= response.status_code < 300, response.text
    created = response.json()
    assert isinstance(created["id"], str) and created["id"]
    got = truto.get(
        f"{EVENTS}/{created['id']}",
        account=acc,
        params={"calendar[id]": truto.states.get("google_calendar")},
    ).json()
    for name in FIELDS:
        assert got[name] == created[name], name
    assert parse_iso(got["start_time"]) == parse_iso(body["start_time"])
    assert parse_iso(got["end_time"]) == parse_iso(body["end_time"])
    assert (got["title"], got["description"]) == (body["title"], body["description"])
    assert (got["status"], got["availability"], got["visibility"]) == (
        "tentative",
        "free",
        "private",
    )
    assert got["location"]["name"] == "Room 12"
    [ann] = got["attendees"]
    assert ann["person"]["emails"][0]["email"] == "ann@contract.example"
    assert ann["is_optional"] is True and ann["response"]["status"] == "accepted"


@pytest.mark.rule("truto", 18)
def test_rule_18_patch_changes_only_what_is_sent_and_moves_updated_at(truto, target):
    acc = truto.account("outlookcalendar")
    created = truto.post(
        EVENTS, account=acc, json=outlook_body(truto, description="keep me", visibility="private")
    ).json()
    with ExitStack() as stack:
        if target.is_fake:  # the fake stamps whole seconds: let one pass
            stack.enter_context(clock_moved(target, 5))
        response = truto.patch(
            f"{EVENTS}/{created['id']}",
            account=acc,
            json={"calendar": {"id": truto.states.get("outlook_calendar")}, "title": "renamed"},
        )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["title"] == "renamed"
    for name in ("description", "start_time", "end_time", "timezone", "visibility", "status"):
        assert updated[name] == created[name], name
    assert parse_iso(updated["updated_at"]) > parse_iso(created["updated_at"])
    got = truto.get(
        f"{EVENTS}/{created['id']}",
        account=acc,
        params={"calendar[id]": truto.states.get("outlook_calendar")},
    ).json()
    assert (got["title"], got["description"]) == ("renamed", "keep me")


@pytest.mark.rule("truto", 19)
def test_rule_19_a_deleted_event_is_a_remote_404_for_get_and_patch(truto):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    eid = truto.disposable_event()
    assert truto.delete(f"{EVENTS}/{eid}", account=acc, params=cal).status_code == 200
    for response in (
        truto.get(f"{EVENTS}/{eid}", account=acc, params=cal),
        truto.patch(f"{EVENTS}/{eid}", account=acc, json=truto.google_body()),
    ):
        body = assert_error(response, 404)
        assert body["truto_is_remote_error"] is True
        assert "raw_response" in body


@pytest.mark.rule("truto", 20)
def test_rule_20_start_time_and_end_time_come_together(truto):
    acc = truto.account()
    no_end = truto.google_body()
    del no_end["end_time"]
    assert_error(truto.post(EVENTS, account=acc, json=no_end), 400)
    outlook = truto.account("outlookcalendar")
    eid = truto.states.get("outlook_event")
    base = {"calendar": {"id": truto.states.get("outlook_calendar")}, "timezone": "UTC"}
    for only in ({"start_time": iso(midnight(3))}, {"end_time": iso(midnight(3))}):
        assert_error(truto.patch(f"{EVENTS}/{eid}", account=outlook, json={**base, **only}), 400)
    body = truto.post(EVENTS, account=outlook, json={**outlook_body(truto), "start_time": None})
    assert_error(body, 400)


@pytest.mark.rule("truto", 21)
def test_rule_21_times_need_a_timezone(truto):
    acc = truto.account()
    body = truto.google_body()
    del body["timezone"]
    assert_error(truto.post(EVENTS, account=acc, json=body), 400)
    outlook = truto.account("outlookcalendar")
    eid = truto.states.get("outlook_event")
    patch = outlook_body(truto)
    del patch["timezone"]
    assert_error(truto.patch(f"{EVENTS}/{eid}", account=outlook, json=patch), 400)


@pytest.mark.rule("truto", 22)
@pytest.mark.parametrize("integration", ["googlecalendar", "google"])
def test_rule_22_google_requires_start_time_and_calendar(truto, integration):
    acc = truto.account(integration)
    eid = truto.states.get("google_event")

    def names(body):
        insight = body.get("truto_error_insight", {})
        found = []
        for key in ("missing_required_body_fields", "missing_required_query_parameters"):
            found += insight.get(key, {}).get("value", [])
        return " ".join(found)

    no_start = truto.google_body()
    del no_start["start_time"], no_start["end_time"]
    no_cal = truto.google_body()
    del no_cal["calendar"]
    for method, path in (("POST", EVENTS), ("PATCH", f"{EVENTS}/{eid}")):
        body = assert_error(truto.request(method, path, account=acc, json=no_start), 400)
        assert "start_time" in names(body)
        body = assert_error(truto.request(method, path, account=acc, json=no_cal), 400)
        assert "calendar" in names(body)
    for method, path in (
        ("GET", EVENTS),
        ("GET", f"{EVENTS}/{eid}"),
        ("DELETE", f"{EVENTS}/{eid}"),
    ):
        body = assert_error(truto.request(method, path, account=acc, params=truto.window()), 400)
        assert "calendar" in names(body)


@pytest.mark.rule("truto", 23)
def test_rule_23_outlook_requires_calendar_but_not_start_time_on_update(truto):
    acc = truto.account("outlookcalendar")
    eid = truto.states.get("outlook_event")
    body = assert_error(truto.patch(f"{EVENTS}/{eid}", account=acc, json={"title": "x"}), 400)
    assert "calendar" in str(body.get("truto_error_insight", {}))
    response = truto.patch(
        f"{EVENTS}/{eid}",
        account=acc,
        json={"calendar": {"id": truto.states.get("outlook_calendar")}, "title": "no times"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "no times"


@pytest.mark.rule("truto", 24)
@pytest.mark.parametrize(
    "change",
    [
        {"status": "done"},
        {"availability": "busy-ish"},
        {"visibility": "secret"},
        {"type": "meeting"},
        {
            "attendees": [
                {
                    "person": {"emails": [{"email": "a@contract.example"}]},
                    "response": {"status": "maybe"},
                }
            ]
        },
    ],
    ids=["status", "availability", "visibility", "type", "attendee-response"],
)
def test_rule_24_enum_fields_reject_other_values(truto, change):
    acc = truto.account()
    assert_error(truto.post(EVENTS, account=acc, json=truto.google_body(**change)), 400)


@pytest.mark.rule("truto", 24)
def test_rule_24_send_notifications_is_an_enum(truto):
    acc = truto.account()
    response = truto.post(
        EVENTS, account=acc, params={"send_notifications": "loudly"}, json=truto.google_body()
    )
    assert_error(response, 400)
    ok = truto.post(
        EVENTS, account=acc, params={"send_notifications": "none"}, json=truto.google_body()
    )
    assert 200 <= ok.status_code < 300, ok.text


@pytest.mark.rule("truto", 25)
def test_rule_25_date_times_are_iso_8601_in_and_out(truto):
    acc = truto.account()
    start = midnight(11) + timedelta(hours=9)
    offset = (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    body = truto.google_body(start_time=offset, end_time=iso(start + timedelta(hours=1)))
    created = truto.post(EVENTS, account=acc, json=body).json()
    assert parse_iso(created["start_time"]) == start
    for name in ("start_time", "end_time", "created_at", "updated_at"):
        parse_iso(created[name])  # raises unless ISO 8601
    bad = truto.google_body(start_time="next tuesday at 5")
    assert_error(truto.post(EVENTS, account=acc, json=bad), 400)
