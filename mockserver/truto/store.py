"""Truto's tenant tables (the `truto` section of a world file): API tokens (each in one environment) and integrated accounts,
each simulating one integration on top of a core account (optionally one of its profiles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.fixtures import FieldProblem, FixtureError, place, resolve_time
from mockserver.core.models import Calendar
from mockserver.core.timeutil import format_utc, parse_time
from mockserver.core.world import World

SCHEDULING = ("calendly", "calcom")  # integrations whose accounts have event types
DEFAULT_ENVIRONMENT = "default"


@dataclass(frozen=True)
class ApiToken:
    token: str
    environment: str = DEFAULT_ENVIRONMENT
    label: str | None = None


@dataclass(frozen=True)
class IntegratedAccount:
    id: str
    integration: str
    account_id: str  # the core account whose calendars it sees
    profile_id: str | None = None  # only this profile's calendars, when set
    environment: str = DEFAULT_ENVIRONMENT
    is_sandbox: bool = False
    status: str = "active"  # or "needs_reauth": every call is a remote 401
    label: str | None = None
    event_types: tuple[dict[str, Any], ...] = ()

    def calendars(self, world: World) -> list[Calendar]:
        """The calendars this account can see, primary first, deleted ones left out."""
        profiles = (
            [self.profile_id]
            if self.profile_id
            else [p.id for p in world.profiles_of(self.account_id)]
        )
        wanted = set(profiles)
        found = [c for c in world.calendars.values() if c.profile_id in wanted and not c.deleted]
        found.sort(key=lambda c: (not c.primary, profiles.index(c.profile_id)))
        return found


@dataclass(frozen=True)
class Webhook:
    """A webhook of one environment (reference/webhooks.md §3.2): `event_types` None means
    every event; `failures` counts deliveries given up on in a row (rule 12)."""

    id: str
    target_url: str
    secret: str
    environment: str = DEFAULT_ENVIRONMENT
    is_active: bool = True
    event_types: tuple[str, ...] | None = None
    created_at: str = ""
    updated_at: str = ""
    failures: int = 0


def stamp_event_type(et: dict[str, Any], world: World) -> dict[str, Any]:
    """The event type with its `created` / `updated` instants resolved (Calendly's event types
    carry both): the world's load time when absent, so they stay put across reads and dumps."""
    out = dict(et)
    now = world.now()
    for name, default in (("created", now), ("updated", None)):
        if name not in et:
            moment = default if default is not None else parse_time(out["created"]).aware()
        else:
            try:
                moment = resolve_time(et[name], now, "Etc/UTC")
            except (TypeError, ValueError) as exc:
                raise FieldProblem(name, str(exc)) from exc
            if not isinstance(moment, datetime):
                raise FieldProblem(name, f"{name} must be an instant, not a date")
        out[name] = format_utc(moment)
    return out


@dataclass
class TrutoStore:
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    accounts: dict[str, IntegratedAccount] = field(default_factory=dict)
    webhooks: dict[str, Webhook] = field(default_factory=dict)

    def copy(self) -> TrutoStore:
        """An independent store (its records are immutable, so the tables are shallow copies)."""
        return TrutoStore(dict(self.tokens), dict(self.accounts), dict(self.webhooks))

    @classmethod
    def from_section(cls, section: dict[str, Any], world: World) -> TrutoStore:
        store = cls()
        problems: list[tuple[str, str]] = []
        for i, tok in enumerate(section.get("api_tokens", [])):
            where = ["truto", "api_tokens", i]
            if tok["token"] in store.tokens:
                problems.append((place([*where, "token"]), "duplicate api token"))
            store.tokens[tok["token"]] = ApiToken(
                tok["token"], tok.get("environment", DEFAULT_ENVIRONMENT), tok.get("label")
            )
        for i, acc in enumerate(section.get("integrated_accounts", [])):
            where = ["truto", "integrated_accounts", i]
            if acc["id"] in store.accounts:
                problems.append(
                    (place([*where, "id"]), f"duplicate integrated account id {acc['id']!r}")
                )
            if acc["account"] not in world.accounts:
                problems.append((place([*where, "account"]), f"no account {acc['account']!r}"))
            profile = acc.get("profile")
            if profile is not None:
                prof = world.profiles.get(profile)
                if prof is None:
                    problems.append((place([*where, "profile"]), f"no profile {profile!r}"))
                elif prof.account_id != acc["account"]:
                    problems.append(
                        (
                            place([*where, "profile"]),
                            f"profile {profile!r} belongs to {prof.account_id!r}, "
                            f"not {acc['account']!r}",
                        )
                    )
            types = acc.get("event_types", [])
            if types and acc["integration"] not in SCHEDULING:
                problems.append(
                    (
                        place([*where, "event_types"]),
                        f"{acc['integration']} has no event types (only {', '.join(SCHEDULING)})",
                    )
                )
            seen_types: set[str] = set()
            stamped = []
            for ti, et in enumerate(types):
                if et["id"] in seen_types:
                    problems.append(
                        (place([*where, "event_types", ti, "id"]), "duplicate event type id")
                    )
                seen_types.add(et["id"])
                try:
                    stamped.append(stamp_event_type(et, world))
                except FieldProblem as exc:
                    problems.append((place([*where, "event_types", ti, exc.field]), str(exc)))
            types = stamped
            store.accounts[acc["id"]] = IntegratedAccount(
                id=acc["id"],
                integration=acc["integration"],
                account_id=acc["account"],
                profile_id=profile,
                environment=acc.get("environment", DEFAULT_ENVIRONMENT),
                is_sandbox=acc.get("is_sandbox", False),
                status=acc.get("status", "active"),
                label=acc.get("label"),
                event_types=tuple(types),
            )
        for i, hook in enumerate(section.get("webhooks", [])):
            where = ["truto", "webhooks", i]
            if hook["id"] in store.webhooks:
                problems.append((place([*where, "id"]), f"duplicate webhook id {hook['id']!r}"))
            types = hook.get("event_types")
            store.webhooks[hook["id"]] = Webhook(
                hook["id"],
                hook["target_url"],
                hook["secret"],
                hook.get("environment", DEFAULT_ENVIRONMENT),
                hook.get("is_active", True),
                tuple(types) if types is not None else None,
                hook.get("created_at", ""),
                hook.get("updated_at", hook.get("created_at", "")),
            )
        if problems:
            raise FixtureError(problems)
        return store

    def credentials_json(self, world: World, now: datetime | None = None) -> dict[str, Any]:
        """What GET /_mock/credentials lists for Truto."""
        return {
            "api_tokens": [
                {"token": t.token, "environment": t.environment, "label": t.label}
                for t in self.tokens.values()
            ],
            "integrated_accounts": [
                {
                    "id": a.id,
                    "integration": a.integration,
                    "label": a.label,
                    "environment": a.environment,
                    "account_id": a.account_id,
                    "profile_id": a.profile_id,
                    "is_sandbox": a.is_sandbox,
                    "status": a.status,
                    "calendars": [c.id for c in a.calendars(world)],
                }
                for a in self.accounts.values()
            ],
        }

    def dump(self, world: World | None = None) -> dict[str, Any]:
        """The world-file `truto` section."""
        tokens = []
        for t in self.tokens.values():
            entry: dict[str, Any] = {"token": t.token, "environment": t.environment}
            if t.label:
                entry["label"] = t.label
            tokens.append(entry)
        accounts = []
        for a in self.accounts.values():
            acc: dict[str, Any] = {
                "id": a.id,
                "integration": a.integration,
                "account": a.account_id,
                "environment": a.environment,
                "is_sandbox": a.is_sandbox,
                "status": a.status,
            }
            if a.profile_id:
                acc["profile"] = a.profile_id
            if a.label:
                acc["label"] = a.label
            if a.event_types:
                acc["event_types"] = [dict(et) for et in a.event_types]
            accounts.append(acc)
        out: dict[str, Any] = {"api_tokens": tokens, "integrated_accounts": accounts}
        if self.webhooks:
            out["webhooks"] = [
                {
                    "id": w.id,
                    "target_url": w.target_url,
                    "secret": w.secret,
                    "environment": w.environment,
                    "is_active": w.is_active,
                    **({"event_types": list(w.event_types)} if w.event_types is not None else {}),
                    "created_at": w.created_at,
                    "updated_at": w.updated_at,
                }
                for w in self.webhooks.values()
            ]
        return out
