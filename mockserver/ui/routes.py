"""The dashboard's routes under `/_mock/ui` (mockserver/app.py adds them before the /_mock
fallback). Pages are server-rendered; `stream` is the live-update event stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from importlib import resources
from typing import Any

import anyio
import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from mockserver import __version__, registry
from mockserver.core.timeutil import today
from mockserver.state import ServerState
from mockserver.ui import views
from mockserver.ui.pages import render
from mockserver.web import json_response

DELIVERIES = "/_mock/deliveries"  # the change-notification delivery log, when the server has one
STATIC = {"ui.js": "text/javascript; charset=utf-8", "ui.css": "text/css; charset=utf-8"}
# The live-update stream: how often it looks for changes, how long one connection lasts (the
# browser reconnects by itself), and how often an idle stream sends a comment to stay open.
POLL_SECONDS = 0.25
STREAM_SECONDS = 30.0
PING_SECONDS = 10.0


def state(request: Request) -> ServerState:
    return request.app.state.server


def has_deliveries(request: Request) -> bool:
    """Whether this server has a delivery log (another part of the fake adds the route)."""
    return any(getattr(r, "path", None) == DELIVERIES for r in request.app.router.routes)


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    s = state(request)
    html = render(
        template,
        nav=template.partition(".")[0],
        deliveries=has_deliveries(request),
        providers=registry.names(),
        version=__version__,
        clock=s.clock.describe(),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def missing(request: Request, what: str, status: int = 404) -> Response:
    """A page for a browser; for anything else the control plane's JSON error."""
    if "text/html" not in request.headers.get("accept", ""):
        error = "not found" if status == 404 else "bad request"
        return json_response({"error": error, "path": request.url.path, "detail": what}, status)
    return page(request, "missing.html", status=status, what=what)


async def index(request: Request) -> Response:
    s = state(request)
    return page(request, "index.html", accounts=views.tree(s), counts=_counts(s))


def _counts(s: ServerState) -> dict[str, int]:
    w = s.world
    return {"accounts": len(w.accounts), "calendars": len(w.calendars), "events": len(w.events)}


async def calendar(request: Request) -> Response:
    s = state(request)
    cal = s.world.calendars.get(request.path_params["calendar_id"])
    if cal is None:
        return missing(request, f"calendar {request.path_params['calendar_id']!r}")
    context = views.calendar_context(s, cal)
    tzid = context["account"].default_tzid
    around = today(s.clock.now(), tzid)
    asked = request.query_params.get("week")
    if asked:
        try:
            around = date.fromisoformat(asked)
        except ValueError:
            return missing(request, f"week {asked!r} (YYYY-MM-DD)", 400)
    grid = views.week(s, cal, tzid, around)
    return page(request, "calendar.html", tzid=tzid, week=grid, hours=range(24), **context)


async def event(request: Request) -> Response:
    s = state(request)
    uid = request.path_params["event_uid"]
    ev = s.world.events.get(uid)
    if ev is None:
        return missing(request, f"event {uid!r}")
    cal = s.world.calendars[ev.calendar_id]
    return page(
        request,
        "event.html",
        event=ev,
        core=views.core_fields(ev),
        renderings=views.renderings(s, ev),
        **views.calendar_context(s, cal),
    )


async def journal(request: Request) -> Response:
    s = state(request)
    filters = {k: request.query_params.get(k, "") for k in views.JOURNAL_FILTERS}
    try:
        rows = views.journal_rows(s, filters)
    except ValueError as exc:  # a path template that does not parse
        rows, error = [], str(exc)
    else:
        error = ""
    return page(
        request,
        "journal.html",
        rows=rows,
        filters=filters,
        error=error,
        total=s.journal.total,
        size=s.journal.size,
    )


async def entry(request: Request) -> Response:
    s = state(request)
    wanted = request.path_params["entry_id"]
    found = next((e for e in s.journal.all() if str(e.id) == wanted), None)
    if found is None:
        return missing(request, f"journal entry {wanted!r} (it may have been dropped)")
    return page(request, "entry.html", entry=found.to_dict())


async def controls(request: Request) -> Response:
    s = state(request)
    from mockserver.faults import budgets

    return page(
        request,
        "controls.html",
        faults=[r.to_dict() for r in s.faults.rules],
        budgets=budgets(s.settings),
        latency={"latency": s.settings.mock.latency, "latency_max": s.settings.mock.latency_max},
    )


async def deliveries(request: Request) -> Response:
    return page(request, "deliveries.html", available=has_deliveries(request), url=DELIVERIES)


async def stream(request: Request) -> Response:
    """Server-sent events: `change` (with the world's counts) whenever what the pages show
    moves; the page then reloads its content."""
    s = state(request)

    async def events() -> AsyncIterator[bytes]:
        yield b"retry: 1000\n\n"
        last = views.signature(s)
        started = idle = anyio.current_time()
        while anyio.current_time() - started < STREAM_SECONDS:
            await anyio.sleep(POLL_SECONDS)
            now = views.signature(s)
            if now != last:
                last, idle = now, anyio.current_time()
                data = orjson.dumps({**_counts(s), "journal": s.journal.total})
                yield b"event: change\ndata: " + data + b"\n\n"
            elif anyio.current_time() - idle > PING_SECONDS:
                idle = anyio.current_time()
                yield b": ping\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return json_response({"error": "not found", "path": request.url.path}, 404)
    body = resources.files(__package__).joinpath("static", name).read_bytes()
    return Response(body, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


routes: list[BaseRoute] = [
    Route("/_mock/ui", index, methods=["GET"]),
    Route("/_mock/ui/calendars/{calendar_id}", calendar, methods=["GET"]),
    Route("/_mock/ui/events/{event_uid}", event, methods=["GET"]),
    Route("/_mock/ui/journal", journal, methods=["GET"]),
    Route("/_mock/ui/journal/{entry_id}", entry, methods=["GET"]),
    Route("/_mock/ui/controls", controls, methods=["GET"]),
    Route("/_mock/ui/deliveries", deliveries, methods=["GET"]),
    Route("/_mock/ui/stream", stream, methods=["GET"]),
    Route("/_mock/ui/static/{name}", static, methods=["GET"]),
]
