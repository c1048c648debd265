"""Upstream replay: Availability, Sequenced Availability, availability rules, available periods.

Each test replays an SDK test of cronofy/pycronofy @ e0e3b3787d77, cronofy/cronofy-ruby
@ b75d79f275ca, cronofy/cronofy-node @ 042affa66fb2 or cronofy/cronofy-csharp @ 8b98dd70fc8c over
HTTP: the request the SDK sends (its test asserts that body), and the SDK's response fixture
compared key by key. The fixtures' accounts `acc_567236000909002` / `acc_678347111010113` are the
contract account and the second account, each member's busy time read from the calendar the
scheduling contracts keep free (`owner` / `second` in contracts/cronofy/scheduling.py); the
fixtures' 2017-01-03 / 2017-01-04 are days `D` / `D + 1` ahead, and where the SDK's fixture has
specific periods the busy time that makes exactly those periods is created first. See
docs/EVIDENCE.md (Cronofy, Scheduling and notifications).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from contracts.cronofy.scheduling import DAY, eventually, owner, second
from contracts.cronofy.upstream import LOCAL_TIME, UTC_TIME, assert_keys_like
from contracts.kit import at, day

D = DAY + 20  # clear of the days the other scheduling contracts use
RULES = "/v1/availability_rules"
PERIODS = "/v1/available_periods"
UA_RUBY = "Cronofy Ruby 0.41.2"

# pycronofy tests/test_availability.py
PY_PERIODS_RESPONSE = {
    "available_periods": [
        {
            "start": "2017-01-03T09:00:00Z",
            "end": "2017-01-03T11:00:00Z",
            "participants": [{"sub": "acc_567236000909002"}, {"sub": "acc_678347111010113"}],
        }
    ]
}
PY_SLOTS_RESPONSE = {
    "available_slots": [
        {
            "start": "2017-01-03T09:00:00Z",
            "end": "2017-01-03T10:00:00Z",
            "participants": [{"sub": "acc_567236000909002"}, {"sub": "acc_678347111010113"}],
        },
        {
            "start": "2017-01-03T10:00:00Z",
            "end": "2017-01-03T11:00:00Z",
            "participants": [{"sub": "acc_678347111010113"}],
        },
    ]
}
PY_SEQUENCED_RESPONSE = {
    "sequences": [
        {
            "sequence": [
                {
                    "sequence_id": "123",
                    "start": "2018-08-18T09:00:00Z",
                    "end": "2018-08-18T10:00:00Z",
                    "participants": [{"sub": "acc_567236000909002"}],
                },
                {
                    "sequence_id": "456",
                    "start": "2018-08-18T10:00:00Z",
                    "end": "2018-08-18T11:00:00Z",
                    "participants": [{"sub": "acc_678347111010113"}],
                },
            ]
        }
    ]
}
# pycronofy tests/test_client.py test_upsert_availability_rule (request == response's rule)
PY_RULE_PERIODS = [
    {"day": "monday", "start_time": "09:30", "end_time": "12:30"},
    {"day": "monday", "start_time": "14:00", "end_time": "17:00"},
    {"day": "wednesday", "start_time": "09:30", "end_time": "12:30"},
]
# cronofy-ruby client_spec.rb #upsert_availability_rule / #get_availability_rule(s)
RB_RULE_PERIODS = [
    {"day": "monday", "start_time": "09:30", "end_time": "16:30"},
    {"day": "wednesday", "start_time": "09:30", "end_time": "16:30"},
]
# cronofy-ruby client_spec.rb #get_available_periods
RB_AVAILABLE_PERIODS = {
    "available_periods": [
        {
            "available_period_id": "qTtZdczOccgaPncGJaCiLg",
            "start": "2020-07-26T15:30:00Z",
            "end": "2020-07-26T17:00:00Z",
        }
    ]
}


LOCALIZED = ("$.available_periods[].start", "$.available_periods[].end")


def fixture_periods(*days: int) -> list[dict[str, str]]:
    """The SDKs' 09:00-18:00Z query periods on the fixtures' first (0) and second (1) day."""
    return [{"start": at(D + n, 9), "end": at(D + n, 18)} for n in days]


def members(states, **extra: Any) -> list[dict[str, Any]]:
    return [owner(states, **extra), second(states, **extra)]


def subs(item: dict[str, Any]) -> set[str]:
    return {p["sub"] for p in item["participants"]}


def post(cronofy, path: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    response = cronofy.post(path, json=body, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def times(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    for item in items:
        assert UTC_TIME.match(item["start"]) and UTC_TIME.match(item["end"]), item
    return [(i["start"], i["end"]) for i in items]


def csharp_space(stamp: str) -> str:
    """cronofy-csharp serialises Times with a space where ISO 8601 has `T`."""
    return stamp.replace("T", " ")


@pytest.fixture
def fixture_busy(busy, states):
    """Busy time that leaves exactly cronofy-csharp CanPerformAvailabilityQuery's (and
    cronofy-ruby's Availability) three periods free in 09:00-18:00Z of days D and D + 1:
    09-11 and 14-16 on D, 11-17 on D + 1."""
    cal = states.get("second_writable_calendar")
    for offset, start, end in ((0, 11, 14), (0, 16, 18), (1, 9, 11), (1, 17, 18)):
        busy(cal, at(D + offset, start), at(D + offset, end))
    return [
        (at(D, 9), at(D, 11)),
        (at(D, 14), at(D, 16)),
        (at(D + 1, 11), at(D + 1, 17)),
    ]


# -- Availability ---------------------------------------------------------------------------------


def test_csharp_can_perform_availability_query(cronofy, states, fixture_busy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/Availability.cs
    CanPerformAvailabilityQuery @ 8b98dd70fc8c (Times with a space, as the C# client sends
    them; the response's three periods). The same request and response are cronofy-ruby
    spec/lib/cronofy/client_spec.rb Availability '#availability' "fully specified"
    @ b75d79f275ca."""
    body = {
        "participants": [{"members": members(states), "required": "all"}],
        "required_duration": {"minutes": 60},
        "available_periods": [
            {"start": csharp_space(p["start"]), "end": csharp_space(p["end"])}
            for p in fixture_periods(0, 1)
        ],
    }
    got = post(cronofy, "/v1/availability", body)
    assert set(got) == {"available_periods"}
    assert_keys_like(PY_PERIODS_RESPONSE, got)
    assert times(got["available_periods"]) == fixture_busy
    everyone = {states.get("account_id"), states.get("second_account_id")}
    assert all(subs(p) == everyone for p in got["available_periods"])


@pytest.mark.parametrize("fmt", ["slots", "overlapping_slots"])
def test_ruby_availability_response_format(cronofy, states, fixture_busy, fmt):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb Availability '#availability'
    context "response_format" (slots, overlapping_slots) @ b75d79f275ca: the request adds
    `response_format`, the answer is `available_slots` (Cronofy::AvailableSlot items)."""
    body = {
        "participants": [{"members": members(states), "required": "all"}],
        "required_duration": {"minutes": 60},
        "available_periods": fixture_periods(0, 1),
        "response_format": fmt,
    }
    got = post(cronofy, "/v1/availability", body, headers={"User-Agent": UA_RUBY})
    assert set(got) == {"available_slots"}
    assert_keys_like(PY_SLOTS_RESPONSE, got)
    slots = times(got["available_slots"])
    assert slots[0] == (at(D, 9), at(D, 10))
    assert all(s[:10] in {day(D).isoformat(), day(D + 1).isoformat()} for s, _ in slots)


def test_ruby_availability_buffer_and_start_interval(cronofy, states, fixture_busy):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb Availability '#availability'
    context "buffer and start_interval" @ b75d79f275ca (plain-Duration buffers before 30 /
    after 60, start_interval 60). The 30-minute buffer before busy time and the 60 after it
    keep every period clear of the busy spans by that much."""
    body = {
        "participants": [{"members": members(states), "required": "all"}],
        "required_duration": {"minutes": 60},
        "buffer": {"before": {"minutes": 30}, "after": {"minutes": 60}},
        "start_interval": {"minutes": 60},
        "available_periods": fixture_periods(0, 1),
    }
    got = post(cronofy, "/v1/availability", body, headers={"User-Agent": UA_RUBY})
    assert_keys_like(PY_PERIODS_RESPONSE, got)
    periods = times(got["available_periods"])
    assert periods, got
    for start, end in periods:
        for busy_start, busy_end in ((at(D, 11), at(D, 14)), (at(D, 16), at(D, 18))):
            assert end <= busy_start or start >= busy_end


def test_csharp_buffers_and_interval_query(cronofy, states, busy):
    """Source: cronofy/cronofy-csharp Availability.cs CanPerformAvailabilityWithBuffersAndIntervalQuery
    @ 8b98dd70fc8c: `{"minimum": ...}` buffers (before 30, after 60), start_interval 60, one
    period; its stub answers `{"available_periods": []}` and the test asserts the list empty.
    Busy 09:30-17:00 leaves less than the buffered hour at either end."""
    busy(states.get("second_writable_calendar"), at(D, 9, 30), at(D, 17))
    body = {
        "participants": [{"members": members(states), "required": "all"}],
        "required_duration": {"minutes": 60},
        "available_periods": [
            {"start": csharp_space(at(D, 9)), "end": csharp_space(at(D, 18))},
        ],
        "start_interval": {"minutes": 60},
        "buffer": {"before": {"minimum": {"minutes": 30}}, "after": {"minimum": {"minutes": 60}}},
    }
    assert post(cronofy, "/v1/availability", body) == {"available_periods": []}


def test_csharp_max_results_query(cronofy, states, busy):
    """Source: cronofy/cronofy-csharp Availability.cs CanPerformAvailabilityQueryWithMaxResults
    @ 8b98dd70fc8c (`"max_results": 128`; the stub answers an empty list). The whole query
    period is busy here, so the fake's answer is that empty list too."""
    busy(states.get("second_writable_calendar"), at(D, 9), at(D, 18))
    body = {
        "participants": [{"members": members(states), "required": "all"}],
        "required_duration": {"minutes": 60},
        "available_periods": [{"start": csharp_space(at(D, 9)), "end": csharp_space(at(D, 18))}],
        "max_results": 128,
    }
    assert post(cronofy, "/v1/availability", body) == {"available_periods": []}


def test_csharp_complex_availability_query(cronofy, states):
    """Source: cronofy/cronofy-csharp Availability.cs CanPerformComplexAvailabilityQuery
    @ 8b98dd70fc8c: a required-all group whose second member has its own available_periods
    (09:00-12:00) and calendar_ids, and a `required: 1` group. The fixture's one period
    09:00-11:00 lists both required members and one of the other group; here the other group
    is the two accounts again, so the answer lies inside 09:00-12:00 and lists both."""
    mine = owner(states)
    theirs = second(states, available_periods=[{"start": at(D, 9), "end": at(D, 12)}])
    body = {
        "participants": [
            {"members": [mine, theirs], "required": "all"},
            {"members": [owner(states), second(states)], "required": 1},
        ],
        "required_duration": {"minutes": 60},
        "available_periods": [{"start": csharp_space(at(D, 9)), "end": csharp_space(at(D, 18))}],
    }
    got = post(cronofy, "/v1/availability", body)
    assert_keys_like(
        {
            "available_periods": [
                {
                    "start": "2017-01-03T09:00:00Z",
                    "end": "2017-01-03T11:00:00Z",
                    "participants": [{"sub": "acc_567236000909002"}],
                }
            ]
        },
        got,
    )
    assert times(got["available_periods"]) == [(at(D, 9), at(D, 12))]
    assert subs(got["available_periods"][0]) == {
        states.get("account_id"),
        states.get("second_account_id"),
    }


def test_pycronofy_availability_with_groups(cronofy, states):
    """Source: cronofy/pycronofy pycronofy/tests/test_availability.py
    test_availablity_with_groups @ e0e3b3787d77: two groups of one member each, both
    `required: "all"` (pycronofy's mapping), 30 minutes; `len(result) == 1` for its fixture
    (one 09:00-11:00 period). Here both days are free, so one period a day."""
    body = {
        "participants": [
            {"required": "all", "members": [owner(states)]},
            {"required": "all", "members": [second(states)]},
        ],
        "required_duration": {"minutes": 30},
        "available_periods": fixture_periods(0, 1),
        "buffer": {},
    }
    got = post(cronofy, "/v1/availability", body)
    assert_keys_like(PY_PERIODS_RESPONSE, got)
    assert times(got["available_periods"]) == [(at(D, 9), at(D, 18)), (at(D + 1, 9), at(D + 1, 18))]


def test_pycronofy_availability_with_simple_values(cronofy, states, fixture_busy):
    """Source: cronofy/pycronofy tests/test_availability.py test_availablity_with_simple_values
    @ e0e3b3787d77: the body pycronofy's callback asserts (required_duration/start_interval
    `{"minutes": 30}`, buffer before 30 / after 45 as plain Durations)."""
    body = {
        "participants": [{"required": "all", "members": members(states)}],
        "required_duration": {"minutes": 30},
        "buffer": {"before": {"minutes": 30}, "after": {"minutes": 45}},
        "start_interval": {"minutes": 30},
        "available_periods": fixture_periods(0, 1),
    }
    got = post(cronofy, "/v1/availability", body)
    assert set(got) == {"available_periods"}
    assert_keys_like(PY_PERIODS_RESPONSE, got)
    assert got["available_periods"]


def test_pycronofy_availability_slots_response(cronofy, states, fixture_busy):
    """Source: cronofy/pycronofy tests/test_availability.py
    test_availablity_with_simple_values_slots_response @ e0e3b3787d77: `response_format:
    "slots"`; pycronofy reads `available_slots` (a KeyError otherwise), its fixture holds two
    slots; here each slot is the 30 minutes asked for, none overlapping."""
    body = {
        "participants": [{"required": "all", "members": members(states)}],
        "required_duration": {"minutes": 30},
        "buffer": {"before": {"minutes": 30}, "after": {"minutes": 45}},
        "start_interval": {"minutes": 30},
        "available_periods": fixture_periods(0, 1),
        "response_format": "slots",
    }
    got = post(cronofy, "/v1/availability", body)
    assert set(got) == {"available_slots"}
    assert_keys_like(PY_SLOTS_RESPONSE, got)
    slots = times(got["available_slots"])
    assert slots[0] == (at(D, 9), at(D, 9, 30))
    assert all(a[1] <= b[0] for a, b in zip(slots, slots[1:], strict=False))


def test_pycronofy_availability_fully_specified(cronofy, states, fixture_busy):
    """Source: cronofy/pycronofy tests/test_availability.py
    test_availablity_with_fully_specified_options @ e0e3b3787d77: a member with its own
    available_periods (the query periods again), `{"minimum": ...}` buffers (30 / 45) and
    `max_results: 42`; `len(result) == 1` for its one-period fixture."""
    periods = fixture_periods(0, 1)
    body = {
        "participants": [
            {
                "required": "all",
                "members": [owner(states, available_periods=periods), second(states)],
            }
        ],
        "required_duration": {"minutes": 30},
        "buffer": {"before": {"minimum": {"minutes": 30}}, "after": {"minimum": {"minutes": 45}}},
        "available_periods": periods,
        "max_results": 42,
    }
    got = post(cronofy, "/v1/availability", body)
    assert_keys_like(PY_PERIODS_RESPONSE, got)
    assert 1 <= len(got["available_periods"]) <= 42


def test_pycronofy_availability_with_query_slots(cronofy, states):
    """Source: cronofy/pycronofy tests/test_availability.py test_availablity_with_query_slots
    @ e0e3b3787d77: `query_slots` (two starts, no periods) with `response_format: "slots"`;
    `len(result) == 2` for its fixture: both starts are free here, one slot each."""
    body = {
        "participants": [{"required": "all", "members": members(states)}],
        "required_duration": {"minutes": 30},
        "buffer": {"before": {"minutes": 30}, "after": {"minutes": 45}},
        "start_interval": {"minutes": 30},
        "query_slots": [{"start": at(D, 9)}, {"start": at(D + 1, 9)}],
        "response_format": "slots",
    }
    got = post(cronofy, "/v1/availability", body)
    assert_keys_like(PY_SLOTS_RESPONSE, got)
    assert times(got["available_slots"]) == [
        (at(D, 9), at(D, 9, 30)),
        (at(D + 1, 9), at(D + 1, 9, 30)),
    ]


# -- Sequenced Availability -----------------------------------------------------------------------


def test_pycronofy_sequenced_availability(cronofy, states):
    """Source: cronofy/pycronofy tests/test_availability.py
    test_sequenced_availablity_with_simple_values @ e0e3b3787d77: the body its callback asserts
    (string sequence ids, ordinals, min/max buffers; the second item as pycronofy maps it, with
    `start_interval: null` and `buffer: {}`); `len(result) == 2` for its two-sequence fixture,
    whose items are compared key by key."""
    group = [{"required": "all", "members": members(states)}]
    body = {
        "sequence": [
            {
                "sequence_id": "1234",
                "ordinal": 1,
                "participants": group,
                "required_duration": {"minutes": 30},
                "start_interval": {"minutes": 60},
                "buffer": {
                    "before": {"minimum": {"minutes": 30}, "maximum": {"minutes": 45}},
                    "after": {"minimum": {"minutes": 45}, "maximum": {"minutes": 60}},
                },
            },
            {
                "sequence_id": "4567",
                "ordinal": 2,
                "participants": group,
                "required_duration": {"minutes": 30},
                "start_interval": None,
                "buffer": {},
            },
        ],
        "available_periods": fixture_periods(0, 1),
    }
    got = post(cronofy, "/v1/sequenced_availability", body)
    assert_keys_like(PY_SEQUENCED_RESPONSE, got)
    assert len(got["sequences"]) >= 2
    for found in got["sequences"]:
        first, then = found["sequence"]
        assert (first["sequence_id"], then["sequence_id"]) == ("1234", "4567")
        assert first["end"] <= then["start"]
        times(found["sequence"])


def test_ruby_sequenced_availability_integer_ids(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb Sequenced Availability
    '#sequenced_availability' @ b75d79f275ca (and its "when passing query_periods instead"
    context): integer sequence ids 1234 / 4567, echoed as numbers in its fixture."""
    group = [{"members": members(states), "required": "all"}]
    for name in ("available_periods", "query_periods"):
        body = {
            "sequence": [
                {
                    "sequence_id": 1234,
                    "ordinal": 1,
                    "participants": group,
                    "required_duration": {"minutes": 60},
                    "start_interval": {"minutes": 60},
                    "buffer": {
                        "before": {"minimum": {"minutes": 30}, "maximum": {"minutes": 45}},
                        "after": {"minimum": {"minutes": 45}, "maximum": {"minutes": 60}},
                    },
                },
                {
                    "sequence_id": 4567,
                    "ordinal": 2,
                    "participants": group,
                    "required_duration": {"minutes": 60},
                },
            ],
            name: fixture_periods(0, 1),
        }
        got = post(cronofy, "/v1/sequenced_availability", body, headers={"User-Agent": UA_RUBY})
        real = {
            "sequences": [
                {
                    "sequence": [
                        {
                            "sequence_id": 1234,
                            "start": "2017-01-03T09:00:00Z",
                            "end": "2017-01-03T11:00:00Z",
                            "participants": [{"sub": "acc_567236000909002"}],
                        }
                    ]
                }
            ]
        }
        assert_keys_like(real, got)
        assert [i["sequence_id"] for i in got["sequences"][0]["sequence"]] == [1234, 4567]


def test_csharp_sequence_availability_query(cronofy, states):
    """Source: cronofy/cronofy-csharp SequencedAvailability.cs
    CanPerformSequenceAvailabilityQuery @ 8b98dd70fc8c: one step, `"available_periods": []`
    inside the step (the C# builder always sends it), Times with a space."""
    body = {
        "sequence": [
            {
                "ordinal": 1,
                "sequence_id": "First Event",
                "participants": [{"members": members(states), "required": "all"}],
                "required_duration": {"minutes": 60},
                "start_interval": {"minutes": 30},
                "available_periods": [],
                "buffer": {
                    "before": {"minimum": {"minutes": 30}, "maximum": {"minutes": 45}},
                    "after": {"minimum": {"minutes": 45}, "maximum": {"minutes": 60}},
                },
            }
        ],
        "available_periods": [
            {"start": csharp_space(p["start"]), "end": csharp_space(p["end"])}
            for p in fixture_periods(0, 1)
        ],
    }
    got = post(cronofy, "/v1/sequenced_availability", body)
    assert_keys_like(PY_SEQUENCED_RESPONSE, got, ignore=("$.sequences[].sequence",))
    assert got["sequences"], got
    first = got["sequences"][0]["sequence"]
    assert [i["sequence_id"] for i in first] == ["First Event"]
    assert_keys_like(PY_SEQUENCED_RESPONSE["sequences"][0]["sequence"][0], first[0])
    assert times(first)[0] == (at(D, 9), at(D, 10))


# -- Availability rules ---------------------------------------------------------------------------


@pytest.fixture
def rule_id(cronofy) -> Iterator[str]:
    ident = f"contract-{uuid.uuid4().hex[:12]}"
    yield ident
    cronofy.delete(f"{RULES}/{ident}")


def test_pycronofy_upsert_get_list_delete_rule(cronofy, states, rule_id):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py test_upsert_availability_rule
    (the answer's `availability_rule` equals the request), test_get_availability_rule,
    test_list_availability_rules, test_delete_availability_rule (202, no body) @ e0e3b3787d77.
    The fixture's calendar id is the contract account's own calendar (S-C22)."""
    rule = {
        "availability_rule_id": rule_id,
        "tzid": "America/Chicago",
        "calendar_ids": [states.get("second_writable_calendar")],
        "weekly_periods": PY_RULE_PERIODS,
    }
    assert post(cronofy, RULES, rule) == {"availability_rule": rule}
    got = cronofy.get(f"{RULES}/{rule_id}")
    assert got.status_code == 200, got.text
    assert got.json() == {"availability_rule": rule}
    listed = cronofy.get(RULES)
    assert listed.status_code == 200, listed.text
    assert set(listed.json()) == {"availability_rules"}
    assert rule in listed.json()["availability_rules"]
    gone = cronofy.delete(f"{RULES}/{rule_id}")
    assert gone.status_code == 202, gone.text
    assert gone.content == b""


def test_ruby_availability_rule_specs(cronofy, states, rule_id):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#upsert_availability_rule',
    '#get_availability_rule', '#get_availability_rules', '#delete_availability_rule'
    @ b75d79f275ca: 200 with the rule wrapped (mapped to Cronofy::AvailabilityRule), delete 202
    with no body (`request_body nil`)."""
    ua = {"User-Agent": UA_RUBY}
    rule = {
        "availability_rule_id": rule_id,
        "tzid": "America/Chicago",
        "calendar_ids": [states.get("second_writable_calendar")],
        "weekly_periods": RB_RULE_PERIODS,
    }
    assert post(cronofy, RULES, rule, headers=ua) == {"availability_rule": rule}
    one = cronofy.get(f"{RULES}/{rule_id}", headers=ua).json()
    assert_keys_like({"availability_rule": rule}, one)
    assert one["availability_rule"] == rule
    many = cronofy.get(RULES, headers=ua).json()
    assert_keys_like({"availability_rules": [rule]}, many)
    assert cronofy.delete(f"{RULES}/{rule_id}", headers=ua).status_code == 202
    assert cronofy.get(f"{RULES}/{rule_id}").status_code == 404


def test_csharp_rule_without_calendar_ids(cronofy, rule_id):
    """Sources: cronofy/cronofy-csharp UpsertAvailabilityRule.cs
    CanUpsertAvailabilityRuleWithMissingCalendarIds, GetAvailabilityRule.cs
    CanGetAvailabilityRuleWithMissingCalendarIds, ListAvailabilityRules.cs CanListAvailabilityRules,
    DeleteAvailabilityRule.cs CanDeleteAvailabilityRule (202) @ 8b98dd70fc8c: the response has
    no `calendar_ids` key at all."""
    rule = {
        "availability_rule_id": rule_id,
        "tzid": "America/Chicago",
        "weekly_periods": PY_RULE_PERIODS,
    }
    created = post(cronofy, RULES, rule)["availability_rule"]
    assert created == rule and "calendar_ids" not in created
    read = cronofy.get(f"{RULES}/{rule_id}").json()["availability_rule"]
    assert read == rule
    listed = cronofy.get(RULES).json()["availability_rules"]
    assert [r for r in listed if r["availability_rule_id"] == rule_id] == [rule]
    assert cronofy.delete(f"{RULES}/{rule_id}").status_code == 202


def test_node_delete_rule_with_json_body(cronofy, rule_id):
    """Source: cronofy/cronofy-node test/index.spec.js "Availability Rules" @ 042affa66fb2: the
    SDK sends `DELETE /v1/availability_rules/{id}` with the JSON body
    `{"availability_rule_id": id}`; the body is ignored (S-C24)."""
    rule = {"availability_rule_id": rule_id, "tzid": "Etc/UTC", "weekly_periods": RB_RULE_PERIODS}
    post(cronofy, RULES, rule)
    gone = cronofy.delete(
        f"{RULES}/{rule_id}",
        json={"availability_rule_id": rule_id},
        headers={"User-Agent": "Cronofy Node - 3.8.4"},
    )
    assert gone.status_code == 202, gone.text
    assert cronofy.get(f"{RULES}/{rule_id}").status_code == 404


# -- Available periods ----------------------------------------------------------------------------


@pytest.fixture
def period_id(cronofy) -> Iterator[str]:
    ident = f"contract-{uuid.uuid4().hex[:12]}"
    yield ident
    cronofy.delete(PERIODS, json={"available_period_id": ident})


@pytest.mark.rule("scheduling", "S-C26")
def test_ruby_available_periods_specs(cronofy, target, period_id):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#upsert_available_period'
    (202, body ""), '#get_available_periods' contexts "unfiltered", "filterd by date range"
    (from/to/tzid America/New_York) and "requesting localized times", '#delete_available_period'
    (202, body "") @ b75d79f275ca. The fixture's 15:30-17:00Z is moved to day D. Ruby's
    localized-times stub repeats the UTC strings of the other contexts; the fake answers
    `{time, tzid}` there, as Read Events does (decided: S-C26 in docs/reference/scheduling.md),
    so those two keys are compared by their decided shape."""
    ua = {"User-Agent": UA_RUBY}
    start, end = at(D, 15, 30), at(D, 17)
    made = cronofy.post(
        PERIODS, json={"available_period_id": period_id, "start": start, "end": end}, headers=ua
    )
    assert made.status_code == 202, made.text
    assert made.content == b""
    mine = {"available_period_id": period_id, "start": start, "end": end}

    def check() -> None:
        queries = (
            {},
            {
                "from": day(D - 1).isoformat(),
                "to": day(D + 5).isoformat(),
                "tzid": "America/New_York",
            },
            {"tzid": "America/New_York", "localized_times": "true"},
        )
        for params in queries:
            response = cronofy.get(PERIODS, params=params, headers=ua)
            assert response.status_code == 200, response.text
            body = response.json()
            found = [p for p in body["available_periods"] if p["available_period_id"] == period_id]
            if params.get("localized_times"):
                assert_keys_like(RB_AVAILABLE_PERIODS, body, ignore=LOCALIZED)
                assert len(found) == 1, params
                for key in ("start", "end"):
                    assert found[0][key]["tzid"] == "America/New_York", found
                    assert LOCAL_TIME.match(found[0][key]["time"]), found
            else:
                assert_keys_like(RB_AVAILABLE_PERIODS, body)
                assert found == [mine], params

    eventually(target, check)
    gone = cronofy.delete(PERIODS, json={"available_period_id": period_id}, headers=ua)
    assert gone.status_code == 202, gone.text
    assert gone.content == b""
