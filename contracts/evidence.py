"""Evidence of live runs: which contract test passed against which real API host, when, and with
which client versions.

Every run with `--target live` writes `<evidence dir>/<suite>.json` (default
`docs/evidence/live/`) for each suite it ran, merged into what the file already held:

    {"suite": "cronofy",
     "runs": [{"date", "api_host", "base_url", "partial", "missing", "counts",
               "python", "sdk_versions": {"httpx": "0.28.1", "pycronofy": "2.1.1", ...}}, ...],
     "tests": {"contracts/cronofy/test_upsert.py::test_rule_17_...": {
         "rules": ["cronofy:17"], "outcome": "passed", "message": "", "date": "2026-03-07",
         "api_host": "api.cronofy.com", "verified": "2026-03-07"}}}

`tests` keeps, per test (target left out of its id), the last live outcome and `verified`, the
date it last passed; tests the run did not reach keep their entry. `runs` keeps the last
`KEEP_RUNS` runs. docs/COVERAGE.md shows `verified` as "verified live on DATE". Evidence from a
loopback host (a fake posing as the real API) is never shown as verified.
"""

from __future__ import annotations

import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

KEEP_RUNS = 30
COMMON_PACKAGES = ("calendar-mockserver", "httpx", "pytest")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0", "testserver")


def host_of(base_url: str) -> str:
    return urlsplit(base_url).hostname or base_url


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.") or host.endswith(".test")


def versions(packages: tuple[str, ...]) -> dict[str, str]:
    """Installed versions of the packages (those that are installed)."""
    out = {"python": platform.python_version()}
    for name in (*COMMON_PACKAGES, *packages):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def merge(
    previous: dict[str, Any],
    *,
    suite: str,
    run: dict[str, Any],
    tests: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The ledger after one run: `tests` maps case id -> {"rules", "outcome", "message"}."""
    day = run["date"][:10]
    ledger = {k: dict(v) for k, v in previous.get("tests", {}).items()}
    host = run["api_host"]
    for case, entry in tests.items():
        before = ledger.get(case, {})
        verified, verified_host = before.get("verified"), before.get("verified_host")
        # a pass on a fake posing as the API never replaces a pass on the real one
        real_before = verified_host is not None and not is_loopback(verified_host)
        if entry["outcome"] == "passed" and (not is_loopback(host) or not real_before):
            verified, verified_host = day, host
        ledger[case] = {
            "rules": entry["rules"],
            "outcome": entry["outcome"],
            "message": entry["message"],
            "date": day,
            "api_host": host,
            "verified": verified,
            "verified_host": verified_host,
        }
    runs = [*previous.get("runs", []), run][-KEEP_RUNS:]
    return {"suite": suite, "runs": runs, "tests": dict(sorted(ledger.items()))}


def write(path: Path, ledger: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(ledger, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_all(directory: Path) -> dict[str, dict[str, Any]]:
    """case id -> its ledger entry, from every evidence file in `directory`."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        for case, entry in read(path).get("tests", {}).items():
            out[case] = entry
    return out
