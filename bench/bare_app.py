"""The baseline for the benches: a bare Starlette JSON endpoint, served by uvicorn exactly as
`mockserver serve` serves the fake (`uvicorn.run(app, host=..., port=..., log_level=...)`; with
uvicorn[standard] that is uvloop + httptools).

    python bench/bare_app.py --host 127.0.0.1 --port 8766 [--log-level warning]
    python bench/bare_app.py ... --answers answers.json   # also serve these pre-rendered answers

`--answers` takes a JSON list of {method, path, status, body, content_type}: each is served as
its bytes, rendered once (bench/peers.py passes the fake's own answers, the ceiling for a route).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def hello(request: Request) -> JSONResponse:
    return JSONResponse({"service": "bare", "ok": True})


app = Starlette(routes=[Route("/", hello, methods=["GET"])])


def answering(status: int, body: bytes, content_type: str):  # noqa: ANN201 - an endpoint
    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(body, status_code=status, media_type=content_type)

    return endpoint


def add_answers(path: Path) -> None:
    for a in json.loads(path.read_text()):
        endpoint = answering(a["status"], a["body"].encode(), a["content_type"])
        app.router.routes.append(Route(a["path"], endpoint, methods=[a["method"]]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--answers", type=Path)
    args = parser.parse_args()
    if args.answers:
        add_answers(args.answers)
    print(f"bare app on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
