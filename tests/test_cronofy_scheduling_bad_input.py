"""Hostile input at Cronofy's scheduling endpoints: availability, sequenced availability,
availability rules and available periods, with the harness of tests/test_cronofy_bad_input.py
(arbitrary JSON, mutations of valid bodies, malformed bodies, odd content types and
credentials). Whatever arrives: no 5xx, only the endpoint's success status or a Cronofy 4xx,
every 422 in the `{"errors": ...}` shape, and a refused request leaves the world and the store
(rules and periods included) exactly as they were."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.testing import asgi_client
from tests.test_cronofy_bad_input import (
    AUTH_HEADERS,
    CALENDARS,
    CLIENT_SECRET,
    SETTINGS,
    TOKEN,
    V1_ERRORS,
    WORLD,
    assert_422_shape,
    bodies,
    encoded,
    malformed,
    send,
    snapshot,
)

OWNER, SECOND = "acc_c0ntract0000000000000001", "acc_c0ntract0000000000000002"
AUTHS = [*AUTH_HEADERS, f"Bearer {CLIENT_SECRET}", f"Bearer {CLIENT_SECRET}"]
BASE = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def _t(hours: int) -> str:
    return (BASE + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    paths: st.SearchStrategy[str]
    valid: st.SearchStrategy[dict]
    fields: list[str]
    ok: int


duration = st.integers(1, 240).map(lambda m: {"minutes": m})
periods = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 48)).map(
        lambda p: {"start": _t(p[0]), "end": _t(p[0] + p[1])}
    ),
    min_size=1,
    max_size=3,
)
OWN_CALENDARS = {OWNER: CALENDARS[:3], SECOND: ["cal_c0ntract0002_other"], "acc_nope": ["x"]}


def members(subs: list[str], required: list[Any], stray: bool) -> st.SearchStrategy[dict]:
    """Participant groups; with `stray`, a member may name another account's calendar."""

    def member(sub: str) -> st.SearchStrategy[dict]:
        calendars = CALENDARS if stray else OWN_CALENDARS[sub]
        return st.fixed_dictionaries(
            {"sub": st.just(sub)},
            optional={
                "calendar_ids": st.lists(st.sampled_from(calendars), min_size=1, max_size=2),
                "available_periods": periods,
                "managed_availability": st.booleans(),
                "availability_rule_ids": st.lists(st.sampled_from(["r1", "nope"]), max_size=2),
            },
        )

    return st.fixed_dictionaries(
        {"members": st.lists(st.sampled_from(subs).flatmap(member), min_size=1, max_size=3)},
        optional={"required": st.sampled_from(required)},
    )


buffer = st.fixed_dictionaries(
    {},
    optional={
        "before": duration | st.builds(lambda d: {"minimum": d}, duration),
        "after": duration
        | st.builds(
            lambda a, more: {"minimum": a, "maximum": {"minutes": a["minutes"] + more}},
            duration,
            st.integers(0, 60),
        ),
    },
)


def availability_bodies(groups: st.SearchStrategy[dict]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "participants": st.lists(groups, min_size=1, max_size=2),
            "required_duration": duration,
            "query_periods": periods,
        },
        optional={
            "buffer": buffer,
            "start_interval": st.sampled_from([5, 15, 30, 60]).map(lambda m: {"minutes": m}),
            "response_format": st.sampled_from(["periods", "slots", "overlapping_slots"]),
            "max_results": st.integers(1, 512),
        },
    )


def sequenced_bodies(groups: st.SearchStrategy[dict]) -> st.SearchStrategy[dict]:
    step = st.fixed_dictionaries(
        {
            "sequence_id": st.text(min_size=1, max_size=6) | st.integers(0, 99),
            "participants": st.lists(groups, min_size=1, max_size=1),
            "required_duration": duration,
        },
        optional={"ordinal": st.integers(1, 3), "buffer": buffer, "start_interval": st.none()},
    )
    return st.fixed_dictionaries(
        {"sequence": st.lists(step, min_size=1, max_size=3), "query_periods": periods}
    )


# valid groups; near-valid ones may name a sub the application may not see, another account's
# calendar or more required members than there are (the fuzzing sends both)
group = members([OWNER, SECOND], ["all", 1], stray=False)
near_group = members([OWNER, SECOND, "acc_nope"], ["all", 1, 2], stray=True)
availability = availability_bodies(group)
sequenced = sequenced_bodies(group)
near = {
    "availability": availability_bodies(near_group),
    "sequenced": sequenced_bodies(near_group),
}
weekly = st.fixed_dictionaries(
    {
        "day": st.sampled_from(["monday", "friday", "sunday"]),
        "start_time": st.sampled_from(["08:00", "09:30"]),
        "end_time": st.sampled_from(["12:00", "17:45"]),
    }
)
rule = st.fixed_dictionaries(
    {
        "availability_rule_id": st.sampled_from(["r1", "r2"]),
        "tzid": st.sampled_from(["Etc/UTC", "America/Chicago"]),
        "weekly_periods": st.lists(weekly, min_size=1, max_size=3),
    },
    optional={"calendar_ids": st.lists(st.sampled_from(CALENDARS[:3]), min_size=1, max_size=2)},
)
period = st.builds(
    lambda i, p: {"available_period_id": i, **p},
    st.sampled_from(["p1", "p2"]),
    periods.map(lambda ps: ps[0]),
)
period_delete = st.one_of(
    st.just({"delete_all": True}),
    st.builds(lambda i: {"available_period_id": i}, st.sampled_from(["p1", "x"])),
)

AVAILABILITY_FIELDS = [
    "participants",
    "required_duration",
    "query_periods",
    "available_periods",
    "query_slots",
    "buffer",
    "start_interval",
    "response_format",
    "max_results",
]
ENDPOINTS = [
    Endpoint(
        "availability", "POST", st.just("/v1/availability"), availability, AVAILABILITY_FIELDS, 200
    ),
    Endpoint(
        "sequenced",
        "POST",
        st.just("/v1/sequenced_availability"),
        sequenced,
        ["sequence", "query_periods", "available_periods"],
        200,
    ),
    Endpoint(
        "rule",
        "POST",
        st.just("/v1/availability_rules"),
        rule,
        ["availability_rule_id", "tzid", "weekly_periods", "calendar_ids"],
        200,
    ),
    Endpoint(
        "period",
        "POST",
        st.sampled_from(["/v1/available_periods", "/v1/available_periods/"]),
        period,
        ["available_period_id", "start", "end"],
        202,
    ),
    Endpoint(
        "period_delete",
        "DELETE",
        st.sampled_from(["/v1/available_periods", "/v1/available_periods/"]),
        period_delete,
        ["available_period_id", "delete_all"],
        202,
    ),
]
BY_NAME = {ep.name: ep for ep in ENDPOINTS}


def check(ep: Endpoint, response: Any) -> None:
    status = response.status_code
    assert status < 500, (status, response.text)
    assert status == ep.ok or status in V1_ERRORS, (status, response.text)
    if status == 422:
        assert_422_shape(response.json())
    elif status >= 400 or ep.ok == 202:
        assert response.content == b"", (status, response.text)
    elif ep.name == "availability":
        body = response.json()
        assert list(body) in (["available_periods"], ["available_slots"]), body
        for item in next(iter(body.values())):
            assert set(item) == {"start", "end", "participants"}, item
    elif ep.name == "sequenced":
        assert list(response.json()) == ["sequences"]
    else:
        assert list(response.json()) == ["availability_rule"]


def exercise(ep: Endpoint, app: Any, client: Any, path: str, content: bytes, ctype, auth) -> None:
    before = snapshot(app)
    response = send(client, ep, path, content, ctype, auth)  # type: ignore[arg-type]
    check(ep, response)
    if response.status_code >= 400 or ep.name in ("availability", "sequenced"):
        assert snapshot(app) == before, (path, content[:300], response.status_code)


@pytest.fixture
def app() -> Any:
    world = copy.deepcopy(WORLD)
    world["cronofy"]["availability_rules"] = [
        {
            "account": OWNER,
            "availability_rule_id": "r1",
            "tzid": "Europe/Paris",
            "weekly_periods": [{"day": "monday", "start_time": "09:00", "end_time": "17:00"}],
        }
    ]
    return create_app(fixture=world)


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
def test_arbitrary_and_mutated_json(name: str, app: Any) -> None:
    ep = BY_NAME[name]
    with asgi_client(app) as client:

        @SETTINGS
        @given(
            path=ep.paths,
            payload=bodies(ep.valid | near.get(name, ep.valid), ep.fields).flatmap(encoded),
            auth=st.sampled_from(AUTHS),
        )
        def run(path: str, payload: tuple[bytes, str | None], auth: str | None) -> None:
            exercise(ep, app, client, path, *payload, auth)

        run()


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
def test_malformed_bodies(name: str, app: Any) -> None:
    ep = BY_NAME[name]
    with asgi_client(app) as client:

        @settings(SETTINGS, max_examples=30)
        @given(path=ep.paths, payload=malformed(ep.valid))
        def run(path: str, payload: tuple[bytes, str | None]) -> None:
            exercise(ep, app, client, path, *payload, f"Bearer {TOKEN}")

        run()


@pytest.mark.parametrize("name", [ep.name for ep in ENDPOINTS])
def test_valid_bodies_are_accepted(name: str, app: Any) -> None:
    """The generators' valid bodies are accepted (else the fuzzing above proves little)."""
    ep = BY_NAME[name]
    with asgi_client(app) as client:

        @settings(SETTINGS, max_examples=40)
        @given(path=ep.paths, body=ep.valid)
        def run(path: str, body: dict) -> None:
            content = json.dumps(body).encode()
            response = send(client, ep, path, content, "application/json", f"Bearer {TOKEN}")  # type: ignore[arg-type]
            check(ep, response)
            assert response.status_code == ep.ok, response.text

        run()
