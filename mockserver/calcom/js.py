"""JavaScript's conversions that Cal.com's code applies to request values (parseInt, Number,
template strings), so that the fake reads sloppy input exactly as the real API does."""

from __future__ import annotations

import math
import re
from typing import Any

_PARSE_INT = re.compile(r"^[\t\n\v\f\r \u00a0\ufeff]*([+-]?\d+)")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_int(value: Any) -> float:
    """JavaScript parseInt(value) (base 10): the leading integer of String(value), else NaN."""
    text = ",".join(value) if isinstance(value, list) else str(value)
    found = _PARSE_INT.match(text)
    return int(found[1]) if found else math.nan


def js_number(value: Any) -> float:
    """JavaScript Number(string): "" is 0, surrounding whitespace is ignored, hex and
    exponents are read, anything else is NaN."""
    text = str(value).strip()
    if not text:
        return 0
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return math.inf if not text.startswith("-") else -math.inf
    if not _NUMBER.match(text):
        return math.nan
    number = float(text)
    return int(number) if number.is_integer() and "e" not in text.lower() else number


def js_text(value: Any) -> str:
    """`${value}` in JavaScript, for the few shapes a JSON value can take."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join("" if v is None else js_text(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
