"""The contract kit's `live` target, end to end: a live fake poses as the real Cronofy API and the
Cronofy contract suite runs against it in a subprocess, configured only through the environment
variables a real run would use (CRONOFY_BASE_URL and one CRONOFY_<STATE> per provider state).

Nothing here depends on how many contract tests exist: it checks that the run succeeds, that
something passed, that every test needing the control plane was skipped rather than failed, and
that no test was skipped for want of configuration."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from contracts.cronofy.conftest import FAKE_STATES
from contracts.kit import WORLD
from mockserver.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]
BASE_ARGS = [
    "contracts/cronofy",
    "--target",
    "live",
    "-q",
    "-p",
    "no:cacheprovider",
    "-n",
    "0",
]
CONTROL_PLANE_SKIP = "needs the fake's /_mock control plane"
TIMEOUT = 900


def live_env(base_url: str) -> dict[str, str]:
    """This process's environment without any Cronofy or pytest settings of its own, plus the
    live target's configuration pointing at `base_url`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CRONOFY_", "PYTEST_"))  # PYTEST_ADDOPTS, PYTEST_XDIST_WORKER, ...
    }
    env["CRONOFY_BASE_URL"] = base_url
    # channels need a callback URL; what is sent there is not read (nobody listens on port 9)
    env["CRONOFY_CALLBACK_URL"] = "http://127.0.0.1:9/cronofy"
    for name, value in FAKE_STATES.items():
        env[f"CRONOFY_{name.upper()}"] = str(value)
    return env


def pytest_run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def summary_counts(stdout: str) -> dict[str, int]:
    """`3 passed, 2 skipped in 1.20s` → {"passed": 3, "skipped": 2}."""
    lines = [line for line in stdout.splitlines() if re.search(r"\bin [\d.]+s\b", line)]
    assert lines, f"no pytest summary line in:\n{stdout}"
    counts: dict[str, int] = {}
    for number, word in re.findall(r"(\d+) (\w+)", lines[-1]):
        counts[word.rstrip("s") if word in ("errors", "warnings") else word] = int(number)
    return counts


def case_key(nodeid: str) -> str:
    """`contracts/cronofy/test_x.py::Cls::test_y[live]` → `contracts.cronofy.test_x.Cls::test_y[live]`,
    the form a junit report names a test by (classname::name)."""
    path, *rest = nodeid.split("::")
    return "::".join([".".join([path.removesuffix(".py").replace("/", "."), *rest[:-1]]), rest[-1]])


def junit_outcomes(path: Path) -> dict[str, tuple[str, str]]:
    """case_key → (outcome, message) from a junit XML report."""
    out: dict[str, tuple[str, str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        key = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            child = case.find(tag)
            if child is not None:
                outcome, message = tag, child.get("message", "")
                break
        out[key] = (outcome, message)
    return out


def fake_only_ids(env: dict[str, str]) -> set[str]:
    """case_keys of the tests the suite marks `fake_only` (collection only, nothing runs)."""
    run = pytest_run([*BASE_ARGS, "--collect-only", "-m", "fake_only"], env)
    assert run.returncode in (0, 5), run.stdout + run.stderr  # 5: none are marked
    return {case_key(line.strip()) for line in run.stdout.splitlines() if "::" in line}


def test_contract_suite_runs_against_a_fake_posing_as_live(tmp_path):
    report = tmp_path / "live.xml"
    with LiveServer(fixture=WORLD()) as srv:
        env = live_env(srv.url)
        run = pytest_run([*BASE_ARGS, "-rs", f"--junitxml={report}"], env)
        output = f"--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"
        assert run.returncode == 0, output

        counts = summary_counts(run.stdout)
        assert counts.get("passed", 0) >= 1, output
        assert counts.get("failed", 0) == 0 and counts.get("error", 0) == 0, output

        # The subprocess really talked to this server: the contract tests' writes are here.
        events = httpx.get(
            f"{srv.url}/v1/events",
            params={"tzid": "Etc/UTC", "only_managed": "true"},
            headers={"Authorization": f"Bearer {FAKE_STATES['access_token']}"},
        )
        assert events.status_code == 200
        assert events.json()["events"], "the live run left no trace on the fake"

        outcomes = junit_outcomes(report)
        assert outcomes, output
        # Every provider state and the base URL arrived: nothing was skipped as unconfigured.
        unconfigured = {k: m for k, (o, m) in outcomes.items() if "not configured" in m}
        assert not unconfigured, unconfigured
        # Tests needing the control plane are skipped, never failed or run.
        control_plane = {k for k, (o, m) in outcomes.items() if CONTROL_PLANE_SKIP in m}
        marked = fake_only_ids(env)
        assert marked <= set(outcomes), (marked, sorted(outcomes))
        for key, (outcome, message) in outcomes.items():
            if key in marked or key in control_plane:
                assert outcome == "skipped", (key, outcome, message)
            else:
                assert outcome in ("passed", "skipped"), (key, outcome, message)
