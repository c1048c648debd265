"""`mockserver serve` and `mockserver check-fixture`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from mockserver import registry
from mockserver.core.fixtures import FixtureError, read


def _dest(provider: str, setting: str) -> str:
    return f"setting__{provider}__{setting}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mockserver", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve every provider on one port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--fixture", help="world file to load instead of the demo world")
    serve.add_argument(
        "--state-file",
        help="load the world from this file if it exists (else --fixture / the demo world); "
        "save it there on shutdown and on POST /_mock/save",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--journal-size",
        type=journal_size,
        metavar="N",
        help="provider requests the journal keeps, oldest dropped first (default 1000; 0 = off)",
    )
    serve.add_argument(
        "--latency",
        type=latency_range,
        metavar="SECONDS[-MAX]",
        help="delay every provider request: 0.2, or 0.1-0.5 for a random delay in that range",
    )
    for provider in registry.providers():  # each provider's own options
        for option in provider.cli_options:
            serve.add_argument(
                option.flag,
                dest=_dest(provider.name, option.setting),
                choices=option.choices,
                help=option.help,
            )
    check = sub.add_parser("check-fixture", help="validate a world file and name every problem")
    check.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "check-fixture":
        return check_fixture(args.path)
    return run_server(args)


def journal_size(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def latency_range(text: str) -> tuple[float, float]:
    """`0.2` -> (0.2, 0.2); `0.1-0.5` -> (0.1, 0.5), seconds."""
    low, sep, high = text.partition("-")
    try:
        lo = float(low)
        hi = float(high) if sep else lo
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or MIN-MAX, got {text!r}") from None
    if not (0 <= lo <= hi < float("inf")):
        raise argparse.ArgumentTypeError(f"expected 0 <= MIN <= MAX seconds, got {text!r}")
    return lo, hi


def load_world_file(path: str) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """The document and every problem in it (unreadable, not JSON, schema, core and provider
    checks), each as (place, message)."""
    from mockserver.state import check

    try:
        data = read(path)
    except FixtureError as exc:
        return None, exc.problems
    return data, check(data)


def report(path: str, problems: list[tuple[str, str]]) -> None:
    for place, message in problems:
        print(f"{path}: {place}: {message}", file=sys.stderr)
    print(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)


def check_fixture(path: str) -> int:
    _, problems = load_world_file(path)
    if problems:
        report(path, problems)
        return 1
    print(f"{path}: ok")
    return 0


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.settings import Settings

    fixture = None
    state_file = Path(args.state_file).absolute() if args.state_file else None
    if state_file is not None and not state_file.parent.is_dir():
        print(f"{state_file}: (file): no directory {state_file.parent}", file=sys.stderr)
        return 1
    source = str(state_file) if state_file and state_file.exists() else args.fixture
    if source:
        fixture, problems = load_world_file(source)
        if problems:
            report(source, problems)
            return 1
    settings = Settings(host=args.host, port=args.port)
    if args.journal_size is not None:
        settings.mock.journal_size = args.journal_size
    if args.latency is not None:
        settings.mock.latency, settings.mock.latency_max = args.latency
    for provider in registry.providers():
        for option in provider.cli_options:
            value = getattr(args, _dest(provider.name, option.setting), None)
            if value is not None:
                setattr(settings.section(provider.name), option.setting, value)
    if state_file is not None:
        from mockserver.state import clean_temp_files

        for stale in clean_temp_files(state_file):  # saves a kill cut short
            print(f"calendar-mockserver: removed {stale}", file=sys.stderr, flush=True)
    app = create_app(settings, fixture)
    app.state.server.state_file = state_file
    print(
        f"calendar-mockserver on http://{args.host}:{args.port}  (control plane: /_mock)",
        flush=True,
    )
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped for
        saving_server(config, app.state.server).run()
    return 0


def saving_server(config: Any, state: Any) -> Any:
    """A uvicorn server that saves the state file (if any) once the last request is done,
    before uvicorn re-raises the signal it stopped for: SIGTERM would end the process before
    any code after run()."""
    import uvicorn

    class SavingServer(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            await super().shutdown(sockets=sockets)
            if state.state_file is None:
                return
            try:
                path = state.save()
            except Exception as exc:  # never a traceback on the way out; the old file stays
                print(
                    f"calendar-mockserver: could not save state to {state.state_file}: {exc!r}",
                    file=sys.stderr,
                    flush=True,
                )
                return
            print(f"calendar-mockserver: state saved to {path}", file=sys.stderr, flush=True)

    return SavingServer(config)
