"""The README's "Cronofy: availability, then a booking" example runs as written against a live
fake serving the demo world (only the base URL differs: the fake's free port)."""

from __future__ import annotations

from pathlib import Path

from mockserver.testing import LiveServer

README = Path(__file__).resolve().parents[1] / "README.md"


def example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Cronofy: availability, then a booking\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_availability_example_runs(capsys) -> None:
    code = example()
    assert "client.availability(" in code and "upsert_event(" in code
    with LiveServer() as srv:
        exec(compile(code.replace("http://127.0.0.1:8765", srv.url), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("['") and printed.count("T") >= 2  # at least one slot was listed
