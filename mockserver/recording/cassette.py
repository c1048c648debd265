"""The cassette: a JSON file of recorded exchanges, secrets masked, ids noted.

    {"version": 1, "provider": "<name>", "upstream": "https://api.example.com",
     "recorded_at": "...", "recorder": "calendar-mockserver 0.1.0",
     "exchanges": [{"n": 1, "time": "...", "duration_ms": 84.1,
                    "request": {"method", "path", "query": [[k, v], ...], "headers": {...},
                                "body_kind": "json|form|text|none", "body": ...},
                    "response": {"status", "headers": {...}, "body_kind", "body"},
                    "ids": [{"at": "$.calendars[0].calendar_id", "value": "cal_..."}]}]}

Written atomically after every exchange, so a recorder stopped at any moment leaves a whole file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from mockserver.journal import decode_body, is_secret, mask, mask_data, mask_header

VERSION = 1
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
        "accept-encoding",
    }
)


class CassetteError(ValueError):
    """A file that is not a cassette this version can read."""


def body_of(raw: bytes, content_type: str) -> tuple[str, Any]:
    """(kind, decoded body): json, form (a dict), text, or none."""
    if not raw:
        return "none", None
    decoded = decode_body(raw, content_type)
    if isinstance(decoded, str):
        return "text", decoded
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return "form", decoded
    return "json", decoded


def masked_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        name = name.lower()
        if name in HOP_BY_HOP:
            continue
        value = mask_header(name, value)
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def masked_query(query: str) -> list[list[str]]:
    pairs = parse_qsl(query, keep_blank_values=True)
    return [[k, mask(v) if is_secret(k) else v] for k, v in pairs]


def masked_body(kind: str, body: Any) -> Any:
    return mask_data(body) if kind in ("json", "form") else body


def recorder_version() -> str:
    try:
        return f"calendar-mockserver {metadata.version('calendar-mockserver')}"
    except metadata.PackageNotFoundError:
        return "calendar-mockserver"


@dataclass
class Cassette:
    provider: str
    upstream: str
    recorded_at: str = ""
    recorder: str = field(default_factory=recorder_version)
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "provider": self.provider,
            "upstream": self.upstream,
            "recorded_at": self.recorded_at,
            "recorder": self.recorder,
            "exchanges": self.exchanges,
        }

    def save(self, path: Path) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", "utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Cassette:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CassetteError(f"{path}: not a readable cassette: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise CassetteError(f"{path}: not a cassette of version {VERSION}")
        for key in ("provider", "upstream", "exchanges"):
            if key not in data:
                raise CassetteError(f"{path}: no {key!r}")
        return cls(
            data["provider"],
            data["upstream"],
            data.get("recorded_at", ""),
            data.get("recorder", ""),
            list(data["exchanges"]),
        )
