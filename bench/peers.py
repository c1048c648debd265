"""The fake beside its peers, in one interleaved run: `python bench/peers.py [--quick]`.

Servers (each pinned to CPU 0 with taskset; wrk to CPU 1):
  bare       bench/bare_app.py serving the fake's own answers as pre-rendered bytes (uvicorn with
             uvloop + httptools, as `mockserver serve`): the ceiling for each route
  fake       `mockserver serve` on a world of --events events in one calendar (journal on)
  prism      Stoplight Prism mocking a small OpenAPI document of the same three routes, whose
             examples are the fake's answers
  mountebank an imposter with static stubs of the same routes (same status, same bodies)
  wiremock   WireMock standalone with static mappings of the same routes
Requests: list calendars, a managed upsert of one fixed event_id, Read Events' first page; each
at 1 and 16 connections. For every request and connection count the sequence is bare, fake,
bare, prism, bare, mountebank, bare, wiremock, bare, and each server's figure is given as a ratio
to the mean of the bare runs just before and after it.

This script installs nothing. Get the peers first (a peer that is missing is left out, with a
note):
  apt-get install -y wrk default-jre-headless     # wrk; java for WireMock
  npm install --prefix PEERS_DIR @stoplight/prism-cli mountebank wiremock
  python bench/peers.py --peers PEERS_DIR         # wiremock's package ships the standalone jar
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_cronofy as bc  # noqa: E402 - the bench helpers: worlds, servers, wrk

ROUTES = ("calendars", "upsert", "read")
PEERS = ("fake", "prism", "mountebank", "wiremock")


@dataclass
class Request:
    name: str
    method: str
    path: str
    body: bytes = b""
    status: int = 200
    answer: bytes = b""
    content_type: str = "application/json"


def requests_for() -> list[Request]:
    start = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT10:00:00Z")
    end = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT10:30:00Z")
    upsert = {"event_id": "peers-fixed", "summary": "Peers", "start": start, "end": end}
    return [
        Request("calendars", "GET", "/v1/calendars"),
        Request("upsert", "POST", bc.UPSERT_PATH, json.dumps(upsert).encode()),
        Request("read", "GET", bc.READ_PATH),
    ]


def capture(port: int, reqs: list[Request]) -> None:
    """Each request's answer from the live fake: what every peer will serve."""
    for r in reqs:
        headers = {**bc.auth_headers(), "Content-Type": "application/json"}
        status, body = bc.request(port, r.method, r.path, r.body or None, headers)
        if status >= 300:
            raise bc.BenchError(f"{r.name}: the fake answered {status}: {body[:200]!r}")
        r.status, r.answer = status, body


def path_only(path: str) -> str:
    return path.split("?", 1)[0]


def openapi(reqs: list[Request]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for r in reqs:
        content = {r.content_type: {"example": json.loads(r.answer)}} if r.answer else None
        response: dict[str, Any] = {"description": r.name}
        if content:
            response["content"] = content
        operation: dict[str, Any] = {"responses": {str(r.status): response}}
        if r.body:  # Prism refuses a body its operation does not declare
            schema = {"type": "object"}
            operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
        paths.setdefault(path_only(r.path), {})[r.method.lower()] = operation
    return {"openapi": "3.0.3", "info": {"title": "peers", "version": "1"}, "paths": paths}


def mountebank_imposter(port: int, reqs: list[Request]) -> dict[str, Any]:
    return {
        "port": port,
        "protocol": "http",
        "stubs": [
            {
                "predicates": [{"equals": {"method": r.method, "path": path_only(r.path)}}],
                "responses": [
                    {
                        "is": {
                            "statusCode": r.status,
                            "headers": {"Content-Type": r.content_type},
                            "body": r.answer.decode(),
                        }
                    }
                ],
            }
            for r in reqs
        ],
    }


def wiremock_mapping(r: Request) -> dict[str, Any]:
    return {
        "request": {"method": r.method, "urlPath": path_only(r.path)},
        "response": {
            "status": r.status,
            "headers": {"Content-Type": r.content_type},
            "body": r.answer.decode(),
        },
    }


def post_json(port: int, path: str, body: Any) -> None:
    status, answer = bc.request(
        port, "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    if status >= 300:
        raise bc.BenchError(f"setting up a peer ({path}): HTTP {status}: {answer[:200]!r}")


def start_servers(opts: argparse.Namespace, work: Path, reqs: list[Request]) -> dict[str, Any]:
    servers: dict[str, Any] = {}
    world = work / "world.json"
    world.write_text(json.dumps(bc.world(opts.events, datetime.now(UTC))))
    port = bc.free_port()
    fake = bc.Server(
        "fake",
        bc.fake_command(port, "--fixture", str(world)),
        port,
        work / "fake.log",
    ).start("/_mock", timeout=120)
    servers["fake"] = (fake, port)
    capture(port, reqs)
    answers = work / "answers.json"
    answers.write_text(
        json.dumps(
            [
                {
                    "method": r.method,
                    "path": path_only(r.path),
                    "status": r.status,
                    "body": r.answer.decode(),
                    "content_type": r.content_type,
                }
                for r in reqs
            ]
        )
    )
    port = bc.free_port()
    bare = bc.Server(
        "bare",
        bc.pin(
            0,
            [
                sys.executable,
                str(HERE / "bare_app.py"),
                "--host",
                bc.HOST,
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--answers",
                str(answers),
            ],
        ),
        port,
        work / "bare.log",
    ).start("/")
    servers["bare"] = (bare, port)
    bin_dir = Path(opts.peers) / "node_modules" / ".bin" if opts.peers else None
    prism = bin_dir / "prism" if bin_dir else None
    if prism and prism.exists():
        spec = work / "openapi.json"
        spec.write_text(json.dumps(openapi(reqs)))
        port = bc.free_port()
        server = bc.Server(
            "prism",
            bc.pin(0, [str(prism), "mock", "-h", bc.HOST, "-p", str(port), str(spec)]),
            port,
            work / "prism.log",
        ).start("/v1/calendars", timeout=120)
        servers["prism"] = (server, port)
    else:
        print("  prism: not found (see the docstring to install it); left out", flush=True)
    mb = bin_dir / "mb" if bin_dir else None
    if mb and mb.exists():
        admin, port = bc.free_port(), bc.free_port()
        server = bc.Server(
            "mountebank",
            bc.pin(
                0,
                [
                    str(mb),
                    "--port",
                    str(admin),
                    "--host",
                    bc.HOST,
                    "--loglevel",
                    "warn",
                    "--logfile",
                    str(work / "mb.log"),
                    "--pidfile",
                    str(work / "mb.pid"),
                ],
            ),
            admin,
            work / "mountebank.log",
        ).start("/", timeout=120)
        post_json(admin, "/imposters", mountebank_imposter(port, reqs))
        servers["mountebank"] = (server, port)
    else:
        print("  mountebank: not found; left out", flush=True)
    jars = (
        list((Path(opts.peers) / "node_modules" / "wiremock").rglob("*.jar")) if opts.peers else []
    )
    if jars and shutil.which("java"):
        (work / "wiremock").mkdir(exist_ok=True)
        port = bc.free_port()
        server = bc.Server(
            "wiremock",
            bc.pin(
                0,
                [
                    "java",
                    "-jar",
                    str(jars[0]),
                    "--port",
                    str(port),
                    "--bind-address",
                    bc.HOST,
                    "--disable-banner",
                    "--no-request-journal",
                    "--root-dir",  # its mappings/ and __files/, here rather than in the cwd
                    str(work / "wiremock"),
                ],
            ),
            port,
            work / "wiremock.log",
        ).start("/__admin/mappings", timeout=120)
        for r in reqs:
            post_json(port, "/__admin/mappings", wiremock_mapping(r))
        servers["wiremock"] = (server, port)
    else:
        print("  wiremock: not found (needs its npm package and java); left out", flush=True)
    return servers


def run_wrk(opts: argparse.Namespace, port: int, r: Request, conns: int, work: Path) -> float:
    script = work / f"{r.name}.lua"
    if not script.exists():
        body = json.dumps(r.body.decode()) if r.body else "nil"
        script.write_text(
            bc.DONE_LUA
            + f'\nwrk.method = "{r.method}"\nwrk.body = {body}\n'
            + 'wrk.headers["Content-Type"] = "application/json"\n'
        )
    argv = bc.pin(
        1,
        [
            opts.wrk,
            f"-t{min(2, conns)}",
            f"-c{conns}",
            f"-d{opts.duration}",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Authorization: Bearer {bc.TOKEN}",
            f"http://{bc.HOST}:{port}{r.path}",
        ],
    )
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=bc.seconds(opts.duration) + 60
    )
    found = bc._RESULT.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise bc.BenchError(f"wrk failed: {done.stderr or done.stdout}")
    raw = {k: int(v) for k, v in (kv.split("=") for kv in found[1].split())}
    if raw["status"] or raw["connect"] or raw["read"] or raw["timeout"]:
        print(f"    (errors: {raw})", flush=True)
    return raw["requests"] / (raw["duration_us"] / 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--peers", help="directory with node_modules of prism, mountebank, wiremock"
    )
    parser.add_argument("--events", type=int, default=1000, help="events in the fake's calendar")
    parser.add_argument("--duration", default="5s", help="wrk -d per run")
    parser.add_argument("--quick", action="store_true", help="-d2s")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.duration = "2s"
    reqs = requests_for()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        servers: dict[str, Any] = {}
        try:
            servers = start_servers(opts, work, reqs)
            time.sleep(1)
            print(f"wrk -d{opts.duration}; servers on CPU 0, wrk on CPU 1; {opts.events} events")
            print(
                f"{'request':<10} {'conns':>5} {'server':<11} {'req/s':>9} {'bare req/s':>10} {'x bare':>7}"
            )
            bare_port = servers["bare"][1]
            for r in reqs:
                for conns in (1, 16):
                    before = run_wrk(opts, bare_port, r, conns, work)
                    for name in PEERS:
                        if name not in servers:
                            continue
                        rps = run_wrk(opts, servers[name][1], r, conns, work)
                        after = run_wrk(opts, bare_port, r, conns, work)
                        base = (before + after) / 2
                        print(
                            f"{r.name:<10} {conns:>5} {name:<11} {rps:>9.0f} {base:>10.0f} "
                            f"{rps / base:>7.2f}",
                            flush=True,
                        )
                        before = after
        finally:
            for server, _ in servers.values():
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
