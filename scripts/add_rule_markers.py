"""Give every `test_rule_<N>_...` contract test its `@pytest.mark.rule("<reference>", N)`.

A test in `contracts/<reference>/` named `test_rule_<N>_...` claims rule N of
`docs/reference/<reference>.md`; the contract kit fails such a test at setup when the marker is
missing. This script adds the missing markers (function names are kept) and removes module-level
`pytestmark = pytest.mark.rule(...)` lines that name no rule (an older convention used section
names there).

    python scripts/add_rule_markers.py           # edit the files, then: ruff format contracts
    python scripts/add_rule_markers.py --check   # exit 1 and list what is missing
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contracts import rules  # noqa: E402


def _rule_marks(node: ast.AST) -> list[tuple[tuple, dict]]:
    """(args, kwargs) of each `pytest.mark.rule(...)` among a function's decorators or in a
    `pytestmark` value, literals only."""
    found = []
    for call in ast.walk(node):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "rule"
            and isinstance(call.func.value, ast.Attribute)
            and call.func.value.attr == "mark"
        ):
            try:
                args = tuple(ast.literal_eval(a) for a in call.args)
            except ValueError:
                continue
            found.append((args, {}))
    return found


def fix_file(path: Path, refs: dict[str, rules.Reference], write: bool) -> list[str]:
    """What was (or, without `write`, would be) changed in one test module."""
    reference = path.parent.name
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []  # (0-based line index, text to insert before it)
    removals: list[int] = []
    changes: list[str] = []
    rel = path.relative_to(ROOT).as_posix()
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["pytestmark"]
            and _rule_marks(node)
        ):
            _, problems = rules.resolve(refs, _rule_marks(node))
            if problems:
                removals.extend(range(node.lineno - 1, node.end_lineno))
                changes.append(f"{rel}:{node.lineno}: removed pytestmark naming no rule")
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        number = rules.named_rule(node.name)
        if number is None or reference not in refs:
            continue
        keys, _ = rules.resolve(refs, [m for d in node.decorator_list for m in _rule_marks(d)])
        if f"{reference}:{number}" in keys:
            continue
        first = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
        indent = " " * node.col_offset
        inserts.append((first, f'{indent}@pytest.mark.rule("{reference}", {number})\n'))
        changes.append(f"{rel}:{node.lineno}: {node.name} gets rule({reference!r}, {number})")
    if write and changes:
        for index in sorted(removals, reverse=True):
            lines[index] = ""
        for index, text in sorted(inserts, reverse=True):
            lines.insert(index, text)
        text = "".join(lines)
        if inserts and not any(
            isinstance(n, ast.Import) and any(a.name == "pytest" for a in n.names)
            for n in tree.body
        ):
            text = _add_import(text)
        path.write_text(text, encoding="utf-8")
    return changes


def _add_import(text: str) -> str:
    """`import pytest` before the module's first import, or after its `from __future__`
    import or docstring (ruff sorts it afterwards)."""
    tree = ast.parse(text)
    out = text.splitlines(keepends=True)
    after = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            after = node.end_lineno
        elif isinstance(node, ast.Import | ast.ImportFrom):
            out.insert(node.lineno - 1, "import pytest\n")
            return "".join(out)
        elif isinstance(node, ast.Expr) and node is tree.body[0]:
            after = node.end_lineno  # the docstring
        else:
            break
    out.insert(after, "\nimport pytest\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list what is missing, edit nothing")
    parser.add_argument("paths", nargs="*", help="test files (default: contracts/*/test_*.py)")
    args = parser.parse_args(argv)
    refs = rules.load(ROOT / "docs" / "reference")
    paths = [Path(p).resolve() for p in args.paths] or sorted(ROOT.glob("contracts/*/test_*.py"))
    changes = [c for p in paths for c in fix_file(p, refs, write=not args.check)]
    for line in changes:
        print(line)
    if args.check:
        return 1 if changes else 0
    print(f"{len(changes)} change(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
