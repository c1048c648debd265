"""World files: the shipped ones load, every bad one is refused with problems that name the place,
relative times resolve against the clock, and `mockserver check-fixture` reports by exit code."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from mockserver.cli import main
from mockserver.core.clock import Clock
from mockserver.core.fixtures import FixtureError, build, demo_path, read, resolve_time, validate
from mockserver.state import ServerState, check

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [demo_path(), ROOT / "contracts" / "world.json"]
EV = "$.accounts[0].profiles[0].calendars[0].events"

BASE: dict[str, Any] = {
    "version": 1,
    "accounts": [
        {
            "id": "acc_1",
            "email": "a@example.com",
            "name": "A",
            "default_tzid": "Europe/London",
            "profiles": [
                {
                    "id": "pro_1",
                    "provider_name": "google",
                    "name": "a@example.com",
                    "calendars": [
                        {
                            "id": "cal_1",
                            "name": "Work",
                            "events": [
                                {
                                    "uid": "evt_1",
                                    "summary": "one",
                                    "start": "2026-03-02T09:00:00Z",
                                    "end": "2026-03-02T10:00:00Z",
                                },
                                {
                                    "uid": "evt_2",
                                    "summary": "two",
                                    "start": "2026-03-03",
                                    "end": "2026-03-04",
                                },
                                {
                                    "uid": "evt_3",
                                    "summary": "three",
                                    "start": "now+1h",
                                    "end": "now+2h",
                                    "managed_by": {"app": "app_1", "event_id": "three"},
                                },
                            ],
                        }
                    ],
                }
            ],
        }
    ],
    "cronofy": {
        "apps": [{"client_id": "app_1", "client_secret": "secret_1"}],
        "authorizations": [
            {
                "app": "app_1",
                "account": "acc_1",
                "scope": "read_events create_event",
                "access_token": "token_0001",
            }
        ],
    },
}


def fixture(**changes: Any) -> dict[str, Any]:
    """BASE with `path=value` changes, the path written like `events.2.start`."""
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        node: Any = data
        parts = path.replace("EV.", "accounts.0.profiles.0.calendars.0.events.").split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return data


def places(problems: list[tuple[str, str]]) -> dict[str, str]:
    return {place: message for place, message in problems}


# -- the shipped worlds ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_worlds_validate_and_load(path: Path) -> None:
    data = read(path)
    assert validate(data) == []
    assert check(data) == []
    state = ServerState(fixture=data)
    assert state.world.events and state.cronofy.oauth.tokens
    assert main(["check-fixture", str(path)]) == 0


def test_the_base_fixture_of_these_tests_is_good() -> None:
    assert check(BASE) == []


# -- bad worlds --------------------------------------------------------------------------------

BAD = [
    ("bad start", {"EV.2.start": "banana"}, f"{EV}[2].start", "banana"),
    ("bad end", {"EV.0.end": "2026-03-02T10:00"}, f"{EV}[0].end", ""),
    ("not a date", {"EV.1.start": "2026-02-30"}, f"{EV}[1].start", ""),
    ("year 999", {"EV.1.start": "0999-03-03"}, f"{EV}[1].start", ""),
    ("overflow", {"EV.2.end": "now+999999999w"}, f"{EV}[2].end", ""),
    ("end before start", {"EV.0.end": "2026-03-02T08:00:00Z"}, f"{EV}[0]", "before"),
    ("date and time", {"EV.1.end": "2026-03-04T10:00:00Z"}, f"{EV}[1]", "both"),
    ("unknown tzid", {"EV.0.tzid": "Mars/Olympus_Mons"}, f"{EV}[0].tzid", "Mars/Olympus_Mons"),
    ("unknown end_tzid", {"EV.0.end_tzid": "Nowhere"}, f"{EV}[0].end_tzid", "Nowhere"),
    ("path tzid", {"EV.0.tzid": "../../etc/passwd"}, f"{EV}[0].tzid", ""),
    (
        "unknown default_tzid",
        {"accounts.0.default_tzid": "Not/AZone"},
        "$.accounts[0].default_tzid",
        "Not/AZone",
    ),
    ("bad rule", {"EV.0.recurrence": ["RRULE:FREQ=SOMETIMES"]}, f"{EV}[0].recurrence", ""),
    (
        "missing summary",
        {"EV.1": {"start": "2026-03-03", "end": "2026-03-04"}},
        f"{EV}[1]",
        "summary",
    ),
    ("extra field", {"EV.0.colour": "red"}, f"{EV}[0]", "colour"),
    (
        "bad id",
        {"accounts.0.profiles.0.calendars.0.id": "cal 1/x"},
        "$.accounts[0].profiles[0].calendars[0].id",
        "",
    ),
    (
        "bad provider",
        {"accounts.0.profiles.0.provider_name": "myspace"},
        "$.accounts[0].profiles[0].provider_name",
        "",
    ),
    ("bad relative", {"EV.2.start": "now+2x"}, f"{EV}[2].start", ""),
    ("today in hours", {"EV.1.start": "today+2h"}, f"{EV}[1].start", ""),
    ("summary too long", {"EV.0.summary": "x" * 1025}, f"{EV}[0].summary", ""),
    ("duplicate event uid", {"EV.1.uid": "evt_1"}, f"{EV}[1]", "duplicate"),
    (
        "unknown app",
        {"cronofy.authorizations.0.app": "app_nope"},
        "$.cronofy.authorizations[0].app",
        "app_nope",
    ),
    (
        "unknown account",
        {"cronofy.authorizations.0.account": "acc_nope"},
        "$.cronofy.authorizations[0].account",
        "acc_nope",
    ),
    (
        "unknown scope",
        {"cronofy.authorizations.0.scope": "read_events root"},
        "$.cronofy.authorizations[0].scope",
        "root",
    ),
    (
        "short token",
        {"cronofy.authorizations.0.access_token": "abc"},
        "$.cronofy.authorizations[0].access_token",
        "",
    ),
    (
        "bad expiry",
        {"cronofy.authorizations.0.expires_at": "2026-02-30T10:00:00Z"},
        "$.cronofy.authorizations[0].expires_at",
        "",
    ),
    ("version", {"version": 2}, "$.version", ""),
]


@pytest.mark.parametrize(
    ("changes", "where", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_a_bad_world_names_the_place(changes: dict, where: str, words: str) -> None:
    data = fixture(**changes)
    found = places(check(data))
    assert where in found, found
    assert words in found[where]
    if not where.startswith("$.cronofy"):
        assert where in places(validate(data))  # the core part alone finds it too
    with pytest.raises(FixtureError) as info:
        ServerState(fixture=data)
    assert where in places(info.value.problems)


def test_duplicate_ids_name_the_second_place() -> None:
    data = copy.deepcopy(BASE)
    acc = data["accounts"][0]
    cal = copy.deepcopy(acc["profiles"][0]["calendars"][0])
    for ev in cal["events"]:
        ev["uid"] += "_other"
        ev.pop("managed_by", None)
    acc["profiles"][0]["calendars"].append(cal)  # same calendar id
    prof = copy.deepcopy(acc["profiles"][0])
    prof["calendars"] = []
    acc["profiles"].append(prof)  # same profile id
    data["accounts"].append({"id": "acc_1", "email": "b@example.com", "name": "B"})
    data["cronofy"]["apps"].append({"client_id": "app_1", "client_secret": "other"})
    data["cronofy"]["authorizations"].append(dict(data["cronofy"]["authorizations"][0]))
    found = places(check(data))
    for where in (
        "$.accounts[0].profiles[0].calendars[1]",
        "$.accounts[0].profiles[1]",
        "$.accounts[1]",
        "$.cronofy.apps[1]",
        "$.cronofy.authorizations[1].access_token",
    ):
        assert where in found, found
        assert "duplicate" in found[where]


def test_every_problem_is_reported_in_one_go() -> None:
    data = fixture(
        **{
            "EV.0.end": "2026-03-02T08:00:00Z",
            "EV.1.tzid": "Nope/Nope",
            "cronofy.authorizations.0.app": "app_nope",
        }
    )
    found = places(check(data))
    assert {f"{EV}[0]", f"{EV}[1].tzid", "$.cronofy.authorizations[0].app"} <= set(found)
    data = fixture(**{"EV.0.start": "banana", "EV.2.summary": 5, "accounts.0.email": 7})
    found = places(check(data))
    assert {f"{EV}[0].start", f"{EV}[2].summary", "$.accounts[0].email"} <= set(found)


@pytest.mark.parametrize("value", [None, [], "world", 3, {"accounts": {}}, {}])
def test_not_a_world_at_all(value: Any) -> None:
    problems = check(value)
    assert problems and all(isinstance(p, str) and isinstance(m, str) for p, m in problems)


# -- relative times ----------------------------------------------------------------------------

NOW = datetime(2026, 3, 7, 15, 45, 30, 500000, tzinfo=UTC)  # the day before US DST starts


@pytest.mark.parametrize(
    ("value", "tzid", "expected"),
    [
        ("now", "UTC", datetime(2026, 3, 7, 15, 45, tzinfo=UTC)),
        ("now+2h", "UTC", datetime(2026, 3, 7, 17, 45, tzinfo=UTC)),
        ("now-90m", "Asia/Tokyo", datetime(2026, 3, 7, 14, 15, tzinfo=UTC)),
        ("now+1d-2h", "UTC", datetime(2026, 3, 8, 13, 45, tzinfo=UTC)),
        ("now+1w", "UTC", datetime(2026, 3, 14, 15, 45, tzinfo=UTC)),
        ("today", "UTC", date(2026, 3, 7)),
        ("today", "Asia/Tokyo", date(2026, 3, 8)),  # already the 8th in Tokyo
        ("today", "Pacific/Pago_Pago", date(2026, 3, 7)),
        ("today-3d", "UTC", date(2026, 3, 4)),
        ("today+1w", "UTC", date(2026, 3, 14)),
        ("todayT09:30", "America/New_York", datetime(2026, 3, 7, 14, 30, tzinfo=UTC)),  # EST
        ("today+1dT09:30", "America/New_York", datetime(2026, 3, 8, 13, 30, tzinfo=UTC)),  # EDT
        ("today+1dT09:30", "Europe/Paris", datetime(2026, 3, 8, 8, 30, tzinfo=UTC)),
        ("today+1dT09:30", "Asia/Tokyo", datetime(2026, 3, 9, 0, 30, tzinfo=UTC)),
        ("2026-01-05T10:00:00+02:00", "UTC", datetime(2026, 1, 5, 8, tzinfo=UTC)),
        ("2026-01-05", "Asia/Tokyo", date(2026, 1, 5)),
    ],
)
def test_relative_times_resolve_against_the_clock(value: str, tzid: str, expected: Any) -> None:
    got = resolve_time(value, NOW, tzid)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    "value",
    ["today+2h", "nowT09:30", "now+1x", "2026-01-05T10:00:00", "yesterday", "now+99999999999w"],
)
def test_bad_relative_times_are_value_errors(value: str) -> None:
    with pytest.raises(ValueError):
        resolve_time(value, NOW, "UTC")


def test_a_world_with_relative_times_loads_around_a_frozen_clock() -> None:
    clock = Clock()
    clock.freeze(NOW)
    data = fixture(
        **{
            "EV.0": {
                "uid": "evt_rel",
                "summary": "standup",
                "tzid": "America/New_York",
                "start": "today+1dT09:30",
                "end": "today+1dT09:45",
            },
            "EV.1.start": "today+3d",
            "EV.1.end": "today+4d",
            "cronofy.authorizations.0.expires_at": "now+30m",
        }
    )
    world = build(data, clock).world
    assert world.events["evt_rel"].start == datetime(2026, 3, 8, 13, 30, tzinfo=UTC)
    assert world.events["evt_rel"].end == datetime(2026, 3, 8, 13, 45, tzinfo=UTC)
    assert world.events["evt_2"].start == date(2026, 3, 10)  # account zone: Europe/London
    assert world.events["evt_3"].start == datetime(2026, 3, 7, 16, 45, tzinfo=UTC)
    state = ServerState(fixture=data)
    state.clock.freeze(NOW)
    state.load(data)
    token = state.cronofy.oauth.tokens["token_0001"]
    assert token.expires_at == datetime(2026, 3, 7, 16, 15, tzinfo=UTC)


# -- the CLI -----------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_check_fixture_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.json", BASE)
    assert main(["check-fixture", str(good)]) == 0
    assert "ok" in capsys.readouterr().out

    bad = write(tmp_path, "bad.json", fixture(**{"EV.2.start": "banana"}))
    assert main(["check-fixture", str(bad)]) == 1
    assert f"{EV}[2].start" in capsys.readouterr().err

    provider = write(tmp_path, "app.json", fixture(**{"cronofy.authorizations.0.app": "x"}))
    assert main(["check-fixture", str(provider)]) == 1
    assert "$.cronofy.authorizations[0].app" in capsys.readouterr().err

    broken = write(tmp_path, "broken.json", '{"accounts": [\n  {"id": }\n]}')
    assert main(["check-fixture", str(broken)]) == 1
    assert "line 2" in capsys.readouterr().err

    assert main(["check-fixture", str(tmp_path / "missing.json")]) == 1
    assert capsys.readouterr().err

    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00junk")
    assert main(["check-fixture", str(binary)]) == 1


def test_check_fixture_as_a_program(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", BASE)
    bad = write(tmp_path, "bad.json", fixture(**{"EV.0.tzid": "Mars/Olympus_Mons"}))
    run = [sys.executable, "-m", "mockserver", "check-fixture"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert ok.returncode == 0, ok.stderr
    no = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert no.returncode == 1
    assert f"{EV}[0].tzid" in no.stderr
    usage = subprocess.run([*run], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert usage.returncode == 2  # argparse: the path is required


def test_relative_time_overflow_is_a_problem_not_a_crash() -> None:
    data = fixture(**{"cronofy.authorizations.0.expires_at": "now+999999999w"})
    assert "$.cronofy.authorizations[0].expires_at" in places(check(data))
    data = fixture(**{"EV.0.created": "now-999999999w"})
    assert f"{EV}[0].created" in places(check(data))
