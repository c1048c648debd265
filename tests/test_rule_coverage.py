"""Every numbered rule of each provider's reference has a contract test named after it, or is
listed here as not emulated with the reason."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
# "Rules a faithful fake must enforce" in reference/<provider>.md
RULE_COUNTS = {"cronofy": 55, "calcom": 39, "truto": 36}
NOT_EMULATED: dict[str, dict[int, str]] = {"cronofy": {}, "calcom": {}, "truto": {}}


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
