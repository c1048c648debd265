"""Hostile input at the Truto endpoints: arbitrary JSON, mutations of valid bodies, odd query
strings (brackets, repeats, operators, cursors), odd tokens and content types. Whatever
arrives:
  * nothing escapes the app (the in-process client re-raises app exceptions) and no 5xx;
  * every error body has `statusCode` (= the status), `error` (the reason phrase), `message`;
  * a rejected request leaves the world exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.kit import WORLD
from mockserver.app import create_app
from mockserver.testing import asgi_client

APP = create_app(fixture=WORLD())
STATE = APP.state.server
_CLIENT: list[httpx.Client] = []  # made on first use, closed after the module's last test


def client() -> httpx.Client:
    if not _CLIENT:
        _CLIENT.append(asgi_client(APP))
    return _CLIENT[0]


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    while _CLIENT:
        _CLIENT.pop().close()


TOKEN = "contractTrutoApiToken00000000001"
ACCOUNTS = [
    "c0a7c7e5-7e57-4000-8000-000000000001",
    "c0a7c7e5-7e57-4000-8000-000000000002",
    "c0a7c7e5-7e57-4000-8000-000000000003",
    "c0a7c7e5-7e57-4000-8000-000000000004",
    "c0a7c7e5-7e57-4000-8000-000000000005",
    "c0a7c7e5-7e57-4000-8000-000000000006",
    "c0a7c7e5-7e57-4000-8000-000000000007",
    "nope",
    "",
]
EVENT_IDS = [
    "c0ntracttrutog00000000000001",
    "c0ntracttrutog00000000000006",
    "c0ntracttrutog00000000000006_20300101T070000Z",
    "c0ntracttrutoo00000000000001",
    "c0ntracttrutog00000000000008",
    "x",
    "%00",
    "..",
]
PARAM_NAMES = [
    "calendar[id]",
    "calendar",
    "calendar[]",
    "calendar[id][x]",
    "start_time",
    "end_time",
    "timezone",
    "limit",
    "next_cursor",
    "truto_response_format",
    "truto_exclude_fields",
    "truto_exclude_fields[]",
    "truto_exclude_fields[0]",
    "truto_ignore_remote_data",
    "truto_key_by",
    "truto_ignore_limit",
    "remote_query[foo]",
    "remote_query",
    "updated_at",
    "updated_at[gt]",
    "updated_at[eq]",
    "created_at[lte]",
    "sort_by[updated_at]",
    "sort_by",
    "single_events",
    "title",
    "type",
    "status",
    "visibility",
    "access_role[name]",
    "event[id]",
    "emails[]",
    "send_notifications",
    "integrated_account_id",
]
PARAM_VALUES = st.one_of(
    st.sampled_from(
        [
            "primary",
            "true",
            "false",
            "0",
            "-1",
            "5",
            "99999999999",
            "2030-01-01T00:00:00Z",
            "2030-01-01",
            "desc",
            "raw",
            "debug",
            "id",
            "eyJhZnRlciI6WzEsMl19",
            "eyJ4IjoxfQ",
            "",
            "cal_c0ntract0010_second",
            "UTC",
            "Mars/Olympus",
            "all",
            "default",
        ]
    ),
    st.text(max_size=12),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
VALID = {
    "calendar": {"id": "primary"},
    "title": "fuzz",
    "description": "d",
    "start_time": "2030-01-02T10:00:00Z",
    "end_time": "2030-01-02T11:00:00Z",
    "timezone": "Europe/Berlin",
    "status": "confirmed",
    "availability": "busy",
    "visibility": "public",
    "type": "default",
    "attendees": [
        {"person": {"emails": [{"email": "a@b.example"}]}, "response": {"status": "accepted"}}
    ],
    "location": {"name": "Room", "coordinates": {"latitude": 1.5, "longitude": 2}},
    "recurrence": ["RRULE:FREQ=DAILY;COUNT=2"],
    "guests_can_modify": True,
    "remote_data": {"colorId": "4"},
}
MUTATION_VALUES = st.one_of(
    JSON,
    st.sampled_from(
        [
            "2030-01-02",
            "2030-13-40T99:00:00Z",
            "RRULE:FREQ=NEVER",
            "Etc/UTC",
            "draft",
            "free",
            "private",
            "focus_time",
            [],
            {},
            {"id": "nope"},
        ]
    ),
)


@st.composite
def bodies(draw: Any) -> Any:
    if draw(st.booleans()):
        return draw(JSON)
    body = dict(VALID)
    for key in draw(st.lists(st.sampled_from(sorted(VALID)), max_size=4)):
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(MUTATION_VALUES)
    return body


def check(response: httpx.Response, before: dict[str, Any]) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["statusCode"] == response.status_code
        assert body["error"] == httpx.codes.get_reason_phrase(response.status_code)
        assert isinstance(body["message"], str)
        assert STATE.dump() == before  # a rejected request changes nothing


def send(method: str, path: str, params: list, body: Any, header: str | None, ctype: str | None):
    headers = {}
    if header is not None:
        headers["Authorization"] = header
    if ctype is not None:
        headers["Content-Type"] = ctype
    content = None if body is None else json.dumps(body).encode()
    before = STATE.dump()
    response = client().request(method, path, params=params, content=content, headers=headers)
    check(response, before)
    if response.status_code < 400:
        STATE.reset()


AUTH = st.sampled_from(
    [f"Bearer {TOKEN}"] * 6
    + [
        "Bearer contractTrutoOtherEnvToken000001",
        f"bearer {TOKEN}",
        "Bearer",
        "junk",
        None,
    ]
)
QUERY = st.lists(st.tuples(st.sampled_from(PARAM_NAMES), PARAM_VALUES), max_size=6)
COMMON = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(
    account=st.sampled_from(ACCOUNTS),
    body=bodies(),
    query=QUERY,
    auth=AUTH,
    ctype=st.sampled_from(["application/json", "text/plain", None]),
)
def test_create(account, body, query, auth, ctype):
    send(
        "POST",
        "/unified/calendar/events",
        [("integrated_account_id", account), *query],
        body,
        auth,
        ctype,
    )


@COMMON
@given(
    account=st.sampled_from(ACCOUNTS),
    eid=st.sampled_from(EVENT_IDS),
    body=bodies(),
    query=QUERY,
    auth=AUTH,
    idem=st.sampled_from([None, "k1", "k2"]),
)
def test_update(account, eid, body, query, auth, idem):
    params = [("integrated_account_id", account), *query]
    headers = {} if auth is None else {"Authorization": auth}
    if idem:
        headers["Idempotency-Key"] = idem
    before = STATE.dump()
    response = client().patch(
        f"/unified/calendar/events/{eid}",
        params=params,
        content=json.dumps(body).encode(),
        headers=headers,
    )
    check(response, before)
    STATE.reset()


@COMMON
@given(
    account=st.sampled_from(ACCOUNTS),
    eid=st.sampled_from(EVENT_IDS),
    query=QUERY,
    auth=AUTH,
    method=st.sampled_from(["GET", "DELETE", "PUT", "POST"]),
)
def test_event_by_id(account, eid, query, auth, method):
    send(
        method,
        f"/unified/calendar/events/{eid}",
        [("integrated_account_id", account), *query],
        None,
        auth,
        None,
    )


@COMMON
@given(
    account=st.sampled_from(ACCOUNTS),
    query=QUERY,
    auth=AUTH,
    resource=st.sampled_from(
        [
            "events",
            "calendars",
            "calendars/primary",
            "availability",
            "event_types",
            "event_types/et_c0ntract_intro",
            "users",
            "contacts",
            "attachments",
            "nothing",
            "events/x/y",
        ]
    ),
)
def test_reads(account, query, auth, resource):
    send(
        "GET",
        f"/unified/calendar/{resource}",
        [("integrated_account_id", account), *query],
        None,
        auth,
        None,
    )


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=64))
def test_malformed_bodies(raw):
    before = STATE.dump()
    response = client().post(
        "/unified/calendar/events",
        params={"integrated_account_id": ACCOUNTS[0]},
        content=raw,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    check(response, before)
    if response.status_code < 400:
        STATE.reset()
