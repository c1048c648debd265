"""Rule coverage from test outcomes: which documented rules a passing test backs, which are
listed as not emulated (contracts/not_emulated.toml), which are uncovered; rendered as
docs/COVERAGE.md with each rule's tests, their outcome per target (asgi, http) and their live
record (contracts.evidence).

A rule is *covered* only when at least one test naming it (`@pytest.mark.rule`) passed on a fake
target in a complete run: a rule whose tests were all skipped, failed or xfailed is uncovered.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts import evidence, rules
from contracts.outcomes import FAKE_TARGETS, NO_TARGET, Results, function_of

NOT_EMULATED_FILE = Path(__file__).with_name("not_emulated.toml")
ALL = "*"
PASSED = "passed"


def read_not_emulated(path: Path = NOT_EMULATED_FILE) -> dict[str, dict[str, str]]:
    """reference -> {rule id or "*": reason}."""
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {ref: {str(k): str(v) for k, v in entries.items()} for ref, entries in data.items()}


@dataclass
class RuleCoverage:
    rule: rules.Rule
    tests: dict[str, list[str]] = field(default_factory=dict)  # function -> its case ids
    state: str = "uncovered"  # covered | not emulated | uncovered
    reason: str = ""
    verified: str | None = None  # the latest date a test of the rule passed live


@dataclass
class Coverage:
    rules: dict[str, list[RuleCoverage]]  # reference -> its rules, in document order
    problems: list[str]  # what fails the coverage check


def _fake_outcomes(case: dict[str, dict[str, str]]) -> list[str]:
    return [o["outcome"] for t, o in case.items() if t in (*FAKE_TARGETS, NO_TARGET)]


def _live(entries: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]]]:
    """The live-verified date of a test's cases (None unless every case passed on a real API
    host at some point) and the entries that count (real hosts only)."""
    real = [e for e in entries if e and not evidence.is_loopback(e.get("api_host", ""))]
    verified = [
        e.get("verified")
        for e in entries
        if e and e.get("verified") and not evidence.is_loopback(e.get("verified_host") or "")
    ]
    if entries and len(verified) == len(entries):
        return min(verified), real
    return None, real


def evaluate(
    references: dict[str, rules.Reference],
    results: Results,
    not_emulated: dict[str, dict[str, str]],
    live: dict[str, dict[str, Any]] | None = None,
) -> Coverage:
    live = live or {}
    problems: list[str] = []
    by_rule: dict[str, dict[str, list[str]]] = {}
    for case_id, case in results.cases.items():
        for key in case.rules:
            by_rule.setdefault(key, {}).setdefault(function_of(case_id), []).append(case_id)
    for ref, entries in sorted(not_emulated.items()):
        if ref not in references:
            problems.append(f"not_emulated.toml: no reference {ref!r}")
            continue
        for rule_id in entries:
            if rule_id != ALL and references[ref].lookup(rule_id) is None:
                problems.append(f"not_emulated.toml: {ref} has no rule {rule_id!r}")
    out: dict[str, list[RuleCoverage]] = {}
    for name, ref in references.items():
        listed = not_emulated.get(name, {})
        out[name] = []
        for rule in ref.rules.values():
            cov = RuleCoverage(rule, dict(sorted(by_rule.get(rule.key, {}).items())))
            cases = [results.cases[c].outcomes for ids in cov.tests.values() for c in ids]
            fake = [o for case in cases for o in _fake_outcomes(case)]
            explicit = next((listed[a] for a in (rule.id, *rule.aliases) if a in listed), None)
            if PASSED in fake:
                cov.state = "covered"
                if explicit is not None:
                    problems.append(
                        f"{rule.key} is listed as not emulated in not_emulated.toml "
                        "but a test of it passes: take it off the list"
                    )
            elif explicit is not None or ALL in listed:
                cov.state, cov.reason = "not emulated", explicit or listed[ALL]
            else:
                cov.reason = _why_uncovered(fake, cases)
                problems.append(f"{rule.key} is uncovered: {cov.reason}")
            dates = [
                d for ids in cov.tests.values() if (d := _live([live.get(c, {}) for c in ids])[0])
            ]
            cov.verified = max(dates) if dates else None
            out[name].append(cov)
    return Coverage(out, problems)


def _why_uncovered(fake: list[str], cases: list[dict[str, dict[str, str]]]) -> str:
    if not cases:
        return "no test names it"
    if not fake:
        return "no test of it ran on a fake target"
    counts = Counter(fake)
    if set(counts) == {"skipped"}:
        reasons = sorted(
            {o["message"] for c in cases for o in c.values() if o["outcome"] == "skipped"}
        )
        return f"every test of it was skipped ({'; '.join(reasons)[:160]})"
    return "no test of it passed (" + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())) + ")"


# -- rendering ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _title(rule: rules.Rule, width: int = 90) -> str:
    text = rule.title(width)
    if text.count("`") % 2:
        text = text.removesuffix("…") + "`…"
    return _cell(text)


def _outcome_cell(outcomes: list[str]) -> str:
    if not outcomes:
        return "—"
    counts = Counter(outcomes)
    if len(counts) == 1:
        (only, n), *_ = counts.items()
        return only if n == 1 else f"{only} ×{n}"
    return ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))


def _live_cell(fake_only: bool, entries: list[dict[str, Any]], n_cases: int) -> str:
    if fake_only:
        return "fake-only"
    verified, real = _live(entries)
    if not real:
        return "not run live"
    outcomes = Counter(e["outcome"] for e in real)
    if verified and len(real) == n_cases and outcomes == Counter({PASSED: n_cases}):
        return f"verified live on {verified}"
    text = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
    text += f" live on {max(e['date'] for e in real)}"
    if len(real) < n_cases:
        text += f" ({len(real)} of {n_cases} cases)"
    skipped = sorted({e["message"] for e in real if e["outcome"] == "skipped" and e["message"]})
    if skipped:
        text += f": {skipped[0][:60]}"
    if verified:
        text += f"; last verified {verified}"
    return _cell(text)


def render(
    references: dict[str, rules.Reference],
    results: Results,
    coverage: Coverage,
    live: dict[str, dict[str, Any]] | None = None,
) -> str:
    live = live or {}
    out = [
        "# Rule coverage",
        "",
        "Generated by `python scripts/rule_coverage.py` from the results of a complete test run "
        "(`build/rule-results.json`, written by every `pytest` run) and the live evidence in "
        "`docs/evidence/live/`; do not edit by hand. A complete run fails when this file is out "
        "of date or when a rule is left uncovered.",
        "",
        "Each reference in `docs/reference/` numbers the rules a faithful fake must enforce. A "
        "rule is **covered** when a test marked `@pytest.mark.rule(<reference>, <rule>)` passed "
        "on a fake target (`asgi`: in-process, `http`: a live fake on a loopback port); a rule "
        "whose tests were all skipped is **uncovered**. **not emulated** rules are listed with "
        "the reason in `contracts/not_emulated.toml`. The live column is the test's last run "
        "against the real API (`--target live`): *verified live on DATE* is the last day every "
        "case of it passed there; *fake-only* tests need the fake's control plane.",
        "",
        "| reference | rules | covered | not emulated | uncovered | verified live |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, covs in coverage.rules.items():
        counts = Counter(c.state for c in covs)
        verified = sum(1 for c in covs if c.verified)
        out.append(
            f"| [{name}](#{name}) | {len(covs)} | {counts['covered']} | "
            f"{counts['not emulated']} | {counts['uncovered']} | {verified} |"
        )
    out.append("")
    for name, covs in coverage.rules.items():
        ref = references[name]
        heading = ref.path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
        out += [
            f"## {name}",
            "",
            f"`docs/reference/{ref.path.name}`: {_cell(heading)}",
            "",
            "| rule | status | test | asgi | http | live |",
            "|---|---|---|---|---|---|",
        ]
        for cov in covs:
            status = cov.state
            if cov.reason:
                status += f": {cov.reason}"
            if cov.verified:
                status += f"; verified live on {cov.verified}"
            head = f"**{cov.rule.id}** {_title(cov.rule)}"
            if not cov.tests:
                out.append(f"| {head} | {_cell(status)} | — | — | — | — |")
                continue
            for i, (function, ids) in enumerate(cov.tests.items()):
                cases = [results.cases[c] for c in ids]
                per_target = {
                    t: [c.outcomes[t]["outcome"] for c in cases if t in c.outcomes]
                    for t in (*FAKE_TARGETS, NO_TARGET)
                }
                asgi, http = per_target["asgi"], per_target["http"]
                if per_target[NO_TARGET]:  # a fake-internal test: no target parameter
                    asgi = [f"{o} (in-process)" for o in per_target[NO_TARGET]]
                fake_only = any(c.fake_only for c in cases)
                live_cell = (
                    "fake-internal"
                    if per_target[NO_TARGET]
                    else _live_cell(fake_only, [live.get(c, {}) for c in ids], len(ids))
                )
                row = [
                    head if i == 0 else "",
                    _cell(status) if i == 0 else "",
                    f"`{_cell(function)}`",
                    _outcome_cell(asgi),
                    _outcome_cell(http),
                    live_cell,
                ]
                out.append("| " + " | ".join(row) + " |")
        out.append("")
    out += _unnamed(results, live)
    return "\n".join(out)


def _unnamed(results: Results, live: dict[str, dict[str, Any]]) -> list[str]:
    """The contract tests (those with a target) that name no rule, so that they show too."""
    functions: dict[str, list[str]] = {}
    for case_id, case in results.cases.items():
        if not case.rules and set(case.outcomes) - {NO_TARGET}:
            functions.setdefault(function_of(case_id), []).append(case_id)
    if not functions:
        return []
    out = [
        "## Contract tests that name no rule",
        "",
        "| test | asgi | http | live |",
        "|---|---|---|---|",
    ]
    for function, ids in sorted(functions.items()):
        cases = [results.cases[c] for c in ids]
        cells = [
            _outcome_cell([c.outcomes[t]["outcome"] for c in cases if t in c.outcomes])
            for t in FAKE_TARGETS
        ]
        fake_only = any(c.fake_only for c in cases)
        cells.append(_live_cell(fake_only, [live.get(c, {}) for c in ids], len(ids)))
        out.append(f"| `{_cell(function)}` | " + " | ".join(cells) + " |")
    out.append("")
    return out
