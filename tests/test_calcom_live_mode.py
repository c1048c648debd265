"""The Cal.com contract suite's `live` target, end to end: a live fake poses as the real Cal.com
API and contracts/calcom runs against it in a subprocess, configured only through the variables
a real run would use (CALCOM_BASE_URL, CALCOM_API_KEY, one CALCOM_<STATE> per provider state).
No reset happens between the tests there, as against a real API: this also proves the suite
does not depend on one.

The fake's API-key budget is raised and the rule 31 test (which spends a whole budget and
asserts 120) left out: against the real API the client waits out 429s instead, which would make
this run take minutes. Rule 31 runs on the asgi and http targets.

It checks that the run succeeds, that every test needing the control plane was skipped (never
run or failed), and that no test was skipped for want of configuration."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from contracts.calcom.conftest import FAKE_STATES
from contracts.kit import WORLD
from mockserver.calcom.settings import CalcomSettings
from mockserver.settings import Settings
from mockserver.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "contracts/calcom",
    "--target",
    "live",
    "-q",
    "-p",
    "no:cacheprovider",
    "-n",
    "0",
    "-k",
    "not test_rule_31_",
    "-o",
    "rule_results=",
]
CONTROL_PLANE_SKIP = "needs the fake's /_mock control plane"


def live_env(base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALCOM_", "PYTEST_"))}
    env["CALCOM_BASE_URL"] = base_url
    env["CALCOM_CALLBACK_URL"] = "http://127.0.0.1:9/calcom"  # webhooks need a target URL
    for name, value in FAKE_STATES.items():
        env[f"CALCOM_{name.upper()}"] = str(value)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def outcomes(report: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            child = case.find(tag)
            if child is not None:
                outcome, message = tag, child.get("message", "")
                break
        out[f"{case.get('classname')}::{case.get('name')}"] = (outcome, message)
    return out


def fake_only(env: dict[str, str]) -> set[str]:
    collected = run([*ARGS, "--collect-only", "-m", "fake_only"], env)
    assert collected.returncode in (0, 5), collected.stdout + collected.stderr
    keys = set()
    for line in collected.stdout.splitlines():
        if "::" not in line:
            continue
        path, *rest = line.strip().split("::")
        keys.add(f"{path.removesuffix('.py').replace('/', '.')}::{rest[-1]}")
    return keys


def test_calcom_contracts_run_against_a_fake_posing_as_live(tmp_path):
    report = tmp_path / "live.xml"
    settings = Settings(calcom=CalcomSettings(api_key_limit=100_000))
    with LiveServer(fixture=WORLD(), settings=settings) as srv:
        env = live_env(srv.url)
        done = run([*ARGS, "-rs", f"--junitxml={report}", f"--evidence-dir={tmp_path}"], env)
        output = f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        assert done.returncode == 0, output
        assert re.search(r"\d+ passed", done.stdout), output
        # the subprocess really talked to this server: its bookings are here
        bookings = httpx.get(
            f"{srv.url}/v2/bookings",
            params={"status": "cancelled"},
            headers={
                "Authorization": f"Bearer {FAKE_STATES['api_key']}",
                "cal-api-version": "2024-08-13",
            },
        )
        assert bookings.json()["pagination"]["totalItems"] >= 1, output
    found = outcomes(report)
    assert found, output
    ledger = json.loads((tmp_path / "calcom.json").read_text())
    assert ledger["runs"][-1]["api_host"] == "127.0.0.1"
    assert len(ledger["tests"]) == len(found)
    unconfigured = {k: m for k, (o, m) in found.items() if "not configured" in m}
    assert not unconfigured, unconfigured
    marked = fake_only(env)
    assert marked and marked <= set(found), (marked, sorted(found))
    for key, (outcome, message) in found.items():
        if key in marked or CONTROL_PLANE_SKIP in message:
            assert outcome == "skipped", (key, outcome, message)
        else:
            assert outcome in ("passed", "skipped"), (key, outcome, message)
