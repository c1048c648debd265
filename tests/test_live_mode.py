"""The contract kit's `live` target, end to end: a live fake poses as the real Cronofy API and the
Cronofy contract suite runs against it in a subprocess, configured only through the environment
variables a real run would use (CRONOFY_BASE_URL and one CRONOFY_<STATE> per provider state).

Nothing here depends on how many contract tests exist: it checks that the run succeeds, that
something passed, that every test needing the control plane was skipped rather than failed, that
no test was skipped for want of configuration, and that the run wrote its evidence file. Then
what keeps a live run honest: an unconfigured run fails naming what is missing, `--allow-partial`
runs what is configured, a run that only skipped fails, and a second run that finds a disposable
state used up says how to restore it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import httpx
import pytest

from contracts.cronofy.conftest import FAKE_STATES, SUITE
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
    "-o",
    "rule_results=",  # this run's outcomes are not the repository's
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
    proof = tmp_path / "evidence"
    with LiveServer(fixture=WORLD()) as srv:
        env = live_env(srv.url)
        run = pytest_run(
            [*BASE_ARGS, "-rs", f"--junitxml={report}", f"--evidence-dir={proof}"], env
        )
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

        # The evidence file: per test its rules, outcome, date and host; per run the versions.
        ledger = json.loads((proof / "cronofy.json").read_text())
        last = ledger["runs"][-1]
        assert last["api_host"] == "127.0.0.1" and last["partial"] is False
        assert last["date"][:10] == date.today().isoformat()
        assert {"python", "httpx", "pytest", "pycronofy"} <= set(last["sdk_versions"])
        assert last["counts"]["passed"] == counts["passed"]
        tests = ledger["tests"]
        assert len(tests) == len(outcomes)
        passed = {k: t for k, t in tests.items() if t["outcome"] == "passed"}
        assert passed and all(t["verified"] == t["date"] for t in passed.values())
        assert all(t["rules"] for k, t in tests.items() if "::test_rule_" in k)
        assert all(k.startswith("contracts/cronofy/") and "[live" not in k for k in tests)
        assert "cronofy:36" in {r for t in passed.values() for r in t["rules"]}

        # A second run finds the disposable external event of rule 35 deleted: it fails and
        # says how to make a fresh one.
        again = pytest_run(
            ["contracts/cronofy/test_external_events.py", *SMALL, f"--evidence-dir={proof}"]
            + ["-k", "test_rule_35_external_event_is_deletable"],
            env,
        )
        assert again.returncode == 1, again.stdout
        assert (
            "CRONOFY_DISPOSABLE_EXTERNAL_EVENT: 'evt_external_c0ntract000000000000005' was used "
            "up by an earlier live run. To restore: create an event in the calendar "
            "$CRONOFY_WRITABLE_CALENDAR from the calendar's own app"
        ) in again.stdout
        after = json.loads((proof / "cronofy.json").read_text())
        key = "contracts/cronofy/test_external_events.py::test_rule_35_external_event_is_deletable_by_event_uid"
        assert (after["tests"][key]["outcome"], after["tests"][key]["verified"]) == (
            "failed",
            tests[key]["verified"],  # the day it last passed is kept
        )
        assert len(after["runs"]) == 2


def only_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# The checks below need no more than one module of the suite, and none of the other plugins.
SMALL = [
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:faker",
    "-p",
    "no:calendar_mockserver",
    *BASE_ARGS[1:],
]


def test_an_unconfigured_live_run_fails_naming_every_missing_variable():
    bare = {k: v for k, v in live_env("http://127.0.0.1:9").items() if not k.startswith("CRONOFY_")}
    run = pytest_run(["contracts/cronofy/test_calendars.py", *SMALL], bare)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert only_lines(run.stderr) == [
        f"ERROR: live run not configured: set {', '.join(SUITE.variables())} "
        "(or pass --allow-partial to run only what is configured)"
    ]
    assert "CRONOFY_BASE_URL" in SUITE.variables() and len(SUITE.variables()) > 20

    some = live_env("http://127.0.0.1:9")
    del some["CRONOFY_READONLY_CALENDAR"], some["CRONOFY_CLIENT_SECRET"]
    # with the default -n auto too: a live run is one process, so the check is one line too
    auto = [a for a in SMALL if a not in ("-n", "0")]
    run = pytest_run(["contracts/cronofy/test_calendars.py", *auto], some)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert "bringing up nodes" not in run.stdout
    assert "set CRONOFY_CLIENT_SECRET, CRONOFY_READONLY_CALENDAR (or pass" in run.stderr


def test_allow_partial_runs_what_is_configured_and_says_so(tmp_path):
    proof = tmp_path / "evidence"
    with LiveServer(fixture=WORLD()) as srv:
        env = live_env(srv.url)
        del env["CRONOFY_READONLY_CALENDAR"]
        args = ["contracts/cronofy/test_upsert.py", *SMALL, "-rs", "--allow-partial"]
        args += [f"--evidence-dir={proof}", "-k", "rule_25_"]
        run = pytest_run(args, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "not configured: set CRONOFY_READONLY_CALENDAR" in run.stdout
    counts = summary_counts(run.stdout)
    assert counts.get("passed", 0) >= 1 and counts.get("skipped", 0) >= 1, run.stdout
    last = json.loads((proof / "cronofy.json").read_text())["runs"][-1]
    assert (last["partial"], last["missing"]) == (True, ["CRONOFY_READONLY_CALENDAR"])


def test_a_live_run_that_only_skipped_fails(tmp_path):
    bare = {k: v for k, v in live_env("http://127.0.0.1:9").items() if not k.startswith("CRONOFY_")}
    args = ["contracts/cronofy/test_transport_auth.py", *SMALL, "--allow-partial"]
    args += [f"--evidence-dir={tmp_path}", "-k", "rule_1_ or rule_2_"]
    run = pytest_run(args, bare)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(
        r"FAILED live run verified nothing: none of its \d+ live test\(s\) passed", run.stdout
    )
    assert "failed" not in summary_counts(run.stdout)  # nothing failed; it just proved nothing
