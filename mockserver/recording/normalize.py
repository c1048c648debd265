"""Making two answers comparable, as LocalStack's snapshot transformers do: ids become
placeholders numbered in order of appearance (the same id, the same placeholder, for the whole
cassette), volatile values keep only their JSON type, secrets are opaque, and the base URL of
each side becomes `<base>`. Both sides are walked in the same order (object keys sorted), so the
n-th id of the real API and the n-th id of the fake get the same placeholder: that is also how an
id the real API issued is mapped to the fake's in later requests (`Namer.mapping`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockserver.journal import is_secret

MIN_EMBEDDED_ID = 6  # shorter ids are not searched for inside other strings


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
    return type(value).__name__


@dataclass(frozen=True)
class Opaque:
    """A value compared by kind and JSON type (and, for ids, by placeholder) only."""

    kind: str  # "id", "volatile", "secret"
    type: str
    name: str = ""

    def __repr__(self) -> str:
        return self.name or f"<{self.kind} {self.type}>"


class Namer:
    """One side's ids -> placeholders `<key:n>`, for a whole cassette."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, Any], str] = {}
        self.values: dict[str, Any] = {}  # placeholder -> the id
        self.counts: dict[str, int] = {}

    def name(self, key: str, value: Any) -> str:
        token = (json_type(value), value)
        if token not in self.names:
            self.counts[key] = self.counts.get(key, 0) + 1
            placeholder = f"<{key}:{self.counts[key]}>"
            self.names[token] = placeholder
            self.values[placeholder] = value
        return self.names[token]

    def embedded(self) -> list[tuple[str, str]]:
        """(id, placeholder) for string ids long enough to find inside other strings, longest
        first."""
        found = [
            (v, p)
            for (t, v), p in self.names.items()
            if t == "string" and len(v) >= MIN_EMBEDDED_ID
        ]
        return sorted(found, key=lambda pair: -len(pair[0]))

    def mapping(self, other: Namer) -> dict[Any, Any]:
        """This side's id -> the other side's id at the same placeholder."""
        return {
            value: other.values[p]
            for p, value in self.values.items()
            if p in other.values and other.values[p] != value
        }


@dataclass
class Rules:
    id_keys: frozenset[str]
    volatile_keys: frozenset[str]


def _is_id(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and value != ""


def name_ids(data: Any, namer: Namer, rules: Rules, key: str | None = None) -> None:
    """First pass: give every value at an id key its placeholder, keys in sorted order."""
    if isinstance(data, dict):
        for k in sorted(data, key=str):
            name_ids(data[k], namer, rules, k)
    elif isinstance(data, list):
        for item in data:
            name_ids(item, namer, rules, key)
    elif key in rules.id_keys and _is_id(data):
        namer.name(key, data)


def placeholders_in(value: str, namer: Namer, base_url: str) -> str:
    if base_url and base_url in value:
        value = value.replace(base_url, "<base>")
    for ident, placeholder in namer.embedded():
        if ident in value:
            value = value.replace(ident, placeholder)
    return value


def normalize(data: Any, namer: Namer, rules: Rules, base_url: str, key: str | None = None) -> Any:
    """The comparable form of one JSON body (call `name_ids` on it first)."""
    if key is not None and is_secret(key) and data is not None:
        return Opaque("secret", json_type(data))
    if key is not None and key in rules.volatile_keys and data is not None:
        return Opaque("volatile", json_type(data))
    if isinstance(data, dict):
        return {k: normalize(v, namer, rules, base_url, k) for k, v in data.items()}
    if isinstance(data, list):
        return [normalize(v, namer, rules, base_url, key) for v in data]
    if key in rules.id_keys and _is_id(data):
        return Opaque("id", json_type(data), namer.name(key, data))
    if isinstance(data, str):
        return placeholders_in(data, namer, base_url)
    return data


def comparable(data: Any, namer: Namer, rules: Rules, base_url: str) -> Any:
    name_ids(data, namer, rules)
    return normalize(data, namer, rules, base_url)


# -- differences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str  # status, content-type, body, missing key, extra key, type, value, length
    at: str
    recorded: Any = None
    fake: Any = None

    def __str__(self) -> str:
        if self.kind == "missing key":
            return f"missing key {self.at} (the recorded answer has it, the fake's does not)"
        if self.kind == "extra key":
            return f"extra key {self.at} (the fake's answer has it, the recorded one does not)"
        where = f" {self.at}" if self.at else ""
        return f"{self.kind}{where}: recorded {self.recorded!r}, fake {self.fake!r}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at": self.at,
            "recorded": repr(self.recorded),
            "fake": repr(self.fake),
        }


def _type_of(value: Any) -> str:
    return value.type if isinstance(value, Opaque) else json_type(value)


def diff(recorded: Any, fake: Any, at: str = "$", *, values: bool = True) -> list[Difference]:
    """How `fake` differs from `recorded` (both comparable forms). `values=False` compares only
    keys and JSON types (and not list lengths)."""
    rec_type, fake_type = _type_of(recorded), _type_of(fake)
    if rec_type != fake_type:
        return [Difference("type", at, rec_type, fake_type)]
    if isinstance(recorded, Opaque) or isinstance(fake, Opaque):
        if (
            values
            and isinstance(recorded, Opaque)
            and isinstance(fake, Opaque)
            and recorded.kind == fake.kind == "id"
            and recorded.name != fake.name
        ):
            return [Difference("value", at, recorded, fake)]
        return []
    out: list[Difference] = []
    if isinstance(recorded, dict):
        for k in recorded:
            if k not in fake:
                out.append(Difference("missing key", f"{at}.{k}"))
        for k in fake:
            if k not in recorded:
                out.append(Difference("extra key", f"{at}.{k}"))
            else:
                out += diff(recorded[k], fake[k], f"{at}.{k}", values=values)
    elif isinstance(recorded, list):
        if values and len(recorded) != len(fake):
            out.append(Difference("length", at, len(recorded), len(fake)))
        for i, (r, f) in enumerate(zip(recorded, fake, strict=False)):
            out += diff(r, f, f"{at}[{i}]", values=values)
    elif values and recorded != fake:
        out.append(Difference("value", at, recorded, fake))
    return out
