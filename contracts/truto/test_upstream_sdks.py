"""Replays of what the official SDKs put on the wire, and what they need back, against the
target: the query strings each one encodes, its headers, its pagination loop, its bodies.

Sources (read at these commits):
  TS  trutohq/truto-ts-sdk @ 6b5fe7e9e25d7f4d57329910dc953d1183d4b6f1 (package 2.0.12):
      src/apiClient.ts, src/pagination.ts, src/resources/unifiedApi.ts; query strings checked
      with the qs version it pins (6.15.1).
  PY  trutohq/truto-python-sdk @ ef4b68f83fd66ebf705c9b938f067ce8f9365d00 (PyPI 0.1.6 has the
      same HTTP core): truto_python_sdk/truto_api.py, unified_api.py, pagination_result.py,
      dict_to_query_string.py, tests/dict_to_query_string.py.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from contracts.kit import fake_settings, frozen_clock, midnight
from contracts.truto.conftest import URL_SAFE, assert_error, iso
from contracts.truto.upstream import (
    PY_SDK_HEADERS,
    TS_SDK_HEADERS,
    py_query,
    send,
    ts_query,
)

EVENTS = "/unified/calendar/events"
TS = "trutohq/truto-ts-sdk @ 6b5fe7e"
PY = "trutohq/truto-python-sdk @ ef4b68f"


def ms(moment: datetime) -> str:
    """`Date.prototype.toISOString()`: what qs writes for a Date."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def one_page_ids(truto, acc: str) -> list[str]:
    """The listing the SDK loops below must reproduce, in one request."""
    params = {"calendar[id]": truto.states.get("google_calendar"), **truto.window()}
    response = truto.get(EVENTS, account=acc, params={**params, "limit": 1000})
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["result"]]


# -- truto-ts-sdk ----------------------------------------------------------------------------


@pytest.mark.rule("truto", 13)
@pytest.mark.rule("truto", 15)
@pytest.mark.rule("truto", 12)
def test_upstream_ts_cursor_to_array_walks_every_page(truto):
    """TS src/pagination.ts Cursor.next / toArray: every page re-sends all options plus
    `next_cursor` (an empty string on the first page) and the loop runs while next_cursor is
    truthy; src/apiClient.ts list: `qs.stringify` (indexed arrays, `true`) and headers Accept,
    Authorization and the SDK's User-Agent, no Content-Type on a GET."""
    acc = truto.account()
    options = [
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", ms(midnight(0))),
        ("end_time", ms(midnight(14))),
        ("truto_exclude_fields[0]", "remote_data"),
        ("truto_exclude_fields[1]", "attendees"),
        ("truto_ignore_remote_data", "true"),
        ("limit", "2"),
    ]
    first = ts_query(*options, ("next_cursor", ""))
    assert "truto_exclude_fields%5B0%5D=remote_data" in first and first.endswith("next_cursor=")
    items, cursor, requests = [], "", 0
    while True:
        response = send(
            truto,
            "GET",
            EVENTS,
            ts_query(*options, ("next_cursor", cursor)),
            headers=TS_SDK_HEADERS,
        )
        assert response.status_code == 200, response.text
        requests += 1
        body = response.json()
        items += body["result"]
        cursor = body["next_cursor"] or ""
        if not cursor:
            break
    ids = [e["id"] for e in items]
    assert ids == one_page_ids(truto, acc)
    assert requests == -(-len(ids) // 2)
    assert all("attendees" not in e and "remote_data" not in e for e in items)


def test_upstream_ts_cursor_first_is_the_head_of_page_one(truto):
    """TS src/pagination.ts Cursor.first: the options alone (no next_cursor at all), and the
    first item of `result`."""
    acc = truto.account()
    query = ts_query(
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", ms(midnight(0))),
        ("end_time", ms(midnight(14))),
    )
    response = send(truto, "GET", EVENTS, query, headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert response.json()["result"][0]["id"] == one_page_ids(truto, acc)[0]


@pytest.mark.rule("truto", 36)
def test_upstream_ts_get_puts_the_encoded_id_in_the_path(truto):
    """TS src/apiClient.ts get: `/${resource}/${encodeURIComponent(id)}?${qs}`. The fake's ids
    (series instances too) are URL-safe, so the encoded id is the id and the GET finds it."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    params = {"calendar[id]": cal, **truto.window(), "single_events": "true"}
    listed = truto.list_all("events", acc, params)
    assert listed
    for event in listed[:5]:
        encoded = quote(event["id"], safe="-_.!~*'()")  # encodeURIComponent's unreserved set
        assert encoded == event["id"] and URL_SAFE.match(encoded)
        query = ts_query(("integrated_account_id", acc), ("calendar[id]", cal))
        got = send(truto, "GET", f"{EVENTS}/{encoded}", query, headers=TS_SDK_HEADERS)
        assert got.status_code == 200, got.text
        assert got.json()["id"] == event["id"]


@pytest.mark.rule("truto", 10)
@pytest.mark.rule("truto", 17)
@pytest.mark.parametrize("sdk", ["ts", "py"])
def test_upstream_sdk_create_update_delete(truto, sdk):
    """TS src/apiClient.ts create/update/delete: POST and PATCH with a JSON body and
    Content-Type application/json, DELETE with no body and no Content-Type, the answer parsed
    as JSON (delete typed `{ id: string }`). PY truto_api.py _post/_patch/_delete: the same
    verbs, Content-Type application/json on every call (DELETE included), `json=data`."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    if sdk == "ts":
        encode, base = ts_query, TS_SDK_HEADERS
        write = {**base, "Content-Type": "application/json"}
        delete_headers = base
    else:
        encode, base = py_query, PY_SDK_HEADERS
        write = delete_headers = base
    scoped = encode(("integrated_account_id", acc))
    body = truto.google_body(title=f"made by the {sdk} sdk replay")
    created = send(truto, "POST", EVENTS, scoped, headers=write, json=body)
    assert 200 <= created.status_code < 300, created.text
    assert "json" in created.headers["content-type"]
    eid = created.json()["id"]
    patch = {"calendar": {"id": cal}, "title": "renamed by the sdk replay"}
    patch |= {k: body[k] for k in ("start_time", "end_time", "timezone")}
    updated = send(truto, "PATCH", f"{EVENTS}/{eid}", scoped, headers=write, json=patch)
    assert updated.status_code == 200, updated.text
    assert updated.json()["title"] == "renamed by the sdk replay"
    gone = send(
        truto,
        "DELETE",
        f"{EVENTS}/{eid}",
        encode(("integrated_account_id", acc), ("calendar[id]", cal)),
        headers=delete_headers,
    )
    assert gone.status_code == 200, gone.text
    assert "json" in gone.headers["content-type"]
    assert isinstance(gone.json()["id"], str) and gone.json()["id"] == eid


def test_upstream_ts_null_options_are_sent_empty(truto):
    """TS: `qs.stringify` writes a null option as `key=` and drops undefined ones, e.g.
    `{limit: null, calendar: {id: 'primary', name: null}}` ->
    `limit=&calendar%5Bid%5D=primary&calendar%5Bname%5D=`; an empty value means no value."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    query = ts_query(
        ("integrated_account_id", acc),
        ("limit", ""),
        ("calendar[id]", cal),
        ("calendar[name]", ""),
        ("start_time", ms(midnight(0))),
        ("end_time", ms(midnight(14))),
        ("title", ""),
        ("next_cursor", ""),
    )
    assert "limit=&calendar%5Bid%5D=" in query and "calendar%5Bname%5D=&" in query
    response = send(truto, "GET", EVENTS, query, headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert [e["id"] for e in response.json()["result"]] == one_page_ids(truto, acc)


@pytest.mark.rule("truto", 27)
@pytest.mark.rule("truto", 25)
def test_upstream_ts_date_options_are_iso_with_milliseconds(truto):
    """TS: qs serialises a Date with `toISOString()` (`2024-01-01T00:00:00.000Z`), in the
    window and in operator objects such as `updated_at: {gt: new Date(...)}`."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    base = (
        ("integrated_account_id", acc),
        ("calendar[id]", cal),
        ("start_time", ms(midnight(0))),
        ("end_time", ms(midnight(14))),
    )
    everything = one_page_ids(truto, acc)
    past = ts_query(*base, ("updated_at[gt]", ms(datetime(2024, 1, 1, tzinfo=UTC))))
    assert "updated_at%5Bgt%5D=2024-01-01T00%3A00%3A00.000Z" in past
    response = send(truto, "GET", EVENTS, past + "&limit=1000", headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert [e["id"] for e in response.json()["result"]] == everything
    future = ts_query(*base, ("updated_at[gt]", ms(midnight(3650))))
    response = send(truto, "GET", EVENTS, future, headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == []


@pytest.mark.parametrize(
    ("sdk", "expected"),
    [("ts", "title=Truto%20planning"), ("py", "title=Truto+planning")],
)
def test_upstream_spaces_in_query_values(truto, sdk, expected):
    """TS: qs encodes a space as %20 (RFC 3986). PY dict_to_query_string: quote_plus, a
    space as +. Both are the same title filter (`title`, docs: List Events, 5 supported)."""
    acc = truto.account()
    encode = ts_query if sdk == "ts" else py_query
    title = encode(("title", "Truto planning"))
    assert title == expected
    query = encode(
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", iso(midnight(0))),
        ("end_time", iso(midnight(14))),
    )
    headers = TS_SDK_HEADERS if sdk == "ts" else PY_SDK_HEADERS
    response = send(truto, "GET", EVENTS, f"{query}&{title}", headers=headers)
    assert response.status_code == 200, response.text
    titles = [e["title"] for e in response.json()["result"]]
    assert "Truto planning" in titles
    assert all("truto planning" in t.lower() for t in titles)


@pytest.mark.rule("scheduling", "S-T8", "S-T11")
def test_upstream_ts_meta_reads_the_method_metadata(truto):
    """TS src/resources/unifiedApi.ts meta(method, opts): GET
    `/unified/${unified_model}/${resource}/meta/${encodeURIComponent(method)}?${qs}` parsed as
    JSON. What it returns: trutohq/truto-skills @ f792f61 skills/truto/references/unified-api.md
    "Method Metadata": method, schema, documentation_link, response_mapping, query_schema,
    request_body_schema, default_query, default_body."""
    query = ts_query(("integrated_account_id", truto.account()))
    response = send(truto, "GET", f"{EVENTS}/meta/list", query, headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "list"
    for key in (
        "schema",
        "documentation_link",
        "response_mapping",
        "query_schema",
        "request_body_schema",
        "default_query",
        "default_body",
    ):
        assert key in body, key


@pytest.mark.fake_only
@pytest.mark.rule("truto", 32)
@pytest.mark.rule("truto", 33)
def test_upstream_ts_retry_after_is_a_whole_number_of_seconds(truto, target):
    """TS src/apiClient.ts request: on a 429 it waits `parseInt(Retry-After)` seconds (10 s
    without the header; `0` stops retrying) and retries 408/409/425/429/502/503/504. So the
    header must be whole seconds, on Truto's own 429 and on a provider's forwarded one."""
    acc = truto.account()
    target.control(
        "POST",
        "/_mock/truto/remote_errors",
        json={"integrated_account_id": acc, "status": 429, "headers": {"Retry-After": "2"}},
    )
    query = ts_query(("integrated_account_id", acc))
    remote = send(truto, "GET", "/unified/calendar/calendars", query, headers=TS_SDK_HEADERS)
    assert_error(remote, 429)
    assert remote.headers["retry-after"] == "2"
    with frozen_clock(target), fake_settings(target, "truto", rate_limit=True, account_limit=1):
        assert send(truto, "GET", "/unified/calendar/calendars", query).status_code == 200
        own = send(truto, "GET", "/unified/calendar/calendars", query, headers=TS_SDK_HEADERS)
        body = assert_error(own, 429)
        assert "truto_is_remote_error" not in body
        assert own.headers["retry-after"].isdigit() and int(own.headers["retry-after"]) > 0


@pytest.mark.rule("truto", 8)
def test_upstream_sdks_read_json_by_content_type(truto):
    """TS src/apiClient.ts parseResponseBody and PY truto_api.py _process_response parse a
    body as JSON only when Content-Type contains `json` (else a Blob / bytes), on successes
    and on errors (TS keeps the parsed error body in TrutoError.data)."""
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    answers = [
        truto.get(EVENTS, account=acc, params={**cal, **truto.window()}),
        truto.get(f"{EVENTS}/{truto.states.get('google_event')}", account=acc, params=cal),
        truto.get("/unified/calendar/calendars", account=acc),
        truto.get(EVENTS, account=acc, token=False),
        truto.get(EVENTS),
        truto.get("/unified/calendar/nothing", account=acc),
        truto.get(f"{EVENTS}/nosuchevent0000000000000000", account=acc, params=cal),
    ]
    for response in answers:
        assert "json" in response.headers["content-type"], response.request.url
        response.json()


# -- truto-python-sdk ------------------------------------------------------------------------


@pytest.mark.rule("truto", 15)
@pytest.mark.rule("truto", 27)
def test_upstream_py_dict_to_query_string_vectors(truto):
    """PY tests/dict_to_query_string.py (test_simple_params, test_boolean_param,
    test_nested_object, test_array, test_mixed_params, test_date_param): the encoder's own
    expected strings, then the same shapes on a calendar list."""
    vectors = [
        ((("name", "foo"), ("limit", "10")), "name=foo&limit=10"),
        ((("is_active", "true"),), "is_active=true"),
        ((("foo[bar]", "baz"),), "foo%5Bbar%5D=baz"),
        ((("foo[]", "bar"), ("foo[]", "baz")), "foo%5B%5D=bar&foo%5B%5D=baz"),
        (
            (("foo_array[]", "bar"), ("foo_array[][bar1]", "baz1")),
            "foo_array%5B%5D=bar&foo_array%5B%5D%5Bbar1%5D=baz1",
        ),
        (
            (("created_at[gte]", "2021-01-01T00:00:00"), ("created_at[lte]", "2021-01-31T23:59:59")),
            "created_at%5Bgte%5D=2021-01-01T00%3A00%3A00&created_at%5Blte%5D=2021-01-31T23%3A59%3A59",
        ),
    ]  # fmt: skip
    for pairs, expected in vectors:
        assert py_query(*pairs) == expected
    acc = truto.account()
    base = (
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", iso(midnight(0))),
        ("end_time", iso(midnight(14))),
    )
    everything = one_page_ids(truto, acc)
    shaped = py_query(
        *base,
        ("limit", "10"),
        ("truto_ignore_remote_data", "true"),
        ("truto_exclude_fields[]", "description"),
        ("truto_exclude_fields[]", "attendees"),
        ("remote_query[foo_array][]", "bar"),
        ("remote_query[foo_array][][bar1]", "baz1"),
    )
    response = send(truto, "GET", EVENTS, shaped, headers=PY_SDK_HEADERS)
    assert response.status_code == 200, response.text
    items = response.json()["result"]
    assert [e["id"] for e in items] == everything[:10]
    for e in items:
        assert not {"remote_data", "description", "attendees"} & set(e) and "title" in e
    # Naive datetimes (`datetime.isoformat()` of a date-time without tzinfo), as in
    # test_date_param: nothing of this world was created in January 2021; all after it.
    january = py_query(
        *base, ("created_at[gte]", "2021-01-01T00:00:00"), ("created_at[lte]", "2021-01-31T23:59:59")
    )  # fmt: skip
    response = send(truto, "GET", EVENTS, january, headers=PY_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == []
    since = py_query(*base, ("created_at[gte]", "2021-01-01T00:00:00"), ("limit", "1000"))
    response = send(truto, "GET", EVENTS, since, headers=PY_SDK_HEADERS)
    assert [e["id"] for e in response.json()["result"]] == everything


@pytest.mark.rule("truto", 12)
@pytest.mark.rule("truto", 14)
def test_upstream_py_pagination_result_loop(truto):
    """PY pagination_result.py: the first GET without next_cursor; `next_cursor` is then
    written into the same query dict (all filters re-sent); a page's items are used up before
    the next fetch; the loop stops when a page has no items and no cursor (a page with no items
    but a cursor would be fetched past). Content-Type: application/json on the GETs."""
    acc = truto.account()
    query = {
        "integrated_account_id": acc,
        "calendar[id]": truto.states.get("google_calendar"),
        "start_time": iso(midnight(0)),
        "end_time": iso(midnight(14)),
        "limit": "2",
    }
    items: list[dict] = []
    pages = 0
    cursor = None
    while True:
        if cursor:
            query["next_cursor"] = cursor
        response = send(truto, "GET", EVENTS, py_query(*query.items()), headers=PY_SDK_HEADERS)
        assert response.status_code == 200, response.text
        pages += 1
        body = response.json()
        page, cursor = body.get("result", []), body.get("next_cursor")
        assert page or not cursor, "an empty page with a cursor"
        items += page
        if not cursor:
            break
    ids = [e["id"] for e in items]
    assert ids == one_page_ids(truto, acc)
    assert len(ids) == len(set(ids)) and pages == -(-len(ids) // 2)


@pytest.mark.rule("truto", 25)
@pytest.mark.rule("truto", 26)
def test_upstream_py_datetime_isoformat_forms(truto):
    """PY dict_to_query_string.py: a date or datetime is sent as `.isoformat()`: `2024-01-01`
    for a date, `...T00:00:00` without tzinfo, `...+00:00` with it (`%2B00%3A00` once
    quote_plus'd), `.123456` with microseconds. Docs, Querying in Truto API: date-times are ISO
    8601. Each form of the same window lists the same events."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    start, end = midnight(0), midnight(14)
    forms = [
        (start.date().isoformat(), end.date().isoformat()),
        (start.replace(tzinfo=None).isoformat(), end.replace(tzinfo=None).isoformat()),
        (start.isoformat(), end.isoformat()),
        (
            (start + timedelta(microseconds=1)).isoformat(),
            (end + timedelta(microseconds=123456)).isoformat(),
        ),
    ]
    assert py_query(("t", forms[2][0])).endswith("T00%3A00%3A00%2B00%3A00")
    expected = one_page_ids(truto, acc)
    for lo, hi in forms:
        query = py_query(
            ("integrated_account_id", acc),
            ("calendar[id]", cal),
            ("start_time", lo),
            ("end_time", hi),
            ("limit", "1000"),
        )
        response = send(truto, "GET", EVENTS, query, headers=PY_SDK_HEADERS)
        assert response.status_code == 200, (lo, hi, response.text)
        assert [e["id"] for e in response.json()["result"]] == expected, (lo, hi)


@pytest.mark.rule("truto", 11)
def test_upstream_py_float_limit_is_read_as_a_whole_number(truto):
    """PY dict_to_query_string.py: a value is written with str(), so a float limit (`limit=2.0`,
    e.g. from arithmetic or JSON config) goes out as `limit=2.0`. Decision: Truto's API is
    JavaScript, where Number("2.0") is 2, so it is a page of two; `2.5` is no whole number."""
    acc = truto.account()
    base = (
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", iso(midnight(0))),
        ("end_time", iso(midnight(14))),
    )
    expected = one_page_ids(truto, acc)
    assert len(expected) > 2
    for limit in (2.0, 2):
        query = py_query(*base, ("limit", str(limit)))
        response = send(truto, "GET", EVENTS, query, headers=PY_SDK_HEADERS)
        assert response.status_code == 200, response.text
        assert [e["id"] for e in response.json()["result"]] == expected[:2]
    bad = send(truto, "GET", EVENTS, py_query(*base, ("limit", "2.5")), headers=PY_SDK_HEADERS)
    assert_error(bad, 400)


@pytest.mark.rule("truto", 11)
def test_upstream_py_none_for_typed_options_is_not_sent(truto):
    """PY dict_to_query_string.py writes a Python None with str(): `{"limit": None,
    "next_cursor": None}` goes out as `limit=None&next_cursor=None`. Decision: for the typed
    options (a number, a cursor, the truto_* flags) that text reads as no value, the first page
    at the default size; for a text filter it is the text (`title=None` matches no title here)."""
    acc = truto.account()
    base = (
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", iso(midnight(0))),
        ("end_time", iso(midnight(14))),
    )
    nones = py_query(
        *base,
        ("limit", str(None)),
        ("next_cursor", str(None)),
        ("truto_ignore_remote_data", str(None)),
    )
    assert "limit=None&next_cursor=None" in nones
    response = send(truto, "GET", EVENTS, nones, headers=PY_SDK_HEADERS)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [e["id"] for e in body["result"]] == one_page_ids(truto, acc)
    assert all("remote_data" in e for e in body["result"])
    titled = send(truto, "GET", EVENTS, py_query(*base, ("title", "None")), headers=PY_SDK_HEADERS)
    assert titled.status_code == 200 and titled.json()["result"] == []


@pytest.mark.fake_only
@pytest.mark.rule("truto", 11)
def test_python_none_refused_when_so_set(truto, target):
    """`python_none_is_absent: false`: `limit=None` is a bad limit like any other (400)."""
    acc = truto.account()
    query = py_query(
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("limit", "None"),
    )
    with fake_settings(target, "truto", python_none_is_absent=False):
        assert_error(send(truto, "GET", EVENTS, query, headers=PY_SDK_HEADERS), 400)
    assert send(truto, "GET", EVENTS, query, headers=PY_SDK_HEADERS).status_code == 200


@pytest.mark.rule("truto", 16)
def test_upstream_py_base_url_with_a_trailing_slash(truto):
    """PY truto_api.py: every URL is f"{base_url}/{endpoint}?{query}", so a base URL ending in
    `/` sends `//unified/...` for every method (reference §10.1: aiohttp keeps the double
    slash)."""
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    scoped = py_query(("integrated_account_id", acc))
    created = send(
        truto, "POST", "/" + EVENTS, scoped, headers=PY_SDK_HEADERS, json=truto.google_body()
    )
    assert 200 <= created.status_code < 300, created.text
    eid = created.json()["id"]
    with_cal = py_query(("integrated_account_id", acc), ("calendar[id]", cal))
    got = send(truto, "GET", f"/{EVENTS}/{eid}", with_cal, headers=PY_SDK_HEADERS)
    assert got.status_code == 200 and got.json()["id"] == eid
    patch = {**truto.google_body(), "title": "renamed through //unified"}
    updated = send(truto, "PATCH", f"/{EVENTS}/{eid}", scoped, headers=PY_SDK_HEADERS, json=patch)
    assert updated.status_code == 200 and updated.json()["title"] == patch["title"]
    gone = send(truto, "DELETE", f"/{EVENTS}/{eid}", with_cal, headers=PY_SDK_HEADERS)
    assert gone.status_code == 200 and gone.json()["id"] == eid


# -- tolerances real clients rely on -------------------------------------------------------------


@pytest.mark.rule("truto", 17)
@pytest.mark.rule("truto", 18)
def test_upstream_null_for_optional_body_fields(truto):
    """TS: JSON.stringify keeps `null` (and drops undefined); PY: `json=data` sends None as
    null. Clients send null for optional fields they do not set; the write still succeeds."""
    acc = truto.account()
    nulls = {
        "description": None,
        "location": None,
        "attendees": None,
        "recurrence": None,
        "status": None,
        "visibility": None,
        "guests_can_modify": None,
    }
    created = truto.post(EVENTS, account=acc, json=truto.google_body(**nulls))
    assert 200 <= created.status_code < 300, created.text
    eid = created.json()["id"]
    patched = truto.patch(
        f"{EVENTS}/{eid}", account=acc, json={**truto.google_body(title="nulls again"), **nulls}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["title"] == "nulls again"


@pytest.mark.rule("truto", 18)
def test_upstream_an_object_read_can_be_sent_back_as_the_update(truto):
    """A client that edits what it read sends every read-only field back (id, created_at,
    remote_data, urls, ...). trutohq/truto-skills @ f792f61 skills/truto/references/
    unified-api.md Gotchas: "some integrations pass the ID in the request body instead" — an
    `id` in the body is part of the contract. The update succeeds and changes the title."""
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    created = truto.create_google()
    read = truto.get(f"{EVENTS}/{created['id']}", account=acc, params=cal).json()
    read["title"] = "edited after reading"
    read["calendar"] = {"id": truto.states.get("google_calendar")}
    response = truto.patch(f"{EVENTS}/{created['id']}", account=acc, json=read)
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "edited after reading"
    assert response.json()["start_time"] == created["start_time"]


@pytest.mark.rule("truto", 3)
@pytest.mark.rule("truto", 35)
def test_upstream_header_names_in_any_case(truto):
    """HTTP header names are case-insensitive, and clients differ: fetch (TS) and HTTP/2 send
    them lower-cased, aiohttp (PY) as written. Authorization, Content-Type and Idempotency-Key
    work lower-cased."""
    acc = truto.account()
    token = truto.states.get("api_token")
    lower = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    key = f"contract-{uuid.uuid4().hex}"
    scoped = ts_query(("integrated_account_id", acc))
    body = truto.google_body()
    first = send(
        truto,
        "POST",
        EVENTS,
        scoped,
        token=False,
        headers={**lower, "idempotency-key": key},
        json=body,
    )
    assert 200 <= first.status_code < 300, first.text
    again = send(
        truto,
        "POST",
        EVENTS,
        scoped,
        token=False,
        headers={**lower, "Idempotency-Key": key},
        json=body,
    )
    assert again.json() == first.json()


def test_upstream_unknown_query_options_are_passed_over(truto):
    """TS PaginationOptions is `{limit?: number, [key: string]: any}` and every option goes
    into the query (only unified_model and resource are taken out); PY sends the dict as is.
    A parameter the unified API does not know changes nothing."""
    acc = truto.account()
    query = ts_query(
        ("integrated_account_id", acc),
        ("calendar[id]", truto.states.get("google_calendar")),
        ("start_time", ms(midnight(0))),
        ("end_time", ms(midnight(14))),
        ("limit", "1000"),
        ("my_app_trace", "abc"),
        ("foo[bar]", "baz"),
    )
    response = send(truto, "GET", EVENTS, query, headers=TS_SDK_HEADERS)
    assert response.status_code == 200, response.text
    assert [e["id"] for e in response.json()["result"]] == one_page_ids(truto, acc)
