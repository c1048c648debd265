"""Cronofy's tenant tables: applications, authorization codes, grants and their tokens, with the
OAuth flows that change them, and each account's managed availability (availability rules and
available periods, mockserver/cronofy/managed.py): the `cronofy` section of a world file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlparse

from mockserver.core import ids
from mockserver.core.fixtures import FixtureError, place, resolve_time
from mockserver.core.world import World
from mockserver.cronofy.exceptions import oauth, unauthorized
from mockserver.cronofy.managed import Managed

GRANULAR = frozenset(
    {
        "create_calendar",
        "read_events",
        "create_event",
        "delete_event",
        "read_free_busy",
        "change_participation_status",
        "read_account",
        "list_calendars",
    }
)
SIMPLIFIED = {
    "read_write": GRANULAR,
    "read_only": frozenset({"read_events", "read_free_busy", "read_account", "list_calendars"}),
    "write_only": frozenset({"create_event", "delete_event"}),
    "free_busy_write": frozenset({"read_free_busy", "create_event", "delete_event"}),
}
IMPLIED = {"read_events": frozenset({"read_free_busy"})}
KNOWN_SCOPES = GRANULAR | set(SIMPLIFIED)


@lru_cache(maxsize=256)
def expand(scope: str) -> frozenset[str]:
    out: set[str] = set()
    for word in scope.split():
        out |= SIMPLIFIED.get(word, {word})
        out |= IMPLIED.get(word, set())
    return frozenset(out)


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str
    name: str = "Demo app"
    redirect_uris: tuple[str, ...] = ()
    # other active client secrets (a rotation): notifications carry one HMAC per secret
    other_client_secrets: tuple[str, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.client_secret, *self.other_client_secrets)


@dataclass(frozen=True)
class Channel:
    """A push notification channel (reference/webhooks.md §1): one application's subscription
    to one account's changes. `after_seq` is the change feed's number when it was created:
    only changes numbered after it notify it."""

    id: str
    client_id: str
    account_id: str
    callback_url: str
    calendar_ids: tuple[str, ...] | None = None
    only_managed: bool | None = None
    after_seq: int = 0
    closed: bool = False

    def filters(self) -> dict[str, Any]:
        """The filters as create echoes them: only those that were set."""
        out: dict[str, Any] = {}
        if self.calendar_ids is not None:
            out["calendar_ids"] = list(self.calendar_ids)
        if self.only_managed is not None:
            out["only_managed"] = self.only_managed
        return out

    def to_json(self) -> dict[str, Any]:
        return {"channel_id": self.id, "callback_url": self.callback_url, "filters": self.filters()}


@dataclass(frozen=True)
class Grant:
    id: str
    client_id: str
    account_id: str
    scope: str
    refresh_token: str
    label: str | None = None
    revoked: bool = False

    @property
    def scopes(self) -> frozenset[str]:
        return expand(self.scope)


@dataclass(frozen=True)
class Token:
    value: str
    grant_id: str
    expires_at: datetime | None  # None: never (hand-written fixture tokens)


@dataclass
class Code:
    code: str
    client_id: str
    account_id: str
    scope: str
    redirect_uri: str
    expires_at: datetime
    used: bool = False


@dataclass
class Auth:
    """Who a /v1 request acts for."""

    grant: Grant
    app: App
    token: Token

    @property
    def account_id(self) -> str:
        return self.grant.account_id

    @property
    def app_id(self) -> str:
        return self.app.client_id


@dataclass
class OAuthStore:
    apps: dict[str, App] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> grant id
    codes: dict[str, Code] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)  # push notification channels
    managed: Managed = field(default_factory=Managed)  # availability rules, available periods

    def copy(self) -> OAuthStore:
        """An independent store: apps, grants and tokens are immutable records, so their
        tables are shallow copies; a Code is marked used in place, so codes are copied too."""
        return OAuthStore(
            dict(self.apps),
            dict(self.grants),
            dict(self.tokens),
            dict(self.refresh),
            {key: dataclasses.replace(code) for key, code in self.codes.items()},
            dict(self.channels),
            self.managed.copy(),
        )

    def close_channel(self, channel_id: str) -> None:
        ch = self.channels.get(channel_id)
        if ch is not None:
            self.channels[channel_id] = dataclasses.replace(ch, closed=True)

    def channels_of(self, client_id: str, account_id: str) -> list[Channel]:
        """The open channels of one application on one account, oldest first."""
        return [
            c
            for c in self.channels.values()
            if not c.closed and c.client_id == client_id and c.account_id == account_id
        ]

    @classmethod
    def from_section(cls, section: dict[str, Any], world: World) -> OAuthStore:
        store = cls()
        problems = []
        now = world.clock.now()
        for i, app in enumerate(section.get("apps", [])):
            if app["client_id"] in store.apps:
                problems.append(
                    (place(["cronofy", "apps", i]), f"duplicate client_id {app['client_id']!r}")
                )
            store.apps[app["client_id"]] = App(
                app["client_id"],
                app["client_secret"],
                app.get("name", "Demo app"),
                tuple(app.get("redirect_uris", ())),
                tuple(app.get("other_client_secrets", ())),
            )
        for i, auth in enumerate(section.get("authorizations", [])):
            where = ["cronofy", "authorizations", i]
            if auth["app"] not in store.apps:
                problems.append((place([*where, "app"]), f"no app with client_id {auth['app']!r}"))
            if auth["account"] not in world.accounts:
                problems.append((place([*where, "account"]), f"no account {auth['account']!r}"))
            unknown = set(auth["scope"].split()) - KNOWN_SCOPES
            if unknown:
                problems.append((place([*where, "scope"]), f"unknown scopes {sorted(unknown)}"))
            if auth["access_token"] in store.tokens:
                problems.append((place([*where, "access_token"]), "duplicate access_token"))
            expires = None
            if "expires_at" in auth:
                try:
                    expires = resolve_time(auth["expires_at"], now, "UTC")
                except ValueError as exc:
                    problems.append((place([*where, "expires_at"]), str(exc)))
            grant = Grant(
                id=ids.hex_id("grant_", 8),
                client_id=auth["app"],
                account_id=auth["account"],
                scope=auth["scope"],
                refresh_token=auth.get("refresh_token") or ids.token(32),
                label=auth.get("label"),
                revoked=auth.get("revoked", False),
            )
            store.grants[grant.id] = grant
            store.refresh[grant.refresh_token] = grant.id
            store.tokens[auth["access_token"]] = Token(auth["access_token"], grant.id, expires)  # type: ignore[arg-type]
        for i, ch in enumerate(section.get("channels", [])):
            where = ["cronofy", "channels", i]
            if ch["app"] not in store.apps:
                problems.append((place([*where, "app"]), f"no app with client_id {ch['app']!r}"))
            if ch["account"] not in world.accounts:
                problems.append((place([*where, "account"]), f"no account {ch['account']!r}"))
            if ch["channel_id"] in store.channels:
                problems.append((place([*where, "channel_id"]), "duplicate channel_id"))
            filters = ch.get("filters", {})
            ids_ = filters.get("calendar_ids")
            store.channels[ch["channel_id"]] = Channel(
                ch["channel_id"],
                ch["app"],
                ch["account"],
                ch["callback_url"],
                tuple(ids_) if ids_ is not None else None,
                filters.get("only_managed"),
            )
        store.managed.load(section, world, problems)
        if problems:
            raise FixtureError(problems)
        return store

    # -- bearer tokens -------------------------------------------------------------------

    def authenticate(self, header: str | None, now: datetime) -> Auth:
        if not header:
            raise unauthorized()
        scheme, _, value = header.strip().partition(" ")
        token = self.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None or (token.expires_at is not None and token.expires_at <= now):
            raise unauthorized()
        grant = self.grants[token.grant_id]
        if grant.revoked:
            raise unauthorized()
        return Auth(grant, self.apps[grant.client_id], token)

    def app_by_secret(self, header: str | None) -> App | None:
        """The application whose client secret is the bearer (the API key some endpoints
        take instead of an access token), or None."""
        scheme, _, value = (header or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        value = value.strip()
        return next((a for a in self.apps.values() if a.client_secret == value), None)

    # -- authorization code flow ---------------------------------------------------------

    def client(self, client_id: Any, client_secret: Any) -> App:
        app = self.apps.get(client_id) if isinstance(client_id, str) else None
        if app is None or client_secret != app.client_secret:
            raise oauth("invalid_client")
        return app

    def authorize_redirect(self, params: dict[str, str], world: World, lifetime: int) -> str:
        """The URL the browser is sent back to: `?code=...&state=...` or `?error=...`."""
        app = self.apps.get(params.get("client_id", ""))
        redirect = params.get("redirect_uri", "")
        if app is None:
            raise oauth("invalid_client")
        parsed = urlparse(redirect)
        if not parsed.scheme or (app.redirect_uris and redirect not in app.redirect_uris):
            raise oauth("invalid_request")
        extra = {"state": params["state"]} if "state" in params else {}
        sep = "&" if parsed.query else "?"
        if params.get("response_type") != "code":
            return redirect + sep + urlencode({"error": "unsupported_response_type", **extra})
        scope = params.get("scope", "")
        if not scope.split() or set(scope.split()) - KNOWN_SCOPES:
            return redirect + sep + urlencode({"error": "invalid_scope", **extra})
        account = self._account_for_hint(
            params.get("login_hint") or params.get("account_id"), world
        )
        if account is None:
            return redirect + sep + urlencode({"error": "access_denied", **extra})
        code = Code(
            ids.token(24),
            app.client_id,
            account,
            scope,
            redirect,
            world.clock.now() + timedelta(seconds=lifetime),
        )
        self.codes[code.code] = code
        return redirect + sep + urlencode({"code": code.code, **extra})

    @staticmethod
    def _account_for_hint(hint: str | None, world: World) -> str | None:
        if not hint:
            return next(iter(world.accounts), None)
        for acc in world.accounts.values():
            if hint in (acc.id, acc.email):
                return acc.id
        return None

    def exchange_code(
        self, body: dict[str, Any], now: datetime, lifetime: int
    ) -> tuple[Grant, Token]:
        app = self.client(body.get("client_id"), body.get("client_secret"))
        code = self.codes.get(body.get("code")) if isinstance(body.get("code"), str) else None
        if (
            code is None
            or code.used
            or code.expires_at <= now
            or code.client_id != app.client_id
            or body.get("redirect_uri") != code.redirect_uri
        ):
            raise oauth("invalid_grant")
        code.used = True
        grant = Grant(
            ids.hex_id("grant_", 8), app.client_id, code.account_id, code.scope, ids.token(32)
        )
        self.grants[grant.id] = grant
        self.refresh[grant.refresh_token] = grant.id
        return grant, self._issue(grant, now, lifetime)

    def refresh_grant(
        self, body: dict[str, Any], now: datetime, lifetime: int
    ) -> tuple[Grant, Token]:
        app = self.client(body.get("client_id"), body.get("client_secret"))
        value = body.get("refresh_token")
        grant_id = self.refresh.get(value) if isinstance(value, str) else None
        grant = self.grants.get(grant_id) if grant_id else None
        if grant is None or grant.revoked or grant.client_id != app.client_id:
            raise oauth("invalid_grant")
        return grant, self._issue(grant, now, lifetime)

    def _issue(self, grant: Grant, now: datetime, lifetime: int) -> Token:
        # whole seconds, as a world file writes them: a dumped token loads back unchanged
        expires = now.replace(microsecond=0) + timedelta(seconds=lifetime)
        token = Token(ids.token(32), grant.id, expires)
        self.tokens[token.value] = token
        return token

    def revoke(self, body: dict[str, Any]) -> None:
        """RFC 7009: the same answer whether or not the token was known."""
        app = self.client(body.get("client_id"), body.get("client_secret"))
        value = body.get("token")
        targets: list[str] = []
        if isinstance(value, str) and value:
            if value in self.tokens:
                targets.append(self.tokens[value].grant_id)
            if value in self.refresh:
                targets.append(self.refresh[value])
        elif isinstance(body.get("sub"), str):
            targets = [g.id for g in self.grants.values() if g.account_id == body["sub"]]
        for gid in targets:
            grant = self.grants[gid]
            if grant.client_id == app.client_id:
                self.grants[gid] = dataclasses.replace(grant, revoked=True)

    def dump(self, world: World | None = None) -> dict[str, Any]:
        """The world-file `cronofy` section (one authorization per live access token)."""
        creds = self.credentials_json()
        auths = []
        for t in creds["tokens"]:
            entry = {
                "app": t["client_id"],
                "account": t["account_id"],
                "scope": t["scope"],
                "access_token": t["access_token"],
                "refresh_token": t["refresh_token"],
                "revoked": t["revoked"],
            }
            if t["label"]:
                entry["label"] = t["label"]
            if t["expires_at"]:
                entry["expires_at"] = t["expires_at"]
            auths.append(entry)
        channels = [
            {
                "channel_id": c.id,
                "app": c.client_id,
                "account": c.account_id,
                "callback_url": c.callback_url,
                "filters": c.filters(),
            }
            for c in self.channels.values()
            if not c.closed
        ]
        out: dict[str, Any] = {"apps": creds["apps"], "authorizations": auths}
        if channels:
            out["channels"] = channels
        return {**out, **self.managed.dump()}

    def credentials_json(
        self, world: World | None = None, now: datetime | None = None
    ) -> dict[str, Any]:
        """What GET /_mock/credentials lists for Cronofy: apps and every token."""
        tokens_by_grant: dict[str, list[Token]] = {}
        for tok in self.tokens.values():
            tokens_by_grant.setdefault(tok.grant_id, []).append(tok)
        return {
            "apps": [
                {
                    "client_id": a.client_id,
                    "client_secret": a.client_secret,
                    "name": a.name,
                    "redirect_uris": list(a.redirect_uris),
                    **(
                        {"other_client_secrets": list(a.other_client_secrets)}
                        if a.other_client_secrets
                        else {}
                    ),
                }
                for a in self.apps.values()
            ],
            "tokens": [
                {
                    "label": g.label,
                    "client_id": g.client_id,
                    "account_id": g.account_id,
                    "scope": g.scope,
                    "access_token": tok.value,
                    "refresh_token": g.refresh_token,
                    "expires_at": tok.expires_at.isoformat().replace("+00:00", "Z")
                    if tok.expires_at
                    else None,
                    "revoked": g.revoked,
                }
                for g in self.grants.values()
                for tok in tokens_by_grant.get(g.id, [])
            ],
        }
