"""The nightly workflow (.github/workflows/contracts-live.yml, written by
scripts/live_workflow.py) stays in step with the suites: one job per live suite, every variable
the suite needs mapped from the secret of the same name, the live command the README gives, and
the evidence file the kit writes uploaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from contracts.live import discover

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "contracts-live.yml"
SUITES = discover()
SUITE_NAMES = ("cronofy", "calcom", "truto")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_it_runs_nightly_and_by_hand(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"]
    assert "allow_partial" in triggers["workflow_dispatch"]["inputs"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("name", SUITE_NAMES)
def test_each_suite_has_a_job_with_every_variable_from_secrets(workflow, name):
    suite = SUITES[name]
    job = workflow["jobs"][name]
    assert job["env"] == {v: f"${{{{ secrets.{v} }}}}" for v in suite.variables()}
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert f"pytest contracts/{name} --target live -n 0" in commands
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["if"] == "always()"
    assert f"docs/evidence/live/{name}.json" in uploads[0]["with"]["path"]


def test_every_suite_is_in_the_workflow(workflow):
    assert set(SUITES) <= set(workflow["jobs"])
    assert set(workflow["jobs"]["evidence"]["needs"]) == set(SUITE_NAMES)


def test_the_workflow_is_what_the_generator_writes():
    done = subprocess.run(
        [sys.executable, "scripts/live_workflow.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
