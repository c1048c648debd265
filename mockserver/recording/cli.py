"""The `mockserver record` and `mockserver compare` subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mockserver import registry


def record_arguments(record: argparse.ArgumentParser, environ: dict[str, str]) -> list[str]:
    recordable = [p.name for p in registry.providers() if p.recording is not None]
    record.description = (
        "Forward every request to --upstream and write each exchange, secrets masked and ids "
        "noted, to --cassette (saved after every exchange)."
    )
    record.add_argument("--provider", required=True, choices=recordable)
    record.add_argument("--upstream", required=True, help="the real API's base URL")
    record.add_argument("--cassette", required=True, help="the cassette file to write")
    record.add_argument("--host", default="127.0.0.1")
    record.add_argument("--port", type=int, default=8766)
    record.add_argument(
        "--append", action="store_true", help="add to an existing cassette instead of starting over"
    )
    return []


def compare_arguments(compare: argparse.ArgumentParser, environ: dict[str, str]) -> list[str]:
    compare.description = (
        "Replay the cassette's requests against the fake and report, per exchange, the "
        "differences in status, content type, keys, JSON types and non-volatile values. "
        "Exit 0: all match; 1: differences; 2: the cassette or the fake could not be used."
    )
    compare.add_argument("cassette")
    compare.add_argument("--target", help="a running fake's base URL (default: one in-process)")
    compare.add_argument("--world", help="world file of the in-process fake (default: the demo)")
    compare.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="REAL=FAKE",
        help="an id of the real API and the fake's id for the same thing (repeatable)",
    )
    compare.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="KEY",
        help="a JSON key whose values are not compared, only their types (repeatable)",
    )
    compare.add_argument(
        "--types-only", action="store_true", help="compare keys and JSON types, not values"
    )
    compare.add_argument("--json", action="store_true", help="print the report as JSON")
    return []


def record(args: argparse.Namespace) -> int:
    from mockserver.recording.proxy import Recorder, serve

    provider = registry.get(args.provider)
    assert provider is not None and provider.recording is not None
    recorder = Recorder(
        args.provider,
        args.upstream,
        Path(args.cassette),
        id_keys=provider.recording.id_keys,
        append=args.append,
        log=sys.stderr,
    )
    serve(recorder, args.host, args.port)
    return 0


def compare(args: argparse.Namespace) -> int:
    from mockserver.cli import load_world_file, report
    from mockserver.recording.cassette import CassetteError
    from mockserver.recording.compare import run as replay

    maps = {}
    for pair in args.map:
        real, sep, fake = pair.partition("=")
        if not sep or not real:
            print(f"--map {pair!r}: expected REAL=FAKE", file=sys.stderr)
            return 2
        maps[real] = fake
    world = None
    if args.world:
        world, problems = load_world_file(args.world)
        if problems:
            report(args.world, problems)
            return 2
    try:
        result = replay(
            Path(args.cassette),
            target=args.target,
            world=world,
            maps=maps,
            ignore=frozenset(args.ignore),
            types_only=args.types_only,
        )
    except CassetteError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(result.to_json(), indent=1) if args.json else result.text())
    return 0 if result.ok else 1


# (name, help, add_arguments, run): what mockserver/cli.py's COMMANDS take
COMMANDS = (
    (
        "record",
        "a proxy to the real API that writes every exchange to a cassette",
        record_arguments,
        record,
    ),
    (
        "compare",
        "replay a cassette against the fake and report every difference",
        compare_arguments,
        compare,
    ),
)
