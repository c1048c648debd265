"""Running the fake for tests: a live server on a free loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import anyio.from_thread
import httpx
import uvicorn

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.state import ServerState


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class SyncASGITransport(httpx.BaseTransport):
    """Lets a plain httpx.Client call an ASGI app in-process. A bug in the fake answers as it
    does over a socket, with the provider's 500 (its traceback in the journal entry's `error`
    and the `mockserver` log); an injected dropped connection is raised (ConnectionDropped).

    Requests run on an event loop of the transport's own, in the calling thread, one at a time
    (the lock: a client shared by threads gets its answers in turn, as from one server loop).
    Handing each request to a loop in another thread cost more than the request itself; the
    delivery engine has a loop of its own, so nothing waits for this one between requests.
    From inside a running event loop (an async test calling the sync client) a loop cannot be
    run in the same thread, so those calls go to a background thread's loop instead."""

    def __init__(self, app: Any) -> None:
        self._transport = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._portal_cm: Any = None
        self._portal: Any = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> httpx.Response:
            inner = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._transport.handle_async_request(inner)
            content = await response.aread()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        if _loop_running():
            with self._lock:
                if self._portal is None:
                    self._portal_cm = anyio.from_thread.start_blocking_portal()
                    self._portal = self._portal_cm.__enter__()
            return self._portal.call(call)
        with self._lock:
            return self._loop.run_until_complete(call())

    def close(self) -> None:
        with self._lock:
            if self._portal_cm is not None:
                self._portal_cm.__exit__(None, None, None)
                self._portal_cm = self._portal = None
            if not self._loop.is_closed():
                self._loop.run_until_complete(self._loop.shutdown_asyncgens())
                self._loop.close()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def asgi_client(app: Any, base_url: str = "http://testserver", **kwargs: Any) -> httpx.Client:
    return httpx.Client(transport=SyncASGITransport(app), base_url=base_url, **kwargs)


class LiveServer:
    """`with LiveServer() as srv: httpx.get(srv.url + "/v1/...")`. The state is reachable as
    `srv.state` for in-process checks, but tests that could run against a real API use HTTP."""

    def __init__(
        self,
        fixture: dict[str, Any] | None = None,
        settings: Settings | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        state: ServerState | None = None,
    ) -> None:
        self.host = host
        # Without a port, bind one now and hand the socket to uvicorn: no window in which
        # another process (an xdist worker, say) could take the port between choice and bind.
        self._socket: socket.socket | None = None
        if port is None:
            self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._socket.bind((host, 0))
            port = self._socket.getsockname()[1]
        self.port = port
        self.state = state or ServerState(settings, fixture)
        self.app = create_app(state=self.state)
        config = uvicorn.Config(
            self.app,
            host=host,
            port=self.port,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=2,  # a dashboard's live-update stream never ends by itself
        )
        self._server = uvicorn.Server(config)
        sockets = [self._socket] if self._socket is not None else None
        self._thread = threading.Thread(
            target=self._server.run, args=(sockets,), name="mockserver", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("mockserver did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
