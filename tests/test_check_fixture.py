"""`mockserver check-fixture PATH`: every problem with its place, never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from mockserver.cli import main
from mockserver.core.fixtures import demo_path, read
from mockserver.state import check

DEMO = read(demo_path())


def run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check-fixture", str(path)])
    err = capsys.readouterr().err
    return code, [line.removeprefix(f"{path}: ") for line in err.splitlines()]


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(data))
    return path


def event(world: dict, i: int) -> dict:
    return world["accounts"][0]["profiles"][0]["calendars"][0]["events"][i]


EVENT0 = "$.accounts[0].profiles[0].calendars[0].events[0]"


def test_a_good_file_passes(tmp_path, capsys):
    assert main(["check-fixture", str(demo_path())]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")


@pytest.mark.parametrize(
    "content, place, message",
    [
        (b"", "line 1 column 1", "Expecting value"),
        (b'{"accounts": [}', "line 1 column 15", "Expecting value"),
        (b"\xff\xfe{}", "line 1 byte 0", "not UTF-8 text"),
        (b'{\n"accounts": []\n}\n\x80', "line 4 byte 19", "not UTF-8 text"),
        (b"[1, 2]", "$", "is not of type 'object'"),
        (b"null", "$", "is not of type 'object'"),
        (b"\xef\xbb\xbf{}", "$", "'accounts' is a required property"),  # a BOM is fine
        (b"[" * 100_000, "$", "nested too deeply"),
    ],
)
def test_files_that_are_not_world_documents(tmp_path, capsys, content, place, message):
    path = tmp_path / "world.json"
    path.write_bytes(content)
    code, lines = run(path, capsys)
    assert code == 1
    assert lines[0].startswith(f"{place}: ") and message in lines[0], lines
    assert lines[-1] == "1 problem"


def test_a_missing_file_and_a_directory(tmp_path, capsys):
    assert run(tmp_path / "nope.json", capsys) == (
        1,
        ["(file): No such file or directory", "1 problem"],
    )
    assert run(tmp_path, capsys) == (1, ["(file): Is a directory", "1 problem"])


def test_schema_errors_deep_in_the_tree_in_document_order(tmp_path, capsys):
    world = copy.deepcopy(DEMO)
    events = world["accounts"][0]["profiles"][0]["calendars"][0]["events"]
    events[10]["attendees"] = [{"email": 1}]
    events[2]["status"] = "maybe"
    events[0]["start"] = "next tuesday"
    world["cronofy"]["authorizations"][1]["expires_at"] = "today"
    world["accounts"][1]["profiles"][0]["calendars"][0]["surprise"] = True
    code, lines = run(write(tmp_path, world), capsys)
    assert code == 1
    assert lines == [
        f"{EVENT0}.start: 'next tuesday' is not a time: use 2026-01-05, 2026-01-05T10:00:00Z "
        "(or an offset), now+2h or today+1dT09:30",
        "$.accounts[0].profiles[0].calendars[0].events[2].status: 'maybe' is not one of "
        "['confirmed', 'tentative', 'cancelled']",
        "$.accounts[0].profiles[0].calendars[0].events[10].attendees[0].email: 1 is not of type "
        "'string'",
        "$.accounts[1].profiles[0].calendars[0]: Additional properties are not allowed "
        "('surprise' was unexpected)",
        "$.cronofy.authorizations[1].expires_at: 'today' is not an instant: use "
        "2026-01-05T10:00:00Z (or an offset) or now+2h",
        "5 problems",
    ]


def test_the_checks_a_schema_cannot_make_with_the_provider_sections(tmp_path, capsys):
    world = copy.deepcopy(DEMO)
    event(world, 0)["end"] = "today-30dT09:00"
    event(world, 1)["tzid"] = "Mars/Olympus_Mons"
    event(world, 2)["start"] = "now+99999999999d"
    event(world, 3)["recurrence"] = ["RRULE:FREQ=SOMETIMES"]
    event(world, 4)["created"] = "2026-02-30T10:00:00Z"
    world["accounts"][1]["id"] = world["accounts"][0]["id"]
    world["cronofy"]["authorizations"][0]["account"] = "acc_nobody"
    world["cronofy"]["authorizations"][1]["scope"] = "read_events fly"
    code, lines = run(write(tmp_path, world), capsys)
    assert code == 1
    expected = [
        f"{EVENT0}: end is before start",
        "$.accounts[0].profiles[0].calendars[0].events[1].tzid: unknown time zone "
        "'Mars/Olympus_Mons'",
        "$.accounts[0].profiles[0].calendars[0].events[2].start: time 'now+99999999999d' is out "
        "of range",
        "$.accounts[0].profiles[0].calendars[0].events[3].recurrence: invalid recurrence",
        "$.accounts[0].profiles[0].calendars[0].events[4].created: day is out of range for month",
        "$.accounts[1]: duplicate account id",
        "$.cronofy.authorizations[0].account: no account 'acc_nobody'",
        "$.cronofy.authorizations[1].scope: unknown scopes ['fly']",
    ]
    for want in expected:
        assert any(line.startswith(want) for line in lines), (want, lines)


def leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
    return [path]


JUNK = [None, -1, "", [], {"x": 1}, "now+99999999999d", "today+1dT99:99", "2026-02-30", "Mars/X"]


def test_any_junk_anywhere_is_a_problem_with_a_place_never_a_crash():
    for n, path in enumerate(leaves(DEMO)):
        world = copy.deepcopy(DEMO)
        node = world
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = JUNK[n % len(JUNK)]
        problems = check(world)  # raising here is the bug this test is for
        assert all(place.startswith("$") for place, _ in problems), problems
