import os
from pathlib import Path

pytest_plugins = ["contracts.kit"]

# tests/test_truto_sdk.py builds this once (VENV and MARKER there); say so before a long first run.
_SDK_VENV = Path(os.environ.get("TRUTO_SDK_VENV", Path(__file__).with_name(".venv-py312")))


def pytest_report_header(config):
    if not (_SDK_VENV / ".installed-truto-python-sdk-0.1.6").exists():
        return [
            f"first run: tests/test_truto_sdk.py builds a Python 3.12 virtualenv in {_SDK_VENV} "
            "and installs truto-python-sdk from PyPI (a minute or so; later runs reuse it)"
        ]
    return []
