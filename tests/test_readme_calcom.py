"""The README's Cal.com curl walk-throughs run as written, against a live fake (only the base URL
is swapped): from a booking to its calendar event, and event type -> slots -> reservation ->
booking -> calendar event."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mockserver.testing import LiveServer

README = Path(__file__).resolve().parents[1] / "README.md"


def block(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def run(script: str) -> str:
    with LiveServer() as srv:
        script = script.replace("B=http://127.0.0.1:8765", f"B={srv.url}", 1)
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("bash", "curl", "python3")), reason="needs bash and curl"
)


@needs_tools
def test_the_booking_walk_through_runs():
    out = run(block("### Cal.com: from a booking to its calendar event"))
    assert "Kick-off (moved room)" in out
    assert "Cannot GET /v2/calendars/google/events/" in out


@needs_tools
def test_the_scheduling_walk_through_runs():
    out = run(block("### Cal.com: event type"))
    assert '"title":"Design review between Alice Demo and Jo Client"' in out  # the Google event
    assert "User either already has booking at this time or is not available" in out
    # the first slot of the day (in London time) is booked, and then it is gone
    london, after = out.split('"source":"google"}}', 1)
    first = re.search(r'"start":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})', london).group(1)
    assert f'"start":"{first}' not in after
    assert re.search(r'"start":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0[01]:00"', after)
