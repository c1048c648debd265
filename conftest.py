import os
from pathlib import Path

pytest_plugins = ["contracts.kit"]

# tests/test_truto_sdk.py builds this once (VENV and MARKER there); say so before a long first run.
_SDK_VENV = Path(os.environ.get("TRUTO_SDK_VENV", Path(__file__).with_name(".venv-py312")))
# tests/node_truto.py installs the truto-ts-sdk's dependencies here once (HOME and MARKER there).
_TS_SDK_DIR = Path(os.environ.get("TRUTO_TS_SDK_DIR", Path(__file__).with_name(".node-truto")))
# tests/node_cronofy.py installs the npm cronofy package here once (HOME and MARKER there).
_CRONOFY_NODE = Path(os.environ.get("CRONOFY_NODE_DIR", Path(__file__).with_name(".node-cronofy")))


def pytest_report_header(config):
    lines = []
    if not (_SDK_VENV / ".installed-truto-python-sdk-0.1.6").exists():
        lines.append(
            f"first run: tests/test_truto_sdk.py builds a Python 3.12 virtualenv in {_SDK_VENV} "
            "and installs truto-python-sdk from PyPI (a minute or so; later runs reuse it)"
        )
    if not (_TS_SDK_DIR / ".installed").exists():
        lines.append(
            f"first run: tests/test_truto_ts_sdk.py installs the truto-ts-sdk's dependencies and "
            f"esbuild from npm into {_TS_SDK_DIR} and bundles the vendored SDK there (seconds "
            "to a minute; later runs reuse them)"
        )
    if not (_CRONOFY_NODE / ".installed-cronofy-3.8.4").exists():
        lines.append(
            f"first run: tests/test_cronofy_node*.py install the npm cronofy package into "
            f"{_CRONOFY_NODE} (seconds to a minute; later runs reuse it)"
        )
    return lines
