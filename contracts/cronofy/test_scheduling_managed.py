"""Managed availability: availability rules and available periods, and availability queries
that use them (docs/reference/scheduling.md §2.4-2.6, rules S-C2, S-C12, S-C13, S-C20..S-C29).
Rules and periods are made with ids no earlier run used and deleted again (on a live API the
contract account keeps no others)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from contracts.cronofy.scheduling import (
    DAY,
    ask,
    eventually,
    group,
    period,
    query,
    spans,
)
from contracts.kit import at, day, fake_settings

RULES = "/v1/availability_rules"
PERIODS = "/v1/available_periods"


@pytest.fixture
def rule_id(cronofy) -> Iterator[str]:
    """A fresh rule id, deleted after the test."""
    ident = f"contract-{uuid.uuid4().hex[:12]}"
    yield ident
    cronofy.delete(f"{RULES}/{ident}")


@pytest.fixture
def period_id(cronofy) -> Iterator[str]:
    ident = f"contract-{uuid.uuid4().hex[:12]}"
    yield ident
    cronofy.delete(PERIODS, json={"available_period_id": ident})


def rule(rule_id: str, states, offset: int = DAY, **extra) -> dict:
    """Open 10-12 and 14-15 UTC on the weekday of day `offset`, busy from the second calendar."""
    weekday = day(offset).strftime("%A").lower()
    return {
        "availability_rule_id": rule_id,
        "tzid": "Etc/UTC",
        "calendar_ids": [states.get("second_writable_calendar")],
        "weekly_periods": [
            {"day": weekday, "start_time": "10:00", "end_time": "12:00"},
            {"day": weekday, "start_time": "14:00", "end_time": "15:00"},
        ],
        **extra,
    }


def upsert(cronofy, body: dict) -> dict:
    response = cronofy.post(RULES, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def managed(states, **extra) -> dict:
    return {"sub": states.get("account_id"), "managed_availability": True, **extra}


# -- S-C2 -------------------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C2")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", RULES),
        ("POST", RULES),
        ("GET", f"{RULES}/x"),
        ("DELETE", f"{RULES}/x"),
        ("GET", PERIODS),
        ("POST", PERIODS),
        ("DELETE", PERIODS),
    ],
)
def test_rule_S_C2_rules_and_periods_take_access_tokens_not_the_secret(
    cronofy, states, method, path
):
    for token in (states.get("client_secret"), None):
        response = cronofy.request(method, path, json={}, token=token)
        assert response.status_code == 401  # UNVERIFIED for the client secret


@pytest.mark.rule("scheduling", "S-C2")
def test_rule_S_C2_each_token_sees_its_own_accounts_rules(cronofy, states, rule_id):
    upsert(cronofy, rule(rule_id, states))
    theirs = cronofy.get(RULES, token=states.get("second_access_token"))
    assert theirs.status_code == 200
    assert rule_id not in [r["availability_rule_id"] for r in theirs.json()["availability_rules"]]
    assert (
        cronofy.get(f"{RULES}/{rule_id}", token=states.get("second_access_token")).status_code
        == 404
    )


# -- S-C20 .. S-C24: availability rules -------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C20")
def test_rule_S_C20_upsert_echoes_the_rule_and_replaces_by_id(cronofy, states, rule_id):
    body = rule(rule_id, states)
    assert upsert(cronofy, body) == {"availability_rule": body}
    changed = {**body, "tzid": "America/Chicago", "weekly_periods": body["weekly_periods"][:1]}
    assert upsert(cronofy, changed) == {"availability_rule": changed}
    listed = cronofy.get(RULES).json()["availability_rules"]
    assert [r for r in listed if r["availability_rule_id"] == rule_id] == [changed]


@pytest.mark.rule("scheduling", "S-C21")
def test_rule_S_C21_a_rule_without_calendar_ids_has_no_such_key(cronofy, states, rule_id):
    body = rule(rule_id, states)
    del body["calendar_ids"]
    echoed = upsert(cronofy, body)["availability_rule"]
    read = cronofy.get(f"{RULES}/{rule_id}").json()["availability_rule"]
    listed = [
        r
        for r in cronofy.get(RULES).json()["availability_rules"]
        if r["availability_rule_id"] == rule_id
    ]
    for found in (echoed, read, *listed):
        assert "calendar_ids" not in found
        assert found == body


@pytest.mark.rule("scheduling", "S-C22")
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"availability_rule_id": None}, "availability_rule_id"),
        ({"availability_rule_id": "x" * 65}, "availability_rule_id"),
        ({"availability_rule_id": "caf\u00e9"}, "availability_rule_id"),
        ({"tzid": None}, "tzid"),
        ({"tzid": "Mars/Olympus_Mons"}, "tzid"),
        ({"weekly_periods": None}, "weekly_periods"),
        (
            {"weekly_periods": [{"day": "funday", "start_time": "09:00", "end_time": "10:00"}]},
            "weekly_periods",
        ),
        (
            {"weekly_periods": [{"day": "monday", "start_time": "9am", "end_time": "10:00"}]},
            "weekly_periods",
        ),
        (
            {"weekly_periods": [{"day": "monday", "start_time": "11:00", "end_time": "10:00"}]},
            "weekly_periods",
        ),
        ({"calendar_ids": []}, "calendar_ids"),
        ({"calendar_ids": ["cal_not_mine"]}, "calendar_ids"),
    ],
)
def test_rule_S_C22_invalid_rules_are_422_and_not_stored(cronofy, states, rule_id, change, field):
    body = {**rule(rule_id, states), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = cronofy.post(RULES, json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["errors"]  # keys UNVERIFIED
    if isinstance(body.get("availability_rule_id"), str):
        assert cronofy.get(f"{RULES}/{body['availability_rule_id']}").status_code == 404


@pytest.mark.rule("scheduling", "S-C23")
def test_rule_S_C23_list_and_read(cronofy, states, rule_id):
    body = rule(rule_id, states)
    upsert(cronofy, body)
    listed = cronofy.get(RULES)
    assert listed.status_code == 200
    assert list(listed.json()) == ["availability_rules"]
    assert body in listed.json()["availability_rules"]
    read = cronofy.get(f"{RULES}/{rule_id}")
    assert read.status_code == 200
    assert read.json() == {"availability_rule": body}
    assert cronofy.get(f"{RULES}/{rule_id}-missing").status_code == 404  # UNVERIFIED


@pytest.mark.rule("scheduling", "S-C24")
def test_rule_S_C24_delete_is_202_and_empty_and_ignores_a_body(cronofy, states, rule_id):
    upsert(cronofy, rule(rule_id, states))
    response = cronofy.delete(f"{RULES}/{rule_id}", json={"availability_rule_id": "something-else"})
    assert response.status_code == 202
    assert response.content == b""
    assert cronofy.get(f"{RULES}/{rule_id}").status_code == 404


# -- S-C12, S-C13: managed availability in queries --------------------------------------------


@pytest.mark.rule("scheduling", "S-C12")
def test_rule_S_C12_managed_members_use_their_rules_and_periods(
    cronofy, states, rule_id, period_id
):
    upsert(cronofy, rule(rule_id, states))
    added = cronofy.post(PERIODS, json={"available_period_id": period_id, **period(16, 17)})
    assert added.status_code == 202, added.text
    body = query(group(managed(states)))
    only_rule = query(group(managed(states, availability_rule_ids=[rule_id])))
    # a rule id that is not the member's counts for nothing: periods only
    no_rule = query(group(managed(states, availability_rule_ids=["contract-not-a-rule"])))

    def check() -> None:
        assert spans(ask(cronofy, body)) == [
            ("10:00", "12:00"),
            ("14:00", "15:00"),
            ("16:00", "17:00"),
        ]
        assert spans(ask(cronofy, only_rule)) == [
            ("10:00", "12:00"),
            ("14:00", "15:00"),
            ("16:00", "17:00"),
        ]
        assert spans(ask(cronofy, no_rule)) == [("16:00", "17:00")]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C12")
def test_rule_S_C12_a_managed_member_without_rules_or_periods_is_never_free(cronofy, states):
    body = query(group({"sub": states.get("second_account_id"), "managed_availability": True}))
    response = ask(cronofy, body)  # UNVERIFIED: the second account keeps no rules or periods
    assert spans(response) == []


@pytest.mark.rule("scheduling", "S-C13")
def test_rule_S_C13_a_rules_calendar_ids_decide_what_is_busy(cronofy, states, rule_id, busy):
    d = DAY + 9
    upsert(cronofy, rule(rule_id, states, offset=d))  # calendar_ids: the second calendar only
    busy(states.get("writable_calendar"), at(d, 10), at(d, 11))
    busy(states.get("second_writable_calendar"), at(d, 14), at(d, 15))

    def check() -> None:
        got = spans(ask(cronofy, query(group(managed(states)), offset=d)))
        assert got == [("10:00", "12:00")]  # 14-15 is busy; the work calendar's 10-11 is not asked

    eventually(cronofy.target, check)


# -- S-C25 .. S-C28: available periods --------------------------------------------------------


def read_periods(cronofy, **params) -> list[dict]:
    response = cronofy.get(PERIODS, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    found = list(body["available_periods"])
    while body["pages"].get("next_page"):
        body = cronofy.get(body["pages"]["next_page"]).json()
        found.extend(body["available_periods"])
    return found


def mine(found: list[dict], *ids: str) -> list[dict]:
    return [p for p in found if p["available_period_id"] in ids]


@pytest.mark.rule("scheduling", "S-C25")
def test_rule_S_C25_upsert_is_202_empty_and_replaces_by_id(cronofy, states, period_id):
    first = cronofy.post(PERIODS, json={"available_period_id": period_id, **period(9, 10)})
    assert first.status_code == 202 and first.content == b""
    local = {"time": at(DAY, 13), "tzid": "Europe/Paris"}  # the time is UTC whatever the tzid
    again = cronofy.post(
        PERIODS, json={"available_period_id": period_id, "start": local, "end": at(DAY, 14)}
    )
    assert again.status_code == 202, again.text
    got = mine(read_periods(cronofy), period_id)
    assert got == [{"available_period_id": period_id, "start": at(DAY, 13), "end": at(DAY, 14)}]


@pytest.mark.rule("scheduling", "S-C25")
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"available_period_id": None}, "available_period_id"),
        ({"start": None}, "start"),
        ({"end": "tomorrow"}, "end"),
        ({"end": at(DAY, 8)}, "end"),
    ],
)
def test_rule_S_C25_invalid_periods_are_422(cronofy, states, period_id, change, field):
    body = {"available_period_id": period_id, **period(9, 10), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = cronofy.post(PERIODS, json=body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not mine(read_periods(cronofy), period_id)


@pytest.mark.rule("scheduling", "S-C26")
def test_rule_S_C26_read_window_and_paging(cronofy, states, target):
    ids = [f"contract-{uuid.uuid4().hex[:12]}" for _ in range(3)]
    try:
        for n, ident in enumerate(ids):
            body = {"available_period_id": ident, **period(9, 10, DAY + n)}
            assert cronofy.post(PERIODS, json=body).status_code == 202
        everything = mine(read_periods(cronofy), *ids)
        assert [p["available_period_id"] for p in everything] == ids
        assert all(set(p) == {"available_period_id", "start", "end"} for p in everything)
        # start before `to`, end on or after `from`: only the middle day
        middle = read_periods(
            cronofy, **{"from": day(DAY + 1).isoformat(), "to": day(DAY + 2).isoformat()}
        )
        assert [p["available_period_id"] for p in mine(middle, *ids)] == ids[1:2]
        response = cronofy.get(PERIODS)
        assert set(response.json()) == {"pages", "available_periods"}
        assert response.json()["pages"]["current"] == 1
    finally:
        for ident in ids:
            cronofy.delete(PERIODS, json={"available_period_id": ident})


@pytest.mark.rule("scheduling", "S-C26")
@pytest.mark.fake_only
def test_rule_S_C26_next_page_is_an_absolute_url(cronofy, states, target):
    for n in range(3):
        body = {"available_period_id": f"paged-{n}", **period(9, 10, DAY + n)}
        assert cronofy.post(PERIODS, json=body).status_code == 202
    with fake_settings(target, page_size=2):
        first = cronofy.get(PERIODS).json()
        assert first["pages"] == {
            "current": 1,
            "total": 2,
            "next_page": first["pages"]["next_page"],
        }
        assert first["pages"]["next_page"].startswith(("http://", "https://"))
        assert len(first["available_periods"]) == 2
        rest = cronofy.get(first["pages"]["next_page"]).json()
        assert rest["pages"] == {"current": 2, "total": 2}
        assert [p["available_period_id"] for p in rest["available_periods"]] == ["paged-2"]


@pytest.mark.rule("scheduling", "S-C26")
def test_rule_S_C26_localized_times(cronofy, states, period_id):
    cronofy.post(PERIODS, json={"available_period_id": period_id, **period(9, 10)})
    got = mine(read_periods(cronofy, tzid="Europe/Paris", localized_times="true"), period_id)
    assert got[0]["start"]["tzid"] == "Europe/Paris"  # shape UNVERIFIED: as Read Events'
    assert got[0]["start"]["time"].endswith(("+01:00", "+02:00"))


@pytest.mark.rule("scheduling", "S-C27")
def test_rule_S_C27_delete_one_then_delete_all(cronofy, states, period_id):
    other = f"{period_id}-b"
    for ident in (period_id, other):
        assert (
            cronofy.post(PERIODS, json={"available_period_id": ident, **period()}).status_code
            == 202
        )
    one = cronofy.delete(PERIODS, json={"available_period_id": period_id})
    assert one.status_code == 202 and one.content == b""
    assert [p["available_period_id"] for p in mine(read_periods(cronofy), period_id, other)] == [
        other
    ]
    everything = cronofy.delete(PERIODS, json={"delete_all": True})
    assert everything.status_code == 202 and everything.content == b""
    assert read_periods(cronofy) == []


@pytest.mark.rule("scheduling", "S-C27")
@pytest.mark.parametrize("body", [{}, {"delete_all": False}, {"delete_all": "yes"}])
def test_rule_S_C27_delete_needs_an_id_or_delete_all_true(cronofy, states, period_id, body):
    cronofy.post(PERIODS, json={"available_period_id": period_id, **period()})
    response = cronofy.delete(PERIODS, json=body)
    assert response.status_code == 422
    assert mine(read_periods(cronofy), period_id)  # nothing was deleted


@pytest.mark.rule("scheduling", "S-C28")
def test_rule_S_C28_a_trailing_slash_is_tolerated(cronofy, states, period_id):
    created = cronofy.post(f"{PERIODS}/", json={"available_period_id": period_id, **period()})
    assert created.status_code == 202
    assert mine(read_periods(cronofy), period_id)
    gone = cronofy.delete(f"{PERIODS}/", json={"available_period_id": period_id})
    assert gone.status_code == 202
    assert not mine(read_periods(cronofy), period_id)


# -- S-C29 ------------------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C29")
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/availability", {}),
        ("/v1/availability", {"participants": "everyone", "required_duration": {"minutes": 0}}),
        ("/v1/sequenced_availability", {"sequence": "x"}),
        (RULES, {"availability_rule_id": "x"}),
        (PERIODS, {"available_period_id": "x", "start": "soon"}),
    ],
)
def test_rule_S_C29_every_422_has_the_errors_shape(cronofy, states, path, body):
    response = cronofy.post(path, json=body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert isinstance(errors, dict) and errors
    for field, entries in errors.items():
        assert isinstance(field, str) and entries
        for entry in entries:
            assert set(entry) == {"key", "description"}
            assert entry["key"].startswith("errors.")
