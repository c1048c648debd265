"""The live evidence ledger and what docs/COVERAGE.md makes of it; disposable provider states.
(The live runs that write evidence are driven end to end in tests/test_live_mode.py.)"""

from __future__ import annotations

import pytest

from contracts import coverage, evidence, rules
from contracts.live import SUITES, LiveSuite, ProviderStates
from contracts.outcomes import Case, Results

CASE = "contracts/demo/test_x.py::test_rule_1_get"
CASES = [f"contracts/demo/test_x.py::test_rule_2_each[{n}]" for n in ("a", "b")]


def run(date: str, host: str = "api.example.com") -> dict:
    return {"date": f"{date}T02:00:00Z", "api_host": host, "sdk_versions": {}, "partial": False}


def entry(outcome: str, message: str = "") -> dict:
    return {"rules": ["demo:1"], "outcome": outcome, "message": message}


def test_the_ledger_keeps_the_day_a_test_last_passed():
    one = evidence.merge({}, suite="demo", run=run("2026-01-02"), tests={CASE: entry("passed")})
    assert one["tests"][CASE]["verified"] == "2026-01-02"
    two = evidence.merge(one, suite="demo", run=run("2026-01-03"), tests={CASE: entry("failed")})
    assert two["tests"][CASE] | {"rules": None} == {
        "rules": None,
        "outcome": "failed",
        "message": "",
        "date": "2026-01-03",
        "api_host": "api.example.com",
        "verified": "2026-01-02",
        "verified_host": "api.example.com",
    }
    assert [r["date"][:10] for r in two["runs"]] == ["2026-01-02", "2026-01-03"]
    other = "contracts/demo/test_x.py::test_other"
    three = evidence.merge(two, suite="demo", run=run("2026-01-04"), tests={other: entry("passed")})
    assert three["tests"][CASE]["outcome"] == "failed"  # not run this time: kept


def test_a_fake_posing_as_the_api_never_replaces_a_real_verification():
    real = evidence.merge({}, suite="demo", run=run("2026-01-02"), tests={CASE: entry("passed")})
    posed = evidence.merge(
        real, suite="demo", run=run("2026-01-05", "127.0.0.1"), tests={CASE: entry("passed")}
    )
    assert posed["tests"][CASE]["verified"] == "2026-01-02"
    assert posed["tests"][CASE]["verified_host"] == "api.example.com"


def test_runs_are_bounded():
    ledger: dict = {}
    for day in range(1, evidence.KEEP_RUNS + 6):
        ledger = evidence.merge(ledger, suite="d", run=run(f"2026-02-{day:02d}"), tests={})
    assert len(ledger["runs"]) == evidence.KEEP_RUNS


@pytest.fixture
def demo(tmp_path) -> dict[str, rules.Reference]:
    (tmp_path / "demo.md").write_text(
        "## Rules a faithful fake must enforce\n1. GET answers 200.\n2. Each answers.\n"
    )
    return rules.load(tmp_path)


def results() -> Results:
    passed = {
        "asgi": {"outcome": "passed", "message": ""},
        "http": {"outcome": "passed", "message": ""},
    }
    cases = {CASE: Case("contracts/demo/test_x.py", ["demo:1"], outcomes=dict(passed))}
    for c in CASES:
        cases[c] = Case("contracts/demo/test_x.py", ["demo:2"], outcomes=dict(passed))
    return Results(cases, ["asgi", "http"], complete=True)


def table(demo, live) -> str:
    res = results()
    return coverage.render(demo, res, coverage.evaluate(demo, res, {}, live), live)


def ledger_entry(outcome: str, date: str, verified: str | None, host: str = "api.example.com"):
    return {
        "rules": [],
        "outcome": outcome,
        "message": "needs a state" if outcome == "skipped" else "",
        "date": date,
        "api_host": host,
        "verified": verified,
        "verified_host": host if verified else None,
    }


def test_the_table_shows_verified_live_on_the_day_every_case_passed(demo):
    live = {
        CASE: ledger_entry("passed", "2026-01-02", "2026-01-02"),
        CASES[0]: ledger_entry("passed", "2026-01-03", "2026-01-03"),
        CASES[1]: ledger_entry("skipped", "2026-01-03", None),
    }
    text = table(demo, live)
    assert (
        "| covered; verified live on 2026-01-02 | `contracts/demo/test_x.py::test_rule_1_get` | passed | passed | verified live on 2026-01-02 |"
        in text
    )
    assert "1 passed, 1 skipped live on 2026-01-03: needs a state |" in text
    assert "| [demo](#demo) | 2 | 2 | 0 | 0 | 1 |" in text


def test_failing_live_after_a_verification_shows_both(demo):
    live = {CASE: ledger_entry("failed", "2026-01-09", "2026-01-02")}
    assert "| 1 failed live on 2026-01-09; last verified 2026-01-02 |" in table(demo, live)


def test_evidence_from_a_loopback_host_is_not_shown_as_verified(demo):
    live = {CASE: ledger_entry("passed", "2026-01-02", "2026-01-02", host="127.0.0.1")}
    text = table(demo, live)
    assert "verified live on 2026" not in text
    assert "| passed | passed | not run live |" in text


class FakeTarget:
    def __init__(self, is_fake: bool) -> None:
        self.is_fake = is_fake


def test_a_disposable_state_takes_the_first_usable_value_of_its_pool(monkeypatch):
    monkeypatch.setenv("DEMO_DOOMED", "gone-1, fresh-2,fresh-3")
    states = ProviderStates(
        FakeTarget(False), {"doomed": "seeded"}, "DEMO_", {"doomed": "make one"}
    )
    assert states.disposable("doomed", lambda v: v.startswith("fresh")) == "fresh-2"
    assert states.get("doomed") == "fresh-2"  # the rest of the test sees the same value
    fake = ProviderStates(FakeTarget(True), {"doomed": "seeded"}, "DEMO_")
    assert fake.disposable("doomed", lambda v: False) == "seeded"


def test_a_used_up_pool_fails_with_the_restore_step(monkeypatch):
    monkeypatch.setenv("DEMO_DOOMED", "a,b")
    states = ProviderStates(FakeTarget(False), {"doomed": "x"}, "DEMO_", {"doomed": "make one"})
    with pytest.raises(pytest.fail.Exception) as failed:
        states.disposable("doomed", lambda v: False)
    assert str(failed.value) == (
        "DEMO_DOOMED: all 2 values were used up by an earlier live run. To restore: make one"
    )


def test_a_suite_lists_the_variables_a_live_run_needs(tmp_path):
    suite = LiveSuite(
        "demo_suite",
        tmp_path / "conftest.py",
        env_prefix="DEMO_",
        states={"token": "t", "calendar": "c", "fake_thing": "f"},
        not_live={"fake_thing": "only a fake-only test reads it"},
    )
    try:
        assert suite.variables() == ["DEMO_BASE_URL", "DEMO_TOKEN", "DEMO_CALENDAR"]
        assert suite.missing({"DEMO_BASE_URL": "https://x", "DEMO_TOKEN": ""}) == [
            "DEMO_TOKEN",
            "DEMO_CALENDAR",
        ]
        with pytest.raises(ValueError, match="no provider states"):
            LiveSuite("bad", tmp_path / "c.py", env_prefix="B_", states={}, restore={"x": "y"})
    finally:
        SUITES.pop("demo_suite", None)
