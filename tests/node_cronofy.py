"""The npm `cronofy` package for the tests that drive it (tests/test_cronofy_node*.py): installed
once from the registry into the repository's `.node-cronofy/` (under a lock: xdist workers share
it), or skipped with the reason when node and npm are missing."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOME = Path(os.environ.get("CRONOFY_NODE_DIR", ROOT / ".node-cronofy"))
PACKAGE = "cronofy@3.8.4"
MARKER = HOME / ".installed-cronofy-3.8.4"


def installed() -> Path:
    """The installed package's directory (`node_modules/cronofy`)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("the npm cronofy package needs node and npm: not found")
    HOME.parent.mkdir(parents=True, exist_ok=True)
    with open(HOME.with_name(HOME.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        module = HOME / "node_modules" / "cronofy"
        if MARKER.exists() and module.exists():
            return module
        HOME.mkdir(exist_ok=True)
        (HOME / "package.json").write_text('{"name": "cronofy-sdk-check", "private": true}\n')
        print(
            f"\nnpm: installing {PACKAGE} into {HOME} for the npm cronofy client tests", flush=True
        )
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", PACKAGE],
            cwd=HOME,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"npm install {PACKAGE} failed:\n{result.stdout}\n{result.stderr}")
        MARKER.write_text(PACKAGE + "\n")
        return module
