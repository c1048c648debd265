"""Availability and Sequenced Availability (docs/reference/scheduling.md §2.1-2.3, §2.6, rules
S-C1..S-C19). Busy time is made in calendars no other contract test writes to, on a day well
clear of the contract world's events."""

from __future__ import annotations

import re

import pytest

from contracts.cronofy.scheduling import (
    DAY,
    ISO_Z,
    ask,
    eventually,
    group,
    owner,
    period,
    query,
    second,
    spans,
    subs,
)
from contracts.kit import at


def one(states) -> dict:
    return query(group(owner(states)))


# -- S-C1 -------------------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C1")
def test_rule_S_C1_access_token_or_client_secret(cronofy, states):
    body = one(states)
    with_token = ask(cronofy, body)
    with_secret = ask(cronofy, body, token=states.get("client_secret"))
    assert with_token.status_code == 200, with_token.text
    assert with_secret.status_code == 200, with_secret.text
    assert with_token.json() == with_secret.json()


@pytest.mark.rule("scheduling", "S-C1")
@pytest.mark.parametrize("path", ["/v1/availability", "/v1/sequenced_availability"])
@pytest.mark.parametrize("credential", [None, "notAToken0000000000000000000000001"])
def test_rule_S_C1_no_or_unknown_credential_is_401(cronofy, states, path, credential):
    response = ask(cronofy, one(states), path, token=credential)
    assert response.status_code == 401


@pytest.mark.rule("scheduling", "S-C1")
def test_rule_S_C1_token_without_free_busy_access_is_403(cronofy, states):
    # UNVERIFIED: the fake asks for read_free_busy (or read_events, which implies it)
    refused = ask(cronofy, one(states), token=states.get("create_event_only_token"))
    assert refused.status_code == 403
    allowed = ask(cronofy, one(states), token=states.get("read_events_only_token"))
    assert allowed.status_code == 200, allowed.text


@pytest.mark.rule("scheduling", "S-C1")
def test_rule_S_C1_an_account_the_application_may_not_see_is_refused(cronofy, states):
    body = query(group({"sub": states.get("unauthorized_account_id")}))
    for token in (True, states.get("client_secret")):
        response = ask(cronofy, body, token=token)
        assert response.status_code == 422, response.text
        assert "participants" in response.json()["errors"]


# -- S-C3, S-C4, S-C5, S-C6 -------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C3")
def test_rule_S_C3_query_periods_and_available_periods_are_one_parameter(cronofy, states):
    new = ask(cronofy, one(states))
    old = query(group(owner(states)), available_periods=[period()])
    assert "query_periods" not in old
    legacy = ask(cronofy, old)
    assert new.status_code == legacy.status_code == 200, legacy.text
    assert new.json() == legacy.json()
    assert spans(new) == [("09:00", "18:00")]


@pytest.mark.rule("scheduling", "S-C3")
def test_rule_S_C3_neither_periods_nor_slots_is_422(cronofy, states):
    body = one(states)
    del body["query_periods"]
    response = ask(cronofy, body)
    assert response.status_code == 422
    assert "query_periods" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C4")
@pytest.mark.parametrize("missing", ["participants", "required_duration"])
def test_rule_S_C4_missing_required_parameter_is_422(cronofy, states, missing):
    body = one(states)
    del body[missing]
    response = ask(cronofy, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["key"] for e in errors[missing]] == ["errors.required"]  # key UNVERIFIED


@pytest.mark.rule("scheduling", "S-C5")
@pytest.mark.parametrize(
    ("fmt", "key"),
    [
        (None, "available_periods"),
        ("periods", "available_periods"),
        ("slots", "available_slots"),
        ("overlapping_slots", "available_slots"),
    ],
)
def test_rule_S_C5_response_format_decides_the_one_key(cronofy, states, fmt, key):
    body = one(states)
    if fmt:
        body["response_format"] = fmt
    response = ask(cronofy, body)
    assert response.status_code == 200, response.text
    assert list(response.json()) == [key]
    assert response.json()[key]


@pytest.mark.rule("scheduling", "S-C5")
def test_rule_S_C5_unknown_response_format_is_422(cronofy, states):
    response = ask(cronofy, {**one(states), "response_format": "calendar"})
    assert response.status_code == 422
    assert "response_format" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C6")
@pytest.mark.parametrize("fmt", ["periods", "slots"])
def test_rule_S_C6_each_result_has_start_end_and_participants(cronofy, states, fmt):
    body = query(group(owner(states), second(states)), response_format=fmt)
    items = next(iter(ask(cronofy, body).json().values()))
    assert items
    for item in items:
        assert set(item) == {"start", "end", "participants"}
        assert re.match(ISO_Z, item["start"]) and re.match(ISO_Z, item["end"])
        assert all(set(p) == {"sub"} for p in item["participants"])
        assert subs(item) == sorted([states.get("account_id"), states.get("second_account_id")])


# -- S-C7, S-C8, S-C9, S-C10 ------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C7")
def test_rule_S_C7_all_versus_n_of_the_members(cronofy, states, busy):
    d = DAY + 1
    busy(
        states.get("second_account_calendar"),
        at(d, 10),
        at(d, 11),
        token=states.get("second_access_token"),
    )
    both = [owner(states), second(states)]
    window = {
        "query_periods": [period(9, 12, d)],
        "response_format": "slots",
        "start_interval": {"minutes": 60},
    }

    def check() -> None:
        everyone = ask(cronofy, query(group(*both), **window))
        assert spans(everyone, "available_slots") == [("09:00", "10:00"), ("11:00", "12:00")]
        anyone = ask(cronofy, query(group(*both, required=1), **window))
        got = anyone.json()["available_slots"]
        assert [(s["start"][11:16], subs(s)) for s in got] == [
            ("09:00", sorted([states.get("account_id"), states.get("second_account_id")])),
            ("10:00", [states.get("account_id")]),  # only the free member is named
            ("11:00", sorted([states.get("account_id"), states.get("second_account_id")])),
        ]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C7")
def test_rule_S_C7_every_group_must_be_satisfied(cronofy, states, busy):
    d = DAY + 2
    busy(states.get("second_writable_calendar"), at(d, 9), at(d, 17))
    body = query(group(second(states)), group(owner(states), second(states), required=1), offset=d)

    def check() -> None:
        # the owner is busy 09-17: the second group is met by the second account alone
        got = ask(cronofy, body).json()["available_periods"]
        assert [(p["start"][11:16], p["end"][11:16], subs(p)) for p in got] == [
            ("09:00", "17:00", [states.get("second_account_id")]),
            ("17:00", "18:00", sorted([states.get("account_id"), states.get("second_account_id")])),
        ]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C7")
@pytest.mark.parametrize("required", [0, 3, "some", True])
def test_rule_S_C7_required_out_of_range_is_422(cronofy, states, required):
    body = query(group(owner(states), second(states), required=required))
    response = ask(cronofy, body)
    assert response.status_code == 422  # UNVERIFIED
    assert "participants" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C8")
def test_rule_S_C8_periods_are_maximal_and_long_enough(cronofy, states, busy):
    d, cal = DAY + 3, states.get("second_writable_calendar")
    busy(cal, at(d, 10), at(d, 10, 30))
    busy(cal, at(d, 11), at(d, 12))
    busy(cal, at(d, 19), at(d, 20))  # outside the query

    def check() -> None:
        got = spans(ask(cronofy, query(group(owner(states)), offset=d)))
        # 10:30-11:00 is shorter than the hour asked for; nothing outside 09:00-18:00
        assert got == [("09:00", "10:00"), ("12:00", "18:00")]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C8")
def test_rule_S_C8_nothing_outside_the_query_periods(cronofy, states):
    body = query(group(owner(states)), query_periods=[period(9, 10), period(14, 16)])
    assert spans(ask(cronofy, body)) == [("09:00", "10:00"), ("14:00", "16:00")]


@pytest.mark.rule("scheduling", "S-C9")
def test_rule_S_C9_slots_do_not_overlap_overlapping_slots_do(cronofy, states):
    base = {"query_periods": [period(9, 11)], "start_interval": {"minutes": 30}}
    slots = ask(cronofy, query(group(owner(states)), response_format="slots", **base))
    assert spans(slots, "available_slots") == [("09:00", "10:00"), ("10:00", "11:00")]
    many = ask(cronofy, query(group(owner(states)), response_format="overlapping_slots", **base))
    assert spans(many, "available_slots") == [
        ("09:00", "10:00"),
        ("09:30", "10:30"),
        ("10:00", "11:00"),
    ]


@pytest.mark.rule("scheduling", "S-C9")
@pytest.mark.parametrize("minutes", [0, 7, 90])
def test_rule_S_C9_start_interval_outside_the_allowed_values_is_422(cronofy, states, minutes):
    body = {**one(states), "start_interval": {"minutes": minutes}}
    response = ask(cronofy, body)
    assert response.status_code == 422  # allowed values UNVERIFIED (5..60 on the fake)
    assert "start_interval" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C10")
def test_rule_S_C10_buffers_separate_slots_from_busy_time_only(cronofy, states, busy):
    d = DAY + 4
    busy(states.get("second_writable_calendar"), at(d, 12), at(d, 13))
    body = query(
        group(owner(states)),
        query_periods=[period(9, 16, d)],
        response_format="slots",
        start_interval={"minutes": 30},
        buffer={"before": {"minutes": 30}, "after": {"minutes": 15}},
    )

    def check() -> None:
        got = spans(ask(cronofy, body), "available_slots")
        # 09:00 at the query period's edge despite the 30-minute before-buffer; 11:00-12:00
        # would leave no 15 minutes before the busy hour; 13:00 would have no 30 after it
        assert got == [
            ("09:00", "10:00"),
            ("10:00", "11:00"),
            ("13:30", "14:30"),
            ("14:30", "15:30"),
        ]

    eventually(cronofy.target, check)


# -- S-C11 ------------------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C11")
def test_rule_S_C11_member_available_periods_restrict_that_member(cronofy, states):
    mine = owner(states, available_periods=[period(14, 16)])
    body = query(group(mine, second(states)))
    got = ask(cronofy, body).json()["available_periods"]
    assert [(p["start"][11:16], p["end"][11:16]) for p in got] == [("14:00", "16:00")]


@pytest.mark.rule("scheduling", "S-C11")
def test_rule_S_C11_member_calendar_ids_choose_the_busy_calendars(cronofy, states, busy):
    d = DAY + 5
    work, other = states.get("writable_calendar"), states.get("second_writable_calendar")
    busy(work, at(d, 10), at(d, 11))
    both = {"sub": states.get("account_id"), "calendar_ids": [work, other]}

    def check() -> None:
        # the work calendar is not asked about unless it is named
        assert spans(ask(cronofy, query(group(owner(states)), offset=d))) == [("09:00", "18:00")]
        assert spans(ask(cronofy, query(group(both), offset=d))) == [
            ("09:00", "10:00"),
            ("11:00", "18:00"),
        ]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C11")
def test_rule_S_C11_calendar_ids_of_another_account_are_refused(cronofy, states):
    stranger = {
        "sub": states.get("account_id"),
        "calendar_ids": [states.get("other_account_calendar")],
    }
    response = ask(cronofy, query(group(stranger)))
    assert response.status_code == 422  # UNVERIFIED
    assert "participants" in response.json()["errors"]


# -- S-C14, S-C15, S-C16 ----------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C14")
def test_rule_S_C14_buffer_takes_a_duration_or_minimum_and_maximum(cronofy, states, busy):
    d = DAY + 6
    busy(states.get("second_writable_calendar"), at(d, 12), at(d, 13))
    plain = {"before": {"minutes": 30}, "after": {"minutes": 45}}
    bounded = {"before": {"minimum": {"minutes": 30}}, "after": {"minimum": {"minutes": 45}}}

    def check() -> None:
        answers = [
            spans(ask(cronofy, query(group(owner(states)), offset=d, buffer=b)))
            for b in (plain, bounded)
        ]
        assert answers[0] == answers[1] == [("09:00", "11:15"), ("13:30", "18:00")]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C14")
@pytest.mark.parametrize(
    "buffer",
    [
        {"before": {"minutes": -5}},
        {"after": {"minimum": {"minutes": -1}}},
        {"before": "30"},
        {"around": {"minutes": 5}},
    ],
)
def test_rule_S_C14_a_bad_buffer_is_422(cronofy, states, buffer):
    response = ask(cronofy, {**one(states), "buffer": buffer})
    assert response.status_code == 422  # UNVERIFIED
    assert "buffer" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C15")
def test_rule_S_C15_max_results_keeps_the_earliest(cronofy, states):
    body = query(group(owner(states)), response_format="slots", start_interval={"minutes": 60})
    assert len(ask(cronofy, body).json()["available_slots"]) == 9
    limited = ask(cronofy, {**body, "max_results": 2})
    assert spans(limited, "available_slots") == [("09:00", "10:00"), ("10:00", "11:00")]


@pytest.mark.rule("scheduling", "S-C15")
@pytest.mark.parametrize("value", [0, 513, -1, "5", 2.5])
def test_rule_S_C15_max_results_outside_1_to_512_is_422(cronofy, states, value):
    response = ask(cronofy, {**one(states), "max_results": value})
    assert response.status_code == 422  # UNVERIFIED (the C# SDK's own check)
    assert "max_results" in response.json()["errors"]


@pytest.mark.rule("scheduling", "S-C16")
def test_rule_S_C16_query_slots_answer_one_slot_per_free_start(cronofy, states, busy):
    d = DAY + 7
    busy(states.get("second_writable_calendar"), at(d, 10), at(d, 11))
    body = query(
        group(owner(states)),
        query_slots=[{"start": at(d, 9)}, {"start": at(d, 10)}, {"start": at(d, 14)}],
        response_format="slots",
    )
    del body["query_periods"]

    def check() -> None:
        got = spans(ask(cronofy, body), "available_slots")
        assert got == [("09:00", "10:00"), ("14:00", "15:00")]

    eventually(cronofy.target, check)


# -- S-C17 ------------------------------------------------------------------------------------


def sequence_body(states, offset: int = DAY) -> dict:
    return {
        "sequence": [
            {
                "sequence_id": "second-step",
                "ordinal": 2,
                "participants": [group(second(states))],
                "required_duration": {"minutes": 30},
            },
            {
                "sequence_id": 1234,
                "ordinal": 1,
                "participants": [group(owner(states))],
                "required_duration": {"minutes": 60},
                "start_interval": {"minutes": 60},
            },
        ],
        "query_periods": [period(9, 12, offset)],
    }


@pytest.mark.rule("scheduling", "S-C17")
def test_rule_S_C17_sequences_in_ordinal_order_without_overlap(cronofy, states):
    for token in (True, states.get("client_secret")):
        response = ask(cronofy, sequence_body(states), "/v1/sequenced_availability", token=token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == ["sequences"] and body["sequences"]
        previous_end = ""
        for entry in body["sequences"]:
            steps = entry["sequence"]
            assert [s["sequence_id"] for s in steps] == [1234, "second-step"]  # types echoed
            assert all(set(s) == {"sequence_id", "start", "end", "participants"} for s in steps)
            assert steps[0]["end"] <= steps[1]["start"]
            assert subs(steps[0]) == [states.get("account_id")]
            assert subs(steps[1]) == [states.get("second_account_id")]
            assert previous_end <= steps[0]["start"]
            previous_end = steps[-1]["end"]
        first = body["sequences"][0]["sequence"]
        assert [(s["start"][11:16], s["end"][11:16]) for s in first] == [
            ("09:00", "10:00"),
            ("10:00", "10:30"),
        ]


@pytest.mark.rule("scheduling", "S-C17")
def test_rule_S_C17_a_maximum_gap_is_kept(cronofy, states, busy):
    d = DAY + 8
    busy(
        states.get("second_account_calendar"),
        at(d, 10),
        at(d, 11),
        token=states.get("second_access_token"),
    )
    body = sequence_body(states, d)
    body["sequence"][0]["buffer"] = {"before": {"maximum": {"minutes": 0}}}

    def check() -> None:
        got = ask(cronofy, body, "/v1/sequenced_availability").json()["sequences"]
        # the second step must start right as the first ends: 09-10 + 10:00 is busy, so the
        # first sequence is 10-11 + 11:00
        assert [(s["start"][11:16], s["end"][11:16]) for s in got[0]["sequence"]] == [
            ("10:00", "11:00"),
            ("11:00", "11:30"),
        ]

    eventually(cronofy.target, check)


@pytest.mark.rule("scheduling", "S-C17")
@pytest.mark.parametrize("broken", ["no-sequence", "empty", "no-id", "no-duration"])
def test_rule_S_C17_bad_sequences_are_422(cronofy, states, broken):
    body = sequence_body(states)
    if broken == "no-sequence":
        del body["sequence"]
    elif broken == "empty":
        body["sequence"] = []
    elif broken == "no-id":
        del body["sequence"][0]["sequence_id"]
    else:
        del body["sequence"][1]["required_duration"]
    response = ask(cronofy, body, "/v1/sequenced_availability")
    assert response.status_code == 422
    assert "sequence" in response.json()["errors"]


# -- S-C18, S-C19 -----------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-C18")
def test_rule_S_C18_null_and_empty_optional_fields_count_as_absent(cronofy, states):
    plain = ask(cronofy, one(states))
    padded = ask(
        cronofy,
        {
            **one(states),
            "start_interval": None,
            "buffer": {},
            "max_results": None,
            "response_format": None,
            "query_slots": None,
        },
    )
    assert padded.status_code == 200, padded.text
    assert padded.json() == plain.json()
    seq = sequence_body(states)
    seq["sequence"][0] |= {"start_interval": None, "buffer": {}, "available_periods": []}
    response = ask(cronofy, seq, "/v1/sequenced_availability")
    assert response.status_code == 200, response.text


@pytest.mark.rule("scheduling", "S-C19")
def test_rule_S_C19_a_space_instead_of_t_is_accepted(cronofy, states):
    spaced = {"start": at(DAY, 9).replace("T", " "), "end": at(DAY, 12).replace("T", " ")}
    body = query(group(owner(states, available_periods=[spaced])), available_periods=[spaced])
    response = ask(cronofy, body)
    assert spans(response) == [("09:00", "12:00")]
