"""`/_mock/*`: index, reset, seed, state, credentials, clock, settings, journal and faults (the
admin API's own routes, health, the OpenAPI document and the JSON fallback: control/admin.py);
the owner's edits (owner.py) and the outbound deliveries and change feed (deliveries.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.control import admin, deliveries, owner
from mockserver.control.common import add_rules, json_body, problem
from mockserver.core.fixtures import FixtureError
from mockserver.core.timeutil import parse_time
from mockserver.faults import budgets, switch_budgets
from mockserver.state import ServerState
from mockserver.web import BodyError, base_url, json_response

SEED_LIMIT = 256 * 1024 * 1024  # a world of a few hundred thousand events


def state(request: Request) -> ServerState:
    return request.app.state.server


async def index(request: Request) -> Response:
    return json_response(admin.describe())


# What POST /_mock/reset restores; `{"keep": [...]}` leaves some of them as they are.
RESET_PARTS = ("world", "settings", "clock", "faults", "journal")


async def reset(request: Request) -> Response:
    """Everything back as the server started (as the pytest plugin's reset does): the loaded
    world, settings, clock, fault rules and journal, less what `keep` names."""
    try:
        body = await json_body(request)
    except BodyError as exc:
        return problem(400, "invalid JSON", detail=exc.detail)
    keep = body.get("keep", []) if isinstance(body, dict) else None
    if isinstance(keep, str):
        keep = [keep]
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        return problem(400, "invalid reset", problems=['"keep" must be a list of names'])
    unknown = [k for k in keep if k not in RESET_PARTS]
    if unknown:
        return problem(
            400,
            "invalid reset",
            problems=[f"cannot keep {k!r}: choose from {', '.join(RESET_PARTS)}" for k in unknown],
        )
    s = state(request)
    s.reset(**{part: part not in keep for part in RESET_PARTS})
    restored = [p for p in RESET_PARTS if p not in keep]
    return json_response({"status": "reset", "restored": restored, "kept": keep, **counts(s)})


async def seed(request: Request) -> Response:
    try:
        # world files nest deeper than request bodies; build_state names the place past its limit
        fixture = await json_body(request, SEED_LIMIT, max_depth=1024)
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


counts = admin.counts  # the world's size, as the answers below and GET /_mock/health give it


async def dump(request: Request) -> Response:
    s = state(request)
    return json_response(s.dump())


async def save(request: Request) -> Response:
    """Write the world to the state file (`serve --state-file`), atomically."""
    s = state(request)
    if s.state_file is None:
        return problem(409, "no state file", detail="start the server with --state-file PATH")
    try:
        path = s.save()
    except Exception as exc:  # a full disk, a lost directory, or a bug: the old file stays
        return problem(500, "could not save", detail=str(exc) or type(exc).__name__)
    return json_response({"status": "saved", "path": str(path), **counts(s)})


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
        saved = dict(vars(c))  # a change that fails part-way leaves the clock as it was
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
        except (ValueError, TypeError, OverflowError) as exc:
            vars(c).update(saved)
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


# -- journal and faults (mockserver/journal.py, mockserver/faults.py) ---------------------


def _listed(request: Request, name: str) -> list[str] | None:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    return values or None


async def journal(request: Request) -> Response:
    j = state(request).journal
    if request.method == "DELETE":
        return json_response({"cleared": j.clear()})
    q = request.query_params
    try:
        statuses = _listed(request, "status")
        criteria: dict[str, Any] = {
            "provider": _listed(request, "provider"),
            "method": _listed(request, "method"),
            "path": q.get("path"),
            "status": [int(s) for s in statuses] if statuses else None,
            "since": int(q["since"]) if "since" in q else None,
        }
        limit = int(q["limit"]) if "limit" in q else None
    except ValueError as exc:
        return problem(400, "invalid journal filter", detail=str(exc))
    entries = j.find(**criteria)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return json_response(
        {
            "entries": [e.to_dict() for e in entries],
            "count": len(entries),
            "total": j.total,
            "size": j.size,
        }
    )


async def faults(request: Request) -> Response:
    f = state(request).faults
    if request.method == "DELETE":
        return json_response({"cleared": f.clear()})
    if request.method == "POST":
        try:
            body = await json_body(request)
        except BodyError as exc:
            return problem(400, "invalid JSON", detail=exc.detail)
        done = add_rules(body, f, "faults", "fault")
        if isinstance(done, Response):
            return done
        many, added = done
        if many:
            return json_response({"faults": [r.to_dict() for r in added]}, 201)
        return json_response(added[0].to_dict(), 201)
    return json_response({"faults": f.to_list()})


async def fault(request: Request) -> Response:
    f = state(request).faults
    fault_id = request.path_params["fault_id"]
    rule = f.get(fault_id)
    if rule is None:
        return problem(404, "unknown fault", id=fault_id)
    if request.method == "DELETE":
        f.remove(fault_id)
        return json_response({"deleted": fault_id})
    return json_response(rule.to_dict())


async def rate_budgets(request: Request) -> Response:
    s = state(request)
    if request.method == "PATCH":
        try:
            body = await json_body(request)
        except BodyError as exc:
            return problem(400, "invalid JSON", detail=exc.detail)
        if not isinstance(body, dict):
            return problem(400, "body must be an object")
        problems = switch_budgets(s.settings, body)
        if problems:
            return problem(400, "invalid budgets", problems=problems)
        for provider in body:  # a budget switched on or off starts with fresh windows
            limiter = getattr(s.backends.get(provider), "limiter", None)
            if limiter is not None:
                limiter.clear()
    return json_response(budgets(s.settings))


routes = [
    Route("/", admin.root, methods=["GET"]),
    Route("/_mock", index, methods=["GET"]),
    Route("/_mock/", index, methods=["GET"]),
    Route("/_mock/health", admin.health, methods=["GET"]),
    Route("/_mock/openapi.json", admin.openapi, methods=["GET"]),
    Route("/_mock/reset", reset, methods=["POST"]),
    Route("/_mock/seed", seed, methods=["POST"]),
    Route("/_mock/state", dump, methods=["GET"]),
    Route("/_mock/save", save, methods=["POST"]),
    Route("/_mock/credentials", credentials, methods=["GET"]),
    Route("/_mock/clock", clock, methods=["GET", "POST"]),
    Route("/_mock/settings", settings, methods=["GET", "PATCH"]),
    Route("/_mock/journal", journal, methods=["GET", "DELETE"]),
    Route("/_mock/faults", faults, methods=["GET", "POST", "DELETE"]),
    Route("/_mock/faults/budgets", rate_budgets, methods=["GET", "PATCH"]),
    Route("/_mock/faults/{fault_id}", fault, methods=["GET", "DELETE"]),
    *owner.routes,
    *deliveries.routes,
]
