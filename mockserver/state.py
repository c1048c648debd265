"""What one running fake holds: settings, the clock, the loaded world file, and the world with
each provider's backend built on it. Seed swaps all of it at once; reset restores the snapshot
taken when the world was loaded (copies of containers, no rebuild)."""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from mockserver.calcom.models import CalcomBackend
from mockserver.calcom.store import CalcomStore
from mockserver.core.clock import Clock
from mockserver.core.dump import dump_world
from mockserver.core.fixtures import (
    FixtureError,
    build,
    demo_path,
    read,
    schema_problems,
    uses_relative_times,
)
from mockserver.core.models import Account
from mockserver.core.world import World, WorldSnapshot
from mockserver.cronofy.models import CronofyBackend
from mockserver.cronofy.oauth import OAuthStore
from mockserver.faults import Faults
from mockserver.journal import Journal
from mockserver.settings import Settings
from mockserver.truto.accounts import TrutoStore
from mockserver.truto.models import TrutoBackend

# A world with relative times (`today+1dT09:30`) is resolved against the clock when it loads.
# Reset restores that resolution while the clock stays within this of it; past it (the clock
# was moved, or a dev server ran for hours) reset rebuilds the world around the clock's now.
REANCHOR_AFTER = timedelta(hours=1)


def build_state(
    fixture: dict[str, Any], clock: Clock
) -> tuple[World, OAuthStore, CalcomStore, TrutoStore]:
    """The world and each provider's state a world document describes; FixtureError names every
    bad place (schema first, then the core's checks, then each provider section's)."""
    problems = schema_problems(fixture)
    if problems:
        raise FixtureError(problems)
    try:
        loaded = build(fixture, clock)
    except FixtureError as exc:
        # Still check the provider sections, against the accounts alone, so one run names
        # every problem.
        people = World(clock)
        for acc in fixture.get("accounts", ()):
            people.put_account(Account(acc["id"], acc["email"], acc["name"]))
        try:
            OAuthStore.from_section(fixture.get("cronofy", {}), people)
        except FixtureError as more:
            raise FixtureError(exc.problems + more.problems) from exc
        raise
    problems: list[tuple[str, str]] = []

    def section(name: str, from_section: Callable[[dict[str, Any], World], Any]) -> Any:
        try:
            return from_section(loaded.sections.get(name, {}), loaded.world)
        except FixtureError as exc:
            problems.extend(exc.problems)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            # A check the section's loader missed: still a problem with a place, not a crash.
            problems.append((f"$.{name}", f"cannot be loaded: {exc}"))
        return None

    oauth = section("cronofy", OAuthStore.from_section)
    calcom = section("calcom", CalcomStore.from_section)  # its bookings add Google events
    truto = section("truto", TrutoStore.from_section)
    if problems:
        raise FixtureError(problems)
    return loaded.world, oauth, calcom, truto


def check(fixture: Any) -> list[tuple[str, str]]:
    """Every problem in a world document, as (place, message); empty when it loads."""
    try:
        build_state(fixture, Clock())
    except FixtureError as exc:
        return exc.problems
    return []


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The world and every provider's state at one moment; restoring it leaves it reusable."""

    fixture: dict[str, Any]  # the world file the state came from
    world: WorldSnapshot
    cronofy: OAuthStore
    anchor: datetime  # the clock's now when relative times were resolved
    rebuildable: bool  # straight from `fixture` and it has relative times: may be re-anchored
    calcom: CalcomStore = dataclasses.field(default_factory=CalcomStore)
    truto: TrutoStore = dataclasses.field(default_factory=TrutoStore)


class ServerState:
    def __init__(
        self, settings: Settings | None = None, fixture: dict[str, Any] | None = None
    ) -> None:
        self.settings = settings or Settings()
        self._initial_settings = copy.deepcopy(self.settings)
        self.clock = Clock()
        self.journal = Journal(self.settings.mock)  # provider requests (mockserver/journal.py)
        self.faults = Faults()  # fault rules (mockserver/faults.py)
        self.state_file: Path | None = None  # where POST /_mock/save writes (serve --state-file)
        self.fixture: dict[str, Any] = fixture if fixture is not None else read(demo_path())
        self.world: World
        self.cronofy: CronofyBackend
        self.calcom: CalcomBackend
        self.truto: TrutoBackend
        self.loaded: Snapshot  # what reset returns to
        self.load(self.fixture)

    def load(self, fixture: dict[str, Any]) -> Snapshot:
        """Build a new world from a fixture; on any problem the current world stays."""
        world, oauth, calcom, truto = build_state(fixture, self.clock)
        self.world = world
        self.cronofy = CronofyBackend(world, oauth, self.settings.cronofy)
        self.calcom = CalcomBackend(world, calcom, self.settings.calcom)
        self.truto = TrutoBackend(world, truto, self.settings.truto)
        self.fixture = copy.deepcopy(fixture)
        self.loaded = Snapshot(
            self.fixture,
            world.snapshot(),
            oauth.copy(),
            self.clock.now(),
            uses_relative_times(fixture),
            calcom=calcom.copy(),
            truto=truto.copy(),
        )
        return self.loaded

    # -- snapshots -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The state as it is now (restore it with `restore` or make it the reset point with
        `activate`)."""
        return Snapshot(
            self.fixture,
            self.world.snapshot(),
            self.cronofy.oauth.copy(),
            self.clock.now(),
            rebuildable=False,
            calcom=self.calcom.store.copy(),
            truto=self.truto.store.copy(),
        )

    def restore(self, snap: Snapshot) -> None:
        """Put the world and provider state back as they were in `snap`. Derived data (page
        memos, next_page cursors, rate windows) goes; rendered events are kept, since they are
        checked against the very record they were rendered from."""
        self.world.restore(snap.world)
        rendered = self.cronofy.reader.rendered
        self.cronofy = CronofyBackend(self.world, snap.cronofy.copy(), self.settings.cronofy)
        self.cronofy.reader.rendered = rendered
        self.calcom = CalcomBackend(self.world, snap.calcom.copy(), self.settings.calcom)
        self.truto = TrutoBackend(self.world, snap.truto.copy(), self.settings.truto)

    def activate(self, snap: Snapshot) -> Snapshot:
        """Restore `snap` and make it what reset returns to. A snapshot of a world file with
        relative times, taken more than REANCHOR_AFTER from the clock's now, is rebuilt from its
        file instead. Returns the snapshot now in effect."""
        if snap.rebuildable and abs(self.clock.now() - snap.anchor) > REANCHOR_AFTER:
            return self.load(snap.fixture)
        self.restore(snap)
        self.loaded = snap
        self.fixture = snap.fixture
        return snap

    def reset(
        self, *, clock: bool = False, settings: bool = False, to: Snapshot | None = None
    ) -> Snapshot:
        """Back to the loaded world (or to `to`, which becomes the loaded world), with an empty
        journal and no fault rules; optionally the clock and the settings too. Returns the
        snapshot now in effect."""
        self.journal.clear()
        self.faults.clear()
        if clock:
            self.clock.reset()
        if settings:
            self.reset_settings()
        return self.activate(to or self.loaded)

    def reset_settings(self) -> None:
        """Every setting back to its value at start, in place (backends hold the sections)."""
        for f in dataclasses.fields(self._initial_settings):
            initial = getattr(self._initial_settings, f.name)
            if dataclasses.is_dataclass(initial):
                section = getattr(self.settings, f.name)
                for g in dataclasses.fields(initial):
                    setattr(section, g.name, copy.deepcopy(getattr(initial, g.name)))
            else:
                setattr(self.settings, f.name, copy.deepcopy(initial))

    # -- dump and save -------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The current world in the world-file format (seed or load it to get it back)."""
        return dump_world(
            self.world,
            cronofy=self.cronofy.oauth.dump(),
            calcom=self.calcom.store.dump(self.world),
            truto=self.truto.store.dump(),
        )

    def save(self, path: str | Path | None = None) -> Path:
        """Write the dump atomically (a temporary file beside it, then a rename)."""
        target = Path(path) if path is not None else self.state_file
        if target is None:
            raise ValueError("no state file configured")
        data = orjson.dumps(self.dump(), option=orjson.OPT_INDENT_2) + b"\n"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def credentials(self, base: str) -> dict[str, Any]:
        return {
            "base_url": base,
            "cronofy": {"base_url": base, **self.cronofy.oauth.credentials()},
            "calcom": {
                "base_url": base,
                **self.calcom.store.credentials_json(self.clock.now()),
            },
            "truto": {"base_url": base, **self.truto.store.credentials(self.world)},
        }
