"""The real truto-python-sdk 0.1.6 against a live fake, with nothing changed but its base URL.

The SDK needs Python >= 3.12 and this suite runs on 3.11, so the module builds (once, then
reuses) a 3.12 virtualenv under the repository's `.venv-py312/`, installs the SDK into it from
PyPI, and runs tests/truto_sdk_driver.py there against a LiveServer seeded with the contract
world. The driver prints what the SDK returned as JSON; the tests below assert on it. Without a
Python 3.12 (`PYENV_VERSION=3.12.1 python3.12`, or `TRUTO_SDK_PYTHON=/path/to/python3.12`) the
module is skipped with the reason."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from contracts.kit import WORLD, notice
from contracts.truto.conftest import FAKE_STATES as S
from mockserver.delivery.receiver import Receiver
from mockserver.testing import LiveServer
from tests.truto_sdks import ACCOUNT, CALENDAR, expected_ids

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("TRUTO_SDK_VENV", ROOT / ".venv-py312"))
SDK = "truto-python-sdk==0.1.6"
DRIVER = Path(__file__).with_name("truto_sdk_driver.py")
MARKER = VENV / ".installed-truto-python-sdk-0.1.6"
PY312_ENV = {**os.environ, "PYENV_VERSION": os.environ.get("TRUTO_SDK_PYENV_VERSION", "3.12.1")}


def python312() -> list[str] | None:
    """A command that runs Python >= 3.12, or None: $TRUTO_SDK_PYTHON, `python3.12` (through
    pyenv's shim with PYENV_VERSION=3.12.1), or any pyenv-installed 3.12+."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [os.environ.get("TRUTO_SDK_PYTHON"), shutil.which("python3.12")]
    candidates += sorted(str(p) for p in pyenv_root.glob("versions/3.1[2-9]*/bin/python3"))
    for cmd in filter(None, candidates):
        try:
            out = subprocess.run(
                [cmd, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                capture_output=True,
                text=True,
                env=PY312_ENV,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == "True":
            return [cmd]
    return None


def sdk_python() -> Path:
    """The venv's interpreter, with the SDK installed (built under a lock: xdist workers)."""
    VENV.parent.mkdir(parents=True, exist_ok=True)
    lock_path = VENV.with_name(VENV.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        py = VENV / "bin" / "python"
        if MARKER.exists() and py.exists():
            return py
        base = python312()
        if base is None:
            pytest.skip("truto-python-sdk needs Python >= 3.12: none found (python3.12)")
        notice(f"building a Python 3.12 virtualenv in {VENV} and installing {SDK} from PyPI")
        subprocess.run([*base, "-m", "venv", "--clear", str(VENV)], check=True, env=PY312_ENV)
        result = subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SDK],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pip install {SDK} failed:\n{result.stdout}\n{result.stderr}")
        MARKER.write_text(SDK + "\n")
        return py


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(fixture=WORLD()) as srv:
        yield srv


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver().serve()
    yield r
    r.close()


@pytest.fixture(scope="module")
def run(server: LiveServer, receiver: Receiver) -> dict[str, Any]:
    py = sdk_python()
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (
        start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        (start + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    result = subprocess.run(
        [
            str(py),
            str(DRIVER),
            server.url,
            S["api_token"],
            ACCOUNT,
            CALENDAR,
            *window,
            receiver.url + "/truto",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    out["window"] = window
    return out


def test_python_312_is_found_here():
    """The SDK tests must not silently skip on this project's machines."""
    if os.environ.get("CI") or shutil.which("pyenv"):
        assert python312() is not None, "install Python 3.12 (pyenv install 3.12.1)"


def test_the_pagination_iterator_walks_several_pages(server, run):
    ids = [e["id"] for e in run["iterated"]]
    assert len(ids) >= 5  # limit=2: at least three pages
    assert ids == expected_ids(server, run)
    assert len(ids) == len(set(ids))
    pages = run["list_requests"]
    assert len(pages) == -(-len(ids) // 2)  # one request per page, none past the last
    assert "next_cursor" not in pages[0]
    assert all("next_cursor=" in p and "limit=2" in p for p in pages[1:])
    assert all("calendar%5Bid%5D=primary" in p for p in pages)  # filters re-sent
    for item in run["iterated"]:
        assert "attendees" not in item and "description" not in item
        assert "remote_data" not in item


def test_to_array_and_next_page(server, run):
    assert [e["id"] for e in run["to_array"]] == expected_ids(server, run)
    assert len(run["next_page"]) == 1


def test_python_floats_and_nones_in_the_query(server, run):
    """`{"limit": 2.0, "next_cursor": None}` goes out as `limit=2.0&...&next_cursor=None`: a page
    of two, from the first page (docs/EVIDENCE.md, Truto tolerances)."""
    first = run["python_values_requests"][0]
    assert "limit=2.0" in first and "next_cursor=None" in first
    assert run["python_values"] == expected_ids(server, run)
    assert len(run["python_values_requests"]) == -(-len(run["python_values"]) // 2)


def test_create_get_update_delete(run):
    created, got, updated = run["created"], run["got"], run["updated"]
    assert created["title"] == "Made by truto-python-sdk"
    assert got["id"] == created["id"]
    assert (got["title"], got["description"]) == (created["title"], "via the SDK")
    assert updated["id"] == created["id"]
    assert updated["title"] == "Renamed by truto-python-sdk"
    assert updated["description"] == "via the SDK"
    assert run["deleted"]["id"] == created["id"]
    assert run["get_after_delete"] == 404
    assert run["without_account"] == 400


def test_a_base_url_with_a_trailing_slash_still_works(server, run):
    assert run["trailing_slash"] == expected_ids(server, run)


def test_calendars(run):
    calendars = run["calendars"]
    assert calendars[0]["is_default"] is True
    assert {c["id"] for c in calendars} >= {S["google_second_calendar"]}


def test_webhooks_through_the_sdk(run, receiver):
    """The SDK's webhook resource: create (with the secret), list, get, update, test, delete."""
    hooks = run["webhooks"]
    made = hooks["created"]
    assert made["target_url"] == receiver.url + "/truto" and made["secret"]
    assert made["id"] in [w["id"] for w in hooks["listed"]]
    assert "secret" not in hooks["got"] and hooks["got"]["id"] == made["id"]
    assert hooks["updated"]["event_types"] == ["test"]
    assert hooks["tested"] == {"success": True}
    assert hooks["after_delete"] == 404
    (got,) = [r for r in receiver.received if r.json()["webhook_id"] == made["id"]]
    assert got.json()["event"] == "test"
