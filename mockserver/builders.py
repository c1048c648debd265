"""Build world files in Python: accounts → calendars → events, plus each provider's apps and
tokens. Names, summaries and ids come from a seeded Faker and random generator, so one seed always
gives the same world (for a given Faker version). Times are relative (`today+2dT09:00`), so a
built world never drifts out of the providers' read windows.

    from mockserver.builders import WorldBuilder

    b = WorldBuilder(seed=7)
    alice = b.account(name="Alice Example", tzid="Europe/London")
    work = alice.calendar("Work", primary=True)
    work.event(summary="Planning", start="today+1dT10:00", end="today+1dT11:00")
    work.events(20)                      # Faker-made meetings over the next weeks
    token = b.cronofy.token(alice)       # an app (made on first use) and an all-scopes token
    world = b.build()                    # a plain world-file dict

Each provider adds its part (registry.Provider.builder, e.g. mockserver/cronofy/builders.py):
`b.<provider>` is it, and `b.<provider>_<method>` is the same as `b.<provider>.<method>`
(`b.cronofy_token(alice)`).

or, in one line, `random_world(seed=7, accounts=2, calendars=2, events=10)`.
"""

from __future__ import annotations

import copy
import random
import string
from typing import Any

from faker import Faker

from mockserver import registry

_ALNUM = string.ascii_letters + string.digits
_HOURS = (8, 9, 10, 11, 13, 14, 15, 16)
_MINUTES = (15, 30, 45, 60, 90)


class WorldBuilder:
    def __init__(self, seed: int = 0, locale: str = "en_US") -> None:
        self.seed = seed
        self.fake = Faker(locale)
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.accounts: list[AccountBuilder] = []
        self.description = f"built by mockserver.builders (seed {seed})"
        # each provider's part: its world-file section (apps, tokens, users, accounts, ...)
        self.parts: dict[str, Any] = {
            p.name: p.builder(self) for p in registry.providers() if p.builder is not None
        }

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not plain attributes: `b.cronofy` is a provider's
        # part, `b.cronofy_token` its `token`.
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        provider, _, member = name.partition("_")
        if provider in parts and member:
            return getattr(parts[provider], member)
        raise AttributeError(name)

    # -- ids -----------------------------------------------------------------------------

    def hex(self, nbytes: int) -> str:
        return "".join(f"{self.rng.randrange(256):02x}" for _ in range(nbytes))

    def token(self, length: int = 32) -> str:
        return "".join(self.rng.choice(_ALNUM) for _ in range(length))

    # -- people --------------------------------------------------------------------------

    def account(
        self,
        name: str | None = None,
        email: str | None = None,
        *,
        tzid: str = "Etc/UTC",
        id: str | None = None,
    ) -> AccountBuilder:
        name = name or self.fake.name()
        if email is None:
            local = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
            email = f"{local}@{self.fake.domain_name()}"
        acc = AccountBuilder(self, id or f"acc_{self.hex(12)}", email, name, tzid)
        self.accounts.append(acc)
        return acc

    def person(self) -> dict[str, str]:
        name = self.fake.name()
        local = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
        return {"email": f"{local}@{self.fake.free_email_domain()}", "display_name": name}

    # -- output --------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        """The world-file dict (a fresh copy each call)."""
        out: dict[str, Any] = {
            "version": 1,
            "description": self.description,
            "accounts": [a.to_dict() for a in self.accounts],
        }
        for name, part in self.parts.items():
            section = part.section()
            if section:
                out[name] = section
        return copy.deepcopy(out)


class AccountBuilder:
    def __init__(self, world: WorldBuilder, id: str, email: str, name: str, tzid: str) -> None:
        self.world = world
        self.id = id
        self.email = email
        self.name = name
        self.tzid = tzid
        self.profiles: list[ProfileBuilder] = []

    def profile(
        self, provider_name: str = "google", *, name: str | None = None, **fields: Any
    ) -> ProfileBuilder:
        prof = ProfileBuilder(
            self.world, f"pro_{self.world.hex(6)}", provider_name, name or self.email, fields
        )
        self.profiles.append(prof)
        return prof

    def calendar(self, name: str | None = None, **fields: Any) -> CalendarBuilder:
        """A calendar on the account's first profile (a Google one is made if there is none)."""
        prof = self.profiles[0] if self.profiles else self.profile()
        return prof.calendar(name, **fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "default_tzid": self.tzid,
            "profiles": [p.to_dict() for p in self.profiles],
        }


class ProfileBuilder:
    def __init__(
        self, world: WorldBuilder, id: str, provider_name: str, name: str, fields: dict[str, Any]
    ) -> None:
        self.world = world
        self.id = id
        self.provider_name = provider_name
        self.name = name
        self.fields = fields
        self.calendars: list[CalendarBuilder] = []

    def calendar(self, name: str | None = None, **fields: Any) -> CalendarBuilder:
        fields.setdefault("primary", not self.calendars)
        fields.setdefault("permission_level", "unrestricted")
        cal = CalendarBuilder(
            self.world,
            f"cal_{self.id.removeprefix('pro_')}_{self.world.hex(6)}",
            name or ("Calendar" if not self.calendars else self.world.fake.word().title()),
            fields,
        )
        self.calendars.append(cal)
        return cal

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider_name": self.provider_name,
            "name": self.name,
            **self.fields,
            "calendars": [c.to_dict() for c in self.calendars],
        }


class CalendarBuilder:
    def __init__(self, world: WorldBuilder, id: str, name: str, fields: dict[str, Any]) -> None:
        self.world = world
        self.id = id
        self.name = name
        self.fields = fields
        self.event_list: list[dict[str, Any]] = []

    def event(
        self,
        summary: str | None = None,
        start: str | None = None,
        end: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """One event; missing parts are made up (a meeting in the next two weeks). Any other
        world-file event field may be given (`attendees`, `recurrence`, `managed_by`...).
        Returns the event dict (its `uid` included)."""
        fake, rng = self.world.fake, self.world.rng
        if start is None or end is None:
            day = rng.randint(0, 14)
            hour = rng.choice(_HOURS)
            minutes = hour * 60 + rng.choice(_MINUTES)
            start = start or f"today+{day}dT{hour:02d}:00"
            end = end or f"today+{day}dT{minutes // 60:02d}:{minutes % 60:02d}"
        ev: dict[str, Any] = {"summary": summary or fake.catch_phrase(), "start": start, "end": end}
        if "managed_by" not in fields:
            ev["uid"] = f"evt_external_{self.world.hex(12)}"
        ev.update(fields)
        self.event_list.append(ev)
        return ev

    def events(
        self, count: int, *, days: tuple[int, int] = (-14, 30), attendees: int = 2
    ) -> list[dict[str, Any]]:
        """`count` Faker-made meetings between today+days[0] and today+days[1]."""
        fake, rng = self.world.fake, self.world.rng
        out = []
        for _ in range(count):
            day = rng.randint(*days)
            hour = rng.choice(_HOURS)
            minutes = hour * 60 + rng.choice(_MINUTES)
            people = [
                {**self.world.person(), "status": rng.choice(("accepted", "needs_action"))}
                for _ in range(attendees)
            ]
            out.append(
                self.event(
                    fake.catch_phrase(),
                    f"today{day:+d}dT{hour:02d}:00",
                    f"today{day:+d}dT{minutes // 60:02d}:{minutes % 60:02d}",
                    description=fake.sentence(nb_words=8),
                    attendees=people,
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, **self.fields, "events": self.event_list}


def random_world(
    seed: int = 0,
    *,
    accounts: int = 1,
    calendars: int = 1,
    events: int = 10,
    attendees: int = 2,
    locale: str = "en_US",
) -> dict[str, Any]:
    """A whole world in one call: `accounts` people with `calendars` calendars of `events`
    meetings each, and each provider's ready-made credentials for every account (its part's
    `ready(accounts)`: for Cronofy one app and an all-scopes token per account, the first
    account's being the one the pytest plugin's `cronofy_credentials` hands out)."""
    b = WorldBuilder(seed, locale)
    made = []
    for _ in range(accounts):
        acc = b.account()
        for _ in range(calendars):
            acc.calendar().events(events, attendees=attendees)
        made.append(acc)
    for part in b.parts.values():
        part.ready(made)
    return b.build()
