"""Routing and auth: rules 1-8 of reference/truto.md §12."""

from __future__ import annotations

import pytest

from contracts.truto.conftest import ERROR_KEYS, assert_error

EVENTS = "/unified/calendar/events"


@pytest.mark.rule("truto", 1)
def test_rule_1_event_methods_exist_and_put_does_not(truto):
    acc = truto.account("outlookcalendar")
    cal = {"calendar[id]": truto.states.get("outlook_calendar")}
    listed = truto.get(EVENTS, account=acc, params={**cal, **truto.window()})
    assert listed.status_code == 200, listed.text
    body = {
        "calendar": {"id": truto.states.get("outlook_calendar")},
        "title": "rule 1",
        "start_time": "2030-01-07T10:00:00Z",
        "end_time": "2030-01-07T11:00:00Z",
        "timezone": "UTC",
    }
    created = truto.post(EVENTS, account=acc, json=body)
    assert 200 <= created.status_code < 300, created.text
    eid = created.json()["id"]
    assert truto.get(f"{EVENTS}/{eid}", account=acc, params=cal).status_code == 200
    patched = truto.patch(
        f"{EVENTS}/{eid}", account=acc, json={"calendar": body["calendar"], "title": "rule 1b"}
    )
    assert patched.status_code == 200, patched.text
    put = truto.request("PUT", f"{EVENTS}/{eid}", account=acc, json=body)
    assert put.status_code in (404, 405), put.text
    assert set(put.json()) >= ERROR_KEYS
    assert truto.delete(f"{EVENTS}/{eid}", account=acc, params=cal).status_code == 200


@pytest.mark.rule("truto", 2)
def test_rule_2_calendar_and_availability_reads_exist_writes_do_not(truto):
    acc = truto.account()
    calendars = truto.get("/unified/calendar/calendars", account=acc)
    assert calendars.status_code == 200, calendars.text
    first = calendars.json()["result"][0]["id"]
    assert truto.get(f"/unified/calendar/calendars/{first}", account=acc).status_code == 200
    availability = truto.get(
        "/unified/calendar/availability",
        account=acc,
        params={"calendar[id]": truto.states.get("google_calendar"), **truto.window()},
    )
    assert availability.status_code == 200, availability.text
    for method, path in (
        ("POST", "/unified/calendar/calendars"),
        ("PATCH", f"/unified/calendar/calendars/{first}"),
        ("DELETE", f"/unified/calendar/calendars/{first}"),
        ("POST", "/unified/calendar/availability"),
    ):
        response = truto.request(method, path, account=acc, json={"name": "x"})
        assert response.status_code in (404, 405), (method, path, response.text)
        assert set(response.json()) >= ERROR_KEYS


@pytest.mark.rule("truto", 3)
@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-known-token-000000000000", "Basic dXNlcjpwYXNz", "Bearer"],
    ids=["missing", "unknown", "basic", "empty"],
)
def test_rule_3_unknown_or_missing_token_is_401(truto, header):
    headers = {"Authorization": header} if header else {}
    response = truto.get(
        EVENTS, account=truto.account(), token=False, headers=headers, params=truto.window()
    )
    body = assert_error(response, 401)
    assert "truto_is_remote_error" not in body


@pytest.mark.rule("truto", 4)
def test_rule_4_missing_integrated_account_id_is_400(truto):
    for path in (EVENTS, "/unified/calendar/calendars", "/unified/calendar/availability"):
        body = assert_error(truto.get(path), 400)
        assert set(body) == ERROR_KEYS, body
    body = assert_error(truto.post(EVENTS, json=truto.google_body()), 400)
    assert set(body) == ERROR_KEYS


@pytest.mark.rule("truto", 5)
def test_rule_5_unknown_integrated_account_is_404(truto):
    response = truto.get(
        "/unified/calendar/calendars", account="00000000-0000-4000-8000-00000000dead"
    )
    body = assert_error(response, 404)
    assert set(body) == ERROR_KEYS, body
    other = truto.get(
        "/unified/calendar/calendars",
        account=truto.account(),
        token=truto.states.get("other_environment_token"),
    )
    assert_error(other, 404)


@pytest.mark.rule("truto", 6)
@pytest.mark.parametrize(
    ("integration", "method", "path"),
    [
        ("calendly", "POST", EVENTS),
        ("calcom", "POST", EVENTS),
        ("calendly", "GET", "/unified/calendar/calendars"),
        ("googlecalendar", "GET", "/unified/calendar/attachments"),
        ("google", "GET", "/unified/calendar/users"),
        ("outlookcalendar", "GET", "/unified/calendar/event_types"),
        ("calcom", "GET", "/unified/calendar/contacts"),
    ],
)
def test_rule_6_unsupported_resource_or_method_for_the_integration_is_404(
    truto, integration, method, path
):
    response = truto.request(
        method,
        path,
        account=truto.account(integration),
        params={"event[id]": "x", **truto.window()},
        json=truto.google_body(),
    )
    assert_error(response, 404)


@pytest.mark.rule("truto", 7)
@pytest.mark.parametrize(
    "path",
    [
        "/unified/calendar/nothing",
        "/unified/calendar/events/x/attendees",
        "/unified/crm/contacts",
        "/unified/calendar",
        "/unified",
    ],
)
def test_rule_7_unknown_unified_path_is_404(truto, path):
    assert_error(truto.get(path, account=truto.account()), 404)


@pytest.mark.rule("truto", 8)
def test_rule_8_every_error_has_statuscode_error_and_message(truto):
    acc = truto.account()
    cases = [
        (truto.get(EVENTS, token=False), 401),
        (truto.get(EVENTS), 400),
        (truto.get(EVENTS, account="00000000-0000-4000-8000-00000000dead"), 404),
        (truto.get("/unified/calendar/nothing", account=acc), 404),
        (truto.get(EVENTS, account=acc, params={"truto_response_format": "nope"}), 400),
        (truto.post(EVENTS, account=acc, content=b"{not json"), 400),
        (truto.post(EVENTS, account=acc, json={"title": "no times"}), 400),
        (
            truto.get(
                f"{EVENTS}/nosuchevent0000000000000000",
                account=acc,
                params={"calendar[id]": truto.states.get("google_calendar")},
            ),
            404,
        ),
        (truto.post(EVENTS, account=truto.account("sandbox"), json=truto.google_body()), 405),
    ]
    for response, status in cases:
        assert_error(response, status)
