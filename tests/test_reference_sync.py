"""docs/reference/ holds copies of the upstream provider references (and the project's own
scheduling.md): a copy edited here is caught by its recorded hash everywhere, and a copy that
differs from upstream is caught wherever the upstream directory is present
(scripts/sync_reference.py says where it looks)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sync_script():
    spec = importlib.util.spec_from_file_location(
        "sync_reference", ROOT / "scripts" / "sync_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_copies_are_as_last_synced():
    script = sync_script()
    assert script.problems(None) == []
    listed = script.manifest()
    assert {n for n, e in listed.items() if e["copy"]} >= {
        "cronofy.md",
        "calcom.md",
        "truto.md",
        "webhooks.md",
    }
    assert listed["scheduling.md"] == {"copy": False}


def test_the_copies_match_upstream_when_it_is_here():
    script = sync_script()
    upstream = script.upstream_dir()
    if upstream is None:
        pytest.skip("no upstream reference directory here (set REFERENCE_UPSTREAM to check)")
    assert script.problems(upstream) == []


def test_an_edited_copy_and_a_drifted_upstream_are_reported(tmp_path, monkeypatch):
    script = sync_script()
    local, upstream = tmp_path / "reference", tmp_path / "upstream"
    local.mkdir(), upstream.mkdir()
    (upstream / "a.md").write_text("# A\n")
    monkeypatch.setattr(script, "REFERENCE", local)
    monkeypatch.setattr(script, "MANIFEST", local / "sources.json")
    (local / "own.md").write_text("# ours\n")
    assert script.sync(upstream) == ["a.md"]
    assert script.problems(upstream) == []
    (local / "a.md").write_text("# A, edited here\n")
    assert script.problems(None) == [
        "docs/reference/a.md was edited here: it is a copy; change it upstream and run "
        "python scripts/sync_reference.py"
    ]
    script.sync(upstream)
    (upstream / "a.md").write_text("# A, changed upstream\n")
    (upstream / "b.md").write_text("# B\n")
    assert script.problems(upstream) == [
        "docs/reference/a.md differs from upstream: run python scripts/sync_reference.py",
        "upstream b.md is not copied into docs/reference/",
    ]


def test_a_copys_decisions_section_is_its_own_and_survives_a_sync(tmp_path, monkeypatch):
    script = sync_script()
    local, upstream = tmp_path / "reference", tmp_path / "upstream"
    local.mkdir(), upstream.mkdir()
    (upstream / "a.md").write_text("# A\n\n1. a rule\n")
    monkeypatch.setattr(script, "REFERENCE", local)
    monkeypatch.setattr(script, "MANIFEST", local / "sources.json")
    script.sync(upstream)
    decisions = f"\n{script.DECISIONS}\n## Decisions\n\n- rule 1: decided otherwise\n"
    (local / "a.md").write_text("# A\n\n1. a rule\n" + decisions)
    assert script.problems(upstream) == []
    (upstream / "a.md").write_text("# A\n\n1. a rule, reworded\n")
    script.sync(upstream)
    assert (local / "a.md").read_text() == "# A\n\n1. a rule, reworded\n" + decisions
    assert script.problems(upstream) == []
    (local / "a.md").write_text("# A\n\n1. edited here\n" + decisions)
    assert script.problems(None) == [
        "docs/reference/a.md was edited here: it is a copy; change it upstream and run "
        "python scripts/sync_reference.py"
    ]
