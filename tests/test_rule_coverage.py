"""Every numbered rule of each provider's reference has a contract test named after it, or is
listed here as not emulated with the reason."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
# "Rules a faithful fake must enforce" in reference/<provider>.md
RULE_COUNTS = {"cronofy": 55, "calcom": 39, "truto": 36}
NOT_EMULATED: dict[str, dict[int, str]] = {"cronofy": {}, "calcom": {}, "truto": {}}
# docs/reference/scheduling.md: its four series of numbered rules, and those whose every rule
# must have a test named `test_rule_S_<X><N>_...` carrying @pytest.mark.rule("scheduling", ...).
SCHEDULING_SERIES = {"S-E": 14, "S-C": 29, "S-K": 55, "S-T": 11}
SCHEDULING_ENFORCED = ("S-E", "S-C", "S-K")
SCHEDULING_NAME = re.compile(r"def test_rule_S_([A-Z])(\d+)_")


def covered(provider: str) -> set[int]:
    found: set[int] = set()
    for path in (CONTRACTS / provider).glob("test_*.py"):
        found |= {int(n) for n in re.findall(r"def test_rule_(\d+)_", path.read_text())}
    return found


@pytest.mark.parametrize("provider", sorted(RULE_COUNTS))
def test_every_rule_has_a_named_contract_test(provider):
    expected = set(range(1, RULE_COUNTS[provider] + 1)) - set(NOT_EMULATED[provider])
    missing = sorted(expected - covered(provider))
    assert not missing, f"{provider} rules without a test_rule_<N>_ contract test: {missing}"


@pytest.mark.parametrize("provider", sorted(RULE_COUNTS))
def test_no_test_names_a_rule_that_does_not_exist(provider):
    extra = sorted(n for n in covered(provider) if not 1 <= n <= RULE_COUNTS[provider])
    assert not extra


def rule_coverage_script():
    path = CONTRACTS.parent / "scripts" / "rule_coverage.py"
    spec = importlib.util.spec_from_file_location("rule_coverage_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_coverage_md_is_up_to_date():
    script = rule_coverage_script()
    committed = (CONTRACTS.parent / "docs" / "COVERAGE.md").read_text(encoding="utf-8")
    assert committed == script.render(RULE_COUNTS, NOT_EMULATED), (
        "docs/COVERAGE.md is out of date: run python scripts/rule_coverage.py"
    )


def test_coverage_md_lists_tests_and_not_emulated_reasons():
    text = rule_coverage_script().render({"truto": 3}, {"truto": {2: "needs a | real tenant"}})
    assert "3 rules: 2 implemented, 1 not emulated." in text
    assert "| 2 | not emulated: needs a \\| real tenant |" in text
    assert "| 1 | implemented | `contracts/truto/" in text
    assert "::test_rule_1_" in text


def scheduling_sources() -> dict[Path, str]:
    paths = [*CONTRACTS.glob("*/test_*.py"), *Path(__file__).parent.glob("test_*.py")]
    return {p: p.read_text(encoding="utf-8") for p in paths}


@pytest.mark.parametrize("series", SCHEDULING_ENFORCED)
def test_every_scheduling_rule_has_a_named_test(series):
    named = {
        f"S-{letter}{n}"
        for text in scheduling_sources().values()
        for letter, n in SCHEDULING_NAME.findall(text)
    }
    expected = {f"{series}{n}" for n in range(1, SCHEDULING_SERIES[series] + 1)}
    assert not sorted(expected - named), f"{series} rules without a test_rule_S_ test"


def _rule_marks(node: ast.FunctionDef) -> set[str]:
    """The rules of the `@pytest.mark.rule("scheduling", "...")` decorators of a test."""
    found = set()
    for dec in node.decorator_list:
        if (
            isinstance(dec, ast.Call)
            and ast.unparse(dec.func) == "pytest.mark.rule"
            and len(dec.args) == 2
            and all(isinstance(a, ast.Constant) for a in dec.args)
            and dec.args[0].value == "scheduling"
        ):
            found.add(dec.args[1].value)
    return found


def test_scheduling_tests_name_real_rules_and_carry_their_marker():
    for path, text in scheduling_sources().items():
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef):
                continue
            match = SCHEDULING_NAME.match("def " + node.name)
            if match is None:
                continue
            rule = f"S-{match.group(1)}{match.group(2)}"
            prefix = rule[:3]
            assert prefix in SCHEDULING_SERIES, (path.name, rule)
            assert 1 <= int(match.group(2)) <= SCHEDULING_SERIES[prefix], (path.name, rule)
            assert rule in _rule_marks(node), (path.name, node.name)
