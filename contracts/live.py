"""What a contract suite needs from a real API, and the checks that keep a live run honest.

Each provider suite declares itself once, in its conftest:

    SUITE = LiveSuite("cronofy", __file__, env_prefix="CRONOFY_", states=FAKE_STATES,
                      not_live={...}, restore={...}, packages=("pycronofy",))

A `--target live` run then

- fails before any test with one line naming every variable that is missing (the base URL and
  one `<PREFIX><STATE>` per provider state), unless `--allow-partial` is given, in which case the
  tests that need a missing state are skipped;
- fails if no live test passed at all (a run that only skipped verified nothing);
- fails a test whose disposable state an earlier run used up, with the step that restores it
  (`ProviderStates.disposable`);
- writes the suite's evidence file (contracts.evidence).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from contracts.kit import Target

SUITES: dict[str, LiveSuite] = {}


class LiveSuite:
    """One provider's contract suite as a live run sees it.

    `states` are the provider states with their values in the contract world (the fake's side);
    on a real API each comes from `<env_prefix><NAME>`. `not_live` names the states a live run
    does not need, each with the reason (read only by fake-only tests, or made by the suite
    itself on a real API). `restore` gives, for each state a run uses up, the exact step that
    makes a fresh one. `packages` are the client libraries whose versions the evidence records.
    """

    def __init__(
        self,
        name: str,
        conftest: str | Path,
        *,
        env_prefix: str,
        states: Mapping[str, Any],
        title: str | None = None,
        base_url_env: str | None = None,
        not_live: Mapping[str, str] | None = None,
        restore: Mapping[str, str] | None = None,
        packages: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.title = title or name
        self.directory = Path(conftest).resolve().parent
        self.env_prefix = env_prefix
        self.states = dict(states)
        self.base_url_env = base_url_env or f"{env_prefix}BASE_URL"
        self.not_live = dict(not_live or {})
        self.restore = dict(restore or {})
        self.packages = packages
        unknown = sorted((set(self.not_live) | set(self.restore)) - set(self.states))
        if unknown:
            raise ValueError(f"suite {name}: no provider states {unknown}")
        SUITES[name] = self

    def env_name(self, state: str) -> str:
        return f"{self.env_prefix}{state.upper()}"

    def variables(self) -> list[str]:
        """Every environment variable a full live run of this suite needs."""
        return [self.base_url_env] + [
            self.env_name(s) for s in self.states if s not in self.not_live
        ]

    def missing(self, environ: Mapping[str, str] | None = None) -> list[str]:
        env = os.environ if environ is None else environ
        return [v for v in self.variables() if not env.get(v)]

    def base_url(self, target: Target) -> str:
        return provider_base(target, self.base_url_env, self.title)

    def provider_states(self, target: Target) -> ProviderStates:
        return ProviderStates(target, self.states, self.env_prefix, self.restore)

    def owns(self, path: Path) -> bool:
        return self.directory == path or self.directory in path.parents


def suite_for(path: Path) -> LiveSuite | None:
    path = Path(path).resolve()
    return next((s for s in SUITES.values() if s.owns(path)), None)


def provider_base(target: Target, env_var: str, provider: str) -> str:
    """The base URL a provider's suite talks to. On a fake, the world is reset first so every
    test starts from the seeded contract world; live, it comes from `env_var` (or a skip, which
    only a `--allow-partial` run reaches: a full run checks every variable first)."""
    if target.is_fake:
        target.reset()
        return target.base_url
    base = os.environ.get(env_var, "")
    if not base:
        pytest.skip(f"live {provider} not configured: set {env_var}")
    return base


class ProviderStates:
    """Named things a test needs to exist first. On a fake they come from the world the kit
    seeded; on a real API from environment variables `<PREFIX><NAME>` (upper case)."""

    def __init__(
        self,
        target: Target,
        fake_values: Mapping[str, Any],
        env_prefix: str,
        restore: Mapping[str, str] | None = None,
    ) -> None:
        self.target = target
        self.fake_values = fake_values
        self.env_prefix = env_prefix
        self.restore = dict(restore or {})
        self.chosen: dict[str, str] = {}  # disposable states: the value this test took

    def env_name(self, name: str) -> str:
        return f"{self.env_prefix}{name.upper()}"

    def get(self, name: str) -> Any:
        if self.target.is_fake:
            if name not in self.fake_values:
                raise KeyError(f"the contract world defines no provider state {name!r}")
            return self.fake_values[name]
        if name in self.chosen:
            return self.chosen[name]
        value = os.environ.get(self.env_name(name))
        if not value:
            pytest.skip(f"provider state {name!r} not configured: set {self.env_name(name)}")
        return value

    def disposable(self, name: str, usable: Callable[[str], bool]) -> str:
        """A state the test uses up (deletes, books). On a fake, the seeded value. On a real API
        the variable may hold several values, comma-separated, so that a pool lasts several
        runs: the first one `usable` accepts is returned; when none is left the test fails
        with the exact step that restores the state."""
        raw = self.get(name)
        if self.target.is_fake:
            return raw
        values = [v.strip() for v in str(raw).split(",") if v.strip()]
        for value in values:
            if usable(value):
                self.chosen[name] = value  # what get() answers from now on in this test
                return value
        what = f"{values[0]!r} was" if len(values) == 1 else f"all {len(values)} values were"
        step = self.restore.get(name, "give it a fresh value")
        pytest.fail(
            f"{self.env_name(name)}: {what} used up by an earlier live run. To restore: {step}",
            pytrace=False,
        )


def check_configured(config: pytest.Config, items: list[pytest.Item]) -> dict[str, list[str]]:
    """Suite name -> its missing variables, for the suites these live items belong to; raises
    UsageError (one line) when something is missing and `--allow-partial` was not given."""
    suites = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("target") == "live":
            suite = suite_for(item.path)
            if suite is not None:
                suites[suite.name] = suite
    missing = {name: s.missing() for name, s in sorted(suites.items())}
    missing = {name: m for name, m in missing.items() if m}
    if missing and not config.getoption("--allow-partial"):
        names = ", ".join(v for m in missing.values() for v in m)
        raise pytest.UsageError(
            f"live run not configured: set {names} "
            "(or pass --allow-partial to run only what is configured)"
        )
    return missing


def discover() -> dict[str, LiveSuite]:
    """Every suite of this package (each `contracts/<name>/conftest.py` declares its own)."""
    import importlib

    for conftest in sorted(Path(__file__).parent.glob("*/conftest.py")):
        importlib.import_module(f"contracts.{conftest.parent.name}.conftest")
    registry = importlib.import_module("contracts.live").SUITES  # also when run as __main__
    return dict(sorted(registry.items()))


def main(argv: list[str] | None = None) -> int:
    """`python -m contracts.live`: what each suite needs for a live run (`--names`: only the
    variable names, one a line, e.g. to create the CI secrets)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m contracts.live", description=main.__doc__)
    parser.add_argument("--names", action="store_true", help="only the variable names")
    parser.add_argument("suites", nargs="*", help="suite names (default: all)")
    args = parser.parse_args(argv)
    suites = discover()
    chosen = [suites[name] for name in args.suites] if args.suites else list(suites.values())
    for suite in chosen:
        if args.names:
            print("\n".join(suite.variables()))
            continue
        print(
            f"{suite.name} ({suite.title}): pytest contracts/{suite.directory.name} --target live"
        )
        for var in suite.variables():
            print(f"  {var}")
        for state, why in suite.not_live.items():
            print(f"  (not needed live: {suite.env_name(state)}, {why})")
        for state, step in suite.restore.items():
            print(f"  used up by a run: {suite.env_name(state)}. To restore: {step}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
