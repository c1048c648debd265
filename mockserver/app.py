"""The ASGI application: every registered provider at its real paths on one port, plus
`/_mock`."""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver import registry
from mockserver.control import admin
from mockserver.control import routes as control
from mockserver.middleware import PROVIDER_KEY, MockMiddleware, crash_response
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.ui import routes as dashboard
from mockserver.web import empty, json_response

log = logging.getLogger("mockserver")


async def not_found(request: Request, exc: Exception) -> Response:
    return empty(404)


async def server_error(request: Request, exc: Exception) -> Response:
    """The last resort: an exception no handler caught is a bug in the fake. The request's
    writes are already undone (mockserver/guard.py); answer in the provider's own 500 dialect
    (the middleware keeps the connection and journals the traceback); under /_mock, as every
    control-plane error, a JSON body."""
    try:
        path = request.scope.get("path", "")
        if path.startswith("/_mock"):
            return json_response({"error": "internal error", "detail": repr(exc)}, 500)
        server = getattr(request.app.state, "server", None)
        now = server.clock.now() if server is not None else None
        query = request.scope.get("query_string", b"").decode("latin-1")
        return crash_response(path, query, now)
    except Exception:  # the answer itself failed: still answer
        log.exception("mockserver: could not render the crash answer")
        return empty(500)


class ProviderRoutes(BaseRoute):
    """One provider's routes behind one check of its path prefixes, so a request is matched
    against its own provider's routes only (not every provider's, in turn)."""

    def __init__(self, provider: registry.Provider) -> None:
        self.name = provider.name
        self.routes = list(provider.routes)
        self.router = Router(routes=self.routes)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        name = scope.get(PROVIDER_KEY) or registry.classify(scope["path"])
        if name == self.name:
            return Match.FULL, {}
        if name == registry.OTHER:  # a path outside every prefix (`//unified/...`): rare
            for route in self.routes:
                if route.matches(scope)[0] != Match.NONE:
                    return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.router(scope, receive, send)

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        return self.router.url_path_for(name, **params)


class MockApp(Starlette):
    """Starlette with the journal / fault / latency middleware around its whole stack (outside
    the error handler, so it sees every answer and the server's own `send`)."""

    def build_middleware_stack(self) -> ASGIApp:
        return MockMiddleware(super().build_middleware_stack(), self)


def create_app(
    settings: Settings | None = None,
    fixture: dict[str, Any] | None = None,
    state: ServerState | None = None,
) -> Starlette:
    server = state or ServerState(settings, fixture)
    routes: list[BaseRoute] = [ProviderRoutes(p) for p in registry.providers()]
    for provider in registry.providers():
        routes += provider.control_routes
    routes += control.routes
    routes += dashboard.routes
    routes += admin.fallback  # last: every other /_mock path and method answers JSON
    app = MockApp(routes=routes, exception_handlers={404: not_found, 500: server_error})
    app.state.server = server
    return app
