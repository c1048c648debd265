"""`mockserver compare CASSETTE`: replay a cassette's requests against the fake and report, per
exchange, how the fake's answer differs from the recorded one.

Each request is sent as recorded, except that ids the real API issued (learned from earlier
answers, `Namer.mapping`, or given with `--map REAL=FAKE`) are swapped for the fake's, and the
masked credentials are swapped for the fake's own (the provider's
`RecordingProfile.replay_credentials`, from GET /_mock/credentials). Both answers are then made
comparable (normalize.py) and compared: status, content type, body kind, keys, JSON types, list
lengths and the values that are not volatile (`--types-only` drops values and lengths).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from mockserver import registry
from mockserver.journal import mask_data, secret_headers
from mockserver.recording.cassette import HOP_BY_HOP, Cassette, body_of
from mockserver.recording.normalize import (
    Difference,
    Namer,
    Rules,
    comparable,
    diff,
    name_ids,
    placeholders_in,
)

MAX_SHOWN = 25  # differences printed per exchange


@dataclass
class ExchangeResult:
    n: int
    method: str
    path: str  # the recorded path, ids as placeholders
    recorded_status: int
    fake_status: int | None
    differences: list[Difference] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.differences and not self.error

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "method": self.method,
            "path": self.path,
            "recorded_status": self.recorded_status,
            "fake_status": self.fake_status,
            "error": self.error,
            "differences": [d.to_json() for d in self.differences],
        }


@dataclass
class Report:
    cassette: str
    provider: str
    upstream: str
    target: str
    results: list[ExchangeResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def text(self) -> str:
        differ = [r for r in self.results if not r.ok]
        lines = [
            f"{self.cassette}: {len(self.results)} {self.provider} exchange(s) recorded from "
            f"{self.upstream}, replayed against {self.target}"
        ]
        for r in self.results:
            status = f"{r.recorded_status}" + (
                f" -> {r.fake_status}" if r.fake_status != r.recorded_status else ""
            )
            verdict = "ok" if r.ok else (r.error or f"{len(r.differences)} difference(s)")
            lines.append(f"  #{r.n} {r.method} {r.path}  {status}  {verdict}")
            for d in r.differences[:MAX_SHOWN]:
                lines.append(f"      {d}")
            if len(r.differences) > MAX_SHOWN:
                lines.append(f"      ... and {len(r.differences) - MAX_SHOWN} more")
        lines.append(
            f"{len(self.results) - len(differ)} of {len(self.results)} exchange(s) match"
            + (f"; {len(differ)} differ" if differ else "")
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "cassette": self.cassette,
            "provider": self.provider,
            "upstream": self.upstream,
            "target": self.target,
            "matched": sum(1 for r in self.results if r.ok),
            "differed": sum(1 for r in self.results if not r.ok),
            "exchanges": [r.to_json() for r in self.results],
        }


class Translator:
    """Swaps the real API's ids and the masked credentials in a recorded request."""

    def __init__(self, credentials: dict[str, str], maps: dict[str, str]) -> None:
        self.credentials = {k.lower(): v for k, v in credentials.items()}
        self.maps: dict[str, Any] = {}  # str(real id) -> fake id
        self.given = dict(maps)
        self.maps.update(self.given)

    def learn(self, mapping: dict[Any, Any]) -> None:
        for real, fake in mapping.items():
            if str(real) not in self.given:
                self.maps[str(real)] = fake

    def value(self, value: Any, key: str | None = None) -> Any:
        if key is not None and key.lower() in self.credentials and isinstance(value, str):
            return self.credentials[key.lower()]
        if isinstance(value, bool) or value is None:
            return value
        if str(value) in self.maps:
            fake = self.maps[str(value)]
            return fake if isinstance(value, int) and isinstance(fake, int) else str(fake)
        if isinstance(value, str):
            for real in sorted(self.maps, key=len, reverse=True):
                if len(real) >= 6 and real in value:
                    value = value.replace(real, str(self.maps[real]))
        return value

    def data(self, data: Any, key: str | None = None) -> Any:
        if isinstance(data, dict):
            return {k: self.data(v, k) for k, v in data.items()}
        if isinstance(data, list):
            return [self.data(v, key) for v in data]
        return self.value(data, key)

    def path(self, path: str) -> str:
        return "/".join(str(self.value(seg)) if seg else seg for seg in path.split("/"))

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        out = {}
        for name, value in headers.items():
            if name in HOP_BY_HOP:
                continue
            if name in self.credentials and name in secret_headers():
                value = self.credentials[name]
            out[name] = value
        return out


def request_of(exchange: dict[str, Any], tr: Translator) -> dict[str, Any]:
    req = exchange["request"]
    headers = tr.headers(req.get("headers", {}))
    query = [(k, tr.value(v, k)) for k, v in req.get("query", [])]
    kwargs: dict[str, Any] = {"headers": headers, "params": query}
    kind, body = req.get("body_kind", "none"), req.get("body")
    if kind == "json":
        kwargs["content"] = json.dumps(tr.data(body)).encode()
    elif kind == "form":
        kwargs["content"] = urlencode(tr.data(body), doseq=True).encode()
    elif kind == "text":
        kwargs["content"] = str(tr.value(body)).encode()
    return {"method": req["method"], "url": tr.path(req["path"]), **kwargs}


def _media(content_type: str | None) -> str:
    return (content_type or "").replace(" ", "").lower()


def compare(
    cassette: Cassette,
    client: httpx.Client,
    *,
    fake_base: str,
    credentials: dict[str, str],
    maps: dict[str, str] | None = None,
    ignore: frozenset[str] = frozenset(),
    types_only: bool = False,
    name: str = "cassette",
    target: str = "the fake",
) -> Report:
    provider = registry.get(cassette.provider)
    profile = provider.recording if provider is not None else None
    rules = Rules(
        frozenset(profile.id_keys if profile else ()),
        frozenset(profile.volatile_keys if profile else ()) | ignore,
    )
    recorded_ids, fake_ids = Namer(), Namer()
    tr = Translator(credentials, maps or {})
    upstream = cassette.upstream.rstrip("/")
    results = []
    for i, exchange in enumerate(cassette.exchanges, 1):
        rec = exchange["response"]
        req = exchange["request"]
        name_ids(rec.get("body"), recorded_ids, rules)
        shown = placeholders_in(req["path"], recorded_ids, "")
        result = ExchangeResult(exchange.get("n", i), req["method"], shown, rec["status"], None)
        results.append(result)
        try:
            answer = client.request(**request_of(exchange, tr))
        except httpx.HTTPError as exc:
            result.error = f"the fake did not answer: {exc!r}"
            continue
        result.fake_status = answer.status_code
        ctype = answer.headers.get("content-type", "")
        fake_kind, fake_body = body_of(answer.content, ctype)
        if fake_kind in ("json", "form"):
            fake_body = mask_data(fake_body)
        name_ids(fake_body, fake_ids, rules)
        tr.learn(recorded_ids.mapping(fake_ids))
        diffs = []
        if rec["status"] != answer.status_code:
            diffs.append(Difference("status", "", rec["status"], answer.status_code))
        rec_ctype = rec.get("headers", {}).get("content-type")
        if rec.get("body_kind") != "none" and _media(rec_ctype) != _media(ctype):
            diffs.append(Difference("content-type", "", rec_ctype, ctype or None))
        rec_kind = rec.get("body_kind", "none")
        if rec_kind != fake_kind:
            diffs.append(Difference("body", "", rec_kind, fake_kind))
        else:
            diffs += diff(
                comparable(rec.get("body"), recorded_ids, rules, upstream),
                comparable(fake_body, fake_ids, rules, fake_base.rstrip("/")),
                values=not types_only,
            )
        result.differences = diffs
    return Report(name, cassette.provider, cassette.upstream, target, results)


@contextmanager
def fake_client(
    target: str | None, world: dict[str, Any] | None
) -> Iterator[tuple[httpx.Client, str, str]]:
    """(client, its base URL, how to name it): an in-process fake with `world` (the demo world
    when None), or the fake running at `target`, reset to its loaded world first."""
    if target:
        with httpx.Client(base_url=target, timeout=60) as client:
            client.post("/_mock/reset").raise_for_status()
            yield client, target, target
        return
    from mockserver.app import create_app
    from mockserver.testing import asgi_client

    with asgi_client(create_app(fixture=world)) as client:
        yield client, "http://testserver", "the fake (in-process)"


def credentials_for(client: httpx.Client, provider: str) -> dict[str, str]:
    entry = registry.get(provider)
    if entry is None or entry.recording is None or entry.recording.replay_credentials is None:
        return {}
    section = client.get("/_mock/credentials").json().get(provider, {})
    return entry.recording.replay_credentials(section)


def run(
    path: Path,
    *,
    target: str | None = None,
    world: dict[str, Any] | None = None,
    maps: dict[str, str] | None = None,
    ignore: frozenset[str] = frozenset(),
    types_only: bool = False,
) -> Report:
    cassette = Cassette.load(path)
    with fake_client(target, world) as (client, base, shown):
        return compare(
            cassette,
            client,
            fake_base=base,
            credentials=credentials_for(client, cassette.provider),
            maps=maps,
            ignore=ignore,
            types_only=types_only,
            name=str(path),
            target=shown,
        )
