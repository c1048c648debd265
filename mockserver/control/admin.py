"""The admin API's own: `/` and `GET /_mock`'s description of the server, `GET /_mock/health`,
the OpenAPI 3.1 document of everything under /_mock (`openapi.json` beside this file, with each
provider's `control_openapi`), and `unknown`, the fallback that answers any other /_mock path or
method with a JSON error (mockserver/app.py puts it after every other route)."""

from __future__ import annotations

import copy
import json
import time
from functools import lru_cache
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Match, Route

from mockserver import __version__, registry
from mockserver.web import json_response


def counts(s: Any) -> dict[str, int]:
    """The world's size: accounts, calendars, events."""
    w = s.world
    return {"accounts": len(w.accounts), "calendars": len(w.calendars), "events": len(w.events)}


def describe() -> dict[str, Any]:
    """What `/` and `GET /_mock` list: every provider, the control routes, the dashboard."""
    return {
        "service": "calendar-mockserver",
        "version": __version__,
        "dashboard": "/_mock/ui",
        "openapi": "/_mock/openapi.json",
        "health": "/_mock/health",
        "providers": {
            p.name: {
                "prefixes": list(p.prefixes),
                "paths": [f"{prefix}/*" for prefix in p.prefixes],
                "summary": p.summary,
                "control": sorted({getattr(r, "path", "") for r in p.control_routes}),
            }
            for p in registry.providers()
        },
        "control": [
            "/_mock/health",
            "/_mock/openapi.json",
            "/_mock/reset",
            "/_mock/seed",
            "/_mock/state",
            "/_mock/save",
            "/_mock/credentials",
            "/_mock/clock",
            "/_mock/settings",
            "/_mock/journal",
            "/_mock/faults",
            "/_mock/faults/budgets",
            "/_mock/owner",
            "/_mock/deliveries",
            "/_mock/changes",
        ],
    }


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


async def root(request: Request) -> Response:
    """`/`: a small index of the providers, the dashboard and the docs (HTML for a browser)."""
    info = describe()
    if not wants_html(request):
        return json_response(info)
    from mockserver.ui.pages import root_page

    return HTMLResponse(root_page(info))


async def health(request: Request) -> Response:
    s = request.app.state.server
    return json_response(
        {
            "status": "ok",
            "version": __version__,
            "providers": registry.names(),
            "world": counts(s),
            "uptime_seconds": round(time.monotonic() - s.started, 3),
        }
    )


@lru_cache(maxsize=4)
def _openapi(version: int) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    doc["info"]["version"] = __version__
    for p in registry.providers():  # each provider's own developer routes
        for path, item in p.control_openapi.items():
            doc["paths"][path] = copy.deepcopy(dict(item))
    return doc


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of everything under /_mock (control/openapi.json with each
    provider's `control_openapi`)."""
    return _openapi(registry.version())


async def openapi(request: Request) -> Response:
    return json_response(openapi_document())


async def unknown(request: Request) -> Response:
    """Anything else under /_mock: a JSON 404, or a JSON 405 naming the methods a route takes."""
    allowed: set[str] = set()
    scope = {**request.scope, "method": "\0"}  # matches no route's methods: PARTIAL or NONE
    for route in request.app.router.routes:
        if not isinstance(route, Route) or route.endpoint is unknown:
            continue
        match, _ = route.matches(scope)
        if match == Match.PARTIAL and route.methods:
            allowed |= route.methods
    path = request.url.path
    if allowed:
        allow = sorted(allowed - {"HEAD"})
        return json_response(
            {"error": "method not allowed", "method": request.method, "path": path, "allow": allow},
            405,
            headers={"Allow": ", ".join(allow)},
        )
    return json_response(
        {"error": "not found", "path": path, "detail": "GET /_mock lists the control routes"}, 404
    )


# After every other route (mockserver/app.py): unknown /_mock paths and methods answer JSON.
fallback: list[BaseRoute] = [
    Route(
        "/_mock/{rest:path}",
        unknown,
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    )
]
