"""World loading and memory per event: `python bench/bench_load.py [--sizes 1000,10000,100000]`.

For each size it builds the bench world (bench_cronofy.world: one calendar of N events, plus a
Cronofy app), writes it to a file, and in a fresh child process (so RSS figures are its own):
- `seed`: the file's bytes through `POST /_mock/seed` on the in-process app (JSON parse,
  validation, world build, snapshot), end to end;
- `fixture`: `ServerState(fixture=...)` from the parsed file (what `serve --fixture` and the
  pytest plugin do after reading the file);
- `bytes/event (traced)`: tracemalloc's growth over a second load of the same file (traced
  separately: tracing slows allocation), divided by N;
- `bytes/event (RSS)`: resident memory after the load minus before it (parsed file freed),
  divided by N.
- `serve`: seconds from starting `mockserver serve --fixture FILE` to its first answer, less the
  same for the demo world (interpreter start and imports are not the world's);
- `plugin`: seconds a pytest session with `--mockserver-world FILE` spends before its one test
  that reads the world runs, less the same with the demo world.
It prints one line per size and events per second. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(path: str, mode: str) -> None:
    import tracemalloc

    import orjson

    from mockserver.app import create_app
    from mockserver.state import ServerState
    from mockserver.testing import asgi_client

    raw = Path(path).read_bytes()
    n = int(json.loads(Path(path + ".n").read_text()))
    state = ServerState(fixture={"version": 1, "accounts": []})
    gc.collect()
    if mode == "seed":
        with asgi_client(create_app(state=state)) as client:
            client.get("/_mock")  # warm the app up: the first request builds the router
            start = time.perf_counter()
            answer = client.post(
                "/_mock/seed", content=raw, headers={"content-type": "application/json"}
            )
            took = time.perf_counter() - start
            assert answer.status_code == 200, answer.text[:500]
        print(json.dumps({"seconds": took, "events": n}))
        return
    data = orjson.loads(raw)
    gc.collect()
    before = rss()
    start = time.perf_counter()
    state.load(data)
    took = time.perf_counter() - start
    del data
    gc.collect()
    after = rss()
    assert len(state.world.events) == n
    # a second world, traced (tracemalloc slows allocation, so it is not the one timed)
    other = ServerState(fixture={"version": 1, "accounts": []})
    data = orjson.loads(raw)
    tracemalloc.start()
    other.load(data)
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(json.dumps({"seconds": took, "traced": traced / n, "rss": (after - before) / n}))


def run_child(path: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--mode", mode],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed ({mode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve_seconds(path: Path | None) -> float:
    import httpx

    from mockserver.testing import free_port

    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "mockserver",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if path is not None:
        argv += ["--fixture", str(path)]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_mock/health", timeout=1).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                time.sleep(0.01)
        raise SystemExit(f"mockserver serve --fixture {path} did not answer")
    finally:
        proc.terminate()
        proc.wait(30)


PLUGIN_TEST = """
import time
def test_world(mockserver_state):
    print("FIRST_TEST_AT", time.time(), len(mockserver_state.world.events))
"""


def plugin_seconds(path: Path | None, work: Path) -> float:
    test = work / "test_world_load.py"
    test.write_text(PLUGIN_TEST)
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-s",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:randomly",
        str(test),
        "--rootdir",
        str(work),
    ]
    if path is not None:
        argv += ["--mockserver-world", str(path)]
    start = time.time()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=900, cwd=work)
    for line in out.stdout.splitlines():
        if line.startswith("FIRST_TEST_AT"):
            return float(line.split()[1]) - start
    raise SystemExit(f"the pytest session failed: {out.stdout[-1500:]}{out.stderr[-1500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--child")
    parser.add_argument("--mode", default="fixture")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.mode)
        return
    sys.path.insert(0, str(HERE))
    import bench_cronofy
    import orjson

    print(
        f"{'events':>9} {'MB':>6} {'seed s':>8} {'ev/s':>9} {'fixture s':>9} {'ev/s':>9} "
        f"{'B/ev traced':>11} {'B/ev RSS':>9} {'serve s':>8} {'plugin s':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        serve_base = serve_seconds(None)
        plugin_base = plugin_seconds(None, Path(tmp))
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"world-{n}.json"
            path.write_bytes(orjson.dumps(bench_cronofy.world(n, datetime.now(UTC))))
            Path(str(path) + ".n").write_text(str(n))
            seed = run_child(path, "seed")
            fixture = run_child(path, "fixture")
            serve = serve_seconds(path) - serve_base
            plugin = plugin_seconds(path, Path(tmp)) - plugin_base
            mb = path.stat().st_size / 1e6
            print(
                f"{n:>9,} {mb:>6.1f} {seed['seconds']:>8.2f} {n / seed['seconds']:>9,.0f} "
                f"{fixture['seconds']:>9.2f} {n / fixture['seconds']:>9,.0f} "
                f"{fixture['traced']:>11,.0f} {fixture['rss']:>9,.0f} {serve:>8.2f} "
                f"{plugin:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
