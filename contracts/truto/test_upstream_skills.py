"""Replays of Truto's published agent docs, trutohq/truto-skills @
f792f6169992145c080d6940ba2c6de3df9c7c3f (written by the Truto team): envelopes, the error and
status-code model, truto_error_insight, idempotency, meta endpoints, and the sync-job example
that lists calendar events.

Files: skills/truto/references/unified-api.md (UNIFIED), skills/truto-operator/references/
error-and-evidence-model.md (ERRORS), skills/truto/references/proxy-and-custom-api.md (PROXY),
skills/truto/references/sync-jobs.md (SYNC), skills/truto-operator/references/
debug-unified-api.md (DEBUG), skills/truto-api-conventions/SKILL.md (CONVENTIONS).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts.kit import clock_moved, fake_settings, frozen_clock
from contracts.truto.conftest import ERROR_KEYS, assert_error, parse_iso
from contracts.truto.upstream import (
    assert_like,
)

EVENTS = "/unified/calendar/events"


def cal_params(truto, **extra):
    return {"calendar[id]": truto.states.get("google_calendar"), **truto.window(), **extra}


def luxon_iso(moment: datetime) -> str:
    """`DateTime.toUTC().toISO()` (Luxon, as truto-jsonata's $dtFromIso returns it)."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


@pytest.mark.rule("truto", 9)
def test_upstream_skills_list_envelope(truto):
    """UNIFIED "List Envelope": `{"result": [...], "next_cursor": "eyJpZCI6...", "prev_cursor":
    null, "result_count": 50, "is_partial_response": false}`; next_cursor and prev_cursor are
    `string | null` ("Cursor for the previous page (unified API and proxy API only)");
    is_partial_response is "Optional", so it is left out of the comparison."""
    acc = truto.account()
    example = {
        "result": [{}],
        "next_cursor": "eyJpZCI6...",
        "prev_cursor": None,
        "result_count": 50,
    }
    nullable = frozenset({"$.next_cursor", "$.prev_cursor"})
    for path, params in (
        (EVENTS, cal_params(truto, limit=1)),
        ("/unified/calendar/calendars", {"limit": 1}),
        ("/unified/calendar/availability", cal_params(truto)),
    ):
        response = truto.get(path, account=acc, params=params)
        assert response.status_code == 200, response.text
        assert_like(example, response.json(), nullable=nullable)


@pytest.mark.rule("truto", 9)
def test_upstream_skills_result_count_is_the_page_size(truto):
    """UNIFIED "List Envelope": `result_count` (number) — "Number of items in `result`
    (unified API and proxy API only)"."""
    acc = truto.account()
    for limit in (1, 2, 1000):
        body = truto.get(EVENTS, account=acc, params=cal_params(truto, limit=limit)).json()
        assert isinstance(body["result_count"], int)
        assert body["result_count"] == len(body["result"])


@pytest.mark.rule("truto", 10)
def test_upstream_skills_single_resource_and_delete_envelopes(truto):
    """UNIFIED "Single-Resource Envelope": GET, POST and PATCH on a single resource return the
    object directly, "not wrapped in { result }"; "Delete Envelope": `{ "id": "5f9f7e25-..." }`
    (compared key by key: the answer has `id`, a string)."""
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    created = truto.post(EVENTS, account=acc, json=truto.google_body())
    assert 200 <= created.status_code < 300, created.text
    eid = created.json()["id"]
    for response in (
        created,
        truto.get(f"{EVENTS}/{eid}", account=acc, params=cal),
        truto.patch(f"{EVENTS}/{eid}", account=acc, json=truto.google_body(title="again")),
        truto.get("/unified/calendar/calendars/primary", account=acc),
    ):
        body = response.json()
        assert "result" not in body and isinstance(body["id"], str)
    deleted = truto.delete(f"{EVENTS}/{eid}", account=acc, params=cal)
    assert deleted.status_code == 200, deleted.text
    assert_like({"id": "5f9f7e25-..."}, deleted.json())
    assert deleted.json()["id"] == eid


@pytest.mark.rule("truto", 3)
@pytest.mark.rule("truto", 5)
@pytest.mark.rule("truto", 34)
def test_upstream_skills_status_code_semantics(truto):
    """ERRORS "Status-code semantics": 401 without truto_is_remote_error when "your token is
    missing/expired/wrong"; 404 when "the account/environment isn't visible to your token";
    405 — "Sandbox accounts return 405 on POST/PATCH/DELETE"; every error has the three
    guaranteed fields."""
    acc = truto.account()
    for response in (
        truto.get(EVENTS, account=acc, token=False, params=cal_params(truto)),
        truto.get(EVENTS, account=acc, token="not-a-real-token-0000", params=cal_params(truto)),
    ):
        body = assert_error(response, 401)
        assert "truto_is_remote_error" not in body
    other_env = truto.get(
        "/unified/calendar/calendars",
        account=acc,
        token=truto.states.get("other_environment_token"),
    )
    assert set(assert_error(other_env, 404)) >= ERROR_KEYS
    sandbox = truto.account("sandbox")
    eid = truto.states.get("google_event")
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    for response in (
        truto.post(EVENTS, account=sandbox, json=truto.google_body()),
        truto.patch(f"{EVENTS}/{eid}", account=sandbox, json=truto.google_body()),
        truto.delete(f"{EVENTS}/{eid}", account=sandbox, params=cal),
    ):
        assert_error(response, 405)


@pytest.mark.rule("truto", 19)
@pytest.mark.rule("truto", 22)
def test_upstream_skills_error_insight_entries(truto):
    """ERRORS "truto_error_insight (unified API)": each key carries `{ description, value }`;
    missing_required_query_parameters / missing_required_body_fields: "array of param names" /
    "array of field names" (and "missing-required-field errors land here", on 400);
    conditionally_required_*: "object: param → its requirement rule"; remote_error: "Present
    whenever truto_is_remote_error is true", "carry only a description, no value"."""
    acc = truto.account()
    query = assert_error(truto.get(EVENTS, account=acc, params=truto.window()), 400)
    entry = query["truto_error_insight"]["missing_required_query_parameters"]
    assert isinstance(entry["description"], str) and isinstance(entry["value"], list)
    body = truto.google_body()
    del body["start_time"], body["end_time"]
    fields = assert_error(truto.post(EVENTS, account=acc, json=body), 400)["truto_error_insight"]
    entry = fields["missing_required_body_fields"]
    assert isinstance(entry["description"], str) and entry["value"] == ["start_time"]
    for key, entry in fields.items():
        if key.startswith("conditionally_required_"):
            assert isinstance(entry["value"], dict), key
    remote = assert_error(
        truto.get(
            f"{EVENTS}/nosuchevent0000000000000000",
            account=acc,
            params={"calendar[id]": truto.states.get("google_calendar")},
        ),
        404,
    )
    assert remote["truto_is_remote_error"] is True and "raw_response" in remote
    entry = remote["truto_error_insight"]["remote_error"]
    assert isinstance(entry["description"], str) and "value" not in entry


@pytest.mark.fake_only
@pytest.mark.rule("truto", 33)
def test_upstream_skills_provider_429(truto, target):
    """ERRORS "Rate limits": "A provider-originated 429 instead carries truto_is_remote_error:
    true with the provider's own Retry-After in the forwarded headers (and, on unified routes,
    truto_error_insight.rate_limit_error)"; rate_limit_error has a description, no value."""
    acc = truto.account()
    target.control(
        "POST",
        "/_mock/truto/remote_errors",
        json={"integrated_account_id": acc, "status": 429, "headers": {"Retry-After": "42"}},
    )
    response = truto.get("/unified/calendar/calendars", account=acc)
    body = assert_error(response, 429)
    assert body["truto_is_remote_error"] is True
    assert response.headers["retry-after"] == "42"
    entry = body["truto_error_insight"]["rate_limit_error"]
    assert isinstance(entry["description"], str) and "value" not in entry


@pytest.mark.fake_only
@pytest.mark.rule("truto", 32)
def test_upstream_skills_truto_429_is_retry_after_10(truto, target):
    """ERRORS "Rate limits": "Both Truto tiers return 429 with Retry-After: 10" (50 requests /
    10 s per integrated account); a Truto error: the three fields, no truto_is_remote_error.
    The fake's account budget is lowered to 3 to get there quickly."""
    with frozen_clock(target), fake_settings(target, "truto", rate_limit=True, account_limit=3):
        acc = truto.account()
        for _ in range(3):
            assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200
        limited = truto.get("/unified/calendar/calendars", account=acc)
        assert set(assert_error(limited, 429)) == ERROR_KEYS
        assert limited.headers["retry-after"] == "10"
        with clock_moved(target, 10):
            assert truto.get("/unified/calendar/calendars", account=acc).status_code == 200


@pytest.mark.rule("truto", 33)
def test_upstream_skills_a_remote_401_keeps_answering_401(truto):
    """ERRORS: a 401 "With truto_is_remote_error: true: the provider rejected the connection's
    credentials — Truto flips the account to needs_reauth ... and keeps returning 401 until
    the end user reconnects"."""
    acc = truto.account("needs_reauth")
    for path in ("/unified/calendar/calendars", "/unified/calendar/calendars"):
        body = assert_error(truto.get(path, account=acc), 401)
        assert body["truto_is_remote_error"] is True and "raw_response" in body


@pytest.mark.rule("truto", 35)
def test_upstream_skills_idempotency_key_replays(truto):
    """UNIFIED "Idempotency": POST and PATCH honour `Idempotency-Key`; "If the same
    Idempotency-Key is sent again, the cached response is returned without re-executing the
    operation."""
    acc = truto.account()
    key = {"Idempotency-Key": f"unique-request-id-{uuid.uuid4().hex}"}
    body = truto.google_body()
    first = truto.post(EVENTS, account=acc, json=body, headers=key)
    second = truto.post(EVENTS, account=acc, json=body, headers=key)
    assert 200 <= first.status_code < 300, first.text
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    window = {
        "calendar[id]": truto.states.get("google_calendar"),
        "start_time": body["start_time"],
        "end_time": body["end_time"],
    }
    same = [e for e in truto.list_all("events", acc, window) if e["title"] == body["title"]]
    assert len(same) == 1


@pytest.mark.rule("truto", 35)
def test_upstream_skills_idempotency_key_is_per_integrated_account(truto):
    """PROXY: custom methods honour `Idempotency-Key` "keyed by integrated_account_id + path +
    key", and batch requests likewise ("keyed by integrated_account_id + request path + key");
    UNIFIED documents the header for unified writes. The same key on the same path for two
    accounts is two operations: the second account gets its own event."""
    key = {"Idempotency-Key": f"contract-{uuid.uuid4().hex}"}
    google = truto.post(EVENTS, account=truto.account(), json=truto.google_body(), headers=key)
    assert 200 <= google.status_code < 300, google.text
    outlook_cal = truto.states.get("outlook_calendar")
    body = {**truto.google_body(title="outlook side"), "calendar": {"id": outlook_cal}}
    outlook = truto.post(EVENTS, account=truto.account("outlookcalendar"), json=body, headers=key)
    assert 200 <= outlook.status_code < 300, outlook.text
    assert outlook.json()["id"] != google.json()["id"]
    assert outlook.json()["title"] == "outlook side"
    assert outlook.json()["calendar"]["id"] == outlook_cal


@pytest.mark.rule("truto", 15)
@pytest.mark.rule("truto", 29)
def test_upstream_skills_exclude_fields_comma_separated(truto):
    """UNIFIED "Special Query Parameters": truto_exclude_fields — "Comma-separated fields to
    exclude from results"; truto_ignore_remote_data — "If true, strips remote_data"."""
    acc = truto.account()
    params = cal_params(
        truto, truto_exclude_fields="description,attendees", truto_ignore_remote_data="true"
    )
    items = truto.get(EVENTS, account=acc, params=params).json()["result"]
    assert items
    for item in items:
        assert not {"description", "attendees", "remote_data"} & set(item) and "title" in item


@pytest.mark.rule("truto", 27)
def test_upstream_skills_sync_job_incremental_events_query(truto):
    """SYNC "Pattern: incremental sync with state_key": a request node on `calendar/events`,
    method `list`, query `{"updated_at": {"gt": "{{last_synced_at}}"}}`, where last_synced_at is
    `$dtFromIso(...).minus({"minutes": 2}).toUTC().toISO()` (Luxon: milliseconds and Z). The
    example sends no calendar; the List Events page requires it for Google Calendar, so it is
    added here. An event written after the bound is listed; with the bound after its write,
    it is not."""
    acc = truto.account()
    before = datetime.now(UTC) - timedelta(minutes=2)
    fresh = truto.create_google(days=3)
    got = {
        e["id"]
        for e in truto.list_all(
            "events", acc, cal_params(truto, **{"updated_at[gt]": luxon_iso(before)})
        )
    }
    assert fresh["id"] in got
    after = parse_iso(fresh["updated_at"]) + timedelta(seconds=1)
    later = {
        e["id"]
        for e in truto.list_all(
            "events", acc, cal_params(truto, **{"updated_at[gt]": luxon_iso(after)})
        )
    }
    assert fresh["id"] not in later


@pytest.mark.rule("scheduling", "S-T9")
def test_upstream_skills_integration_meta(truto):
    """DEBUG "Data-shape path" step 2 and UNIFIED "Integration-Specific Method Metadata":
    `GET /unified/{model}/{resource}/{integration}/meta/{method}` (query integrated_account_id)
    "returns the fully merged response_mapping, query_schema, default_query, default_body",
    plus response_schema and request_body_schema. UNIFIED's own example sends no account."""
    keys = (
        "response_mapping",
        "query_schema",
        "default_query",
        "default_body",
        "response_schema",
        "request_body_schema",
    )
    path = "/unified/calendar/events/googlecalendar/meta/list"
    for response in (truto.get(path, account=truto.account()), truto.get(path)):
        assert response.status_code == 200, response.text
        body = response.json()
        for key in keys:
            assert key in body, key
        assert isinstance(body["response_schema"], dict)
