"""Every numbered rule of docs/reference/scheduling.md (S-E engine, S-C Cronofy, S-K Cal.com,
S-T Truto) has a test named after it (`test_rule_S_C12_...`, in contracts/ for what speaks
HTTP, in tests/ for the engine) that carries its marker (`@pytest.mark.rule("scheduling",
"S-C12")`), or is listed below as not covered yet, with the reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference" / "scheduling.md"
RULE = re.compile(r"\*\*(S-[ECKT]\d+)\*\*")
TEST = re.compile(r"^test_rule_(S_[ECKT]\d+)_")

# Rules whose tests live on another branch of this work, until it is merged.
NOT_COVERED: dict[str, str] = {
    **{
        f"S-K{n}": "Cal.com scheduling (event types, slots, bookings) is built separately"
        for n in range(1, 56)
    },
    **{f"S-T{n}": "the unified meta endpoints are built separately" for n in range(8, 12)},
}


def rules() -> list[str]:
    """The rule ids as the reference numbers them, in order."""
    found: list[str] = []
    for rule in RULE.findall(REFERENCE.read_text(encoding="utf-8")):
        if rule not in found:
            found.append(rule)
    return found


def named_tests() -> dict[str, list[tuple[str, bool]]]:
    """Rule id -> (test name, whether it carries the rule's marker) for every test named after
    a scheduling rule in tests/ and contracts/."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for folder in ("tests", "contracts"):
        for path in (ROOT / folder).rglob("test_*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                match = TEST.match(node.name)
                if not match:
                    continue
                rule = match.group(1).replace("_", "-")
                marked = any(
                    isinstance(d, ast.Call)
                    and ast.unparse(d.func).endswith("mark.rule")
                    and [ast.literal_eval(a) for a in d.args] == ["scheduling", rule]
                    for d in node.decorator_list
                )
                out.setdefault(rule, []).append((f"{path.relative_to(ROOT)}::{node.name}", marked))
    return out


def test_the_reference_numbers_its_rules_without_gaps() -> None:
    numbered = rules()
    for series in "ECKT":
        numbers = [int(r[3:]) for r in numbered if r[2] == series]
        assert numbers == list(range(1, len(numbers) + 1)), series


@pytest.mark.parametrize("series", ["S-E", "S-C", "S-K", "S-T"])
def test_every_rule_has_a_named_test(series: str) -> None:
    tests = named_tests()
    missing = [
        r for r in rules() if r.startswith(series) and r not in tests and r not in NOT_COVERED
    ]
    assert not missing, f"rules without a test_rule_<id>_ test: {missing}"


def test_named_tests_carry_their_marker_and_name_real_rules() -> None:
    known = set(rules())
    for rule, found in named_tests().items():
        assert rule in known, f"{found[0][0]} names {rule}, which the reference does not number"
        unmarked = [name for name, marked in found if not marked]
        assert not unmarked, f"tests named after {rule} without its marker: {unmarked}"


def test_not_covered_lists_only_rules_without_tests() -> None:
    tests = named_tests()
    stale = sorted(r for r in NOT_COVERED if r in tests)
    assert not stale, f"covered now: drop them from NOT_COVERED: {stale}"
