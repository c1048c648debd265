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

# Formats the SDKs parse: Cronofy Times are UTC with second precision (pycronofy
# datetime_utils, Ruby ISO8601Time, the C# fixtures); localized times carry an offset.
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def key_problems(
    real: Any, fake: Any, *, ignore: Collection[str] = (), path: str = "$"
) -> list[str]:
    """Every key the real (upstream fixture) value has, missing from the fake value or of another
    JSON type there. Arrays: each fake element is compared with the real array's first element
    (a real non-empty array needs a non-empty fake one). `ignore` holds paths such as
    `$.event_status` or `$.events[].event_status` that newer evidence contradicts."""
    if path in ignore:
        return []
    if json_type(real) != json_type(fake):
        return [f"{path}: {json_type(real)} upstream, {json_type(fake)} in the fake"]
    out: list[str] = []
    if isinstance(real, dict):
        for key, value in real.items():
            where = f"{path}.{key}"
            if where in ignore:
                continue
            if key not in fake:
                out.append(f"{where}: missing in the fake")
            else:
                out += key_problems(value, fake[key], ignore=ignore, path=where)
    elif isinstance(real, list) and real:
        if not fake:
            out.append(f"{path}: empty in the fake, non-empty upstream")
        for item in fake:
            out += key_problems(real[0], item, ignore=ignore, path=f"{path}[]")
    return out


def assert_keys_like(real: Any, fake: Any, *, ignore: Collection[str] = ()) -> None:
    problems = key_problems(real, fake, ignore=ignore)
    assert not problems, "\n".join(problems)


def error_entries(response: Any, field: str) -> list[dict[str, str]]:
    """The `{key, description}` entries of a 422 for one parameter."""
    assert response.status_code == 422, (response.status_code, response.text)
    body = response.json()
    assert field in body["errors"], body
    return body["errors"][field]
