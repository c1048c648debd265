"""Each test's outcome per target, with the rules it names, taken from pytest's own reports.

At collection every test's rule marks are resolved against `docs/reference/*.md`
(`contracts.rules`) and written into its `user_properties` (`rule`, `target`, `case`,
`fake_only`): they travel with every report, through pytest-xdist workers and into junit XML.
The controller turns the reports into one outcome per (test, target) and, at the end of the run,
writes them to the results file (`rule_results` ini option / `--rule-results`), which
`scripts/rule_coverage.py` renders as docs/COVERAGE.md.

A run is *complete* when it ran the whole suite (every `testpaths` entry, or the root), with
nothing deselected, no collection errors and no early stop; only a complete run's results can
say that a rule is covered (contracts.coverage checks that at the end of such a run).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from contracts import rules

FAKE_TARGETS = ("asgi", "http")
NO_TARGET = "-"  # a test with no target parameter (in-process, fake-internal)
RESULTS_VERSION = 1
PROBLEMS = pytest.StashKey[list[str]]()


def case_of(item: pytest.Item) -> tuple[str, str]:
    """(the test's id without its target, the target) — the same case on every target."""
    callspec = getattr(item, "callspec", None)
    target = callspec.params.get("target") if callspec is not None else None
    if not isinstance(target, str):
        return item.nodeid, NO_TARGET
    base, _, params = item.nodeid.partition("[")
    parts = params.removesuffix("]").split("-")
    if target in parts:
        parts.remove(target)
    rest = "-".join(parts)
    return (f"{base}[{rest}]" if rest else base), target


def function_of(case: str) -> str:
    """`path::test[params]` -> `path::test`."""
    return case.partition("[")[0]


def annotate(items: list[pytest.Item], references: dict[str, rules.Reference]) -> None:
    """Resolve every test's rule marks; problems fail the test at setup (see `setup_check`)."""
    for item in items:
        marks = [(m.args, m.kwargs) for m in item.iter_markers("rule")]
        keys, problems = rules.resolve(references, marks) if references else ([], [])
        name = getattr(item, "originalname", None) or item.name
        number = rules.named_rule(name)
        home = item.path.parent.name
        if references and number and home in references and f"{home}:{number}" not in keys:
            problems.append(
                f"{name} is named after rule {number} of docs/reference/{home}.md but has no "
                f'@pytest.mark.rule("{home}", {number}) (python scripts/add_rule_markers.py)'
            )
        item.stash[PROBLEMS] = problems
        case, target = case_of(item)
        props = item.user_properties
        props.extend(("rule", key) for key in keys)
        props.append(("case", case))
        props.append(("target", target))
        if item.get_closest_marker("fake_only"):
            props.append(("fake_only", "true"))


def setup_check(item: pytest.Item) -> None:
    problems = item.stash.get(PROBLEMS, [])
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


def _short(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _message(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, "Skipped: x")
        return _short(str(longrepr[2]).removeprefix("Skipped: "))
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return _short(crash.message)
    return _short(report.longreprtext.strip().splitlines()[-1] if report.longreprtext else "")


def outcome_of(report: pytest.TestReport) -> tuple[str, str] | None:
    """What one report says about its test, or None when it says nothing new."""
    xfail = getattr(report, "wasxfail", None)
    if report.when == "call":
        if xfail is not None:
            return ("xfailed" if report.skipped else "xpassed"), _short(xfail)
        if report.passed:
            return "passed", ""
        return ("failed" if report.failed else "skipped"), _message(report)
    if report.when == "setup":
        if report.failed:
            return "error", _message(report)
        if report.skipped:
            return ("xfailed" if xfail is not None else "skipped"), _message(report)
        return None
    if report.failed:  # teardown
        return "error", _message(report)
    return None


@dataclass
class Case:
    path: str
    rules: list[str] = field(default_factory=list)
    fake_only: bool = False
    outcomes: dict[str, dict[str, str]] = field(default_factory=dict)  # target -> outcome

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rules": self.rules,
            "fake_only": self.fake_only,
            "outcomes": dict(sorted(self.outcomes.items())),
        }


@dataclass
class Results:
    """Outcomes of one run: case id -> Case; `complete` and why not."""

    cases: dict[str, Case] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    complete: bool = False
    partial: list[str] = field(default_factory=list)  # why the run is not complete
    created: str = ""

    def add(self, report: pytest.TestReport) -> None:
        found = outcome_of(report)
        if found is None:
            return
        props: dict[str, Any] = {}
        marked: list[str] = []
        for name, value in report.user_properties:
            if name == "rule":
                marked.append(value)
            else:
                props[name] = value
        case_id = props.get("case")
        if case_id is None:  # collected without the kit's annotation
            return
        case = self.cases.setdefault(
            case_id, Case(path=report.nodeid.partition("::")[0], rules=marked)
        )
        case.fake_only = case.fake_only or props.get("fake_only") == "true"
        target = props.get("target", NO_TARGET)
        outcome, message = found
        current = case.outcomes.get(target)
        if current is not None and current["outcome"] == "error" and report.when != "setup":
            return  # an error before stays an error
        case.outcomes[target] = {"outcome": outcome, "message": message}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RESULTS_VERSION,
            "created": self.created,
            "complete": self.complete,
            "partial": self.partial,
            "targets": self.targets,
            "cases": {k: c.to_json() for k, c in sorted(self.cases.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Results:
        if data.get("version") != RESULTS_VERSION:
            raise ValueError(f"results file version {data.get('version')!r} is not supported")
        cases = {
            k: Case(v["path"], list(v["rules"]), bool(v["fake_only"]), dict(v["outcomes"]))
            for k, v in data["cases"].items()
        }
        return cls(
            cases,
            list(data["targets"]),
            bool(data["complete"]),
            list(data["partial"]),
            data.get("created", ""),
        )

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path) -> Results:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_junit(cls, path: Path, targets: list[str] | None = None) -> Results:
        """The same results from a junit XML report of a run with the kit loaded (its
        testcases carry the kit's properties). A junit file cannot say whether the run was
        complete: it is treated as complete."""
        import xml.etree.ElementTree as ET

        out = cls(targets=list(targets or FAKE_TARGETS), complete=True)
        for testcase in ET.parse(path).getroot().iter("testcase"):
            props: dict[str, str] = {}
            marked = []
            for prop in testcase.iter("property"):
                if prop.get("name") == "rule":
                    marked.append(prop.get("value", ""))
                else:
                    props[prop.get("name", "")] = prop.get("value", "")
            if "case" not in props:
                continue
            outcome, message = "passed", ""
            for tag in ("failure", "error", "skipped"):
                child = testcase.find(tag)
                if child is not None:
                    outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                    message = _short(child.get("message", ""))
                    if tag == "skipped" and child.get("type") == "pytest.xfail":
                        outcome = "xfailed"
                    break
            case = out.cases.setdefault(
                props["case"], Case(props["case"].partition("::")[0], marked)
            )
            case.fake_only = props.get("fake_only") == "true"
            case.outcomes[props.get("target", NO_TARGET)] = {
                "outcome": outcome,
                "message": message,
            }
        return out


def partial_reasons(config: pytest.Config, collect_errors: int, stopped: bool) -> list[str]:
    """Why this run is not the whole suite (empty when it is)."""
    why = []
    opt = config.option
    for flag, value in (
        ("-k", getattr(opt, "keyword", "")),
        ("-m", getattr(opt, "markexpr", "")),
        ("--deselect", getattr(opt, "deselect", None)),
        ("--lf", getattr(opt, "lf", False)),
        ("--sw", getattr(opt, "stepwise", False)),
    ):
        if value:
            why.append(f"{flag} was given")
    root = config.rootpath.resolve()
    wanted = [(root / p).resolve() for p in config.getini("testpaths")] or [root]
    given = [
        (config.invocation_params.dir / str(arg).partition("::")[0]).resolve()
        for arg in config.args
    ]
    if any("::" in str(arg) for arg in config.args):
        why.append("single tests were named")
    for path in wanted:
        if not any(g == path or g in path.parents for g in given):
            why.append(f"not all of {path.relative_to(root) if path != root else '.'}/ ran")
    if collect_errors:
        why.append(f"{collect_errors} collection error(s)")
    if stopped:
        why.append("the run stopped early")
    return why


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
