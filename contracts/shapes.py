"""Comparing a real response with the fake's, key by key, for every provider's replay suites.

A real response (an SDK's fixture, an e2e spec's expectation, a documented example) is reduced to
the keys its source guarantees; the fake may add keys, never drop one or give a key another JSON
type. The providers' suites differ only in how they read arrays and which paths they excuse, so
those are the options here."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal


def json_type(value: Any) -> str:
    """The JSON type of a decoded value (bool before int: Python's bool is an int)."""
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


def shape_problems(
    real: Any,
    fake: Any,
    *,
    path: str = "$",
    ignore: Collection[str] = (),
    nullable: Collection[str] = (),
    arrays: Literal["first", "pairwise"] = "first",
) -> list[str]:
    """Every key `real` has that `fake` lacks or holds with another JSON type, as `path: why`.

    `ignore` holds paths (`$.a.b`, `$.items[].c` with arrays="first") that newer evidence
    contradicts; a path in `nullable` may be null on either side (a source says `T | null`).
    Arrays: "first" compares every fake item with the real array's first item (a non-empty real
    array needs a non-empty fake one); "pairwise" compares items index by index up to the shorter.
    """
    if path in ignore:
        return []
    kind, got = json_type(real), json_type(fake)
    if kind != got:
        if path in nullable and "null" in (kind, got):
            return []
        return [f"{path}: {kind} in the real response, {got} in the fake"]
    out: list[str] = []
    more = {"ignore": ignore, "nullable": nullable, "arrays": arrays}
    if kind == "object":
        for key, value in real.items():
            where = f"{path}.{key}"
            if where in ignore:
                continue
            if key not in fake:
                out.append(f"{where}: missing in the fake (it has {sorted(fake)})")
            else:
                out += shape_problems(value, fake[key], path=where, **more)
    elif kind == "array" and arrays == "pairwise":
        for i, (r, f) in enumerate(zip(real, fake, strict=False)):
            out += shape_problems(r, f, path=f"{path}[{i}]", **more)
    elif kind == "array" and real:
        if not fake:
            out.append(f"{path}: empty in the fake, non-empty in the real response")
        for item in fake:
            out += shape_problems(real[0], item, path=f"{path}[]", **more)
    return out


def assert_shape(real: Any, fake: Any, **options: Any) -> None:
    """`shape_problems` as an assertion that lists every difference at once."""
    problems = shape_problems(real, fake, **options)
    assert not problems, "the fake's response differs from the real one:\n" + "\n".join(problems)
