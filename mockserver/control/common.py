"""What the control-plane handlers share: the JSON error body, the JSON request body, and adding
one rule or many from a POST (faults in routes.py, delivery rules in deliveries.py)."""

from __future__ import annotations

from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from mockserver.faults import FaultError
from mockserver.web import MAX_BODY, MAX_DEPTH, decode_json, json_response, read_body


def problem(status: int, error: str, **extra: Any) -> Response:
    return json_response({"error": error, **extra}, status)


async def json_body(request: Request, limit: int = MAX_BODY, max_depth: int = MAX_DEPTH) -> Any:
    """The request's JSON body, `{}` when it is empty (raises web.BodyError)."""
    raw = await read_body(request, limit)
    return decode_json(raw, max_depth) if raw.strip() else {}


class RuleBook(Protocol):
    def add_all(self, specs: list[Any]) -> list[Any]: ...


def add_rules(body: Any, book: RuleBook, key: str, label: str) -> tuple[bool, list[Any]] | Response:
    """Add what a POST body names (one rule object, a list of them, or `{key: [...]}`), all or
    none. Returns (whether several were given, the rules added), or the 400 that names every
    problem (by index when several were given)."""
    many = isinstance(body, list) or (isinstance(body, dict) and key in body)
    specs = body if isinstance(body, list) else body.get(key) if many else [body]
    if not isinstance(specs, list):
        return problem(400, f"invalid {label}", problems=[f"{key} must be a list"])
    try:
        added = book.add_all(specs)
    except FaultError as exc:
        problems = exc.problems if many else [p.partition(": ")[2] for p in exc.problems]
        return problem(400, f"invalid {label}", problems=problems)
    return many, added
