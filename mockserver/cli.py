"""`mockserver serve` and `mockserver check-fixture`."""

from __future__ import annotations

import argparse
import sys

from mockserver.core.fixtures import FixtureError, read, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mockserver", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve every provider on one port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--fixture", help="world file to load instead of the demo world")
    serve.add_argument("--log-level", default="info")
    check = sub.add_parser("check-fixture", help="validate a world file and name every problem")
    check.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "check-fixture":
        return check_fixture(args.path)
    return run_server(args)


def check_fixture(path: str) -> int:
    try:
        problems = validate(read(path))
    except FixtureError as exc:
        problems = exc.problems
    for place, message in problems:
        print(f"{path}: {place}: {message}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: ok")
    return 0


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.settings import Settings

    fixture = None
    if args.fixture:
        try:
            fixture = read(args.fixture)
            problems = validate(fixture)
        except FixtureError as exc:
            problems = exc.problems
        if problems:
            for place, message in problems:
                print(f"{args.fixture}: {place}: {message}", file=sys.stderr)
            return 1
    app = create_app(Settings(host=args.host, port=args.port), fixture)
    print(
        f"calendar-mockserver on http://{args.host}:{args.port}  (control plane: /_mock)",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0
