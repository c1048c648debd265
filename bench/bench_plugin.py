"""What the fake costs a pytest user, per test: `python bench/bench_plugin.py [--rounds N]`.

Prints, for the demo world:
- in-process request: µs per `GET /v1/calendars` through `mockserver.testing.asgi_client` (the
  `--mockserver-mode asgi` clients: httpx's ASGI transport, no socket);
- live request: µs per the same request over a socket to a `LiveServer` (the default mode's
  clients: a kept-alive httpx client);
- reset: µs per `ServerState.reset(clock=True, settings=True)`, what the plugin runs before every
  test that uses the fake;
- start: seconds from nothing to the first answer, for `LiveServer` in this process (the plugin's
  session fixture) and for `mockserver serve` as a subprocess (the dev backend).
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import httpx
from bench_reset import per_call_us

HEADERS = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    from mockserver.app import create_app
    from mockserver.state import ServerState
    from mockserver.testing import LiveServer, asgi_client, free_port

    state = ServerState()
    app = create_app(state=state)
    with asgi_client(app) as client:
        assert client.get("/v1/calendars", headers=HEADERS).status_code == 200
        asgi = per_call_us(lambda: client.get("/v1/calendars", headers=HEADERS), args.rounds, 200)[
            0
        ]
    reset = per_call_us(lambda: state.reset(clock=True, settings=True), args.rounds, 200)[0]

    t0 = time.perf_counter()
    with LiveServer(state=ServerState()) as server, httpx.Client(base_url=server.url) as client:
        client.get("/v1/calendars", headers=HEADERS).raise_for_status()
        live_start = time.perf_counter() - t0
        live = per_call_us(lambda: client.get("/v1/calendars", headers=HEADERS), args.rounds, 200)[
            0
        ]
    in_process_total = time.perf_counter() - started

    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_mock", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("mockserver serve did not answer")
            time.sleep(0.02)
        serve_start = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(10)

    print(f"in-process request (asgi_client)   {asgi:10.1f} µs")
    print(f"live request (LiveServer, socket)   {live:10.1f} µs")
    print(f"reset per test                      {reset:10.1f} µs")
    print(f"LiveServer start to first answer    {live_start:10.3f} s")
    print(f"mockserver serve to first answer    {serve_start:10.3f} s")
    print(f"(this script's in-process part: {in_process_total:.2f} s, imports included)")


if __name__ == "__main__":
    main()
