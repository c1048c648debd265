"""Helpers for the upstream replay suites (`test_upstream_*.py`).

Those suites replay, over plain HTTP, what Cronofy's own SDK test suites (pycronofy, cronofy-ruby,
cronofy-node, cronofy-csharp) and the API docs show: the same request, the same assertions. Their
response fixtures are compared key by key with `assert_keys_like`.

Every difference these replays found is fixed or decided (docs/EVIDENCE.md, DIFF-cronofy-1..8):
no test is marked as expected to fail. Where the evidence is split, the test asserts the decided
behaviour and its docstring says why; a live run that fails it is the evidence to decide again.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from contracts.shapes import assert_shape, shape_problems

# Formats the SDKs parse: Cronofy Times are UTC with second precision (pycronofy
# datetime_utils, Ruby ISO8601Time, the C# fixtures); localized times carry an offset.
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def key_problems(
    real: Any, fake: Any, *, ignore: Collection[str] = (), path: str = "$"
) -> list[str]:
    """Every key the real (upstream fixture) value has, missing from the fake value or of another
    JSON type there; each fake array item is compared with the real array's first one. `ignore`
    holds paths such as `$.events[].event_status` that newer evidence contradicts."""
    return shape_problems(real, fake, path=path, ignore=ignore)


def assert_keys_like(real: Any, fake: Any, *, ignore: Collection[str] = ()) -> None:
    assert_shape(real, fake, ignore=ignore)


def error_entries(response: Any, field: str) -> list[dict[str, str]]:
    """The `{key, description}` entries of a 422 for one parameter."""
    assert response.status_code == 422, (response.status_code, response.text)
    body = response.json()
    assert field in body["errors"], body
    return body["errors"][field]
