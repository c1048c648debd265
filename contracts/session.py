"""One pytest run as the contract kit sees it: the outcomes it records, the checks at its end
(rule coverage, docs/COVERAGE.md freshness, a live run that verified nothing) and the files it
writes (the results file, live evidence). The hooks in contracts/kit.py call into this."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from contracts import coverage, evidence, live, outcomes, rules

DEFAULT_TARGETS = {"asgi", "http"}


class ContractRun:
    def __init__(self, config: pytest.Config, targets: list[str]) -> None:
        self.config = config
        self.targets = targets
        self.controller = not hasattr(config, "workerinput")
        self.results = outcomes.Results(targets=list(targets))
        self.collect_errors = 0
        self.summary: list[str] = []
        self.live_missing: dict[str, list[str]] = {}
        self.started = outcomes.now_stamp()
        self.finished = False
        ref_dir = config.rootpath / config.getini("rule_references")
        self.references = rules.load(ref_dir) if ref_dir.is_dir() else {}

    # -- pytest hooks (the object is registered as a plugin) ------------------------------

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors += 1

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.controller:
            self.results.add(report)

    # -- paths ----------------------------------------------------------------------------

    def _path(self, option: str, ini: str) -> Path | None:
        value = self.config.getoption(option)
        if value is None:
            value = self.config.getini(ini)
        if not value:
            return None
        path = Path(value)
        return path if path.is_absolute() else self.config.rootpath / path

    @property
    def results_path(self) -> Path | None:
        return self._path("--rule-results", "rule_results")

    @property
    def evidence_dir(self) -> Path | None:
        return self._path("--evidence-dir", "evidence_dir")

    @property
    def coverage_file(self) -> Path:
        return self.config.rootpath / self.config.getini("rule_coverage_file")

    # -- the end of the run ---------------------------------------------------------------

    def finish(self, session: pytest.Session) -> list[str]:
        """Every check the run fails on, each one line (also kept for the terminal summary)."""
        self.finished = True
        stopped = bool(session.shouldstop or session.shouldfail)
        self.results.partial = outcomes.partial_reasons(self.config, self.collect_errors, stopped)
        self.results.complete = not self.results.partial
        self.results.created = self.started
        failures: list[str] = []
        has_rules = any(c.rules for c in self.results.cases.values())
        fake = [t for t in self.targets if t in outcomes.FAKE_TARGETS]
        if self.references and has_rules and fake:
            if self.results.complete:
                failures += self._coverage_checks()
            else:
                self.summary.append(
                    "rule coverage not checked (not a complete run: "
                    + "; ".join(self.results.partial)
                    + ")"
                )
        if "live" in self.targets:
            failures += self._live_checks()
        self.summary += failures
        return failures

    def _coverage_checks(self) -> list[str]:
        not_emulated = coverage.read_not_emulated(
            self.config.rootpath / self.config.getini("rule_not_emulated")
        )
        proof = evidence.load_all(self.evidence_dir) if self.evidence_dir else {}
        cov = coverage.evaluate(self.references, self.results, not_emulated, proof)
        failures = [f"FAILED rule coverage: {p}" for p in cov.problems]
        if not failures:
            counts = Counter(c.state for covs in cov.rules.values() for c in covs)
            self.summary.append(
                "rule coverage: " + ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
            )
        if set(self.targets) == DEFAULT_TARGETS and self.config.getini("rule_coverage_file"):
            text = coverage.render(self.references, self.results, cov, proof)
            current = (
                self.coverage_file.read_text(encoding="utf-8")
                if self.coverage_file.is_file()
                else ""
            )
            if current != text:
                rel = self.coverage_file.relative_to(self.config.rootpath)
                failures.append(
                    f"FAILED {rel} is out of date with this run's outcomes: "
                    "run python scripts/rule_coverage.py (it reads this run's results)"
                )
        return failures

    def _live_cases(self) -> dict[str, outcomes.Case]:
        return {k: c for k, c in self.results.cases.items() if "live" in c.outcomes}

    def _live_checks(self) -> list[str]:
        cases = self._live_cases()
        if not cases:
            return []
        counts = Counter(c.outcomes["live"]["outcome"] for c in cases.values())
        if counts["passed"] == 0:
            return [
                f"FAILED live run verified nothing: none of its {len(cases)} live test(s) passed "
                f"({', '.join(f'{n} {o}' for o, n in sorted(counts.items()))})"
            ]
        return []

    # -- files ----------------------------------------------------------------------------

    def write(self) -> list[Path]:
        if not self.finished:  # interrupted (Ctrl-C, -x under xdist): never complete
            self.results.partial = ["the run did not finish"]
            self.results.complete = False
            self.results.created = self.started
        written = []
        path = self.results_path
        if path is not None and self.results.cases:
            self.results.write(path)
            written.append(path)
        if "live" in self.targets and self.evidence_dir is not None:
            written += self._write_evidence(self.evidence_dir)
        return written

    def _write_evidence(self, directory: Path) -> list[Path]:
        by_suite: dict[str, dict[str, dict[str, Any]]] = {}
        for case_id, case in self._live_cases().items():
            suite = live.suite_for(self.config.rootpath / case.path)
            if suite is None:
                continue
            result = case.outcomes["live"]
            by_suite.setdefault(suite.name, {})[case_id] = {
                "rules": case.rules,
                "outcome": result["outcome"],
                "message": result["message"],
            }
        written = []
        for name, tests in sorted(by_suite.items()):
            suite = live.SUITES[name]
            base_url = os.environ.get(suite.base_url_env, "")
            run = {
                "date": self.started,
                "api_host": evidence.host_of(base_url) if base_url else "",
                "base_url": f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
                if base_url
                else "",
                "partial": bool(self.live_missing.get(name)),
                "missing": self.live_missing.get(name, []),
                "counts": dict(sorted(Counter(t["outcome"] for t in tests.values()).items())),
                "sdk_versions": evidence.versions(suite.packages),
            }
            path = directory / f"{name}.json"
            evidence.write(
                path, evidence.merge(evidence.read(path), suite=name, run=run, tests=tests)
            )
            written.append(path)
        return written
