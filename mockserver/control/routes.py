"""`/_mock/*`: reset, seed, state, credentials, clock and settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.dump import dump_world
from mockserver.core.fixtures import FixtureError
from mockserver.core.timeutil import parse_time
from mockserver.state import ServerState
from mockserver.web import BodyError, base_url, decode_json, json_response, read_body

SEED_LIMIT = 256 * 1024 * 1024  # a world of a few hundred thousand events


def state(request: Request) -> ServerState:
    return request.app.state.server


def problem(status: int, error: str, **extra: Any) -> Response:
    return json_response({"error": error, **extra}, status)


async def json_body(request: Request, limit: int = 1024 * 1024) -> Any:
    raw = await read_body(request, limit)
    return decode_json(raw) if raw.strip() else {}


async def index(request: Request) -> Response:
    return json_response(
        {
            "service": "calendar-mockserver",
            "providers": {"cronofy": ["/oauth/*", "/v1/*"]},
            "control": [
                "/_mock/reset",
                "/_mock/seed",
                "/_mock/state",
                "/_mock/credentials",
                "/_mock/clock",
                "/_mock/settings",
            ],
        }
    )


async def reset(request: Request) -> Response:
    state(request).reset()
    return json_response({"status": "reset", **counts(state(request))})


async def seed(request: Request) -> Response:
    try:
        fixture = await json_body(request, SEED_LIMIT)
    except BodyError as exc:
        return problem(413 if exc.kind == "too_large" else 400, "invalid JSON", detail=exc.detail)
    if not isinstance(fixture, dict):
        return problem(
            400, "invalid fixture", problems=[{"place": "$", "message": "must be an object"}]
        )
    try:
        state(request).load(fixture)
    except FixtureError as exc:
        return problem(
            400, "invalid fixture", problems=[{"place": p, "message": m} for p, m in exc.problems]
        )
    return json_response({"status": "seeded", **counts(state(request))})


def counts(s: ServerState) -> dict[str, int]:
    w = s.world
    return {"accounts": len(w.accounts), "calendars": len(w.calendars), "events": len(w.events)}


async def dump(request: Request) -> Response:
    s = state(request)
    return json_response(dump_world(s.world, cronofy=s.cronofy.oauth.dump()))


async def credentials(request: Request) -> Response:
    return json_response(state(request).credentials(base_url(request)))


async def clock(request: Request) -> Response:
    c = state(request).clock
    if request.method == "POST":
        try:
            body = await json_body(request)
        except BodyError as exc:
            return problem(400, "invalid JSON", detail=exc.detail)
        if not isinstance(body, dict):
            return problem(400, "body must be an object")
        try:
            if body.get("reset"):
                c.reset()
            if "set" in body:
                c.set(parse_time(body["set"]).aware())
            if "advance" in body:
                c.advance(timedelta(seconds=float(body["advance"])))
            if body.get("freeze"):
                c.freeze()
            if body.get("unfreeze"):
                c.unfreeze()
        except (ValueError, TypeError) as exc:
            return problem(400, "invalid clock change", detail=str(exc))
    return json_response(c.describe())


async def settings(request: Request) -> Response:
    s = state(request).settings
    if request.method == "PATCH":
        try:
            body = await json_body(request)
        except BodyError as exc:
            return problem(400, "invalid JSON", detail=exc.detail)
        if not isinstance(body, dict):
            return problem(400, "body must be an object")
        problems = s.update(body)
        if problems:
            return problem(400, "invalid settings", problems=problems)
    return json_response(s.to_dict())


routes = [
    Route("/_mock", index, methods=["GET"]),
    Route("/_mock/reset", reset, methods=["POST"]),
    Route("/_mock/seed", seed, methods=["POST"]),
    Route("/_mock/state", dump, methods=["GET"]),
    Route("/_mock/credentials", credentials, methods=["GET"]),
    Route("/_mock/clock", clock, methods=["GET", "POST"]),
    Route("/_mock/settings", settings, methods=["GET", "PATCH"]),
]
