"""`mockserver serve`, `mockserver check-fixture`, and `record` / `compare`
(mockserver/recording/): each command is a `Command` in COMMANDS, a new one adds its parser and
its handler there.

Every `serve` option can also come from an environment variable, MOCKSERVER_<OPTION> (shown in
`mockserver serve --help`): a flag on the command line wins over the variable, and the variable
over the default."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver import __version__, registry
from mockserver.core.fixtures import FixtureError, read
from mockserver.recording import cli as recording_cli

ENV_PREFIX = "MOCKSERVER_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
LOG_FORMATS = ("text", "json")
DEFAULT_PORT = 8765
# Seconds a shutdown waits for open requests (a dashboard's live-update stream never ends).
GRACEFUL_SHUTDOWN = 3


def _dest(provider: str, setting: str) -> str:
    return f"setting__{provider}__{setting}"


# -- option values ------------------------------------------------------------------------


def port_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port from 0 to 65535 (0: any free one), got {text!r}"
        )
    return int(text)


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


def choice_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text.lower() not in choices:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)}, not {text!r}")
        return text.lower()

    return check


# -- the parser ---------------------------------------------------------------------------


def env_name(flag: str) -> str:
    return ENV_PREFIX + flag.lstrip("-").upper().replace("-", "_")


class EnvOptions:
    """Adds options whose default may come from an environment variable; a bad value there is
    reported like a bad flag, naming the variable."""

    def __init__(self, parser: argparse.ArgumentParser, environ: dict[str, str]) -> None:
        self.parser = parser
        self.environ = environ
        self.problems: list[str] = []

    def add(
        self,
        flag: str,
        *,
        help: str,
        default: Any = None,
        shown: str | None = None,
        type: Callable[[str], Any] = str,
        env: str | None = None,
        choices: tuple[str, ...] | None = None,
        metavar: str | None = None,
        dest: str | None = None,
    ) -> None:
        var = env or env_name(flag)
        convert = choice_of(choices) if choices else type
        value = default
        if var in self.environ:
            try:
                value = convert(self.environ[var])
            except (argparse.ArgumentTypeError, ValueError) as exc:
                self.problems.append(f"{var}={self.environ[var]!r}: {exc}")
        where = f"default: {shown if shown is not None else default}; env {var}"
        if choices and metavar is None:
            metavar = "{" + ",".join(choices) + "}"
        self.parser.add_argument(
            flag,
            type=convert,
            default=value,
            metavar=metavar,
            dest=dest,
            help=f"{help} ({where})",
        )


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser, dict[str, str]], list[str]]
    run: Callable[[argparse.Namespace], int]


def serve_arguments(serve: argparse.ArgumentParser, environ: dict[str, str]) -> list[str]:
    opts = EnvOptions(serve, environ)
    opts.add("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    opts.add(
        "--port",
        default=DEFAULT_PORT,
        type=port_number,
        help="port to listen on, 0 to 65535; 0 takes a free one (the banner shows which)",
    )
    opts.add(
        "--fixture",
        metavar="PATH",
        shown="the demo world",
        help="world file to load instead of the demo world",
    )
    opts.add(
        "--state-file",
        metavar="PATH",
        shown="none",
        help="load the world from this file if it exists (else --fixture / the demo world); "
        "save it there on shutdown and on POST /_mock/save",
    )
    opts.add("--log-level", default="info", choices=LOG_LEVELS, help="server log level")
    opts.add(
        "--log-format",
        default="text",
        choices=LOG_FORMATS,
        help="text, or json: one JSON object per log line (access lines with method, path, "
        "status), the banner too",
    )
    opts.add(
        "--journal-size",
        type=journal_size,
        metavar="N",
        shown="1000",
        help="provider requests the journal keeps, oldest dropped first (0 = off)",
    )
    opts.add(
        "--latency",
        type=latency_range,
        metavar="SECONDS[-MAX]",
        shown="0",
        help="delay every provider request: 0.2, or 0.1-0.5 for a random delay in that range",
    )
    for provider in registry.providers():  # each provider's own options
        for option in provider.cli_options:
            opts.add(
                option.flag,
                dest=_dest(provider.name, option.setting),
                choices=option.choices,
                env=option.env,
                shown=str(getattr(provider.settings(), option.setting)),
                help=option.help,
            )
    return opts.problems


def check_arguments(check: argparse.ArgumentParser, environ: dict[str, str]) -> list[str]:
    check.add_argument("path", help="the world file (JSON) to check")
    return []


def build_parser(
    environ: dict[str, str] | None = None,
) -> tuple[argparse.ArgumentParser, list[str]]:
    """The parser, and what is wrong in the environment variables it read."""
    environ = dict(os.environ if environ is None else environ)
    parser = argparse.ArgumentParser(
        prog="mockserver",
        description="calendar-mockserver: stateful fakes of calendar APIs on one port.",
        epilog="Every serve option can also be set by the environment variable shown with it; "
        "a flag wins over the variable, the variable over the default.",
    )
    parser.add_argument("--version", action="version", version=f"calendar-mockserver {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    problems: list[str] = []
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        problems += command.add_arguments(p, environ)
        p.set_defaults(run=command.run)
    return parser, problems


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    parser, problems = build_parser(environ)
    args = parser.parse_args(argv)
    if problems and args.command == "serve":
        parser.error("; ".join(problems))
    return args.run(args)


# -- check-fixture ------------------------------------------------------------------------


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


def check_fixture(path: str | argparse.Namespace) -> int:
    path = path.path if isinstance(path, argparse.Namespace) else path
    _, problems = load_world_file(path)
    if problems:
        report(path, problems)
        return 1
    print(f"{path}: ok")
    return 0


# -- serve --------------------------------------------------------------------------------


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one); OSError if it cannot be had."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def say(log_format: str, event: str, text: str, *, stream: Any = None, **fields: Any) -> None:
    """A line for a person (text) or a JSON object (json), to stdout unless `stream`."""
    if log_format == "json":
        from mockserver.logs import timestamp

        line = json.dumps({"time": timestamp(), "level": "info", "event": event, **fields})
    else:
        line = text
    print(line, file=stream or sys.stdout, flush=True)


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.logs import log_config
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
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:  # taken, not ours, or no such address: before any banner
        why = exc.strerror or str(exc)
        print(f"mockserver: cannot listen on {args.host}:{args.port}: {why}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    settings = Settings(host=args.host, port=port)
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
            say(
                args.log_format,
                "removed_temp_file",
                f"calendar-mockserver: removed {stale}",
                stream=sys.stderr,
                path=str(stale),
            )
    app = create_app(settings, fixture)
    app.state.server.state_file = state_file
    url = url_of(args.host, port)
    say(
        args.log_format,
        "listening",
        f"calendar-mockserver {__version__} on {url}  (dashboard: {url}/_mock/ui, "
        f"control plane: /_mock)",
        url=url,
        version=__version__,
        providers=registry.names(),
    )
    config = uvicorn.Config(
        app,
        host=args.host,
        port=port,
        log_level=args.log_level,
        log_config=log_config(args.log_format, args.log_level),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped for
        saving_server(config, app.state.server, args.log_format).run(sockets=[sock])
    return 0


def saving_server(config: Any, state: Any, log_format: str = "text") -> Any:
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
                say(
                    log_format,
                    "save_failed",
                    f"calendar-mockserver: could not save state to {state.state_file}: {exc!r}",
                    stream=sys.stderr,
                    path=str(state.state_file),
                )
                return
            say(
                log_format,
                "saved",
                f"calendar-mockserver: state saved to {path}",
                stream=sys.stderr,
                path=str(path),
            )

    return SavingServer(config)


COMMANDS: list[Command] = [
    Command("serve", "serve every provider on one port", serve_arguments, run_server),
    Command(
        "check-fixture",
        "validate a world file and name every problem (schema and semantic) in one pass",
        check_arguments,
        check_fixture,
    ),
    *(Command(*command) for command in recording_cli.COMMANDS),
]
