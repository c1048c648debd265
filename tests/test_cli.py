"""`mockserver`: --version, help and defaults for every option, checked values (port range, log
level), bind before the banner (with the real port, also for --port 0), JSON logs, every serve
option from an environment variable (a flag beats the variable, the variable the default), and
check-fixture naming schema and semantic problems in one pass."""

from __future__ import annotations

import copy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import __version__
from mockserver.cli import build_parser, main
from mockserver.core.fixtures import demo_path, read

START_TIMEOUT = 30


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"calendar-mockserver {__version__}"


def test_every_serve_option_has_help_a_default_and_a_variable():
    parser, problems = build_parser({})
    assert problems == []
    serve = parser._subparsers._group_actions[0].choices["serve"]  # noqa: SLF001
    options = [a for a in serve._actions if a.option_strings and a.dest != "help"]  # noqa: SLF001
    assert {a.option_strings[0] for a in options} >= {
        "--host",
        "--port",
        "--fixture",
        "--state-file",
        "--log-level",
        "--log-format",
        "--journal-size",
        "--latency",
    }
    for action in options:
        flag = action.option_strings[0]
        assert action.help and "(default: " in action.help, flag
        variable = "MOCKSERVER_" + flag[2:].upper().replace("-", "_")
        assert f"env {variable})" in action.help, flag
    text = serve.format_help()
    assert "(default: 8765; env MOCKSERVER_PORT)" in " ".join(text.split())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port", "70000"], "expected a port from 0 to 65535"),
        (["--port", "-1"], "expected a port from 0 to 65535"),
        (["--port", "http"], "expected a port from 0 to 65535"),
        (["--log-level", "loud"], "choose from critical, error, warning, info, debug, trace"),
        (["--log-format", "xml"], "choose from text, json"),
        (["--latency", "fast"], "expected SECONDS or MIN-MAX"),
    ],
)
def test_bad_values_are_usage_errors_not_tracebacks(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", *args], environ={})
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_bad_environment_variable_names_itself(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve"], environ={"MOCKSERVER_PORT": "70000", "MOCKSERVER_LOG_LEVEL": "loud"})
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "MOCKSERVER_PORT='70000': expected a port" in err
    assert "MOCKSERVER_LOG_LEVEL='loud': choose from" in err


def parsed(argv: list[str], environ: dict[str, str]) -> Any:
    parser, problems = build_parser(environ)
    assert problems == []
    return parser.parse_args(argv)


def test_flag_beats_variable_beats_default():
    assert parsed(["serve"], {}).port == 8765
    assert parsed(["serve"], {"MOCKSERVER_PORT": "9100"}).port == 9100
    assert parsed(["serve", "--port", "9200"], {"MOCKSERVER_PORT": "9100"}).port == 9200
    env = {
        "MOCKSERVER_HOST": "0.0.0.0",
        "MOCKSERVER_FIXTURE": "w.json",
        "MOCKSERVER_STATE_FILE": "s.json",
        "MOCKSERVER_LOG_LEVEL": "DEBUG",
        "MOCKSERVER_LOG_FORMAT": "json",
        "MOCKSERVER_JOURNAL_SIZE": "5",
        "MOCKSERVER_LATENCY": "0.1-0.5",
        "MOCKSERVER_CALCOM_PROFILE": "oss-2026",
    }
    args = parsed(["serve"], env)
    assert (args.host, args.fixture, args.state_file) == ("0.0.0.0", "w.json", "s.json")
    assert (args.log_level, args.log_format, args.journal_size) == ("debug", "json", 5)
    assert args.latency == (0.1, 0.5)
    assert args.setting__calcom__profile == "oss-2026"
    assert parsed(["serve", "--journal-size", "7"], env).journal_size == 7


# -- a real server process ----------------------------------------------------------------


class Served:
    def __init__(self, process: subprocess.Popen[str], first_line: str) -> None:
        self.process = process
        self.first_line = first_line
        self.lines: list[str] = []

    @property
    def url(self) -> str:
        if self.first_line.startswith("{"):
            return json.loads(self.first_line)["url"]
        found = re.search(r"on (http://\S+)", self.first_line)
        assert found, self.first_line
        return found.group(1)


def _first_line(process: subprocess.Popen[str]) -> str:
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    return box[0] if box else ""


@contextmanager
def serve(*args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environ, **(env or {})},
    )
    try:
        line = _first_line(process)
        assert line, (
            f"no banner: {process.poll()} {process.stderr.read() if process.poll() is not None else ''}"
        )
        yield Served(process, line.strip())
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_port_0_binds_first_and_the_banner_shows_the_real_port():
    with serve("--port", "0") as served:
        assert ":0 " not in served.first_line and not served.url.endswith(":0")
        assert "/_mock/ui" in served.first_line
        health = httpx.get(served.url + "/_mock/health", timeout=10)  # up once the banner is out
        assert health.status_code == 200 and health.json()["version"] == __version__


def test_a_taken_port_fails_before_any_banner():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mockserver", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
    assert result.returncode == 1
    assert result.stdout == ""  # no banner
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_logs_and_options_from_the_environment():
    env = {"MOCKSERVER_PORT": "0", "MOCKSERVER_LOG_FORMAT": "json", "MOCKSERVER_JOURNAL_SIZE": "3"}
    with serve("--journal-size", "4", env=env) as served:
        banner = json.loads(served.first_line)
        assert banner["event"] == "listening" and banner["version"] == __version__
        settings = httpx.get(served.url + "/_mock/settings", timeout=10).json()
        assert settings["mock"]["journal_size"] == 4  # the flag beat the variable
        httpx.get(served.url + "/v1/calendars", timeout=10)
        served.process.send_signal(signal.SIGTERM)
        out, err = served.process.communicate(timeout=15)
    records = [json.loads(line) for line in (out + err).splitlines() if line.strip()]
    access = [r for r in records if r.get("logger") == "uvicorn.access"]
    assert {(r["method"], r["path"], r["status"]) for r in access} >= {
        ("GET", "/_mock/settings", 200),
        ("GET", "/v1/calendars", 401),
    }
    assert all({"time", "level", "message"} <= set(r) for r in records if "logger" in r)


# -- check-fixture ------------------------------------------------------------------------


def test_check_fixture_reports_schema_and_semantic_problems_in_one_pass(tmp_path, capsys):
    world = copy.deepcopy(read(demo_path()))
    events = world["accounts"][0]["profiles"][0]["calendars"][0]["events"]
    events[0]["start"] = "next tuesday"  # schema
    events[1]["status"] = "maybe"  # schema
    events[2]["end"] = "2020-01-01T00:00:00Z"  # semantic: end before start
    events[3]["tzid"] = "Mars/Olympus_Mons"  # semantic: unknown time zone
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    assert main(["check-fixture", str(path)]) == 1
    lines = [line.removeprefix(f"{path}: ") for line in capsys.readouterr().err.splitlines()]
    base = "$.accounts[0].profiles[0].calendars[0].events"
    assert any(line.startswith(f"{base}[0].start: 'next tuesday' is not a time") for line in lines)
    assert any(line.startswith(f"{base}[1].status: ") for line in lines)
    assert f"{base}[2]: end is before start" in lines
    assert f"{base}[3].tzid: unknown time zone 'Mars/Olympus_Mons'" in lines
    assert lines[-1] == "4 problems"


def test_one_pass_also_checks_provider_sections_when_only_events_are_bad(tmp_path, capsys):
    world = copy.deepcopy(read(demo_path()))
    world["accounts"][0]["profiles"][0]["calendars"][0]["events"][0]["start"] = 5
    world["cronofy"]["authorizations"][0]["account"] = "acc_nobody"
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    assert main(["check-fixture", str(path)]) == 1
    err = capsys.readouterr().err
    assert "events[0].start" in err
    assert "$.cronofy.authorizations[0].account: no account 'acc_nobody'" in err


def test_the_readme_names_the_variables(tmp_path):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for variable in ("MOCKSERVER_PORT", "MOCKSERVER_FIXTURE", "MOCKSERVER_LOG_FORMAT"):
        assert variable in readme
    assert "flag > environment variable > default" in readme
