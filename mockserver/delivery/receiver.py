"""A webhook receiver for tests: it collects the requests the fake delivers and answers them as
told (200 by default). In-process it is an httpx transport mounted on a delivery engine (no
socket); live it is a small HTTP server on a free loopback port. `wait_for` blocks until a
matching request has arrived, with a timeout that says what it waited for."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import orjson


@dataclass
class Received:
    method: str
    url: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    at: float = field(default_factory=time.time)
    answered: int = 200
    # filled by whoever knows (the pytest fixture, from the fake's delivery log)
    provider: str | None = None
    kind: str | None = None
    delivery: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return orjson.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Answer:
    status: int
    path: str | None  # a path prefix, or any path
    times: int | None  # None: every matching request from now on
    delay: float  # seconds before answering (a slow receiver)
    body: bytes
    headers: dict[str, str]


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._answers: list[Answer] = []
        self._cond = threading.Condition()
        self.url = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- what it answers -----------------------------------------------------------------

    def respond(
        self,
        status: int = 200,
        *,
        path: str | None = None,
        times: int | None = None,
        delay: float = 0.0,
        body: str | bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `times` requests (to paths starting with `path`) with `status`
        after `delay` seconds; the newest matching instruction wins, then the default 200."""
        raw = body.encode() if isinstance(body, str) else body
        with self._cond:
            self._answers.insert(0, Answer(status, path, times, delay, raw, dict(headers or {})))

    def _answer(self, path: str) -> Answer | None:
        with self._cond:
            for a in self._answers:
                if a.path is None or path.startswith(a.path):
                    if a.times is not None:
                        a.times -= 1
                        if a.times <= 0:
                            self._answers.remove(a)
                    return a
        return None

    def _keep(self, got: Received) -> None:
        with self._cond:
            self.received.append(got)
            self._cond.notify_all()

    # -- what it got ---------------------------------------------------------------------

    def clear(self) -> None:
        with self._cond:
            self.received.clear()
            self._answers.clear()

    def matching(self, predicate: Callable[[Received], bool] | None = None, **match: Any) -> list:
        """Requests so far that pass `predicate` and whose attributes equal `match` (`path=`,
        `provider=`, `kind=`...)."""
        with self._cond:
            got = list(self.received)
        return [
            r
            for r in got
            if (predicate is None or predicate(r))
            and all(getattr(r, k) == v for k, v in match.items())
        ]

    def wait_for(
        self,
        predicate: Callable[[Received], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
        **match: Any,
    ) -> list[Received]:
        """Block until `count` matching requests have arrived; returns them (oldest first).
        Raises AssertionError naming what was awaited and what did arrive."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self.matching(predicate, **match)
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.1))
        wanted = ", ".join(f"{k}={v!r}" for k, v in match.items()) or "any request"
        seen = "; ".join(
            f"{r.method} {r.path} provider={r.provider} kind={r.kind}" for r in self.received[-5:]
        )
        raise AssertionError(
            f"waited {timeout:g} s for {count} delivery(ies) matching {wanted}"
            f"{' and the predicate' if predicate else ''}; got {len(found)}. "
            f"Last received: {seen or 'nothing'}"
        )

    # -- in-process ----------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        return _Transport(self)

    # -- live ----------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1") -> Receiver:
        """Listen on a free port of `host` (loopback) in a background thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out as two writes: without this, Nagle's algorithm and the
            # sender's delayed ACK stall every answer for tens of milliseconds
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path
                got = Received(
                    self.command,
                    receiver.url + path,
                    urlsplit(path).path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                answer = receiver._answer(got.path)
                if answer is not None and answer.delay:
                    time.sleep(answer.delay)
                got.answered = answer.status if answer else 200
                receiver._keep(got)
                payload = answer.body if answer else b""
                self.send_response(got.answered)
                for name, value in (answer.headers if answer else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _any  # noqa: N815

        self._server = _QuietServer((host, 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="mockserver-receiver", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a sender that gave up (a timeout under test) is not an error of the receiver


class _Transport(httpx.AsyncBaseTransport):
    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        got = Received(
            request.method,
            str(request.url),
            request.url.path,
            {k.lower(): v for k, v in request.headers.items()},
            body,
        )
        answer = self.receiver._answer(got.path)
        if answer is not None and answer.delay:
            await anyio.sleep(answer.delay)
        got.answered = answer.status if answer else 200
        self.receiver._keep(got)
        return httpx.Response(
            got.answered,
            content=answer.body if answer else b"",
            headers=answer.headers if answer else None,
            request=request,
        )


class WebhookReceiver(Receiver):
    """A receiver that knows the fake it listens to (`state`, a ServerState): each request it
    gets is matched to the delivery the fake recorded (so it has a `provider`, `kind` and
    `delivery` id) and its signature is checked by that provider's notifier, with the secret
    the provider would use (`verify`). What the pytest fixture `webhook_receiver` hands out."""

    def __init__(self, state: Any) -> None:
        super().__init__()
        self.state = state

    def url_for(self, name: str = "hook") -> str:
        """A URL of this receiver (`/name`): give one to each subscription you make."""
        return f"{self.url}/{name.lstrip('/')}"

    def _identify(self, got: Received) -> Received:
        if got.provider is None:
            for d in reversed(self.state.deliveries.find(target=got.url)):
                if d.target == got.url and d.out.body == got.body:
                    got.provider, got.kind, got.delivery = d.provider, d.out.kind, d.id
                    break
        return got

    def verify(self, got: Received) -> bool:
        """Whether the request carries a valid signature of the provider that sent it."""
        from mockserver import registry

        self._identify(got)
        names = [got.provider] if got.provider else registry.names()
        for name in names:
            p = registry.get(name)
            be = self.state.backends.get(name)
            if p is None or p.notifications is None or be is None:
                continue
            verdict = p.notifications.verify(be, got.headers, got.body, got.url)
            if verdict is not None:
                return verdict
        return False

    def wait_for(  # type: ignore[override]
        self,
        predicate: Callable[[Received], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
        verify: bool = True,
        **match: Any,
    ) -> list[Received]:
        """Block until `count` requests matching `predicate` and `match` (`provider=`,
        `kind=`, `path=`...) arrived; each is checked to carry a valid signature unless
        `verify=False` (AssertionError otherwise)."""

        def wanted(got: Received) -> bool:
            self._identify(got)
            return predicate is None or predicate(got)

        found = super().wait_for(wanted, count=count, timeout=timeout, **match)
        if verify:
            for got in found:
                assert self.verify(got), (
                    f"{got.method} {got.path} from {got.provider or 'an unknown sender'} "
                    "does not carry a valid signature"
                )
        return found

    def matching(self, predicate: Callable[[Received], bool] | None = None, **match: Any) -> list:
        with self._cond:
            got = list(self.received)
        for r in got:
            self._identify(r)
        return super().matching(predicate, **match)
