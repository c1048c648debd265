"""Every numbered rule of reference/webhooks.md (§1.7 Cronofy, §2.8 Cal.com, §3.5 Truto) has a
test named after it (`test_rule_<N>_...` with `@pytest.mark.rule("<provider>", "webhooks-<N>")`)
in contracts/<provider>/notifications/ or tests/. These rules are numbered apart from each
provider's own reference, so their tests live apart from the provider's contract files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULE_COUNTS = {"cronofy": 30, "calcom": 27, "truto": 17}


def marked(provider: str) -> set[int]:
    """Rule numbers of `test_rule_<N>_` functions whose marker names webhooks-<N>."""
    paths = [*(ROOT / "contracts" / provider / "notifications").glob("test_*.py")]
    paths += [*(ROOT / "tests").glob("test_*.py")]
    found: set[int] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_rule_"):
                continue
            number = node.name.removeprefix("test_rule_").split("_", 1)[0]
            for deco in node.decorator_list:
                args = deco.args if isinstance(deco, ast.Call) else []
                values = [a.value for a in args if isinstance(a, ast.Constant)]
                if values[:1] == [provider] and (
                    f"webhooks-{number}" in values or int(number) in values
                ):
                    found.add(int(number))
    return found


@pytest.mark.parametrize("provider", sorted(RULE_COUNTS))
def test_every_notification_rule_has_a_named_test(provider):
    missing = sorted(set(range(1, RULE_COUNTS[provider] + 1)) - marked(provider))
    assert not missing, f"{provider} webhooks.md rules without a named, marked test: {missing}"


@pytest.mark.parametrize("provider", sorted(RULE_COUNTS))
def test_no_test_names_a_notification_rule_that_does_not_exist(provider):
    assert all(1 <= n <= RULE_COUNTS[provider] for n in marked(provider))
