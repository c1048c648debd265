"""Rate limits and the rest: rules 32-36 of reference/truto.md §12."""

from __future__ import annotations

import uuid

import pytest

from contracts.kit import clock_moved, fake_settings, frozen_clock
from contracts.truto.conftest import URL_SAFE, assert_error

EVENTS = "/unified/calendar/events"


@pytest.mark.rule("truto", 32)
@pytest.mark.fake_only
def test_rule_32_the_51st_request_for_an_account_in_10_s_is_429(truto, target):
    with frozen_clock(target), fake_settings(target, "truto", rate_limit=True):
        acc = truto.account()
        for _ in range(50):
            assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200
        limited = truto.get("/unified/calendar/calendars", account=acc)
        assert_error(limited, 429)
        assert limited.headers["Retry-After"] == "10"
        # each account has its own budget
        other = truto.get("/unified/calendar/calendars", account=truto.account("google"))
        assert other.status_code == 200
        with clock_moved(target, 10):
            assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200


@pytest.mark.rule("truto", 32)
@pytest.mark.fake_only
def test_rule_32_the_token_budget(truto, target):
    with frozen_clock(target), fake_settings(target, "truto", rate_limit=True, account_limit=1000):
        acc = truto.account()
        for _ in range(500):
            assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200
        limited = truto.get("/unified/calendar/calendars", account=truto.account("google"))
        assert_error(limited, 429)
        assert limited.headers["Retry-After"] == "10"
        with clock_moved(target, 10):
            ok = truto.get("/unified/calendar/calendars", account=truto.account("google"))
            assert ok.status_code == 200


@pytest.mark.rule("truto", 33)
@pytest.mark.fake_only
def test_rule_33_provider_errors_pass_through_as_remote_errors(truto, target):
    acc = truto.account()
    provider_body = {
        "errors": [{"field": "email", "message": "Email is invalid"}],
        "message": "Email is invalid",
    }
    target.control(
        "POST",
        "/_mock/truto/remote_errors",
        json={"integrated_account_id": acc, "status": 422, "body": provider_body},
    )
    body = assert_error(truto.get("/unified/calendar/calendars", account=acc), 422)
    assert body["truto_is_remote_error"] is True
    assert body["raw_response"] == provider_body
    assert body["message"] == "Email is invalid"
    assert "remote_error" in body["truto_error_insight"]
    target.control(
        "POST",
        "/_mock/truto/remote_errors",
        json={
            "integrated_account_id": acc,
            "status": 429,
            "headers": {"Retry-After": "30"},
            "body": {"error": {"code": 429, "message": "Rate Limit Exceeded"}},
        },
    )
    limited = truto.get("/unified/calendar/calendars", account=acc)
    body = assert_error(limited, 429)
    assert limited.headers["Retry-After"] == "30"
    assert body["truto_is_remote_error"] is True
    assert {"remote_error", "rate_limit_error"} <= set(body["truto_error_insight"])
    # the queue is used up: the next call reaches the (healthy) provider
    assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200
    # an account whose connection needs re-authorising: the provider's 401, flagged remote
    stale = truto.get("/unified/calendar/calendars", account=truto.account("needs_reauth"))
    assert assert_error(stale, 401)["truto_is_remote_error"] is True


@pytest.mark.rule("truto", 34)
def test_rule_34_writes_to_a_sandbox_account_are_405(truto):
    acc = truto.account("sandbox")
    eid = truto.states.get("google_event")
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    assert truto.get(EVENTS, account=acc, params={**cal, **truto.window()}).status_code == 200
    assert_error(truto.post(EVENTS, account=acc, json=truto.google_body()), 405)
    assert_error(truto.patch(f"{EVENTS}/{eid}", account=acc, json=truto.google_body()), 405)
    assert_error(truto.delete(f"{EVENTS}/{eid}", account=acc, params=cal), 405)
    assert truto.get(f"{EVENTS}/{eid}", account=acc, params=cal).status_code == 200


@pytest.mark.rule("truto", 35)
def test_rule_35_a_repeated_idempotency_key_replays_the_first_answer(truto):
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    key = {"Idempotency-Key": f"contract-{uuid.uuid4().hex}"}
    body = truto.google_body(days=13)
    first = truto.post(EVENTS, account=acc, json=body, headers=key)
    second = truto.post(EVENTS, account=acc, json=body, headers=key)
    assert 200 <= first.status_code < 300, first.text
    assert second.status_code == first.status_code
    assert second.json() == first.json()
    window = {"calendar[id]": cal, "start_time": body["start_time"], "end_time": body["end_time"]}
    same = [e for e in truto.list_all("events", acc, window) if e["title"] == body["title"]]
    assert len(same) == 1
    patch_key = {"Idempotency-Key": f"contract-{uuid.uuid4().hex}"}
    eid = first.json()["id"]
    renamed = truto.patch(
        f"{EVENTS}/{eid}", account=acc, headers=patch_key, json={**body, "title": "first rename"}
    )
    again = truto.patch(
        f"{EVENTS}/{eid}", account=acc, headers=patch_key, json={**body, "title": "second rename"}
    )
    assert again.json() == renamed.json()
    got = truto.get(f"{EVENTS}/{eid}", account=acc, params={"calendar[id]": cal}).json()
    assert got["title"] == "first rename"


@pytest.mark.rule("truto", 35)
def test_rule_35_an_idempotency_key_is_scoped_to_its_integrated_account(truto):
    """The same key on another account of the same token is another request: it creates there
    (no replay of the first account's event, its title or calendar); on the first account it
    still replays."""
    google, outlook = truto.account(), truto.account("outlookcalendar")
    key = {"Idempotency-Key": f"contract-{uuid.uuid4().hex}"}
    first_body = truto.google_body(days=12)
    first = truto.post(EVENTS, account=google, json=first_body, headers=key)
    assert 200 <= first.status_code < 300, first.text
    outlook_body = {
        **truto.google_body(days=12),
        "calendar": {"id": truto.states.get("outlook_calendar")},
    }
    other = truto.post(EVENTS, account=outlook, json=outlook_body, headers=key)
    assert 200 <= other.status_code < 300, other.text
    assert "Idempotent-Replayed" not in other.headers
    made = other.json()
    assert made["id"] != first.json()["id"]
    assert made["title"] == outlook_body["title"] != first_body["title"]
    window = {
        "calendar[id]": truto.states.get("outlook_calendar"),
        "start_time": outlook_body["start_time"],
        "end_time": outlook_body["end_time"],
    }
    listed = truto.list_all("events", outlook, window)
    assert [e["id"] for e in listed if e["title"] == outlook_body["title"]] == [made["id"]]
    again = truto.post(EVENTS, account=google, json=first_body, headers=key)
    assert again.json() == first.json()  # the first account's answer still replays


@pytest.mark.rule("truto", 36)
def test_rule_36_ids_are_url_safe(truto, target):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    created = truto.create_google()
    assert URL_SAFE.match(created["id"])
    listed = truto.list_all("events", acc, {**cal, **truto.window()})
    assert listed and all(URL_SAFE.match(e["id"]) for e in listed)
    expanded = truto.list_all("events", acc, {**cal, **truto.window(), "single_events": "true"})
    assert all(URL_SAFE.match(e["id"]) for e in expanded)
    if target.is_fake:  # the real Google's calendar ids are e-mail addresses
        calendars = truto.list_all("calendars", acc, {})
        assert calendars and all(URL_SAFE.match(c["id"]) for c in calendars)
