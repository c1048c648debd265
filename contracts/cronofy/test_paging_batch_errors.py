"""Paging, batch and error-shape rules (reference/cronofy.md §8, rules 50, 53, 54, 55)."""

from __future__ import annotations

from contextlib import nullcontext
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from contracts.cronofy.conftest import event as cronofy_event
from contracts.kit import at, fake_settings
from contracts.kit import window as kit_window

DAY = 20  # days ahead the paging events go on
RFC6749_ERRORS = {
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
}


event = partial(cronofy_event, minutes=30, summary="Contract paging/batch event")
window = partial(kit_window, days=1, tzid="Etc/UTC")


def small_pages(target):
    """Two entries a page on a fake, so a handful of events spans several pages; on a real API
    the page size is its own (undocumented), and the same invariants are checked."""
    return fake_settings(target, page_size=2) if target.is_fake else nullcontext()


def assert_error_shape(response) -> dict[str, list[dict[str, str]]]:
    """Rule 54: {"errors": {param: [{"key": "errors.<...>", "description": text}, ...]}}."""
    assert response.status_code == 422, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"errors"}, body
    errors = body["errors"]
    assert isinstance(errors, dict)
    assert errors
    for param, entries in errors.items():
        assert isinstance(param, str)
        assert isinstance(entries, list), (param, entries)
        assert entries, param
        for entry in entries:
            assert set(entry) >= {"key", "description"}, entry
            assert isinstance(entry["key"], str)
            assert entry["key"].startswith("errors."), entry
            assert isinstance(entry["description"], str)
            assert entry["description"], entry
    return errors


# -- rule 50: paging --------------------------------------------------------------------------------


def walk(cronofy, first, kind: str, extra_query: str = "") -> list[dict[str, Any]]:
    """Every page from `first` on, checking the paging protocol as it goes."""
    assert first.status_code == 200, first.text
    pages = [first.json()]
    api = urlparse(cronofy.base)
    while True:
        body = pages[-1]
        meta = body["pages"]
        assert isinstance(meta["current"], int)
        assert isinstance(meta["total"], int)
        assert meta["current"] == len(pages)
        assert isinstance(body[kind], list)
        if meta["current"] >= meta["total"]:
            assert "next_page" not in meta or meta["next_page"] is None, meta
            break
        next_page = meta["next_page"]
        link = urlparse(next_page)
        assert (link.scheme, link.netloc) == (api.scheme, api.netloc), next_page  # absolute
        assert link.path.startswith(f"/v1/{kind}/pages/"), next_page
        # an unauthenticated follow-up is refused like any other /v1 request
        assert cronofy.get(next_page, token=False).status_code == 401
        response = cronofy.get(next_page + extra_query)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        assert len(pages) < 100
    assert pages[0]["pages"]["total"] == len(pages)
    return pages


@pytest.mark.rule("cronofy", 50)
@pytest.mark.parametrize(
    ("count", "sizes"), [(4, [2, 2]), (5, [2, 2, 1])], ids=["exact-multiple", "remainder"]
)
def test_rule_50_events_pages_follow_the_protocol(cronofy, states, unique_id, count, sizes):
    cal = states.get("writable_calendar")
    ids = [f"{unique_id}-{n}" for n in range(count)]
    for n, event_id in enumerate(ids):
        assert cronofy.upsert(cal, event(event_id, offset=DAY, hour=8 + n)).status_code == 202
    params = [*window(DAY).items(), ("only_managed", "true"), ("calendar_ids[]", cal)]
    # node re-appends its options to next_page; the page endpoint must ignore them
    node_extra = "?" + urlencode([("tzid", "Europe/London"), ("only_managed", "false")])
    with small_pages(cronofy.target):
        pages = walk(cronofy, cronofy.get("/v1/events", params=params), "events", node_extra)
    if cronofy.target.is_fake:
        assert [len(p["events"]) for p in pages] == sizes
    seen = [e.get("event_id") for p in pages for e in p["events"]]
    assert sorted(e for e in seen if e in ids) == sorted(ids)  # each exactly once
    for page in pages:  # same format on every page
        for ev in page["events"]:
            assert {"calendar_id", "event_uid", "summary", "start", "end"} <= set(ev)
            assert ev["start"].endswith("Z")  # the first request's tzid/localization kept


@pytest.mark.rule("cronofy", 50)
def test_rule_50_single_page_has_no_next_page(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id, offset=DAY + 1)).status_code == 202
    params = {**window(DAY + 1), "only_managed": "true", "calendar_ids[]": [cal]}
    response = cronofy.get("/v1/events", params=params)
    pages = walk(cronofy, response, "events")
    assert pages[0]["pages"]["current"] == 1
    assert unique_id in [e.get("event_id") for p in pages for e in p["events"]]


@pytest.mark.rule("cronofy", 50)
def test_rule_50_free_busy_pages_follow_the_protocol(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    starts = []
    for n in range(5):
        body = event(f"{unique_id}-{n}", offset=DAY + 2, hour=8 + n)
        starts.append(body["start"])
        assert cronofy.upsert(cal, body).status_code == 202
    params = [*window(DAY + 2).items(), ("include_managed", "true"), ("calendar_ids[]", cal)]
    with small_pages(cronofy.target):
        pages = walk(cronofy, cronofy.get("/v1/free_busy", params=params), "free_busy", "?x=1")
    if cronofy.target.is_fake:
        assert len(pages) >= 3
    seen = [fb["start"] for p in pages for fb in p["free_busy"]]
    for start in starts:
        assert start in seen


@pytest.mark.rule("cronofy", 50)
def test_rule_50_next_page_is_bound_to_its_token(cronofy, states, unique_id):
    """A page link is fetched 'with the same bearer token'; another authorization's token does
    not get someone else's page."""
    cal = states.get("writable_calendar")
    for n in range(3):
        assert (
            cronofy.upsert(cal, event(f"{unique_id}-{n}", offset=DAY + 3, hour=8 + n)).status_code
            == 202
        )
    params = {**window(DAY + 3), "only_managed": "true", "calendar_ids[]": [cal]}
    with fake_settings(cronofy.target, page_size=2):
        first = cronofy.get("/v1/events", params=params).json()
        next_page = first["pages"]["next_page"]
        other = cronofy.get(next_page, token=states.get("create_event_only_token"))
        assert other.status_code in (403, 404)
        assert cronofy.get(next_page).status_code == 200


# -- rule 53: batch -----------------------------------------------------------------------------------


def batch_upsert(cal: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"method": "POST", "relative_url": f"/v1/calendars/{cal}/events", "data": body}


def batch_delete(cal: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"method": "DELETE", "relative_url": f"/v1/calendars/{cal}/events", "data": body}


@pytest.mark.rule("cronofy", 53)
def test_rule_53_batch_answers_207_in_request_order(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    other = states.get("other_account_calendar")
    doomed = f"{unique_id}-doomed"
    assert cronofy.upsert(cal, event(doomed)).status_code == 202
    no_summary = {k: v for k, v in event(f"{unique_id}-b").items() if k != "summary"}
    entries = [
        batch_upsert(cal, event(f"{unique_id}-a", hour=8)),
        batch_upsert(cal, no_summary),
        batch_delete(cal, {"event_id": doomed}),
        batch_upsert(other, event(f"{unique_id}-x")),
        batch_upsert(cal, event(f"{unique_id}-c", hour=12)),
    ]
    response = cronofy.post("/v1/batch", json={"batch": entries})
    assert response.status_code == 207, response.text
    results = response.json()["batch"]
    assert [r["status"] for r in results] == [202, 422, 202, 404, 202]
    errors = results[1]["data"]["errors"]
    assert [e["key"] for e in errors["summary"]] == ["errors.required"]
    # the effects are those of the standalone calls
    found = {e.get("event_id") for e in cronofy.read_events(only_managed="true", **window(10))}
    assert {f"{unique_id}-a", f"{unique_id}-c"} <= found
    assert f"{unique_id}-b" not in found
    assert doomed not in found


@pytest.mark.rule("cronofy", 53)
def test_rule_53_batch_entries_equal_standalone_answers(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    cases = [
        (cal, {k: v for k, v in event(f"{unique_id}-1").items() if k != "summary"}),
        (cal, {k: v for k, v in event(f"{unique_id}-2").items() if k != "event_id"}),
        (cal, event(f"{unique_id}-3", start="not a time")),
        (states.get("other_account_calendar"), event(f"{unique_id}-4")),
    ]
    response = cronofy.post("/v1/batch", json={"batch": [batch_upsert(c, b) for c, b in cases]})
    assert response.status_code == 207
    results = response.json()["batch"]
    assert len(results) == len(cases)
    for (cal_id, body), result in zip(cases, results, strict=True):
        alone = cronofy.upsert(cal_id, body)
        assert result["status"] == alone.status_code, (body, result)
        if alone.content:
            assert result["data"] == alone.json()
        else:
            assert not result.get("data")


@pytest.mark.rule("cronofy", 53)
def test_rule_53_batch_of_50_is_accepted(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    entries = [
        batch_upsert(cal, event(f"{unique_id}-{n}", offset=DAY + 4, hour=0)) for n in range(50)
    ]
    response = cronofy.post("/v1/batch", json={"batch": entries})
    assert response.status_code == 207
    assert [r["status"] for r in response.json()["batch"]] == [202] * 50


@pytest.mark.rule("cronofy", 53)
def test_rule_53_batch_over_50_is_refused(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    entries = [
        batch_upsert(cal, event(f"{unique_id}-{n}", offset=DAY + 5, hour=0)) for n in range(51)
    ]
    response = cronofy.post("/v1/batch", json={"batch": entries})
    assert 400 <= response.status_code < 500  # 422 on the fake; UNVERIFIED upstream
    assert response.status_code != 207
    found = {e.get("event_id") for e in cronofy.read_events(only_managed="true", **window(DAY + 5))}
    assert not any(e and e.startswith(unique_id) for e in found)  # nothing was applied


# -- rule 54: every 422 has the errors shape -------------------------------------------------------------


@pytest.mark.rule("cronofy", 54)
def test_rule_54_every_422_has_the_errors_shape(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    uid = states.get("editable_external_event")
    events = f"/v1/calendars/{cal}/events"
    no_summary = {k: v for k, v in event(unique_id).items() if k != "summary"}
    no_event_id = {k: v for k, v in event(unique_id).items() if k != "event_id"}
    cases = [
        ("summary", cronofy.upsert(cal, no_summary)),
        ("event_id", cronofy.upsert(cal, no_event_id)),
        ("tzid", cronofy.get("/v1/events")),
        ("tzid", cronofy.get("/v1/free_busy")),
        ("from", cronofy.get("/v1/events", params={"tzid": "Etc/UTC", "from": "2000-01-01"})),
        ("name", cronofy.post("/v1/calendars", json={"profile_id": states.get("profile_id")})),
        (
            "status",
            cronofy.post(f"{events}/{uid}/participation_status", json={"status": "maybe"}),
        ),
        ("event_uid", cronofy.delete(events, json={"event_uid": "not_an_external_uid"})),
        (None, cronofy.delete(events, json={})),
        (None, cronofy.delete("/v1/events", json={})),
        ("delete_all", cronofy.delete("/v1/events", json={"delete_all": False})),
    ]
    for field, response in cases:
        errors = assert_error_shape(response)
        assert field is None or field in errors, (field, errors)
        assert response.headers["content-type"].startswith("application/json")


@pytest.mark.rule("cronofy", 54)
def test_rule_54_documented_keys(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    missing = assert_error_shape(cronofy.upsert(cal, {"event_id": unique_id}))
    for field in ("summary", "start", "end"):
        assert "errors.required" in [e["key"] for e in missing[field]], missing
    external = assert_error_shape(
        cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_uid": "not_an_external_uid"})
    )
    assert [e["key"] for e in external["event_uid"]] == ["errors.must_be_external_event_uid"]
    bulk = assert_error_shape(cronofy.delete("/v1/events", json={"delete_all": False}))
    assert [e["key"] for e in bulk["delete_all"]] == ["errors.must_be_boolean"]


# -- rule 55: 400 only on /oauth/token*, with an RFC 6749 body --------------------------------------------


def oauth_body(states, **overrides: Any) -> dict[str, Any]:
    return {
        "client_id": states.get("client_id"),
        "client_secret": states.get("client_secret"),
        **overrides,
    }


@pytest.mark.rule("cronofy", 55)
def test_rule_55_oauth_errors_are_400_with_an_rfc6749_body(cronofy, states):
    cases = [
        (
            "invalid_grant",
            cronofy.post(
                "/oauth/token",
                json=oauth_body(
                    states, grant_type="refresh_token", refresh_token="neverIssued0000000001"
                ),
            ),
        ),
        (
            "invalid_grant",
            cronofy.post(
                "/oauth/token",
                json=oauth_body(
                    states,
                    grant_type="authorization_code",
                    code="neverIssuedCode00000001",
                    redirect_uri=states.get("redirect_uri"),
                ),
            ),
        ),
        (
            "invalid_client",
            cronofy.post(
                "/oauth/token",
                json=oauth_body(
                    states,
                    client_secret="wrong",
                    grant_type="refresh_token",
                    refresh_token=states.get("refresh_token"),
                ),
            ),
        ),
        (
            "invalid_client",
            cronofy.post(
                "/oauth/token/revoke", json=oauth_body(states, client_secret="wrong", token="x")
            ),
        ),
        (None, cronofy.post("/oauth/token", json=oauth_body(states, grant_type="password"))),
        (None, cronofy.post("/oauth/token", json=oauth_body(states))),  # no grant_type
    ]
    for expected, response in cases:
        assert response.status_code == 400, (expected, response.status_code, response.text)
        body = response.json()
        assert isinstance(body.get("error"), str), body
        assert body["error"] in RFC6749_ERRORS, body
        assert "errors" not in body
        if expected:
            assert body["error"] == expected, body


@pytest.mark.rule("cronofy", 55)
def test_rule_55_api_errors_never_use_400(cronofy, states, unique_id):
    cal = states.get("writable_calendar")
    documented_422 = [
        cronofy.upsert(cal, {"event_id": unique_id}),  # required fields missing
        cronofy.upsert(cal, event(unique_id, tzid="Not/AZone")),
        cronofy.upsert(cal, event(unique_id, start=at(10, 10).replace("Z", ".500Z"))),
        cronofy.get("/v1/events", params={"tzid": "Not/AZone"}),
        cronofy.get("/v1/free_busy", params={"tzid": "Etc/UTC", "from": "2000-01-01"}),
        cronofy.post("/v1/calendars", json={}),
        cronofy.delete("/v1/events", json={"calendar_ids": []}),
    ]
    for response in documented_422:
        assert response.status_code == 422, (response.request.url, response.status_code)
        assert "error" not in response.json()
    # less well charted bad input: whatever the answer, it is not the OAuth-only 400
    others = [
        cronofy.upsert(cal, event(unique_id, end=at(10, 9))),
        cronofy.get("/v1/events", params={"tzid": "Etc/UTC", "include_managed": "maybe"}),
        cronofy.post("/v1/batch", json={}),
        cronofy.get("/v1/calendars/nope"),
    ]
    for response in others:
        assert response.status_code != 400, (response.request.url, response.text)
