"""Keep docs/reference/ in step with the upstream reference set it copies.

The provider references (`cronofy.md`, `calcom.md`, `truto.md`, `webhooks.md`) are maintained
upstream, in a `shared/reference` directory beside the project's checkouts; docs/reference/ holds
copies, so the contract kit and CI read the same rules everywhere. Files that exist only here
(`scheduling.md`) are the project's own. `docs/reference/sources.json` lists every file, whether
it is a copy, and each copy's SHA-256 as last synced.

    python scripts/sync_reference.py                 # copy from the upstream directory found
    python scripts/sync_reference.py --from DIR      # ... or from DIR
    python scripts/sync_reference.py --check         # exit 1 if a copy differs (upstream or hash)

The upstream directory is `$REFERENCE_UPSTREAM` if set, else the nearest `shared/reference`
beside the checkout or one of its parent directories. Without one (CI) only the hashes are
checked: a copy edited by hand is still caught.

A copy may end with a project-owned section after the `DECISIONS` marker line: the decisions the
providers' own code forced where it contradicts a rule (docs/EVIDENCE.md has the evidence). The
recorded hash covers the text above the marker, and a sync keeps the section.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference"
MANIFEST = REFERENCE / "sources.json"
ENV = "REFERENCE_UPSTREAM"
DECISIONS = "<!-- project decisions: owned here, below this line; the copy is the text above it -->"


def split(text: str) -> tuple[str, str]:
    """A copy's text as (the upstream part, the project's decisions section or "")."""
    head, marker, tail = text.partition("\n" + DECISIONS)
    return head, (marker + tail if marker else "")


def upstream_dir(explicit: str | None = None) -> Path | None:
    """Where the upstream references are, or None."""
    if explicit or os.environ.get(ENV):
        path = Path(explicit or os.environ[ENV]).expanduser()
        return path if path.is_dir() else None
    for parent in ROOT.parents:
        candidate = parent / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return None


def sha256(path: Path) -> str:
    """The hash of a file's upstream part (all of it for a file without decisions)."""
    return hashlib.sha256(split(path.read_text(encoding="utf-8"))[0].encode()).hexdigest()


def manifest() -> dict[str, dict]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def problems(upstream: Path | None) -> list[str]:
    """Every way docs/reference/ is out of step: with the manifest, and with `upstream`."""
    listed = manifest()
    found: list[str] = []
    local = {p.name for p in REFERENCE.glob("*.md")}
    for name in sorted(local - set(listed)):
        found.append(f"docs/reference/{name} is not listed in docs/reference/sources.json")
    for name, entry in sorted(listed.items()):
        path = REFERENCE / name
        if not path.is_file():
            found.append(f"docs/reference/{name} is listed but missing")
        elif entry["copy"] and sha256(path) != entry["sha256"]:
            found.append(
                f"docs/reference/{name} was edited here: it is a copy; change it upstream and "
                "run python scripts/sync_reference.py"
            )
    if upstream is not None:
        for source in sorted(upstream.glob("*.md")):
            entry = listed.get(source.name)
            if entry is None or not entry["copy"]:
                found.append(f"upstream {source.name} is not copied into docs/reference/")
            elif (REFERENCE / source.name).is_file() and sha256(source) != sha256(
                REFERENCE / source.name
            ):
                found.append(
                    f"docs/reference/{source.name} differs from upstream: "
                    "run python scripts/sync_reference.py"
                )
        for name, entry in sorted(listed.items()):
            if entry["copy"] and not (upstream / name).is_file():
                found.append(f"docs/reference/{name} is a copy of a file upstream no longer has")
    return found


def sync(upstream: Path) -> list[str]:
    """Copy every upstream .md into docs/reference/ and record it; the names copied."""
    listed = manifest() if MANIFEST.exists() else {}
    copied = []
    for source in sorted(upstream.glob("*.md")):
        target = REFERENCE / source.name
        decisions = split(target.read_text(encoding="utf-8"))[1] if target.is_file() else ""
        if decisions:
            target.write_text(source.read_text(encoding="utf-8") + decisions, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        listed[source.name] = {"copy": True, "sha256": sha256(source)}
        copied.append(source.name)
    for path in sorted(REFERENCE.glob("*.md")):
        listed.setdefault(path.name, {"copy": False})
    text = json.dumps(dict(sorted(listed.items())), indent=2) + "\n"
    MANIFEST.write_text(text, encoding="utf-8")
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", help="the upstream reference directory")
    parser.add_argument("--check", action="store_true", help="report differences, copy nothing")
    args = parser.parse_args(argv)
    upstream = upstream_dir(args.source)
    if args.check:
        found = problems(upstream)
        for line in found:
            print(line)
        if upstream is None:
            print(f"no upstream reference directory (set {ENV}): checked the hashes only")
        return 1 if found else 0
    if upstream is None:
        print(f"no upstream reference directory found: pass --from DIR or set {ENV}")
        return 2
    REFERENCE.mkdir(parents=True, exist_ok=True)
    print(f"copied {', '.join(sync(upstream))} into docs/reference/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
