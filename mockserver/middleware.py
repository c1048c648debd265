"""The one ASGI middleware in front of every provider path: it names the provider from the path
(by the registry's prefixes, `mockserver.registry.classify`), applies the default latency and
any fault rule (mockserver/faults.py), and records the request and its answer in the journal
(mockserver/journal.py). `/_mock/*` passes straight through: the control plane is never
journaled, delayed or faulted.

It is pure ASGI and wraps the whole Starlette stack (see `mockserver.app.MockApp`), so it sees
the 500 the error handler sends, and `send` is the server's own, which lets a dropped connection
close the real socket.

A dropped connection (`drop`): under uvicorn the socket is aborted before any answer, so the
client sees a connection error (httpx: `RemoteProtocolError: Server disconnected without sending
a response`). In-process (httpx's ASGI transport, `mockserver.testing.asgi_client`) there is no
socket; `ConnectionDropped` is raised instead, a subclass of httpx.RemoteProtocolError, so
`pytest.raises(httpx.TransportError)` holds on both.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
import traceback
from datetime import datetime
from typing import Any

import anyio
import httpx
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver import registry
from mockserver.journal import Entry
from mockserver.registry import CONTROL, classify
from mockserver.web import BODY_KEY, MAX_BODY, empty

PROVIDER_KEY = "mockserver.provider"  # where the router finds the provider (mockserver.app)

_rng = random.Random()
log = logging.getLogger("mockserver")


def crash_response(path: str, query: str, now: datetime | None) -> Response:
    """The 500 of the provider whose path this is (registry.Provider.crash_body, else its
    error_body(500)); an empty 500 elsewhere."""
    provider = registry.get(registry.classify(path))
    if provider is None:
        return empty(500)
    if provider.crash_body is not None:
        return provider.crash_body(path=path, query=query, now=now)
    return provider.error_body(500, path=path, query=query, message=None, now=now)


class ConnectionDropped(httpx.RemoteProtocolError):
    """An injected dropped connection, raised where there is no socket to close."""


class MockMiddleware:
    def __init__(self, app: ASGIApp, owner: Any) -> None:
        self.app = app
        self.owner = owner  # the Starlette app; its state.server is read per request
        # State.__getattr__ costs a failed attribute lookup (~1 us); its dict is a plain read
        self._state: dict[str, Any] | None = getattr(owner.state, "_state", None)

    def server(self) -> Any:
        if self._state is not None and "server" in self._state:
            return self._state["server"]
        return self.owner.state.server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        provider = classify(path)
        scope[PROVIDER_KEY] = provider
        if provider == CONTROL:
            await self._guarded(scope, receive, send, None)
            return
        server = self.server()
        mock = server.settings.mock
        journal = server.journal
        record = journal.enabled
        delay = mock.latency
        if mock.latency_max > delay:
            delay = _rng.uniform(delay, mock.latency_max)
        rule = None
        if server.faults.rules:
            extra, rule = server.faults.pick(provider, scope["method"], path)
            delay += extra
        if not record and rule is None:
            if delay > 0:
                await anyio.sleep(delay)
            await self._guarded(scope, receive, send, None)
            return

        started = time.perf_counter()
        entry: Entry | None = None
        out: list[bytes] = []
        raw_send = send
        if record:
            entry = Entry(
                time.time(),
                provider,
                scope["method"],
                path,
                scope.get("query_string", b""),
                scope.get("headers", []),
            )
            receive = await _buffer(receive, entry, mock.journal_body_limit, scope)
            send = _capture(send, entry, out, mock.journal_response_limit)
        try:
            if delay > 0:
                await anyio.sleep(delay)
            if rule is None:
                await self._guarded(scope, receive, send, entry)
                return
            if rule.after:  # the world changes; the answer is lost
                await self._guarded(scope, receive, _discard, entry)
            if entry is not None:
                entry.fault = rule.id
            if rule.drop:
                if entry is not None:
                    entry.dropped = True
                await _drop(raw_send)
                return
            query = scope.get("query_string", b"").decode("latin-1")
            response = rule.response(provider, path, query, server.clock.now())
            await response(scope, receive, send)
        finally:
            if entry is not None:
                if out:
                    # a copy of at most the limit, so the server's buffer is freed at once
                    body = out[0] if len(out) == 1 else b"".join(out)
                    limit = mock.journal_response_limit
                    if len(body) > limit:
                        body, entry.response_truncated = body[:limit], True
                    entry.raw_response = body
                entry.duration = time.perf_counter() - started
                journal.record(entry)

    async def _guarded(
        self, scope: Scope, receive: Receive, send: Send, entry: Entry | None
    ) -> None:
        """Run the app; an exception that escapes it is a bug in the fake. Starlette's error
        middleware has answered it already (app.server_error: the provider's 500) and re-raises
        it; swallowing it here keeps the client's connection open (uvicorn closes it on an
        exception), and the traceback goes to the journal entry and the log."""
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            trace = "".join(traceback.format_exception(exc))
            log.error("mockserver: %s %s failed\n%s", scope["method"], scope["path"], trace)
            if entry is None:
                return
            entry.error = trace
            if entry.status is None:  # nothing was answered (the error middleware failed too)
                query = scope.get("query_string", b"").decode("latin-1")
                response = crash_response(scope["path"], query, None)
                with contextlib.suppress(Exception):
                    await response(scope, receive, send)


async def _buffer(receive: Receive, entry: Entry, limit: int, scope: Scope) -> Receive:
    """Read the request body up front (the app may answer without reading it, and the journal
    still wants it), then replay it to the app. Past MAX_BODY the rest streams through unread.
    A body that came whole is also left in the scope for `web.read_body`."""
    first = await receive()
    if first["type"] == "http.request" and not first.get("more_body", False):
        body = first.get("body", b"")  # the whole body in one message: GETs, most writes
        scope[BODY_KEY] = body
        if len(body) > limit:
            entry.raw_body, entry.body_truncated = body[:limit], True
        else:
            entry.raw_body = body
        replayed = False

        async def replay_first() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return first

        return replay_first
    chunks: list[bytes] = []
    size, more = 0, True
    pending: Message | None = None
    if first["type"] != "http.request":
        pending = first
    else:
        chunk = first.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size = len(chunk)
    while pending is None and more and size <= MAX_BODY:
        message = await receive()
        if message["type"] != "http.request":
            pending = message
            break
        chunk = message.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
        more = message.get("more_body", False)
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(body) > limit:
        entry.raw_body, entry.body_truncated = body[:limit], True
    else:
        entry.raw_body = body
    queue: list[Message] = [
        {"type": "http.request", "body": body, "more_body": more or pending is not None}
    ]
    if pending is not None:
        queue.append(pending)

    async def replay() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replay


def _capture(send: Send, entry: Entry, out: list[bytes], limit: int) -> Send:
    held = 0

    async def capture(message: Message) -> None:
        nonlocal held
        kind = message["type"]
        if kind == "http.response.start":
            entry.status = message["status"]
            entry.raw_response_headers = message.get("headers", ())
        elif kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and held <= limit:
                out.append(chunk)
                held += len(chunk)
        await send(message)

    return capture


async def _discard(message: Message) -> None:
    return None


async def _drop(send: Send) -> None:
    """Close the client's connection without an answer. Uvicorn's `send` is a bound method of
    its per-request cycle, which holds the transport."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("mockserver: injected fault dropped the connection")
    transport.abort()
    for _ in range(10):  # let connection_lost mark the cycle disconnected, so uvicorn stays quiet
        if getattr(cycle, "disconnected", True):
            break
        await anyio.sleep(0)
