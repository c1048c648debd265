"""What one running fake holds: settings, the clock, the loaded world file, and the world with
each provider's backend built on it. Reset and seed swap all of it at once."""

from __future__ import annotations

import copy
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.fixtures import FixtureError, build, demo_path, read, validate
from mockserver.core.world import World
from mockserver.cronofy.models import CronofyBackend
from mockserver.cronofy.oauth import OAuthStore
from mockserver.settings import Settings


class ServerState:
    def __init__(
        self, settings: Settings | None = None, fixture: dict[str, Any] | None = None
    ) -> None:
        self.settings = settings or Settings()
        self.clock = Clock()
        self.fixture: dict[str, Any] = fixture if fixture is not None else read(demo_path())
        self.world: World
        self.cronofy: CronofyBackend
        self.load(self.fixture)

    def load(self, fixture: dict[str, Any]) -> None:
        """Build a new world from a fixture; on any problem the current world stays."""
        problems = validate(fixture)
        if problems:
            raise FixtureError(problems)
        loaded = build(fixture, self.clock)
        oauth = OAuthStore.from_section(loaded.sections.get("cronofy", {}), loaded.world)
        self.world = loaded.world
        self.cronofy = CronofyBackend(loaded.world, oauth, self.settings.cronofy)
        self.fixture = copy.deepcopy(fixture)

    def reset(self) -> None:
        self.load(self.fixture)

    def credentials(self, base: str) -> dict[str, Any]:
        return {"base_url": base, "cronofy": {"base_url": base, **self.cronofy.oauth.credentials()}}
