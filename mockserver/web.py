"""HTTP plumbing every dialect shares: fast JSON responses, bounded body reading (size and
nesting depth), JSON-or-form bodies, bracket-style query parsing (`a[b]=c`, `a[]=x`, `a[0]=x`,
`a=x,y`), and the path convertor the providers' catch-all routes use."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

MAX_BODY = 1024 * 1024  # 1 MiB: enough for any calendar write, small enough to refuse abuse
# Nesting a body may have. A calendar write is a few levels deep; anything far deeper is abuse,
# and it must be refused before it is stored: orjson renders at most 254 levels, so a stored
# value deeper than that would break every later read, dump and save.
MAX_DEPTH = 64
# Brackets a form or query key may nest (`a[b][c]`), as qs (Express) and body-parser do: past
# it, the rest of the key stays one literal segment.
MAX_KEY_DEPTH = 32

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


# Node's (and so NestJS's and most providers') reason phrases where Python's differ or lack one;
# newer Pythons renamed 413 and 422, so the table keeps answers the same on every version.
_NODE_REASONS = {
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    498: "Token Expired",
}


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase a provider's error bodies carry (`Error` for an unknown status)."""
    if status in _NODE_REASONS:
        return _NODE_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class BodyError(Exception):
    """The body could not be read: kind is 'too_large', 'too_deep', 'malformed' or
    'not_object'."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


class JSON(Response):
    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSON:
    return JSON(content, status_code=status, headers=headers)


def empty(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status_code=status, headers=headers)


# A body already read whole: by the middleware (one ASGI message) or by `prefetch_body`.
BODY_KEY = "mockserver.body"


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    whole = request.scope.get(BODY_KEY)
    if whole is not None:
        if whole is TOO_LARGE or len(whole) > limit:
            raise BodyError("too_large", f"body over {limit} bytes")
        return whole
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BodyError("too_large", f"body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError("too_large", f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class _TooLarge(bytes):
    """Marks a prefetched body that was over MAX_BODY (its rest left unread)."""


TOO_LARGE = _TooLarge()


async def prefetch_body(request: Request) -> None:
    """Read the body now, up to MAX_BODY, so that a handler reading it later does not wait (the
    guard runs handlers in one go, inside a transaction). A body that is too large is marked,
    and `read_body` raises for it where the handler would have."""
    if BODY_KEY in request.scope:
        return
    try:
        body: bytes = await read_body(request, MAX_BODY)
    except BodyError:
        body = TOO_LARGE
    request.scope[BODY_KEY] = body


def depth(data: Any) -> int:
    """How deeply lists and objects nest in decoded JSON (a scalar is 0)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def too_deep(raw: bytes, data: Any, limit: int = MAX_DEPTH) -> bool:
    # Fewer brackets than the limit cannot nest past it: the common case costs two C scans.
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    return depth(data) > limit


def decode_json(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):  # orjson's own limit (1024 levels)
            raise BodyError("too_deep", f"nested deeper than {max_depth} levels") from exc
        raise BodyError("malformed", str(exc)) from exc
    if too_deep(raw, data, max_depth):
        raise BodyError("too_deep", f"nested deeper than {max_depth} levels")
    return data


async def json_or_form(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    """A JSON object or a form-encoded body (form values stay strings); {} when empty."""
    raw = await read_body(request, limit)
    if not raw.strip():
        return {}
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError as exc:
            raise BodyError("malformed", "form body is not UTF-8") from exc
        return nest(pairs)
    data = decode_json(raw)
    if not isinstance(data, dict):
        raise BodyError("not_object", "body must be a JSON object")
    return data


def _is_index(part: str) -> bool:
    return part.isascii() and part.isdigit()  # "¹".isdigit() is True, but int("¹") fails


def nest(pairs: list[tuple[str, str]], max_depth: int = MAX_KEY_DEPTH) -> dict[str, Any]:
    """Fold `a[b][c]=v`, `a[]=v`, `a[0]=v` pairs into nested dicts and lists. Past `max_depth`
    brackets the rest of the key is one literal segment, as qs does (`a[b]...[z]` stays
    bounded however long the key)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + (_BRACKETS.findall("[" + rest) if rest else [])
        if len(parts) > max_depth + 1:
            # the segments past the limit, as written: qs keeps "[g][h]" as one key
            keep = parts[: max_depth + 1]
            tail = "".join(f"[{p}]" for p in parts[max_depth + 1 :])
            parts = [*keep, tail]
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt_is_list = not last and (parts[i + 1] == "" or _is_index(parts[i + 1]))
            if isinstance(node, list):
                if last:
                    node.append(value)
                    break
                child = [] if nxt_is_list else {}
                if (
                    _is_index(part)
                    and int(part) < len(node)
                    and isinstance(node[int(part)], type(child))
                ):
                    node = node[int(part)]
                else:
                    node.append(child)
                    node = child
                continue
            if last:
                if part in node and isinstance(node[part], list):
                    node[part].append(value)
                elif part in node and not isinstance(node[part], dict):
                    node[part] = [node[part], value]
                else:
                    node[part] = value
                break
            if part not in node or not isinstance(node[part], (dict, list)):
                node[part] = [] if nxt_is_list else {}
            node = node[part]
    return out


def query_list(request: Request, name: str) -> list[str] | None:
    """Values of an array param in any of `name[]=`, `name[0]=`, `name=` (repeated)."""
    values: list[str] = []
    found = False
    for key, value in request.query_params.multi_items():
        if (
            key == name
            or key == f"{name}[]"
            or (
                key.startswith(f"{name}[")
                and key.endswith("]")
                and key[len(name) + 1 : -1].isdigit()
            )
        ):
            found = True
            values.append(value)
    return values if found else None


def base_url(request: Request) -> str:
    """Scheme and host the client used, so links we hand out point back at this server."""
    scope = request.scope
    host = request.headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


class AnythingConvertor(Convertor[str]):
    """`{rest:anything}`: like `path`, but also across newlines (a `%0d%0a` in a URL decodes to
    CR LF, which Starlette's `path` convertor does not match), so a catch-all route really
    catches everything under its prefix."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anything", AnythingConvertor())


class AnyMethod:
    """An endpoint for every HTTP method, odd ones included (Starlette routes a plain function
    to GET and HEAD only and answers others with its own text 405): a provider's catch-all."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.__name__ = getattr(handler, "__name__", "any_method")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handler(Request(scope, receive, send))
        await response(scope, receive, send)
