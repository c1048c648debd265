"""Long waits say what they wait for: the Cal.com live kit's sleep on a 429, and the first run's
Python 3.12 virtualenv for the Truto SDK tests and the truto-ts-sdk's npm install (lines in
pytest's header)."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import httpx

from contracts import kit
from contracts.calcom import conftest as calcom_kit
from contracts.kit import ProviderStates, Target

ROOT = Path(__file__).resolve().parents[1]


def test_a_live_429_wait_says_what_it_waits_for(monkeypatch):
    answers = iter(
        [httpx.Response(429, headers={"X-RateLimit-Reset-Default": "7"}), httpx.Response(200)]
    )
    transport = httpx.MockTransport(lambda request: next(answers))
    slept: list[float] = []
    monkeypatch.setattr(calcom_kit.time, "sleep", slept.append)
    err = io.StringIO()
    monkeypatch.setattr(sys, "__stderr__", err)
    with httpx.Client(transport=transport) as client:
        target = Target("live", client, "")
        states = ProviderStates(target, {}, "CALCOM_")
        monkeypatch.setenv("CALCOM_API_KEY", "cal_live_x0000000000")
        cal = calcom_kit.Calcom(target, "https://cal.example", states)
        response = cal.request("GET", "/v2/me")
    assert response.status_code == 200
    assert slept == [8]
    said = err.getvalue()
    assert "Cal.com answered 429 to GET /v2/me: waiting 8 s" in said
    assert "X-RateLimit-Reset-Default" in said


def test_notice_goes_past_output_capture(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "__stderr__", err)
    kit.notice("waiting for something")
    assert err.getvalue() == "\n[contracts] waiting for something\n"


def test_the_first_run_says_it_builds_the_sdk_virtualenv(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "_SDK_VENV", tmp_path / "venv")
    monkeypatch.setattr(module, "_TS_SDK_DIR", tmp_path / "node")
    monkeypatch.setattr(module, "_CRONOFY_NODE", tmp_path / "cronofy")
    [line, ts_line, cronofy_line] = module.pytest_report_header(None)
    assert "builds a Python 3.12 virtualenv" in line and "truto-python-sdk" in line
    marker = tmp_path / "venv" / ".installed-truto-python-sdk-0.1.6"
    marker.parent.mkdir()
    marker.write_text("done")
    assert module.pytest_report_header(None) == [ts_line, cronofy_line]
    assert "installs the truto-ts-sdk's dependencies" in ts_line and "npm" in ts_line
    (tmp_path / "node").mkdir()
    (tmp_path / "node" / ".installed").write_text("done")
    assert module.pytest_report_header(None) == [cronofy_line]
    assert "npm cronofy package" in cronofy_line
    (tmp_path / "cronofy").mkdir()
    (tmp_path / "cronofy" / ".installed-cronofy-3.8.4").write_text("done")
    assert module.pytest_report_header(None) == []
