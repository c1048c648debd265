"""The baseline for bench_cronofy.py: a bare Starlette JSON endpoint, served by uvicorn exactly as
`mockserver serve` serves the fake (`uvicorn.run(app, host=..., port=..., log_level=...)`).

    python bench/bare_app.py --host 127.0.0.1 --port 8766 [--log-level warning]
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def hello(request: Request) -> JSONResponse:
    return JSONResponse({"service": "bare", "ok": True})


app = Starlette(routes=[Route("/", hello, methods=["GET"])])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    print(f"bare app on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
