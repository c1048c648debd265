"""`mockserver record`: a reverse proxy that forwards every request to the real API and writes
each exchange to a cassette.

The client talks to the proxy as it would to the API (only its base URL changes); the proxy
sends the request on unchanged (hop-by-hop headers aside), answers with the API's answer, and
records both with secrets masked (mockserver.journal's masking: `Bearer ***0001`) and the ids of
the answer noted. Absolute URLs in the answer that point at the API (paging links, redirects)
are rewritten to point at the proxy, so a client that follows them stays recorded; the cassette
keeps them as the API sent them.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.recording.cassette import (
    HOP_BY_HOP,
    Cassette,
    body_of,
    masked_body,
    masked_headers,
    masked_query,
)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def noted_ids(data: Any, id_keys: frozenset[str], at: str = "$") -> list[dict[str, Any]]:
    """Where the answer carries ids: [{"at": "$.calendars[0].calendar_id", "value": ...}]."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{at}.{key}"
            if key in id_keys and isinstance(value, str | int) and not isinstance(value, bool):
                found.append({"at": here, "value": value})
            else:
                found += noted_ids(value, id_keys, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += noted_ids(value, id_keys, f"{at}[{i}]")
    return found


class Recorder:
    """The proxy's state: the upstream client, the cassette and where it is saved."""

    def __init__(
        self,
        provider: str,
        upstream: str,
        cassette_path: Path,
        *,
        id_keys: frozenset[str] = frozenset(),
        append: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        log: Any = None,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.path = Path(cassette_path)
        self.id_keys = id_keys
        self.log = log
        if append and self.path.exists():
            self.cassette = Cassette.load(self.path)
        else:
            self.cassette = Cassette(provider, self.upstream, recorded_at=_stamp())
        self.client = httpx.AsyncClient(
            base_url=self.upstream, timeout=120, follow_redirects=False, transport=transport
        )
        self.lock = asyncio.Lock()
        self.cassette.save(self.path)

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        # the path as the client encoded it (scope["path"] is decoded), the query as sent
        path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        target = path + (f"?{request.url.query}" if request.url.query else "")
        started = time.perf_counter()
        try:
            answer = await self.client.request(
                request.method, target, headers=headers, content=raw or None
            )
        except httpx.HTTPError as exc:
            self._say(f"{request.method} {target}: upstream did not answer: {exc!r}")
            return Response(
                f'{{"error": "the recording proxy could not reach {self.upstream}"}}',
                status_code=502,
                media_type="application/json",
            )
        elapsed = (time.perf_counter() - started) * 1000
        await self._record(request, raw, answer, elapsed)
        own = str(request.base_url).rstrip("/")
        content = answer.content
        if self.upstream.encode() in content:
            content = content.replace(self.upstream.encode(), own.encode())
        out_headers = {
            k: v.replace(self.upstream, own) if k.lower() == "location" else v
            for k, v in answer.headers.multi_items()
            if k.lower() not in HOP_BY_HOP
        }
        return Response(content, status_code=answer.status_code, headers=out_headers)

    async def _record(
        self, request: Request, raw: bytes, answer: httpx.Response, elapsed: float
    ) -> None:
        req_kind, req_body = body_of(raw, request.headers.get("content-type", ""))
        res_kind, res_body = body_of(answer.content, answer.headers.get("content-type", ""))
        exchange = {
            "time": _stamp(),
            "duration_ms": round(elapsed, 1),
            "request": {
                "method": request.method,
                "path": request.url.path,
                "query": masked_query(request.url.query),
                "headers": masked_headers(list(request.headers.items())),
                "body_kind": req_kind,
                "body": masked_body(req_kind, req_body),
            },
            "response": {
                "status": answer.status_code,
                "headers": masked_headers(list(answer.headers.multi_items())),
                "body_kind": res_kind,
                "body": masked_body(res_kind, res_body),
            },
            "ids": noted_ids(res_body, self.id_keys) if res_kind == "json" else [],
        }
        async with self.lock:
            exchange = {"n": len(self.cassette.exchanges) + 1, **exchange}
            self.cassette.exchanges.append(exchange)
            self.cassette.save(self.path)
        self._say(f"#{exchange['n']} {request.method} {request.url.path} -> {answer.status_code}")

    def _say(self, line: str) -> None:
        if self.log is not None:
            print(line, file=self.log, flush=True)

    async def close(self) -> None:
        await self.client.aclose()


def recording_app(recorder: Recorder) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await recorder.close()

    return Starlette(
        routes=[
            Route("/", recorder.handle, methods=METHODS),
            Route("/{path:path}", recorder.handle, methods=METHODS),
        ],
        lifespan=lifespan,
    )


def serve(recorder: Recorder, host: str, port: int) -> None:
    import uvicorn

    app = recording_app(recorder)
    print(
        f"recording http://{host}:{port} -> {recorder.upstream} into {recorder.path} "
        "(Ctrl-C stops; the cassette is saved after every exchange)",
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
    print(f"{recorder.path}: {len(recorder.cassette.exchanges)} exchange(s)", file=sys.stderr)
