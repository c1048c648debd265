"""Start `mockserver serve --port 0` from an installed copy, wait for its banner, and check that
the health endpoint and the dashboard answer; exits non-zero (with why) otherwise. CI runs it
with the wheel installed in a fresh virtualenv:

    python scripts/serve_smoke.py /path/to/venv/bin/mockserver
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request

TIMEOUT = 60


def main(executable: str) -> int:
    process = subprocess.Popen(
        [executable, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        banner = process.stdout.readline() if process.stdout else ""
        found = re.search(r"on (http://\S+)", banner)
        if not found:
            print(f"no banner from {executable}: {banner!r}", file=sys.stderr)
            return 1
        url = found.group(1)
        with urllib.request.urlopen(url + "/_mock/health", timeout=TIMEOUT) as response:
            health = json.load(response)
        with urllib.request.urlopen(url + "/_mock/ui", timeout=TIMEOUT) as response:
            page = response.read().decode()
        with urllib.request.urlopen(url + "/_mock/ui/static/ui.js", timeout=TIMEOUT) as response:
            script = response.read().decode()  # package data: the dashboard's script
        with urllib.request.urlopen(url + "/_mock/openapi.json", timeout=TIMEOUT) as response:
            openapi = json.load(response)
        if (
            health.get("status") != "ok"
            or "calendar-mockserver" not in page
            or "EventSource" not in script
            or openapi.get("openapi") != "3.1.0"
        ):
            print(f"unexpected answers: {health!r}", file=sys.stderr)
            return 1
        print(
            f"served from {executable}: {url} health {health['version']}, dashboard, its script and the OpenAPI document ok"
        )
        return 0
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "mockserver"))
