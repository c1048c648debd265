"""The request journal: every provider request the fake answered, newest last, in a bounded deque.

Recording is cheap on purpose: the middleware stores raw bytes and the ASGI header list, and an
entry is decoded (JSON / form / text) and masked only when someone reads it. Secrets are masked
in everything an entry shows (`to_dict()`, `headers`, `body`, `query`, `response`, assertion
messages); matching (`find`, `assert_called`) looks at the real values.

    journal.assert_called(provider="cronofy", method="POST",
                          path="/v1/calendars/{id}/events", body_contains={"summary": "Standup"})
    journal.assert_not_called(method="DELETE")

Path patterns: `{name}` matches one path segment, `{name:path}` any rest (slashes included);
anything else is literal. A compiled `re.Pattern` is used as is (`fullmatch`).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import orjson

from mockserver import registry

if TYPE_CHECKING:
    from mockserver.settings import MockSettings

SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
    }
)  # and each provider's own (registry.Provider.secret_headers)
SECRET_FIELDS = frozenset(
    {
        "client_secret",
        "refresh_token",
        "access_token",
        "id_token",
        "token",
        "api_key",
        "apikey",
        "password",
        "secret",
        "code_verifier",
    }
)

_SEGMENT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(:path)?\}")


# -- masking ------------------------------------------------------------------------------


def mask(value: str) -> str:
    """`***` plus the last 4 characters for values long enough that 4 reveal little."""
    return "***" + value[-4:] if len(value) >= 12 else "***"


@lru_cache(maxsize=4)
def _secret_headers(version: int) -> frozenset[str]:
    return SECRET_HEADERS.union(*(p.secret_headers for p in registry.providers()))


def secret_headers() -> frozenset[str]:
    return _secret_headers(registry.version())


def mask_header(name: str, value: str) -> str:
    if name not in secret_headers():
        return value
    scheme, sep, token = value.partition(" ")
    if sep and name.endswith("authorization") and scheme.isalpha():
        return f"{scheme} {mask(token.strip())}"  # keep "Bearer" / "Basic"
    return mask(value)


def is_secret(key: Any) -> bool:
    if not isinstance(key, str):
        return False
    k = key.lower()
    return k in SECRET_FIELDS or k.endswith("_secret") or k.endswith("-secret-key")


def mask_data(data: Any) -> Any:
    """A copy of decoded JSON / form data with every secret field's value masked."""
    if isinstance(data, dict):
        return {k: (_mask_value(v) if is_secret(k) else mask_data(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [mask_data(v) for v in data]
    return data


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    return "***" if value is not None else None


# -- decoding -----------------------------------------------------------------------------


def decode_body(raw: bytes, content_type: str) -> Any:
    """JSON (any content type, if it parses), form fields, else text; None when empty."""
    if not raw:
        return None
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        return _pairs(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if ctype.endswith("json") or raw[:1] in (b"{", b"["):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return raw.decode("utf-8", "replace")


def _pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query / form pairs as a dict; a repeated key's values become a list."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            current = out[key]
            if isinstance(current, list):
                current.append(value)
            else:
                out[key] = [current, value]
        else:
            out[key] = value
    return out


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


# -- path patterns ------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _compile(template: str) -> re.Pattern[str]:
    parts, last = [], 0
    for m in _SEGMENT.finditer(template):
        parts.append(re.escape(template[last : m.start()]))
        parts.append(".+" if m.group(2) else "[^/]+")
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts))


def path_matches(pattern: str | re.Pattern[str] | None, path: str) -> bool:
    if pattern is None:
        return True
    if isinstance(pattern, re.Pattern):
        return pattern.fullmatch(path) is not None
    if "{" not in pattern:
        return pattern == path
    return _compile(pattern).fullmatch(path) is not None


def _names(value: str | Iterable[str] | None, upper: bool = False) -> frozenset[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    return frozenset(v.upper() if upper else v.lower() for v in items)


# -- entries ------------------------------------------------------------------------------


class Entry:
    """One request and what the fake answered. `headers`, `query`, `body`, `response` and
    `response_headers` are decoded and masked; `raw_*` hold what went over the wire."""

    __slots__ = (
        "id",
        "time",
        "provider",
        "method",
        "path",
        "raw_query",
        "raw_headers",
        "raw_body",
        "body_truncated",
        "status",
        "raw_response_headers",
        "raw_response",
        "response_truncated",
        "duration",
        "fault",
        "dropped",
        "error",
        "__dict__",  # cached_property
    )

    def __init__(
        self, time: float, provider: str, method: str, path: str, query: bytes, headers: list
    ) -> None:
        self.id = 0
        self.time = time  # seconds since the epoch (wall clock, not the fake's clock)
        self.provider = provider
        self.method = method
        self.path = path
        self.raw_query = query
        self.raw_headers = headers
        self.raw_body = b""
        self.body_truncated = False
        self.status: int | None = None
        self.raw_response_headers: list = []
        self.raw_response = b""
        self.response_truncated = False
        self.duration = 0.0  # seconds, latency included
        self.fault: str | None = None  # id of the fault rule that answered, if any
        self.dropped = False  # the connection was closed without a response
        self.error: str | None = None  # the traceback, when the fake itself failed (a 500)

    # unmasked views, used for matching
    @cached_property
    def request_headers(self) -> dict[str, str]:
        return _headers(self.raw_headers)

    @cached_property
    def request_query(self) -> dict[str, Any]:
        return _pairs(parse_qsl(self.raw_query.decode("latin-1"), keep_blank_values=True))

    @cached_property
    def request_body(self) -> Any:
        body = self.raw_body
        if self.body_truncated:
            return body.decode("utf-8", "replace")
        return decode_body(body, self.request_headers.get("content-type", ""))

    @cached_property
    def response_body(self) -> Any:
        if self.response_truncated:
            return self.raw_response.decode("utf-8", "replace")
        ctype = _headers(self.raw_response_headers).get("content-type", "")
        return decode_body(self.raw_response, ctype)

    # masked views, for showing
    @property
    def headers(self) -> dict[str, str]:
        return {k: mask_header(k, v) for k, v in self.request_headers.items()}

    @property
    def query(self) -> dict[str, Any]:
        return mask_data(self.request_query)

    @property
    def body(self) -> Any:
        return mask_data(self.request_body)

    @property
    def response(self) -> Any:
        return mask_data(self.response_body)

    @property
    def response_headers(self) -> dict[str, str]:
        return {k: mask_header(k, v) for k, v in _headers(self.raw_response_headers).items()}

    @property
    def iso_time(self) -> str:
        stamp = datetime.fromtimestamp(self.time, UTC).isoformat(timespec="milliseconds")
        return stamp.replace("+00:00", "Z")

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "time": self.iso_time,
            "provider": self.provider,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response": self.response,
            "duration_ms": round(self.duration * 1000, 3),
            "fault": self.fault,
            "dropped": self.dropped,
        }
        if self.body_truncated:
            out["body_truncated"] = True
        if self.response_truncated:
            out["response_truncated"] = True
        if self.error is not None:
            out["error"] = self.error
        return out

    def summary(self) -> str:
        qs = "?" + self.raw_query.decode("latin-1") if self.raw_query else ""
        answer = "dropped" if self.dropped else str(self.status)
        return f"#{self.id} {self.provider} {self.method} {self.path}{qs} -> {answer}"

    def __repr__(self) -> str:
        return f"<Entry {self.summary()}>"


# -- criteria and differences ---------------------------------------------------------------


class Criteria:
    """What `find` / `assert_called` look for; `differences(entry)` says why an entry is not it."""

    def __init__(
        self,
        provider: str | Iterable[str] | None = None,
        method: str | Iterable[str] | None = None,
        path: str | re.Pattern[str] | None = None,
        status: int | Iterable[int] | None = None,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        body_contains: Any = None,
        since: int | None = None,
    ) -> None:
        self.provider = _names(provider)
        self.method = _names(method, upper=True)
        self.path = path
        self.status = (
            None
            if status is None
            else frozenset([status] if isinstance(status, int) else [int(s) for s in status])
        )
        self.query = query
        self.headers = {k.lower(): v for k, v in headers.items()} if headers else None
        self.body_contains = body_contains
        self.since = since

    def matches(self, e: Entry) -> bool:
        if self.since is not None and e.id <= self.since:
            return False
        if self.provider is not None and e.provider not in self.provider:
            return False
        if self.method is not None and e.method not in self.method:
            return False
        if self.status is not None and e.status not in self.status:
            return False
        if not path_matches(self.path, e.path):
            return False
        if self.query is not None and contains(self.query, e.request_query, "query"):
            return False
        if self.headers is not None and self._header_diffs(e):
            return False
        return self.body_contains is None or not contains(
            self.body_contains, e.request_body, "body"
        )

    def _header_diffs(self, e: Entry) -> list[str]:
        assert self.headers is not None
        out = []
        for name, want in self.headers.items():
            got = e.request_headers.get(name)
            if got is None:
                out.append(f"header {name}: missing")
            elif got != want:
                out.append(
                    f"header {name}: expected {mask_header(name, want)!r}, "
                    f"got {mask_header(name, got)!r}"
                )
        return out

    def differences(self, e: Entry) -> list[tuple[int, str]]:
        """(weight, text) per criterion the entry misses; weights rank the nearest entries."""
        out: list[tuple[int, str]] = []
        if self.provider is not None and e.provider not in self.provider:
            out.append((4, f"provider: expected {_one(self.provider)}, got {e.provider}"))
        if self.method is not None and e.method not in self.method:
            out.append((2, f"method: expected {_one(self.method)}, got {e.method}"))
        if not path_matches(self.path, e.path):
            want = self.path.pattern if isinstance(self.path, re.Pattern) else self.path
            out.append((3, f"path: {e.path} does not match {want}"))
        if self.status is not None and e.status not in self.status:
            out.append((1, f"status: expected {_one(self.status)}, got {e.status}"))
        if self.query is not None:
            out += [(1, d) for d in contains(self.query, e.request_query, "query")]
        if self.headers is not None:
            out += [(1, d) for d in self._header_diffs(e)]
        if self.body_contains is not None:
            out += [(1, d) for d in contains(self.body_contains, e.request_body, "body")]
        return out

    def describe(self) -> str:
        parts = []
        if self.provider is not None:
            parts.append(f"provider={_one(self.provider)}")
        if self.method is not None:
            parts.append(f"method={_one(self.method)}")
        if self.path is not None:
            parts.append(
                f"path={self.path.pattern if isinstance(self.path, re.Pattern) else self.path}"
            )
        if self.status is not None:
            parts.append(f"status={_one(self.status)}")
        if self.query is not None:
            parts.append(f"query={mask_data(self.query)!r}")
        if self.headers is not None:
            parts.append(f"headers={ {k: mask_header(k, v) for k, v in self.headers.items()}!r}")
        if self.body_contains is not None:
            parts.append(f"body_contains={mask_data(self.body_contains)!r}")
        if self.since is not None:
            parts.append(f"since={self.since}")
        return ", ".join(parts) or "any request"


def _one(values: frozenset) -> str:
    items = sorted(str(v) for v in values)
    return items[0] if len(items) == 1 else "one of " + "/".join(items)


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def contains(expected: Any, actual: Any, where: str) -> list[str]:
    """Why `actual` does not contain `expected` (empty when it does): objects by subset of
    keys, recursively; lists by each expected item matching some actual item; else equality."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {_short(mask_data(actual))}"]
        out = []
        for key, want in expected.items():
            here = f"{where}.{key}"
            if key not in actual:
                out.append(f"{here}: missing (expected {_short(mask_data(want))})")
                continue
            got = actual[key]
            if is_secret(key):
                if got != want:
                    out.append(f"{here}: expected {mask(str(want))!r}, got {mask(str(got))!r}")
                continue
            out += contains(want, got, here)
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {_short(mask_data(actual))}"]
        return [
            f"{where}: no item contains {_short(mask_data(item))} "
            f"(got {_short(mask_data(actual), 120)})"
            for item in expected
            if not any(not contains(item, have, where) for have in actual)
        ]
    if expected != actual:
        return [f"{where}: expected {_short(expected)}, got {_short(mask_data(actual))}"]
    return []


# -- the journal ----------------------------------------------------------------------------


class Journal:
    """Bounded: the oldest entries fall off once `settings.journal_size` are held (0 = off).
    Safe to read from another thread while a live server records (reads copy the deque)."""

    def __init__(self, settings: MockSettings) -> None:
        self.settings = settings
        self._entries: deque[Entry] = deque(maxlen=settings.journal_size)
        self._seq = 0
        self._lock = threading.Lock()

    # recording (called by the middleware)
    @property
    def enabled(self) -> bool:
        size = self.settings.journal_size
        if size != self._entries.maxlen:
            self.resize(size)
        return size > 0

    def resize(self, size: int) -> None:
        with self._lock:
            self._entries = deque(self._entries, maxlen=max(0, size))

    def record(self, entry: Entry) -> None:
        with self._lock:
            self._seq += 1
            entry.id = self._seq
            self._entries.append(entry)

    # reading
    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    @property
    def total(self) -> int:
        """Requests recorded since the server started, including those that fell off."""
        return self._seq

    def mark(self) -> int:
        """The newest entry's id: pass it as `since=` to look only at later requests."""
        return self._seq

    def clear(self) -> int:
        with self._lock:
            n = len(self._entries)
            self._entries.clear()
        return n

    def all(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.all())

    def find(self, **criteria: Any) -> list[Entry]:
        """Entries matching every criterion given (see `Criteria`), oldest first."""
        c = Criteria(**criteria)
        return [e for e in self.all() if c.matches(e)]

    def last(self, **criteria: Any) -> Entry | None:
        found = self.find(**criteria)
        return found[-1] if found else None

    def count(self, **criteria: Any) -> int:
        return len(self.find(**criteria))

    # assertions
    def assert_called(self, times: int | None = None, **criteria: Any) -> list[Entry]:
        """At least one matching request (exactly `times` if given); returns the matches.
        On failure the message shows the nearest requests and how each differs."""
        c = Criteria(**criteria)
        entries = self.all()
        found = [e for e in entries if c.matches(e)]
        if found and (times is None or len(found) == times):
            return found
        if not found:
            raise AssertionError(
                f"no request matched {c.describe()} among {len(entries)} journaled "
                f"request(s){self._evicted_note()}.\n{nearest(c, entries)}"
            )
        listing = "\n".join("  " + e.summary() for e in found)
        raise AssertionError(
            f"expected {times} request(s) matching {c.describe()}, found {len(found)}:\n{listing}"
        )

    def assert_not_called(self, **criteria: Any) -> None:
        c = Criteria(**criteria)
        found = [e for e in self.all() if c.matches(e)]
        if found:
            listing = "\n".join(
                f"  {e.summary()}" + (f"\n    body: {_short(e.body, 200)}" if e.raw_body else "")
                for e in found
            )
            raise AssertionError(
                f"expected no request matching {c.describe()}, found {len(found)}:\n{listing}"
            )

    def _evicted_note(self) -> str:
        dropped = self._seq - len(self._entries)
        return f" ({dropped} older request(s) no longer held)" if dropped > 0 else ""


def nearest(c: Criteria, entries: list[Entry], n: int = 3) -> str:
    if not entries:
        return "The journal is empty."
    scored = [(sum(w for w, _ in d), -e.id, e, d) for e in entries if (d := c.differences(e))]
    scored.sort(key=lambda s: (s[0], s[1]))
    lines = ["Nearest requests:"]
    for _, _, e, diffs in scored[:n]:
        lines.append("  " + e.summary())
        lines += [f"    {text}" for _, text in diffs]
    return "\n".join(lines)
