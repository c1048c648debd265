"""The Dockerfile, checked without a Docker engine (none on the machines this suite runs on; CI
builds the wheel and serves from it instead, see .ci/run): a slim Python base, a non-root user,
a HEALTHCHECK on /_mock/health whose command really passes against a running fake, and
`mockserver serve --host 0.0.0.0` as the command."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = " ".join(line[:-1] if line.endswith("\\") else line + "\n" for line in lines)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line:
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), arguments
    return value


def test_a_slim_python_base():
    froms = [args for word, args in instructions() if word == "FROM"]
    assert len(froms) == 1
    image = froms[0]
    assert image.startswith("python:") and image.endswith("-slim"), image
    version = image.removeprefix("python:").removesuffix("-slim")
    assert tuple(int(p) for p in version.split(".")) >= (3, 11)


def test_it_runs_as_a_non_root_user_made_in_the_image():
    steps = instructions()
    users = [(i, args) for i, (word, args) in enumerate(steps) if word == "USER"]
    assert users, "no USER: the server would run as root"
    index, user = users[-1]
    assert user not in ("root", "0") and not user.startswith("0:")
    made = " ".join(args for word, args in steps[:index] if word == "RUN")
    assert "useradd" in made and user in made
    cmd = [i for i, (word, _) in enumerate(steps) if word == "CMD"]
    assert cmd and cmd[-1] > index


def test_the_command_serves_every_interface():
    [cmd] = [exec_form(args) for word, args in instructions() if word == "CMD"]
    assert cmd == ["mockserver", "serve", "--host", "0.0.0.0"]
    exposed = [args for word, args in instructions() if word == "EXPOSE"]
    assert exposed == ["8765"]


def test_the_copied_files_exist_and_the_package_installs_from_them():
    steps = instructions()
    for word, args in steps:
        if word == "COPY":
            *sources, _ = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), source
    runs = " ".join(args for word, args in steps if word == "RUN")
    assert "pip install ." in runs


def healthcheck() -> list[str]:
    [check] = [args for word, args in instructions() if word == "HEALTHCHECK"]
    options, _, command = check.partition("CMD ")
    assert "--interval=" in options and "--timeout=" in options
    return exec_form(command)


def test_the_healthcheck_passes_against_a_running_fake_and_fails_without_one():
    argv = healthcheck()
    assert argv[0] == "python" and "/_mock/health" in argv[-1]
    argv = [sys.executable, *argv[1:]]
    with LiveServer() as server:
        env = {**os.environ, "MOCKSERVER_PORT": str(server.port)}
        ok = subprocess.run(argv, env=env, capture_output=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
    down = subprocess.run(argv, env=env, capture_output=True, timeout=30)  # the server is gone
    assert down.returncode != 0


def test_the_readme_documents_docker_run_and_says_it_was_not_built_here():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker build -t calendar-mockserver ." in readme
    assert "docker run --rm -p 8765:8765 calendar-mockserver" in readme
    assert "not built" in readme


@pytest.mark.parametrize("ignored", [".venv", ".git", "test-artifacts"])
def test_the_build_context_leaves_out_local_clutter(ignored):
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ignored in lines
