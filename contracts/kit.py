"""The contract kit, as a pytest plugin.

`--target` chooses where contract tests send their HTTP:
  asgi  the fake in-process (no sockets)
  http  a live fake on a free loopback port, started by the kit
  live  a real API (or anything posing as one): base URL, credentials and provider states come
        from environment variables; nothing under /_mock is ever called.
The default run covers asgi and http. `--target live` or `--target asgi,http,live` choose others.

Rules: `@pytest.mark.rule("<reference>", <rule>, ...)` names the documented rule(s) a test
enforces, `<reference>` being a file of docs/reference/ without `.md` (cronofy, calcom, truto,
webhooks, scheduling) and `<rule>` its number (`rule("truto", 12)`), its own id
(`rule("scheduling", "S-C12")`) or, in webhooks.md, provider and number
(`rule("webhooks", "cronofy-3")`, also `"1.7.3"`); contracts/rules.py is the scanner. A mark
naming no rule, or a `test_rule_<N>_` test without its mark, fails at setup.

Outcomes: every run records each test's outcome per target with its rules
(contracts/outcomes.py) and writes them to the results file (`rule_results` ini option,
`--rule-results PATH`); a complete run fails when a rule is uncovered or docs/COVERAGE.md is out
of date (contracts/coverage.py). A live run checks its configuration first, fails if it verified
nothing, and writes evidence files (contracts/live.py, contracts/evidence.py).
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts import live, outcomes
from contracts.live import LiveSuite, ProviderStates, provider_base
from contracts.session import ContractRun

__all__ = ["LiveSuite", "ProviderStates", "provider_base"]  # kept here for the suites

FAKE_TARGETS = outcomes.FAKE_TARGETS
WORLD_FILE = Path(__file__).with_name("world.json")
RUN = pytest.StashKey[ContractRun]()


def WORLD() -> dict[str, Any]:  # noqa: N802 - reads like the constant it stands for
    """The contract world every fake target is seeded with (all providers' states)."""
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def notice(text: str) -> None:
    """Say what a long wait is waiting for, past pytest's output capture (seen with -n 0, as
    live runs use)."""
    stream = sys.__stderr__
    if stream is not None:
        stream.write(f"\n[contracts] {text}\n")
        stream.flush()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contracts")
    group.addoption(
        "--target",
        default="asgi,http",
        help="comma-separated contract targets: asgi, http, live (default asgi,http)",
    )
    group.addoption(
        "--allow-partial",
        action="store_true",
        default=False,
        help="live: run what is configured and skip tests whose variables are missing "
        "(without it a live run with any variable missing fails before the first test)",
    )
    group.addoption(
        "--rule-results",
        metavar="PATH",
        help="write each test's outcome per target and its rules here (JSON; '' for none; "
        "default: the rule_results ini option)",
    )
    group.addoption(
        "--evidence-dir",
        metavar="DIR",
        help="where a live run writes its evidence files (default: the evidence_dir ini option)",
    )
    parser.addini(
        "rule_results", "results file every run writes (relative to the root)", default=""
    )
    parser.addini("rule_references", "directory of the rule references", default="docs/reference")
    parser.addini("evidence_dir", "live evidence directory", default="docs/evidence/live")
    parser.addini("rule_coverage_file", "the generated coverage table", default="docs/COVERAGE.md")
    parser.addini(
        "rule_not_emulated",
        "rules the fake does not emulate, with reasons",
        default="contracts/not_emulated.toml",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "rule(reference, rule, ...): the documented rule(s) of docs/reference/<reference>.md "
        "a test enforces",
    )
    config.addinivalue_line(
        "markers", "fake_only: needs the control plane; skipped on live targets"
    )
    chosen = targets(config)
    run = ContractRun(config, chosen)
    config.stash[RUN] = run
    config.pluginmanager.register(run, "contracts-run")  # its report hooks
    workers = getattr(config.option, "numprocesses", None)
    if "live" in chosen and run.controller and isinstance(workers, int) and workers > 0:
        raise pytest.UsageError(
            "live targets run in one process (the suites share one real account): use -n 0"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (the default) means one process for live runs."""
    return 0 if "live" in targets(config) else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    run = config.stash[RUN]
    outcomes.annotate(items, run.references)
    if "live" in run.targets and not config.option.collectonly:
        run.live_missing = live.check_configured(config, items)


def pytest_runtest_setup(item: pytest.Item) -> None:
    outcomes.setup_check(item)
    callspec = getattr(item, "callspec", None)
    if (
        callspec is not None
        and callspec.params.get("target") == "live"
        and item.get_closest_marker("fake_only")
    ):
        pytest.skip("needs the fake's /_mock control plane")


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Iterator[None]:
    result = yield
    run = session.config.stash[RUN]
    if run.controller and run.finish(session):
        session.testsfailed += 1
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN, None)
    if run is not None and run.controller:
        run.write()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is not None and run.summary:
        terminalreporter.section("contract kit")
        for line in run.summary:
            terminalreporter.line(line)


def targets(config: pytest.Config) -> list[str]:
    chosen = [t.strip() for t in config.getoption("--target").split(",") if t.strip()]
    bad = [t for t in chosen if t not in (*FAKE_TARGETS, "live")]
    if bad:
        raise pytest.UsageError(f"unknown --target {bad}; choose from asgi, http, live")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames:
        metafunc.parametrize("target", targets(metafunc.config), indirect=True, scope="session")


class Target:
    """Where the HTTP goes. `client` is an httpx.Client with base_url set."""

    def __init__(self, name: str, client: httpx.Client, base_url: str) -> None:
        self.name = name
        self.client = client
        self.base_url = base_url

    @property
    def is_fake(self) -> bool:
        return self.name in FAKE_TARGETS

    def control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the fake's control plane; a test that needs it is skipped on a real API."""
        if not self.is_fake:
            pytest.skip("needs the fake's /_mock control plane")
        response = self.client.request(method, path, **kwargs)
        response.raise_for_status()
        return response

    def seed(self, world: dict[str, Any]) -> None:
        self.control("POST", "/_mock/seed", json=world)

    def reset(self) -> None:
        if self.is_fake:
            self.control("POST", "/_mock/reset")


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    name = request.param
    if name == "asgi":
        from mockserver.app import create_app
        from mockserver.testing import asgi_client

        with asgi_client(create_app(fixture=WORLD())) as client:
            yield Target(name, client, "http://testserver")
    elif name == "http":
        from mockserver.testing import LiveServer

        with (
            LiveServer(fixture=WORLD()) as srv,
            httpx.Client(base_url=srv.url, timeout=30) as client,
        ):
            yield Target(name, client, srv.url)
    else:
        # Each provider's suite reads its own base URL (e.g. CRONOFY_BASE_URL).
        with httpx.Client(timeout=60) as client:
            yield Target("live", client, "")


class ProviderClient:
    """Raw HTTP against one provider's paths on the chosen target; subclasses define
    `request` (auth, provider headers) and the calls their tests make most."""

    token_state = "access_token"  # the provider state holding the default bearer token

    def __init__(self, target: Target, base: str, states: ProviderStates) -> None:
        self.target = target
        self.base = base.rstrip("/")
        self.states = states

    @property
    def token(self) -> str:
        return self.states.get(self.token_state)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def headers(self, headers: dict[str, str] | None, token: str | None | bool) -> dict[str, str]:
        """`token=True` sends the default token, a string sends that one, None/False none."""
        out = dict(headers or {})
        if token is True:
            token = self.token
        if token:
            out.setdefault("Authorization", f"Bearer {token}")
        return out

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        raise NotImplementedError

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)


@contextmanager
def fake_settings(target: Target, section: str = "cronofy", **changes: Any) -> Iterator[None]:
    """Change a provider's settings on a fake (skips on live) and put the old values back:
    a reset between tests restores the world, not the settings."""
    before = target.control("GET", "/_mock/settings").json()[section]
    target.control("PATCH", "/_mock/settings", json={section: changes})
    try:
        yield
    finally:
        target.control("PATCH", "/_mock/settings", json={section: {k: before[k] for k in changes}})


@contextmanager
def clock_restored(target: Target) -> Iterator[None]:
    """Whatever the test does to the fake's clock is undone afterwards (skips on live)."""
    before = target.control("GET", "/_mock/clock").json()
    try:
        yield
    finally:
        target.control("POST", "/_mock/clock", json={"reset": True})
        if before["frozen"]:
            target.control("POST", "/_mock/clock", json={"set": before["now"], "freeze": True})
        elif before["offset_seconds"]:
            target.control("POST", "/_mock/clock", json={"advance": before["offset_seconds"]})


@contextmanager
def clock_moved(target: Target, seconds: float) -> Iterator[None]:
    """Move the fake's clock forward for the duration of the block."""
    with clock_restored(target):
        target.control("POST", "/_mock/clock", json={"advance": seconds})
        yield


@contextmanager
def frozen_clock(target: Target) -> Iterator[None]:
    """Freeze the fake's clock (rate windows become deterministic) for the block."""
    with clock_restored(target):
        target.control("POST", "/_mock/clock", json={"freeze": True})
        yield


# -- time helpers: test data lives days ahead of today (UTC), inside every read window ---------


def day(offset: int = 0) -> date:
    """The UTC date `offset` days from today."""
    return datetime.now(UTC).date() + timedelta(days=offset)


def midnight(offset: int = 0) -> datetime:
    """Midnight UTC, `offset` days from today."""
    return datetime.combine(day(offset), datetime.min.time(), UTC)


def at(offset: int, hour: int, minute: int = 0) -> str:
    """A UTC time `offset` days from today, as `2026-12-10T10:00:00Z`."""
    return f"{day(offset).isoformat()}T{hour:02d}:{minute:02d}:00Z"


def window(offset: int, days: int = 1, *, tzid: str | None = None) -> dict[str, str]:
    """`from` / `to` dates covering `days` days from day `offset` (and `tzid` if given)."""
    out = {"from": day(offset).isoformat(), "to": day(offset + days).isoformat()}
    if tzid is not None:
        out = {"tzid": tzid, **out}
    return out


# -- callbacks: where a provider delivers notifications, and what arrived there ----------------


@pytest.fixture(scope="session")
def _callback_receiver() -> Iterator[Any]:
    """One local HTTP receiver per session (fake targets deliver to it over real HTTP)."""
    from mockserver.delivery.receiver import Receiver

    receiver = Receiver().serve()
    try:
        yield receiver
    finally:
        receiver.close()


class Callbacks:
    """Callback URLs for one test and the requests they received. On a fake, each URL is a path
    of the local receiver unique to the test; live, it is the public URL in `env_var` (the
    test is skipped without one) and what arrives there cannot be read back, so tests that
    inspect deliveries are skipped with that reason."""

    def __init__(self, target: Target, receiver: Any, env_var: str) -> None:
        self.target = target
        self.receiver = receiver
        self.env_var = env_var
        self.prefix = f"/{uuid.uuid4().hex[:12]}"

    def url(self, name: str = "hook") -> str:
        if self.target.is_fake:
            return f"{self.receiver.url}{self.prefix}/{name}"
        url = os.environ.get(self.env_var, "")
        if not url:
            pytest.skip(f"live callbacks not configured: set {self.env_var} to a public URL")
        # one URL per test and name (providers refuse or merge identical subscriptions)
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}contract={self.prefix.lstrip('/')}-{name}"

    def _readable(self) -> None:
        if not self.target.is_fake:
            pytest.skip(
                f"deliveries to {self.env_var} cannot be read back by the test; "
                "run this one against a fake"
            )

    def received(self, name: str | None = None) -> list[Any]:
        """What arrived so far at this test's URLs (at `name` only, if given)."""
        self._readable()
        path = f"{self.prefix}/{name}" if name else self.prefix
        return self.receiver.matching(lambda r: r.path.startswith(path))

    def wait_for(
        self,
        name: str | None = None,
        *,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Any], bool] | None = None,
    ) -> list[Any]:
        """Block until `count` requests (passing `where`) reached this test's URLs."""
        self._readable()
        path = f"{self.prefix}/{name}" if name else self.prefix
        return self.receiver.wait_for(
            lambda r: r.path.startswith(path) and (where is None or where(r)),
            count=count,
            timeout=timeout,
        )

    def flush(self) -> None:
        """Wait until the fake has sent everything due (fake only)."""
        self.target.control("POST", "/_mock/deliveries/flush", json={"timeout": 30})

    def answer(self, status: int, *, name: str | None = None, **kwargs: Any) -> None:
        """Make this test's receiver answer `status` (fake only: a live URL answers itself)."""
        self._readable()
        path = f"{self.prefix}/{name}" if name else self.prefix
        self.receiver.respond(status, path=path, **kwargs)


def webhook_rule(provider: str, number: int) -> pytest.MarkDecorator:
    """The marker of a test enforcing rule `number` of a provider's change-notification rules
    (docs/reference/webhooks.md: §1.7 Cronofy, §2.8 Cal.com, §3.5 Truto):
    `rule("webhooks", "<provider>-<N>")`."""
    return pytest.mark.rule("webhooks", f"{provider}-{number}")
