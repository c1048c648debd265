"""Every example in README.md runs as written: shell blocks with bash against a live fake the test
starts (its address put in place of `http://127.0.0.1:8765`), each `mockserver ...` command as a
real process, Python blocks with this interpreter. The pytest examples are run by
tests/test_plugin.py; blocks nothing here can run (installs, Docker, live APIs) are listed with
the reason and checked another way. A new block that is in no list fails the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.core.fixtures import demo_path
from mockserver.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEFAULT_URL = "http://127.0.0.1:8765"
TIMEOUT = 120
# GNU-only spellings that fail on macOS (BSD) shells.
NOT_PORTABLE = [r"\bdate\s+(-u\s+)?-d\b", r"\bdate\s+--date", r"\bsed\s+-i\b", r"readlink -f"]
NOT_PORTABLE += [r"\bgrep\s+-P\b", r"\bxargs\s+-r\b", r"\bstat\s+-c\b"]


@dataclass(frozen=True)
class Block:
    n: int
    heading: str
    lang: str
    text: str

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"{self.n}-{slug[:40]}"


def blocks() -> list[Block]:
    out, heading, lines, i = [], "", README.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("```"):
            j = i + 1
            while not lines[j].startswith("```"):
                j += 1
            out.append(Block(len(out), heading, line[3:].strip(), "\n".join(lines[i + 1 : j])))
            i = j
        i += 1
    return out


BLOCKS = blocks()


def first_line(block: Block) -> str:
    return block.text.strip().splitlines()[0]


def is_command(line: str) -> bool:
    """A `mockserver ...` command line (after any VAR=value assignments)."""
    words = [w for w in line.split() if not re.match(r"^[A-Z_]+=", w)]
    return bool(words) and words[0] == "mockserver"


def kind(block: Block) -> str:
    text = block.text
    if block.lang not in ("bash", "python"):
        return "not code"
    if block.lang == "python":
        if "def test_" in text:
            return "pytest file"
        if "def mockserver_world" in text:
            return "conftest"
        return "python"
    if "docker " in text:
        return "docker"
    if first_line(block).startswith(("pip install", "pytest", "CRONOFY_BASE_URL=")):
        return "install or suite"
    commands = [line for line in text.splitlines() if line.strip() and line.strip()[0] != "#"]
    if all(is_command(c.split("&&")[-1].strip()) for c in commands):
        return "commands"
    return "shell"


def of_kind(name: str) -> list[Block]:
    return [b for b in BLOCKS if kind(b) == name]


def test_every_block_is_run_or_accounted_for():
    known = {
        "not code",
        "pytest file",
        "conftest",
        "python",
        "docker",
        "install or suite",
        "commands",
        "shell",
    }
    assert {kind(b) for b in BLOCKS} <= known
    # the ones run elsewhere, and why
    assert [b.heading for b in of_kind("pytest file")] == [
        "Cronofy",
        "Cal.com",
        "Truto",
        "Cronofy push notifications",  # the webhook_receiver examples, run by test_plugin.py
        "Cal.com webhooks",
        "Truto webhooks",
    ]
    assert len(of_kind("docker")) == 1  # tests/test_packaging.py: no Docker engine here
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for block in of_kind("install or suite"):
        # Quick start's lines are what .ci/run does (the editable install and the suite; the
        # wheel installed and served); the contract commands are this suite, or need secrets.
        if block.text.startswith("pip install -e"):
            assert "pip install -e '.[test]'" in ci and "pytest" in ci
    assert "serve_smoke.py" in ci


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "bash"], ids=lambda b: b.id)
def test_shell_examples_are_portable(block: Block):
    for pattern in NOT_PORTABLE:
        assert not re.search(pattern, block.text), f"GNU-only {pattern!r} in:\n{block.text}"


def test_the_journal_sample_is_what_the_journal_answers():
    from jsonschema import Draft202012Validator

    from mockserver.control.admin import openapi_document

    [sample] = [b for b in BLOCKS if b.lang == "json" and '"entries"' in b.text]
    doc = openapi_document()
    validator = Draft202012Validator(doc).evolve(schema={"$ref": "#/components/schemas/Journal"})
    assert list(validator.iter_errors(json.loads(sample.text))) == []


# -- running them -------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """What the examples assume the reader has: a world file of their own."""
    shutil.copy(demo_path(), tmp_path / "my-world.json")
    return tmp_path


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


@pytest.mark.parametrize("block", of_kind("shell"), ids=lambda b: b.id)
def test_shell_blocks_run_against_a_live_fake(block: Block, workdir: Path):
    with LiveServer() as server:
        script = "set -euo pipefail\n" + block.text.replace(DEFAULT_URL, server.url)
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=clean_env(),
        )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "curl: (" not in result.stderr, result.stderr
    if "reschedule" in block.text:  # the Cal.com walk-through's promises
        assert "Kick-off (moved room)" in result.stdout
        assert "Cannot GET /v2/calendars/google/events/" in result.stdout
        assert result.stdout.rstrip().endswith("}") and '"status":"success"' in result.stdout


def command_lines() -> list[tuple[Block, str]]:
    out = []
    for block in of_kind("commands") + of_kind("install or suite"):
        for line in block.text.splitlines():
            command = line.split("&&")[-1].strip()
            if is_command(command):
                out.append((block, command))
    return out


def _readline(process: subprocess.Popen[str]) -> str:
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(TIMEOUT)
    return box[0] if box else ""


@pytest.mark.parametrize(
    "command", [c for _, c in command_lines()], ids=[f"{b.n}-{c[:40]}" for b, c in command_lines()]
)
def test_mockserver_commands_run_as_written(command: str, workdir: Path):
    # A server is started on a free port instead of the one written (the machine may use it).
    line = re.sub(r"--port \d+", "--port 0", command.split(" #")[0])
    env = clean_env(MOCKSERVER_PORT="0")
    if " serve" not in line:
        result = subprocess.run(
            ["bash", "-c", line], cwd=workdir, capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return
    words = line.split()
    assignments = [w for w in words if re.match(r"^[A-Z_]+=", w)]
    rest = words[len(assignments) :]
    process = subprocess.Popen(
        ["bash", "-c", " ".join([*assignments, "exec", *rest])],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        banner = _readline(process).strip()
        assert banner, process.stderr.read() if process.poll() is not None else "no banner"
        url = (
            json.loads(banner)["url"]
            if banner.startswith("{")
            else banner.split(" on ")[1].split()[0]
        )
        assert httpx.get(url + "/_mock/health", timeout=10).json()["status"] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGTERM), err  # uvicorn re-raises the SIGTERM
    if "--state-file" in line:  # saved at shutdown
        assert (workdir / "dev-state.json").is_file()


def python_blocks() -> list[Block]:
    return of_kind("python")


@pytest.mark.parametrize("block", python_blocks(), ids=lambda b: b.id)
def test_python_examples_run(block: Block, workdir: Path):
    python = sys.executable
    if "truto_python_sdk" in block.text:
        from tests.test_truto_sdk import sdk_python

        python = str(sdk_python())  # Python 3.12 with the SDK (skips without a 3.12)
    if "WorldBuilder(" in block.text and "LiveServer" not in block.text:
        # a builder example: run it, then check the world it made loads
        namespace: dict[str, Any] = {}
        exec(compile(block.text, f"README block {block.n}", "exec"), namespace)  # noqa: S102
        from mockserver.state import check

        assert check(namespace["world"]) == []
        return
    with LiveServer() as server:
        script = block.text.replace(DEFAULT_URL, server.url)
        result = subprocess.run(
            [python, "-c", script],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=clean_env(),
        )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    if "truto_python_sdk" in block.text:
        assert "From Truto (renamed) 2030-01-07T10:45:00" in result.stdout, result.stdout


pytest_plugins = ["pytester"]


def test_the_random_world_override_keeps_every_provider_working(pytester):
    [conftest] = of_kind("conftest")
    pytester.makeconftest(conftest.text)
    pytester.makepyfile(
        """
        def test_cronofy(cronofy_client):
            assert cronofy_client.get("/v1/calendars").status_code == 200

        def test_calcom(calcom_client, calcom_credentials):
            me = calcom_client.get("/v2/me")
            assert me.status_code == 200, me.text
            assert me.json()["data"]["email"] == calcom_credentials.email

        def test_truto(truto_client, truto_credentials):
            params = {
                "integrated_account_id": truto_credentials.account("googlecalendar"),
                "calendar[id]": "primary",
            }
            response = truto_client.get("/unified/calendar/events", params=params)
            assert response.status_code == 200, response.text
            assert len(response.json()["result"]) == 50
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=TIMEOUT)
    result.assert_outcomes(passed=3)


def test_the_fixture_table_names_every_fixture():
    import inspect

    from mockserver import plugin, registry

    modules = [plugin] + [
        __import__(p.testing, fromlist=["_"]) for p in registry.providers() if p.testing
    ]
    fixtures = set()
    for module in modules:
        for name, value in inspect.getmembers(module):
            if (
                not name.startswith("_")
                and hasattr(value, "_fixture_function_marker")
                or not name.startswith("_")
                and type(value).__name__ == "FixtureFunctionDefinition"
            ):
                fixtures.add(name)
    assert len(fixtures) >= 15, fixtures
    table = README.split("## Using it from pytest", 1)[1].split("Options (command line", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
    assert fixtures == listed, (fixtures - listed, listed - fixtures)
