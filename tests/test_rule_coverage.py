"""Rule coverage comes from test outcomes: the scanner of docs/reference/*.md, the rule marker,
and the check at the end of a complete run, driven through small projects that load the
contract kit (pytester). The check on this repository itself runs at the end of every complete
`pytest` run (contracts/session.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from contracts import coverage, rules
from contracts.outcomes import Results

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "reference"

DEMO_REFERENCE = """\
# Demo API reference

## 3. Rules a faithful fake must enforce

### Reads
1. GET answers 200.
2. A missing `id` is a 404
   with the provider's body.

**Writes**

3. POST answers 201. [DOC]

## 4. Open questions
1. Not a rule.
"""


# -- the scanner ----------------------------------------------------------------------------


def test_rules_are_read_from_their_sections_only(tmp_path):
    path = tmp_path / "demo.md"
    path.write_text(DEMO_REFERENCE)
    ref = rules.parse(path)
    assert list(ref.rules) == ["1", "2", "3"]
    assert ref.rules["2"].text == "A missing `id` is a 404 with the provider's body."
    assert ref.rules["3"].section == "3. Rules a faithful fake must enforce"


def test_rules_with_their_own_ids_and_per_provider_sections(tmp_path):
    (tmp_path / "engine.md").write_text(
        "## Rules a faithful engine must enforce (S-E)\n\n"
        "1. **S-E1** Busy is opaque.\n2. **S-E2** Half-open\n   intervals.\n"
    )
    (tmp_path / "hooks.md").write_text(
        "### 1.7 Rules a faithful fake must enforce (Cronofy)\n1. One.\n2. Two.\n"
        "### 2.8 Rules a faithful fake must enforce (Cal.com)\n1. Uno.\n"
    )
    refs = rules.load(tmp_path)
    assert list(refs["engine"].rules) == ["S-E1", "S-E2"]
    assert refs["engine"].rules["S-E2"].text == "Half-open intervals."
    hooks = refs["hooks"]
    assert list(hooks.rules) == ["cronofy-1", "cronofy-2", "calcom-1"]
    assert hooks.lookup("2.8.1") is hooks.rules["calcom-1"]


def test_a_rule_id_twice_is_an_error(tmp_path):
    path = tmp_path / "twice.md"
    path.write_text("## Rules a faithful fake must enforce\n1. a\n1. b\n")
    with pytest.raises(rules.ReferenceError, match="rule 1 appears twice"):
        rules.parse(path)


def test_the_repository_references_number_their_rules_without_gaps():
    refs = rules.load(REFERENCES)
    assert {"cronofy", "calcom", "truto", "webhooks", "scheduling"} <= set(refs)
    for name, ref in refs.items():
        series: dict[str, list[int]] = {}
        for rule_id in ref.rules:
            prefix, number = re.fullmatch(r"(.*?)(\d+)", rule_id).groups()
            series.setdefault(prefix, []).append(int(number))
        for prefix, numbers in series.items():
            assert numbers == list(range(1, len(numbers) + 1)), (name, prefix, numbers)
    assert set(re.sub(r"\d+$", "", r) for r in refs["scheduling"].rules) == {
        "S-E",
        "S-C",
        "S-K",
        "S-T",
    }
    assert set(r.rsplit("-", 1)[0] for r in refs["webhooks"].rules) == {
        "cronofy",
        "calcom",
        "truto",
    }


def test_marks_resolve_to_rule_keys_or_problems():
    refs = rules.load(REFERENCES)
    keys, problems = rules.resolve(
        refs,
        [
            (("cronofy", 33), {}),
            (("truto", "12", 9), {}),
            (("scheduling", "S-C12"), {}),
            (("webhooks", "1.7.3"), {}),
            (("webhooks", "truto-2"), {}),
        ],
    )
    assert keys == [  # by reference, then in the reference's order
        "cronofy:33",
        "scheduling:S-C12",
        "truto:9",
        "truto:12",
        "webhooks:cronofy-3",
        "webhooks:truto-2",
    ]
    assert problems == []
    _, problems = rules.resolve(
        refs, [(("cronofy", 999), {}), (("nope", 1), {}), (("cronofy",), {})]
    )
    assert len(problems) == 3
    assert "no such rule" in problems[0] and "no reference 'nope'" in problems[1]


def test_every_test_named_after_a_rule_carries_its_marker():
    done = subprocess.run(
        [sys.executable, "scripts/add_rule_markers.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_not_emulated_list_names_real_rules():
    refs = rules.load(REFERENCES)
    cov = coverage.evaluate(refs, Results(complete=True), coverage.read_not_emulated())
    assert [p for p in cov.problems if "not_emulated.toml" in p] == []


# -- the check at the end of a complete run, on a small project ----------------------------


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with one reference (three rules), the kit loaded, and no coverage table."""
    pytester.makeini(
        """
        [pytest]
        testpaths = checks
        rule_results = results.json
        rule_coverage_file = COVERAGE.md
        rule_not_emulated = not_emulated.toml
        """
    )
    pytester.makeconftest('pytest_plugins = ["contracts.kit"]')
    (pytester.path / "docs" / "reference").mkdir(parents=True)
    (pytester.path / "docs" / "reference" / "demo.md").write_text(DEMO_REFERENCE)
    (pytester.path / "checks").mkdir()
    (pytester.path / "not_emulated.toml").write_text("")
    return pytester


def write_tests(project: pytest.Pytester, body: str) -> None:
    header = "import pytest\n\n"
    (project.path / "checks" / "test_demo.py").write_text(header + textwrap.dedent(body))


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    quiet = ("cacheprovider", "xdist", "calendar_mockserver", "hypothesispytest", "faker")
    return project.runpytest(*(a for p in quiet for a in ("-p", f"no:{p}")), *args)


ALL_PASS = """
    @pytest.mark.rule("demo", 1)
    def test_rule_1_get(): pass

    @pytest.mark.rule("demo", 2, 3)
    def test_rules_2_and_3(): pass
"""


def test_a_rule_whose_tests_were_all_skipped_is_uncovered_and_fails_the_run(project):
    write_tests(
        project,
        """
        @pytest.mark.rule("demo", 1)
        @pytest.mark.rule("demo", 3)
        def test_rule_1_get(): pass

        @pytest.mark.rule("demo", 2)
        def test_rule_2_missing():
            pytest.skip("needs a real tenant")

        @pytest.mark.rule("demo", 2)
        @pytest.mark.parametrize("n", [1, 2])
        def test_rule_2_again(n):
            pytest.skip("also skipped")
        """,
    )
    result = run(project)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*FAILED rule coverage: demo:2 is uncovered: every test of it was skipped (*"]
    )
    results = json.loads((project.path / "results.json").read_text())
    assert results["complete"] is True
    case = results["cases"]["checks/test_demo.py::test_rule_2_again[1]"]
    assert case["rules"] == ["demo:2"]
    assert case["outcomes"]["-"] == {"outcome": "skipped", "message": "also skipped"}
    assert results["cases"]["checks/test_demo.py::test_rule_1_get"]["rules"] == [
        "demo:1",
        "demo:3",
    ]


def test_failed_and_xfailed_tests_cover_nothing_either(project):
    write_tests(
        project,
        """
        @pytest.mark.rule("demo", 1, 2)
        def test_rule_1_get(): pass

        @pytest.mark.rule("demo", 3)
        @pytest.mark.xfail(reason="the fake answers 200")
        def test_rule_3_post(): assert False
        """,
    )
    result = run(project)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*demo:3 is uncovered: no test of it passed (1 xfailed)*"])


def test_the_table_comes_from_the_outcomes_and_must_be_current(project):
    write_tests(project, ALL_PASS)
    first = run(project)
    assert first.ret == pytest.ExitCode.TESTS_FAILED  # no COVERAGE.md yet
    first.stdout.fnmatch_lines(["*FAILED COVERAGE.md is out of date with this run's outcomes*"])
    results = Results.read(project.path / "results.json")
    refs = rules.load(project.path / "docs" / "reference")
    cov = coverage.evaluate(refs, results, {})
    table = coverage.render(refs, results, cov)
    assert "| **2** A missing `id` is a 404 with the provider's body. | covered |" in table
    assert "| passed (in-process) | — | fake-internal |" in table
    (project.path / "COVERAGE.md").write_text(table)
    second = run(project)
    assert second.ret == pytest.ExitCode.OK, second.stdout.str()
    second.stdout.fnmatch_lines(["*rule coverage: 3 covered*"])


def test_not_emulated_rules_are_listed_with_a_reason_and_must_not_pass(project):
    write_tests(project, ALL_PASS.replace('"demo", 2, 3', '"demo", 2'))
    (project.path / "not_emulated.toml").write_text('[demo]\n3 = "needs a real tenant"\n')
    run(project)  # writes the results; the table is not there yet
    results = Results.read(project.path / "results.json")
    refs = rules.load(project.path / "docs" / "reference")
    cov = coverage.evaluate(refs, results, coverage.read_not_emulated(project.path / "x"))
    assert [c.state for c in cov.rules["demo"]] == ["covered", "covered", "uncovered"]
    listed = coverage.evaluate(refs, results, {"demo": {"3": "needs a real tenant"}})
    assert listed.problems == []
    assert listed.rules["demo"][2].state == "not emulated"
    # listed, yet a test of it passes: the list is stale, and that fails the run
    write_tests(project, ALL_PASS)
    result = run(project)
    result.stdout.fnmatch_lines(["*demo:3 is listed as not emulated*take it off the list*"])


def test_a_marker_naming_no_rule_and_a_named_test_without_marker_fail_at_setup(project):
    (project.path / "checks" / "demo").mkdir()
    (project.path / "checks" / "demo" / "test_named.py").write_text(
        "import pytest\n\n"
        "def test_rule_2_unmarked(): pass\n\n"
        '@pytest.mark.rule("demo", 7)\n'
        "def test_other(): pass\n"
    )
    result = run(project, "checks/demo")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*test_rule_2_unmarked is named after rule 2 of docs/reference/demo.md but has no*",
            "*rule('demo', 7): docs/reference/demo.md has no such rule*",
        ]
    )


def test_a_partial_run_is_not_checked(project):
    write_tests(project, ALL_PASS)
    result = run(project, "-k", "get")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*rule coverage not checked (not a complete run: -k was given)*"])
    assert json.loads((project.path / "results.json").read_text())["complete"] is False


def test_a_junit_report_carries_the_same_outcomes(project):
    write_tests(
        project,
        """
        @pytest.mark.rule("demo", 1, 2)
        def test_rule_1_get(): pass

        @pytest.mark.rule("demo", 3)
        @pytest.mark.parametrize("n", [1, 2])
        def test_rule_3_post(n):
            if n == 2:
                pytest.skip("not on Tuesdays")
        """,
    )
    run(project, "--junitxml=report.xml")
    from_json = Results.read(project.path / "results.json")
    from_junit = Results.from_junit(project.path / "report.xml")
    assert from_junit.to_json()["cases"] == from_json.to_json()["cases"]
    assert from_json.cases["checks/test_demo.py::test_rule_3_post[2]"].outcomes == {
        "-": {"outcome": "skipped", "message": "not on Tuesdays"}
    }


def test_the_script_refuses_a_partial_run(tmp_path):
    partial = tmp_path / "results.json"
    Results(targets=["asgi"], complete=False, partial=["-k was given"]).write(partial)
    done = subprocess.run(
        [sys.executable, "scripts/rule_coverage.py", "--results", str(partial), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "not a complete run (-k was given); run pytest" in done.stdout
