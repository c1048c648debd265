"""Write docs/COVERAGE.md from a test run's outcomes: for each reference in docs/reference/, every
rule, whether a passing test covers it (or why the fake does not emulate it), its tests with
their outcome per target (asgi, http) and their live record (docs/evidence/live/).

    pytest && python scripts/rule_coverage.py     # the run writes build/rule-results.json
    python scripts/rule_coverage.py --run         # the same: runs pytest first
    python scripts/rule_coverage.py --junit FILE  # from a junit XML report of such a run
    python scripts/rule_coverage.py --check       # exit 1 if docs/COVERAGE.md is out of date

The results must come from a complete run (the whole suite, nothing deselected): a partial
run's results are refused, since they cannot say which rules are covered. Exits 1 when a rule
is uncovered (the table is written anyway, marking it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contracts import coverage, evidence, rules  # noqa: E402
from contracts.outcomes import Results  # noqa: E402

RESULTS = ROOT / "build" / "rule-results.json"
OUTPUT = ROOT / "docs" / "COVERAGE.md"
REFERENCES = ROOT / "docs" / "reference"
EVIDENCE = ROOT / "docs" / "evidence" / "live"


def build(results: Results) -> tuple[str, list[str]]:
    refs = rules.load(REFERENCES)
    proof = evidence.load_all(EVIDENCE)
    cov = coverage.evaluate(refs, results, coverage.read_not_emulated(), proof)
    return coverage.render(refs, results, cov, proof), cov.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--results", type=Path, default=RESULTS, help="the run's results file")
    source.add_argument("--junit", type=Path, help="a junit XML report instead")
    parser.add_argument("--run", action="store_true", help="run the whole suite first")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    if args.run:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--rule-results",
                str(args.results),
            ],
            cwd=ROOT,
        )
        if not args.results.exists():
            return done.returncode or 1
    if args.junit:
        results = Results.from_junit(args.junit)
    elif not args.results.exists():
        print(f"{args.results}: no results; run pytest first (or pass --run)")
        return 2
    else:
        results = Results.read(args.results)
    if not results.complete:
        print(f"{args.results}: not a complete run ({'; '.join(results.partial)}); run pytest")
        return 2
    text, problems = build(results)
    for problem in problems:
        print(problem)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run python scripts/rule_coverage.py")
            return 1
        return 1 if problems else 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
