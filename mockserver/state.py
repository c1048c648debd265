"""What one running fake holds: settings, the clock, the loaded world file, and the world with
each registered provider's store and backend built on it. Seed swaps all of it at once; reset
restores the snapshot taken when the world was loaded (copies of containers, no rebuild)."""

from __future__ import annotations

import copy
import gc
import hashlib
import os
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from mockserver import registry
from mockserver.core.clock import Clock
from mockserver.core.dump import dump_world
from mockserver.core.fixtures import (
    FixtureError,
    SchemaCheck,
    build,
    demo_path,
    depth_problems,
    enclosing_item,
    place,
    read,
    world_schema,
)
from mockserver.core.models import Account
from mockserver.core.owner import Owner
from mockserver.core.world import World, WorldSnapshot
from mockserver.delivery import DeliveryEngine
from mockserver.faults import Faults
from mockserver.journal import Journal
from mockserver.settings import Settings

# A world with relative times (`today+1dT09:30`) is resolved against the clock when it loads.
# Reset restores that resolution while the clock stays within this of it; past it (the clock
# was moved, or a dev server ran for hours) reset rebuilds the world around the clock's now.
REANCHOR_AFTER = timedelta(hours=1)


@lru_cache(maxsize=4)
def _schema_check(version: int) -> SchemaCheck:
    providers = registry.providers()
    return SchemaCheck(
        world_schema(
            {p.name: p.world_schema for p in providers},
            tuple(name for p in providers for name in p.profile_providers),
        )
    )


def schema() -> dict[str, Any]:
    """The world-file schema: the core's with every registered provider's section."""
    return dict(_schema_check(registry.version()).schema)


def build_state(fixture: dict[str, Any], clock: Clock) -> tuple[World, dict[str, Any], bool]:
    """The world and each provider's store a world document describes, and whether it has
    relative times; FixtureError names every bad place in one report: the schema's, then the
    core's checks and each provider section's over the parts the schema passed."""
    depth = depth_problems(fixture)  # before the schema: too deep to dump is too deep to load
    if depth:
        raise FixtureError(depth)
    errors = _schema_check(registry.version()).errors(fixture)
    if errors:
        problems = [(place(path), message) for path, message in errors]
        raise FixtureError(problems + _beyond_schema(fixture, errors))
    return _build(fixture, clock)


def _build(
    fixture: dict[str, Any],
    clock: Clock,
    skip: frozenset[tuple[Any, ...]] = frozenset(),
    sections: bool = True,
) -> tuple[World, dict[str, Any], bool]:
    try:
        loaded = build(fixture, clock, skip)
    except FixtureError as exc:
        # Still check the sections that need only the accounts, so one run names every problem.
        people = World(clock)
        for ai, acc in enumerate(fixture.get("accounts", ())):
            if ("accounts", ai) not in skip:
                people.put_account(Account(acc["id"], acc["email"], acc["name"]))
        more: list[tuple[str, str]] = []
        for p in registry.providers():
            if p.checks_accounts_only and sections:
                try:
                    p.store.from_section(fixture.get(p.name, {}), people)
                except FixtureError as extra:
                    more += extra.problems
        if more:
            raise FixtureError(exc.problems + more) from exc
        raise
    problems = []
    stores: dict[str, Any] = {}
    for p in registry.providers():  # in registry order: a section may add to the world
        if not sections:
            continue
        try:
            stores[p.name] = p.store.from_section(loaded.sections.get(p.name, {}), loaded.world)
        except FixtureError as exc:
            problems.extend(exc.problems)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            # A check the section's loader missed: still a problem with a place, not a crash.
            problems.append((f"$.{p.name}", f"cannot be loaded: {exc}"))
    if problems:
        raise FixtureError(problems)
    return loaded.world, stores, loaded.relative


def _beyond_schema(
    fixture: Any, errors: list[tuple[tuple[Any, ...], str]]
) -> list[tuple[str, str]]:
    """What the checks a schema cannot make find in a document that failed its schema: the
    items the schema refused are left out, and the provider sections are checked only when
    every account, profile and calendar passed (else they would name phantom problems)."""
    if not isinstance(fixture, dict) or not isinstance(fixture.get("accounts"), list):
        return []
    skip: set[tuple[Any, ...]] = set()
    for path, _ in errors:
        item = enclosing_item(path)
        if item is not None:
            skip.add(item)
        elif not path or path[0] == "accounts":
            return []  # the document's or the accounts' shape is wrong: nothing below is sure
    names = registry.names()
    sections = all(len(item) == 8 for item in skip) and not any(
        path and path[0] in names for path, _ in errors
    )
    try:
        _build(fixture, Clock(), frozenset(skip), sections)
    except FixtureError as exc:
        return exc.problems
    except Exception:  # a shape the schema refused and the checks did not expect: say no more
        return []
    return []


# The world the last successful `check` built, kept for the `load` of the same document that
# usually follows (`serve --fixture` and the pytest plugin check a file, then load it): one
# build, not two. (digest of the document, when it was built, what was built)
_handoff: tuple[bytes, datetime, tuple[World, dict[str, Any], bool]] | None = None
HANDOFF_WITHIN = timedelta(seconds=5)  # relative times resolved this close to the load's now


def _serialised(document: Any) -> bytes | None:
    try:
        return orjson.dumps(document)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _digest(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


def check(fixture: Any) -> list[tuple[str, str]]:
    """Every problem in a world document, as (place, message); empty when it loads."""
    global _handoff
    clock = Clock()
    try:
        built = build_state(fixture, clock)
    except FixtureError as exc:
        return exc.problems
    blob = _serialised(fixture)
    _handoff = (_digest(blob), clock.now(), built) if blob is not None else None
    return []


def _take_handoff(blob: bytes | None, now: datetime) -> tuple[World, dict[str, Any], bool] | None:
    global _handoff
    found, _handoff = _handoff, None
    if found is None or blob is None or _digest(blob) != found[0]:
        return None
    if abs(now - found[1]) > HANDOFF_WITHIN:
        return None  # this state's clock is elsewhere: resolve relative times again
    return found[2]


class WorldFile:
    """A loaded world document, kept as compressed JSON (a world's parsed file would cost
    hundreds of bytes per event): only a reset that re-anchors relative times, or a reader of
    `ServerState.fixture`, parses it again."""

    __slots__ = ("_blob",)

    def __init__(self, document: dict[str, Any], serialised: bytes | None = None) -> None:
        self._blob = zlib.compress(serialised or orjson.dumps(document), 1)

    def data(self) -> dict[str, Any]:
        """A fresh parsed copy."""
        return orjson.loads(zlib.decompress(self._blob))


def _copies(stores: Mapping[str, Any]) -> dict[str, Any]:
    return {name: store.copy() for name, store in stores.items()}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The world and every provider's store at one moment; restoring it leaves it reusable."""

    file: WorldFile  # the world file the state came from
    world: WorldSnapshot
    anchor: datetime  # the clock's now when relative times were resolved
    rebuildable: bool  # straight from `fixture` and it has relative times: may be re-anchored
    stores: dict[str, Any] = field(default_factory=dict)


class ServerState:
    """`backends[name]` is each provider's backend (also reachable as `state.<name>`)."""

    def __init__(
        self, settings: Settings | None = None, fixture: dict[str, Any] | None = None
    ) -> None:
        self.settings = settings or Settings()
        self._initial_settings = copy.deepcopy(self.settings)
        self.clock = Clock()
        self.started = time.monotonic()  # GET /_mock/health's uptime
        self.journal = Journal(self.settings.mock)  # provider requests (mockserver/journal.py)
        self.faults = Faults()  # fault rules (mockserver/faults.py)
        # outbound change notifications (mockserver/delivery/)
        self.deliveries = DeliveryEngine(self.clock, lambda: self.backends, self.settings.mock)
        self.clock.on_change(self.deliveries.nudge)
        self.owner = Owner(lambda: self.world)  # the calendar owner's own edits
        self.state_file: Path | None = None  # where POST /_mock/save writes (serve --state-file)
        self.file: WorldFile  # the loaded world file (`fixture` parses it)
        self.world: World
        self.backends: dict[str, Any] = {}
        self.loaded: Snapshot  # what reset returns to
        self.load(fixture if fixture is not None else read(demo_path()))

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not plain attributes: a provider's backend.
        backends = self.__dict__.get("backends")
        if backends is not None and name in backends:
            return backends[name]
        raise AttributeError(name)

    def _build_backends(self, stores: Mapping[str, Any]) -> None:
        previous = self.backends
        self.backends = {}
        for p in registry.providers():
            backend = p.backend(self.world, stores[p.name], self.settings.section(p.name))
            keep = getattr(backend, "keep_caches_from", None)
            if keep is not None and p.name in previous:
                keep(previous[p.name])  # caches that check their own freshness
            self.backends[p.name] = backend

    @property
    def fixture(self) -> dict[str, Any]:
        """The loaded world file, parsed afresh (changing it changes nothing)."""
        return self.file.data()

    def stores(self) -> dict[str, Any]:
        return {name: backend.store for name, backend in self.backends.items()}

    def load(self, fixture: dict[str, Any]) -> Snapshot:
        """Build a new world from a fixture; on any problem the current world stays."""
        blob = _serialised(fixture)
        built = _take_handoff(blob, self.clock.now())
        if built is None:
            built = build_state(fixture, self.clock)
        world, stores, relative = built
        world.clock = self.clock
        gc.unfreeze()  # the last world's records may go now
        world.changes.muted = False  # loading was no change to announce; what follows is
        world.changes.resize(self.settings.mock.change_feed_size)
        world.changes.subscribe(self.deliveries.feed)
        self.world = world
        self.backends = {}
        self._build_backends(stores)
        self.file = WorldFile(fixture, blob)
        self.loaded = Snapshot(
            self.file,
            world.snapshot(),
            self.clock.now(),
            relative,
            stores=_copies(stores),
        )
        # A world is hundreds of thousands of long-lived objects: out of the collector's sight,
        # its full collections stop scanning them (the pauses that made write p99s jump).
        gc.freeze()
        return self.loaded

    # -- snapshots -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The state as it is now (restore it with `restore` or make it the reset point with
        `activate`)."""
        return Snapshot(
            self.file,
            self.world.snapshot(),
            self.clock.now(),
            rebuildable=False,
            stores=_copies(self.stores()),
        )

    def restore(self, snap: Snapshot) -> None:
        """Put the world and provider state back as they were in `snap`. Derived data (page
        memos, cursors, rate windows) goes; caches that check their own freshness are kept."""
        self.world.restore(snap.world)
        self._build_backends(_copies(snap.stores))

    def activate(self, snap: Snapshot) -> Snapshot:
        """Restore `snap` and make it what reset returns to. A snapshot of a world file with
        relative times, taken more than REANCHOR_AFTER from the clock's now, is rebuilt from its
        file instead. Returns the snapshot now in effect."""
        if snap.rebuildable and abs(self.clock.now() - snap.anchor) > REANCHOR_AFTER:
            return self.load(snap.file.data())
        self.restore(snap)
        self.loaded = snap
        self.file = snap.file
        return snap

    def reset(
        self,
        *,
        clock: bool = False,
        settings: bool = False,
        to: Snapshot | None = None,
        world: bool = True,
        journal: bool = True,
        faults: bool = True,
    ) -> Snapshot:
        """Back to the loaded world (or to `to`, which becomes the loaded world), with an empty
        journal and no fault rules; optionally the clock and the settings too (the control
        plane's and the plugin's resets do all of it). Returns the snapshot now in effect."""
        if journal:
            self.journal.clear()
        if faults:
            self.faults.clear()
            self.deliveries.reset()  # pending deliveries and their rules go with faults
        if clock:
            self.clock.reset()
        if settings:
            self.reset_settings()
        if not world:
            return self.loaded
        return self.activate(to or self.loaded)

    def reset_settings(self) -> None:
        """Every setting back to its value at start, in place (backends hold the sections)."""
        self.settings.restore(self._initial_settings)

    # -- dump and save -------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The current world in the world-file format (seed or load it to get it back)."""
        sections = {name: store.dump(self.world) for name, store in self.stores().items()}
        return dump_world(self.world, **sections)

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
            clean_temp_files(target)  # and what earlier, killed saves left
            raise
        return target

    def credentials(self, base: str) -> dict[str, Any]:
        now = self.clock.now()
        out: dict[str, Any] = {"base_url": base}
        for name, store in self.stores().items():
            out[name] = {"base_url": base, **store.credentials_json(self.world, now)}
        return out


def clean_temp_files(target: str | Path) -> list[Path]:
    """Remove the temporary files (`.<name>.<pid>.tmp`) that saves of `target` killed mid-write
    left beside it; a file of a process still running (another server saving now) stays.
    Returns what was removed."""
    target = Path(target)
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix) : -len(".tmp")]
        if not (pid.isascii() and pid.isdigit()):
            continue
        if int(pid) != os.getpid() and _alive(int(pid)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (another user's) or cannot be told: leave its file
    return True
