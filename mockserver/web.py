"""HTTP plumbing every dialect shares: fast JSON responses, bounded body reading, JSON-or-form
bodies, and bracket-style query parsing (`a[b]=c`, `a[]=x`, `a[0]=x`, `a=x,y`)."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import Response

MAX_BODY = 1024 * 1024  # 1 MiB: enough for any calendar write, small enough to refuse abuse

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
    """The body could not be read: kind is 'too_large', 'malformed' or 'not_object'."""

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


BODY_KEY = "mockserver.body"  # a body the middleware already read whole (one ASGI message)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    whole = request.scope.get(BODY_KEY)
    if whole is not None:
        if len(whole) > limit:
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


def decode_json(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BodyError("malformed", str(exc)) from exc


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


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Fold `a[b][c]=v`, `a[]=v`, `a[0]=v` pairs into nested dicts and lists."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + (_BRACKETS.findall("[" + rest) if rest else [])
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
