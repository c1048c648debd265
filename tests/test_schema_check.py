"""World files are checked by a compiled validator first and by jsonschema only when it says no
(mockserver/core/fixtures.py `SchemaCheck`): the two must agree on every document, or a file
jsonschema would refuse could load."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.core.fixtures import demo_path, read
from mockserver.registry import version
from mockserver.state import _schema_check

DEMO = read(demo_path())
CHECK = _schema_check(version())

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "2026-01-05",
            "2026-01-05T10:00:00Z",
            "today+1dT09:30",
            "now+2h",
            "RRULE:FREQ=DAILY",
            "Etc/UTC",
            "google",
            "opaque",
            "",
            "2026-13-45T99:99Z",
            "١٢٣٤-05-06",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


ALL_PATHS = paths(DEMO)


def mutate(doc: Any, path: tuple, value: Any, kind: str) -> Any:
    if not path:
        return value
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if kind == "delete" and isinstance(parent, dict):
        del parent[last]
    elif kind == "add" and isinstance(parent, dict):
        parent[f"extra_{last}"] = value
    else:
        parent[last] = value
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(ALL_PATHS), JSON, st.sampled_from(["set", "delete", "add"])),
        min_size=1,
        max_size=3,
    )
)
def test_the_compiled_validator_agrees_with_jsonschema(changes) -> None:
    doc = copy.deepcopy(DEMO)
    for path, value, kind in changes:
        try:
            doc = mutate(doc, path, value, kind)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    fast = CHECK.fast.is_valid(doc)
    full = not any(True for _ in CHECK.full.iter_errors(doc))
    assert fast == full


def test_a_valid_world_skips_the_slow_validator(monkeypatch) -> None:
    class Boom:
        def iter_errors(self, *_: Any) -> Any:
            raise AssertionError("jsonschema ran on a valid world")

    monkeypatch.setattr(CHECK, "full", Boom())
    assert CHECK.problems(DEMO) == []


def test_an_invalid_world_gets_every_place_named() -> None:
    bad = copy.deepcopy(DEMO)
    bad["accounts"][0]["profiles"][0]["calendars"][0]["events"][0]["start"] = "next tuesday"
    bad["accounts"][0]["email"] = 5
    places = [place for place, _ in CHECK.problems(bad)]
    assert "$.accounts[0].email" in places
    assert "$.accounts[0].profiles[0].calendars[0].events[0].start" in places
