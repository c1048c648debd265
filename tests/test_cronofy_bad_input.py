"""Hostile input at every Cronofy write endpoint.

Arbitrary JSON, mutations of valid bodies, malformed and oversized bodies and odd content types
are thrown at each endpoint. Whatever arrives:
  * nothing escapes the app (the in-process client re-raises app exceptions) and no 5xx;
  * the status is one Cronofy uses: the endpoint's success status, or a 4xx (a body over
    1 MiB is refused with an empty 413 on /v1: a transport-level answer Cronofy documents none of);
  * every 422 body is exactly `{"errors": {field: [{"key", "description"}, ...]}}`;
  * `/oauth/*` errors are 400 with an RFC 6749 `{"error": str}` body;
  * a rejected request leaves the world (and the OAuth store) exactly as it was.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.core.dump import dump_world
from mockserver.core.fixtures import read
from mockserver.testing import asgi_client
from mockserver.web import MAX_BODY

WORLD = read(Path(__file__).resolve().parents[1] / "contracts" / "world.json")

TOKEN = "contractAllScopesToken0000000001"
CLIENT_ID = "contract_client_id_00000000000001"
CLIENT_SECRET = "contract_client_secret_000000000000000001"
REFRESH = "contractRefreshToken000000000001"
PROFILE = "pro_c0ntract0001"
WORK = "cal_c0ntract0001_work"
CALENDARS = [
    WORK,
    WORK,
    "cal_c0ntract0001_second",
    "cal_c0ntract0001_sandbox",
    "cal_c0ntract0001_readonly",
    "cal_c0ntract0002_other",
    "cal_unknown",
]
EXTERNAL = [
    "evt_external_c0ntract000000000000001",
    "evt_external_c0ntract000000000000002",
    "evt_external_c0ntract000000000000003",
    "evt_external_c0ntract000000000000004",
    "evt_external_c0ntract000000000000101",
    "evt_external_c0ntract000000000000201",
    "evt_nope",
]
AUTH_HEADERS = [
    f"Bearer {TOKEN}",
    f"Bearer {TOKEN}",
    f"Bearer {TOKEN}",
    f"Bearer {TOKEN}",
    f"bearer {TOKEN}",
    "Bearer contractFreeBusyOnlyToken0000001",
    "Bearer contractCreateEventOnlyToken0001",
    "Bearer contractExpiredToken000000000001",
    "Bearer junk",
    "Basic dXNlcjpwYXNz",
    None,
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/xml",
    None,
]
V1_ERRORS = {401, 403, 404, 413, 422, 423}
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- strategies --------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
json_objects = st.dictionaries(st.text(max_size=12), json_values, max_size=6)

time_like = st.from_regex(
    r"\A(0001|1970|2026|9999|[0-9]{4})-(0[0-9]|1[0-3]|02)-(0[0-9]|[1-3][0-9])"
    r"([T ]([01][0-9]|2[0-5]):[0-6][0-9](:[0-6][0-9](\.[0-9]{1,6})?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?)?\Z"
)
extreme_times = st.sampled_from(
    [
        "9999-12-31T23:00:00-05:00",
        "9999-12-31T23:59:59-18:00",
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "2026-01-01T10:00:00.000Z",
        "2026-01-01T10:00:00.500Z",
        "2026-01-01 10:00:00Z",
        "2026-01-01T10:00:00+99:99",
        "2026-01-01T10:00",
        "",
    ]
)
tz_like = st.sampled_from(
    [
        "Etc/UTC",
        "Europe/London",
        "America/New_York",
        "Pacific/Kiritimati",
        "Nope/Nowhere",
        "",
        "../../etc/passwd",
        "/etc/localtime",
        "UTC\x00",
        "a" * 300,
        "Europe",
    ]
) | st.text(max_size=20)
huge_strings = st.sampled_from([1025, 4097, 70_000]).map(lambda n: "x" * n)
deep_junk = st.integers(min_value=20, max_value=200).map(
    lambda n: json.loads("[" * n + "]" * n) if n % 2 else _deep_dict(n)
)
interesting = st.sampled_from(
    ["", " ", "null", "true", "True", "0", 0, -1, 1.5, True, False, None, [], {}, [None], {"": ""}]
)
junk = st.one_of(json_values, interesting, huge_strings, deep_junk, time_like, extreme_times)


def _deep_dict(n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _ in range(n):
        out = {"a": out}
    return out


def _time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def event_times(draw: st.DrawFn) -> tuple[Any, Any]:
    kind = draw(st.sampled_from(["timed", "all_day", "localized"]))
    if kind == "all_day":
        d = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
        return d.isoformat(), (d + timedelta(days=draw(st.integers(1, 3)))).isoformat()
    start = draw(
        st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31))
    ).replace(second=0, microsecond=0, tzinfo=UTC)
    end = start + timedelta(minutes=draw(st.integers(1, 600)))
    if kind == "timed":
        return _time(start), _time(end)
    tz = draw(st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata"]))
    return {"time": _time(start), "tzid": tz}, {"time": _time(end), "tzid": tz}


@st.composite
def valid_upserts(draw: st.DrawFn) -> dict[str, Any]:
    start, end = draw(event_times())
    body: dict[str, Any] = {"summary": draw(st.text(min_size=1, max_size=30).filter(str.strip))}
    if draw(st.integers(0, 4)):
        body["event_id"] = draw(
            st.sampled_from(["ev-a", "ev-b", "ev-c"])
            | st.text(min_size=1, max_size=10).filter(str.strip)
        )
    else:
        body["event_uid"] = draw(st.sampled_from(EXTERNAL))
    body |= {"start": start, "end": end}
    optional = {
        "description": st.text(max_size=30),
        "tzid": st.sampled_from(["Etc/UTC", "Europe/Paris"]),
        "location": st.just({"description": "Room 1", "lat": "51.5", "long": "-0.1"}),
        "url": st.just("https://example.com/x"),
        "transparency": st.sampled_from(["opaque", "transparent"]),
        "reminders": st.lists(st.builds(lambda m: {"minutes": m}, st.integers(0, 600)), max_size=5),
        "event_private": st.booleans(),
        "color": st.just("#49BED8"),
        "conferencing": st.just({"profile_id": "explicit", "join_url": "https://meet.example/x"}),
        "recurrence": st.just(
            {"rules": [{"frequency": "weekly", "interval": 1, "count": 3, "by_day": ["monday"]}]}
        ),
        "attendees": st.just({"invite": [{"email": "a@example.com", "display_name": "A"}]}),
    }
    for name in draw(st.sets(st.sampled_from(sorted(optional)), max_size=4)):
        body[name] = draw(optional[name])
    return body


UPSERT_FIELDS = [
    "event_id",
    "event_uid",
    "summary",
    "description",
    "start",
    "end",
    "tzid",
    "location",
    "url",
    "transparency",
    "reminders",
    "reminders_create_only",
    "event_private",
    "color",
    "conferencing",
    "recurrence",
    "attendees",
    "subscriptions",
]

# near-valid values: the right shape with the wrong inside
NESTED_JUNK: dict[str, st.SearchStrategy[Any]] = {
    "start": st.one_of(
        st.builds(lambda t, z: {"time": t, "tzid": z}, junk, tz_like),
        st.builds(lambda t, z: {"time": t, "tzid": z}, time_like | extreme_times, tz_like),
        st.builds(lambda z: {"tzid": z}, tz_like),
        time_like,
        extreme_times,
    ),
    "location": st.dictionaries(
        st.sampled_from(["description", "lat", "long", "x"]), junk, max_size=3
    ),
    "reminders": st.lists(st.builds(lambda m: {"minutes": m}, junk), max_size=7)
    | st.lists(junk, max_size=3),
    "recurrence": st.builds(
        lambda rules: {"rules": rules},
        st.lists(
            st.fixed_dictionaries(
                {"frequency": st.sampled_from(["daily", "weekly", "monthly", "yearly"]) | junk},
                optional={
                    "interval": junk | st.integers(-5, 2000),
                    "count": junk | st.integers(-5, 2000),
                    "until": junk | time_like | extreme_times,
                    "by_day": st.lists(st.sampled_from(["monday", "funday"]), max_size=3) | junk,
                },
            )
            | junk,
            max_size=3,
        ),
    ),
    "attendees": st.fixed_dictionaries(
        {},
        optional={
            "invite": st.lists(
                st.fixed_dictionaries(
                    {"email": st.sampled_from(["a@b.c", "nope"]) | junk},
                    optional={"display_name": junk},
                )
                | junk,
                max_size=3,
            )
            | junk,
            "remove": st.lists(junk, max_size=2) | junk,
        },
    ),
    "conferencing": st.fixed_dictionaries(
        {}, optional={"profile_id": st.just("explicit") | junk, "join_url": junk}
    ),
    "tzid": tz_like | junk,
    "event_id": huge_strings | junk,
    "summary": huge_strings | junk,
    "description": huge_strings | junk,
}
NESTED_JUNK["end"] = NESTED_JUNK["start"]


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[dict], fields: list[str]) -> dict[str, Any]:
    """A valid body with 1-3 of: a field dropped, a field set to junk, a junk field added."""
    body = copy.deepcopy(draw(valid))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["drop", "set", "set", "add"]))
        if op == "drop" and body:
            del body[draw(st.sampled_from(sorted(body)))]
        elif op == "set":
            name = draw(st.sampled_from(fields))
            body[name] = draw(NESTED_JUNK.get(name, junk) | junk)
        else:
            body[draw(st.text(max_size=10))] = draw(json_values)
    return body


def bodies(valid: st.SearchStrategy[dict], fields: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        valid, mutated(valid, fields), mutated(valid, fields), json_objects, json_values
    )


# -- encoding ----------------------------------------------------------------------------------


def _form_pairs(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out += _form_pairs(v, f"{prefix}[{k}]" if prefix else str(k))
        return out or [(prefix, "")]
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            out += _form_pairs(v, f"{prefix}[{i}]")
        return out or [(prefix, "")]
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, "" if value is None else str(value))]


@st.composite
def encoded(draw: st.DrawFn, body: Any) -> tuple[bytes, str | None]:
    """A body as JSON (under various content types) or form-encoded."""
    if draw(st.integers(0, 3)) == 0 and isinstance(body, dict):
        return urlencode(_form_pairs(body)).encode(), "application/x-www-form-urlencoded"
    ctype = draw(st.sampled_from(CONTENT_TYPES[:3] * 3 + CONTENT_TYPES[3:]))
    return json.dumps(body).encode(), ctype


@st.composite
def malformed(draw: st.DrawFn, valid: st.SearchStrategy[dict]) -> tuple[bytes, str | None]:
    kind = draw(
        st.sampled_from(["bytes", "truncated", "non_object", "form_junk", "raw_form", "special"])
    )
    ctype = draw(st.sampled_from(CONTENT_TYPES))
    if kind == "bytes":
        return draw(st.binary(min_size=1, max_size=200)), ctype
    if kind == "truncated":
        text = json.dumps(draw(valid)).encode()
        return text[: draw(st.integers(1, len(text) - 1))], ctype
    if kind == "non_object":
        value = draw(json_values.filter(lambda v: not isinstance(v, dict)))
        return json.dumps(value).encode(), ctype
    if kind == "form_junk":
        key = st.from_regex(r"\A[a-z_\[\]0-9]{0,12}\Z")
        pairs = draw(st.lists(st.tuples(key, st.text(max_size=20)), max_size=8))
        return urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    if kind == "raw_form":
        raw = draw(
            st.binary(min_size=1, max_size=100) | st.text(min_size=1, max_size=60).map(str.encode)
        )
        return raw, "application/x-www-form-urlencoded"
    special = [
        b"{",
        b"}",
        b"{]",
        b"null",
        b'"\\ud800"',
        b'{"summary": "\\ud800"}',
        b"\xef\xbb\xbf{}",
        b"{}{}",
        b'{"a":1,}',
        b"NaN",
        b'{"x": 1e999999}',
        b'{"x": 123456789012345678901234567890}',
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 3000 + b"1" + b"}" * 3000,
        b"\x00",
        b"\xff\xfe{\x00}\x00",
    ]
    return draw(st.sampled_from(special)), ctype


# -- the endpoints -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    paths: st.SearchStrategy[str]
    valid: st.SearchStrategy[dict]
    fields: list[str]
    ok: int
    oauth: bool = False


ENDPOINTS = [
    Endpoint(
        "upsert",
        "POST",
        st.sampled_from(CALENDARS).map(lambda c: f"/v1/calendars/{c}/events"),
        valid_upserts(),
        UPSERT_FIELDS,
        202,
    ),
    Endpoint(
        "delete",
        "DELETE",
        st.sampled_from(CALENDARS).map(lambda c: f"/v1/calendars/{c}/events"),
        st.one_of(
            st.builds(lambda e: {"event_id": e}, st.sampled_from(["ev-a", "ev-b", "nope"])),
            st.builds(lambda u: {"event_uid": u}, st.sampled_from(EXTERNAL)),
            st.builds(lambda e: {"event_id": e, "include_userinfo": True}, st.just("ev-c")),
        ),
        ["event_id", "event_uid", "include_userinfo"],
        202,
    ),
    Endpoint(
        "bulk_delete",
        "DELETE",
        st.one_of(
            st.just("/v1/events"),
            st.lists(
                st.tuples(
                    st.sampled_from(["delete_all", "calendar_ids[]", "x"]), st.text(max_size=10)
                ),
                max_size=3,
            ).map(lambda q: "/v1/events?" + urlencode(q)),
        ),
        st.one_of(
            st.just({"delete_all": True}),
            st.lists(st.sampled_from(CALENDARS[:3]), min_size=1, max_size=2).map(
                lambda ids: {"calendar_ids": ids}
            ),
        ),
        ["delete_all", "calendar_ids"],
        202,
    ),
    Endpoint(
        "create_calendar",
        "POST",
        st.just("/v1/calendars"),
        st.builds(
            lambda p, n, c: {"profile_id": p, "name": n, **c},
            st.sampled_from([PROFILE, PROFILE, "pro_c0ntract0002", "pro_nope"]),
            st.text(min_size=1, max_size=20).filter(str.strip),
            st.sampled_from([{}, {"color": "#49BED8"}]),
        ),
        ["profile_id", "name", "color"],
        200,
    ),
    Endpoint(
        "participation",
        "POST",
        st.builds(
            lambda c, u: f"/v1/calendars/{c}/events/{quote(u, safe='')}/participation_status",
            st.sampled_from(CALENDARS),
            st.sampled_from(EXTERNAL) | st.text(min_size=1, max_size=12),
        ),
        st.builds(lambda s: {"status": s}, st.sampled_from(["accepted", "tentative", "declined"])),
        ["status"],
        202,
    ),
    Endpoint(
        "batch",
        "POST",
        st.just("/v1/batch"),
        st.builds(
            lambda entries: {"batch": entries},
            st.lists(
                st.one_of(
                    st.builds(
                        lambda c, d: {
                            "method": "POST",
                            "relative_url": f"/v1/calendars/{c}/events",
                            "data": d,
                        },
                        st.sampled_from(CALENDARS),
                        valid_upserts() | mutated(valid_upserts(), UPSERT_FIELDS),
                    ),
                    st.builds(
                        lambda c, d: {
                            "method": "DELETE",
                            "relative_url": f"/v1/calendars/{c}/events",
                            "data": d,
                        },
                        st.sampled_from(CALENDARS),
                        st.builds(
                            lambda e: {"event_id": e}, st.sampled_from(["ev-a", "ev-b"]) | junk
                        ),
                    ),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "method": st.sampled_from(["POST", "DELETE", "GET", "post"]) | junk,
                            "relative_url": st.sampled_from(
                                ["/v1/calendars/x/events", "/v1/events", "/v1/calendars/x/events\n"]
                            )
                            | junk,
                            "data": junk,
                        },
                    ),
                    junk,
                ),
                max_size=4,
            ),
        ),
        ["batch"],
        207,
    ),
    Endpoint(
        "token",
        "POST",
        st.just("/oauth/token"),
        st.one_of(
            st.just(
                {
                    "grant_type": "refresh_token",
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "refresh_token": REFRESH,
                }
            ),
            st.builds(
                lambda code: {
                    "grant_type": "authorization_code",
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "code": code,
                    "redirect_uri": "http://127.0.0.1/callback",
                },
                st.text(max_size=24),
            ),
        ),
        ["grant_type", "client_id", "client_secret", "refresh_token", "code", "redirect_uri"],
        200,
        oauth=True,
    ),
    Endpoint(
        "revoke",
        "POST",
        st.just("/oauth/token/revoke"),
        st.one_of(
            st.builds(
                lambda t: {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "token": t},
                st.sampled_from(["contractFreeBusyOnlyToken0000001", "unknown-token"])
                | st.text(max_size=10),
            ),
            st.just({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "sub": "acc_nope"}),
        ),
        ["client_id", "client_secret", "token", "sub"],
        200,
        oauth=True,
    ),
]
BY_NAME = {ep.name: ep for ep in ENDPOINTS}


# -- checks --------------------------------------------------------------------------------------


def snapshot(app: Any) -> Any:
    """Everything a write could touch: the world (as a world file), the change feed, the managed
    id map, the time index contents, and the OAuth store."""
    state = app.state.server
    world, oauth = state.world, state.cronofy.oauth
    index = {
        key: (list(bucket.singles), sorted(bucket.recurring))
        for key, bucket in world.index._buckets.items()
        if bucket.singles or bucket.recurring
    }
    return (
        dump_world(world),
        list(world._changes),
        dict(world._managed),
        index,
        oauth.dump(),
        {code: dataclasses.asdict(c) for code, c in oauth.codes.items()},
    )


def assert_422_shape(body: Any) -> None:
    assert isinstance(body, dict) and set(body) == {"errors"}, body
    errors = body["errors"]
    assert isinstance(errors, dict) and errors, body
    for field, entries in errors.items():
        assert isinstance(field, str) and field, body
        assert isinstance(entries, list) and entries, body
        for entry in entries:
            assert isinstance(entry, dict) and set(entry) == {"key", "description"}, body
            assert isinstance(entry["key"], str) and entry["key"].startswith("errors."), body
            assert isinstance(entry["description"], str) and entry["description"], body


def check(ep: Endpoint, response: Any) -> None:
    """Status and body follow Cronofy's error model."""
    status = response.status_code
    assert status < 500, (status, response.text)
    if ep.oauth:
        if status == ep.ok:
            if ep.name == "token":
                body = response.json()
                assert body["token_type"] == "bearer" and len(body["access_token"]) == 32
                assert response.headers["cache-control"] == "no-store"
            return
        assert status == 400, (status, response.text)
        body = response.json()
        assert set(body) == {"error"} and isinstance(body["error"], str), body
        return
    assert status == ep.ok or status in V1_ERRORS, (status, response.text)
    if status == 422:
        assert response.headers["content-type"].startswith("application/json")
        assert_422_shape(response.json())
    elif status >= 400:
        assert response.content == b"", (status, response.text)  # Cronofy documents no body
    elif ep.name == "create_calendar":
        assert set(response.json()) == {"calendar"}
    elif ep.name == "batch":
        check_batch(response.json())
    elif ep.name == "delete" and response.content:
        assert set(response.json()) == {"userinfo"}
    else:
        assert response.content == b""


def check_batch(body: Any) -> None:
    assert set(body) == {"batch"} and isinstance(body["batch"], list)
    for entry in body["batch"]:
        assert set(entry) <= {"status", "data"} and "status" in entry, entry
        assert entry["status"] == 202 or entry["status"] in V1_ERRORS, entry
        if entry["status"] == 422:
            assert_422_shape(entry["data"])
        else:
            assert "data" not in entry, entry


def rejected(ep: Endpoint, response: Any) -> bool:
    if response.status_code >= 400:
        return True
    if ep.name == "batch":  # 207, but nothing in it was accepted
        return all(e["status"] >= 400 for e in response.json()["batch"])
    return False


def send(client: Any, ep: Endpoint, path: str, content: bytes, ctype: str | None, auth: str | None):
    headers = {}
    if ctype is not None:
        headers["content-type"] = ctype
    if auth is not None:
        headers["authorization"] = auth
    return client.request(ep.method, path, content=content, headers=headers)


def exercise(ep: Endpoint, app: Any, client: Any, path: str, content: bytes, ctype, auth) -> None:
    before = snapshot(app)
    response = send(client, ep, path, content, ctype, auth)
    event(f"status {response.status_code}")
    check(ep, response)
    if rejected(ep, response):
        assert snapshot(app) == before, (path, content[:300], response.status_code)


@pytest.fixture
def app() -> Any:
    return create_app(fixture=copy.deepcopy(WORLD))


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
def test_arbitrary_and_mutated_json(name: str, app: Any) -> None:
    ep = BY_NAME[name]
    with asgi_client(app) as client:

        @SETTINGS
        @given(
            path=ep.paths,
            payload=bodies(ep.valid, ep.fields).flatmap(encoded),
            auth=st.just(None) if ep.oauth else st.sampled_from(AUTH_HEADERS),
        )
        def run(path: str, payload: tuple[bytes, str | None], auth: str | None) -> None:
            exercise(ep, app, client, path, *payload, auth)

        run()


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
def test_malformed_bodies(name: str, app: Any) -> None:
    ep = BY_NAME[name]
    with asgi_client(app) as client:

        @settings(SETTINGS, max_examples=40)
        @given(path=ep.paths, payload=malformed(ep.valid), stale=st.booleans())
        def run(path: str, payload: tuple[bytes, str | None], stale: bool) -> None:
            # /oauth ignores any Authorization header (pycronofy sends a stale one)
            auth = f"Bearer {TOKEN}" if (stale or not ep.oauth) else None
            exercise(ep, app, client, path, *payload, auth)

        run()


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
@pytest.mark.parametrize("shape", ["json", "form", "junk"])
def test_body_over_one_mebibyte(name: str, shape: str, app: Any) -> None:
    ep = BY_NAME[name]
    filler = "x" * (MAX_BODY + 10)
    if shape == "json":
        content, ctype = (
            json.dumps({"summary": filler, "name": filler}).encode(),
            "application/json",
        )
    elif shape == "form":
        content, ctype = (
            urlencode({"summary": filler}).encode(),
            "application/x-www-form-urlencoded",
        )
    else:
        content, ctype = filler.encode(), None
    path = {
        "upsert": f"/v1/calendars/{WORK}/events",
        "delete": f"/v1/calendars/{WORK}/events",
        "participation": f"/v1/calendars/{WORK}/events/{EXTERNAL[0]}/participation_status",
        "bulk_delete": "/v1/events",
        "create_calendar": "/v1/calendars",
        "batch": "/v1/batch",
        "token": "/oauth/token",
        "revoke": "/oauth/token/revoke",
    }[name]
    with asgi_client(app) as client:
        before = snapshot(app)
        response = send(client, ep, path, content, ctype, f"Bearer {TOKEN}")
        check(ep, response)
        assert response.status_code == (400 if ep.oauth else 413)
        assert snapshot(app) == before


def test_valid_bodies_are_accepted(app: Any) -> None:
    """The generators' valid bodies really are valid (else the fuzzing above proves little)."""
    with asgi_client(app) as client:

        @settings(SETTINGS, max_examples=30)
        @given(body=valid_upserts().filter(lambda b: "event_id" in b), form=st.booleans())
        def run(body: dict[str, Any], form: bool) -> None:
            # form values stay strings, so numbers (reminders, recurrence) need JSON
            form = form and not {"reminders", "recurrence"} & set(body)
            content, ctype = (
                (urlencode(_form_pairs(body)).encode(), "application/x-www-form-urlencoded")
                if form
                else (json.dumps(body).encode(), "application/json")
            )
            response = send(
                client,
                BY_NAME["upsert"],
                f"/v1/calendars/{WORK}/events",
                content,
                ctype,
                f"Bearer {TOKEN}",
            )
            assert response.status_code == 202, response.text

        run()


READ_ZONES = [
    "Etc/UTC",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Tokyo",
    "America/New_York",
]
EDGE_DAYS = [
    date(1000, 1, 1),
    date(1000, 1, 2),
    date(8999, 12, 29),
    date(8999, 12, 30),
    date(2028, 2, 29),
    date(2026, 3, 29),
    date(2026, 11, 1),
]


@st.composite
def edge_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """start/end at the edges of what parses: extreme years, leap days, DST changes."""
    day = draw(st.sampled_from(EDGE_DAYS))
    if draw(st.booleans()):
        return day.isoformat(), (day + timedelta(days=1)).isoformat()
    start = datetime(
        day.year, day.month, day.day, draw(st.sampled_from([0, 1, 10, 22, 23])), tzinfo=UTC
    )
    end = start + timedelta(minutes=draw(st.sampled_from([1, 30, 59])))
    tz = draw(st.sampled_from([None, *READ_ZONES]))
    if tz is None:
        return _time(start), _time(end)
    return {"time": _time(start), "tzid": tz}, {"time": _time(end), "tzid": tz}


def test_whatever_is_accepted_reads_back(app: Any) -> None:
    """An event the fuzzing got accepted (edge times, zones, rules) never breaks a later read."""
    # Bounded rules only: an open-ended daily series from year 1000 reads correctly but slowly
    # (dateutil walks every instance from the first), which is not what this test is about.
    rules = st.sampled_from(
        [
            {"rules": [{"frequency": "daily", "count": 400}]},
            {"rules": [{"frequency": "yearly", "count": 3}]},
            {"rules": [{"frequency": "weekly", "by_day": ["monday", "sunday"], "count": 50}]},
            {"rules": [{"frequency": "monthly", "interval": 7, "until": "8999-12-31"}]},
            {"rules": [{"frequency": "monthly", "until": "8999-12-31T00:00:00Z"}]},
        ]
    )
    with asgi_client(app) as client:

        @settings(SETTINGS, max_examples=60)
        @given(
            event_id=st.sampled_from(["r1", "r2", "r3"]),
            times=st.one_of(
                edge_pairs(), st.tuples(time_like | extreme_times, time_like | extreme_times)
            ),
            extra=st.fixed_dictionaries(
                {}, optional={"tzid": st.sampled_from(READ_ZONES), "recurrence": rules}
            ),
            tzid=st.sampled_from(READ_ZONES),
            localized=st.booleans(),
        )
        def run(
            event_id: str, times: tuple[Any, Any], extra: dict, tzid: str, localized: bool
        ) -> None:
            body = {
                "event_id": event_id,
                "summary": "s",
                "start": times[0],
                "end": times[1],
                **extra,
            }
            path = f"/v1/calendars/{WORK}/events"
            exercise(
                BY_NAME["upsert"],
                app,
                client,
                path,
                json.dumps(body).encode(),
                "application/json",
                f"Bearer {TOKEN}",
            )
            headers = {"authorization": f"Bearer {TOKEN}"}
            for path, params in (
                ("/v1/events", {"only_managed": "true", "include_deleted": "true"}),
                ("/v1/events", {"only_managed": "true", "last_modified": "2000-01-01T00:00:00Z"}),
                ("/v1/events", {"include_managed": "true"}),
                ("/v1/free_busy", {"include_managed": "true"}),
            ):
                params |= {"tzid": tzid, "localized_times": str(localized).lower()}
                response = client.get(path, params=params, headers=headers)
                assert response.status_code == 200, response.text

        run()
