"""The real truto-ts-sdk (2.0.12) for tests/test_truto_ts_sdk.py, built from its vendored source.

The npm registry has no `@truto/truto-ts-sdk`, so the source is in tests/vendor/truto-ts-sdk/
(see its README). Once, under a lock (xdist workers share it), the SDK's pinned runtime
dependencies and esbuild are installed from the npm registry into the repository's
`.node-truto/`; the vendored `src/index.ts` (and `src/errors.ts`, for `TrutoError`) are then
bundled there into ES modules that import those dependencies, the source itself unchanged. The
bundle is rebuilt whenever the vendored source changes. Without node and npm the tests are
skipped with the reason."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from contracts.kit import notice

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).with_name("vendor") / "truto-ts-sdk"
HOME = Path(os.environ.get("TRUTO_TS_SDK_DIR", ROOT / ".node-truto"))
# the SDK's package.json "dependencies", exactly; esbuild only compiles and bundles its source
PACKAGES = (
    "lodash-es@4.18.1",
    "p-queue@9.1.0",
    "p-timeout@7.0.1",
    "qs@6.15.1",
    "esbuild@0.28.2",
)
MARKER = HOME / ".installed"


def source_digest() -> str:
    """A digest of the vendored files the bundle is built from."""
    digest = hashlib.sha256()
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file() and path.suffix in (".ts", ".json"):
            digest.update(path.relative_to(SOURCE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, cwd=HOME, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{result.stdout}\n{result.stderr}")


def sdk() -> Path:
    """The bundle's directory: `index.mjs` (TrutoApi, the default export) and `errors.mjs`."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("the truto-ts-sdk tests need node and npm: not found")
    HOME.parent.mkdir(parents=True, exist_ok=True)
    with open(HOME.with_name(HOME.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wanted = "\n".join(PACKAGES) + "\n"
        if not (MARKER.exists() and MARKER.read_text() == wanted):
            HOME.mkdir(exist_ok=True)
            (HOME / "package.json").write_text(
                '{"name": "truto-ts-sdk-check", "private": true, "type": "module"}\n'
            )
            notice(
                f"npm: installing {', '.join(PACKAGES)} into {HOME} for the truto-ts-sdk tests"
                " (once; later runs reuse them)"
            )
            _run(
                [npm, "install", "--no-audit", "--no-fund", "--silent", "--save-exact", *PACKAGES],
                "npm install " + " ".join(PACKAGES),
            )
            MARKER.write_text(wanted)
        out = HOME / f"sdk-{source_digest()}"
        if not (out / "index.mjs").exists():
            esbuild = HOME / "node_modules" / ".bin" / "esbuild"
            _run(
                [
                    str(esbuild),
                    str(SOURCE / "src" / "index.ts"),
                    str(SOURCE / "src" / "errors.ts"),
                    "--bundle",
                    "--splitting",  # one TrutoError class, shared by both entry points
                    "--format=esm",
                    "--platform=node",
                    "--target=node18",
                    "--packages=external",  # imported from .node-truto/node_modules at run time
                    "--out-extension:.js=.mjs",
                    f"--outdir={out}.tmp",
                    "--log-level=warning",
                ],
                "bundling the vendored truto-ts-sdk",
            )
            os.replace(f"{out}.tmp", out)
        return out
