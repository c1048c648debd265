"""Truto's webhook admin API (reference/webhooks.md §3.2; rules 1-4 and 17 of §3.5): /webhook
CRUD and /webhook/test, per environment of the API token; and connecting or deleting
integrated accounts (over /_mock/truto: the Link flow is not emulated), which announce
`integrated_account:*` events (rules 13-15)."""

from __future__ import annotations

import base64
import dataclasses
import uuid
from typing import TYPE_CHECKING, Any

from mockserver.core.changes import Actor, acting
from mockserver.delivery.urls import public_https_problem
from mockserver.truto.exceptions import bad_request, not_found
from mockserver.truto.models import SUPPORT
from mockserver.truto.store import ApiToken, IntegratedAccount, Webhook

if TYPE_CHECKING:
    from mockserver.truto.models import TrutoBackend

DEFAULT_LIMIT = 100
OUTCOMES = ("active", "post_install_error", "validation_error")


def webhook_json(w: Webhook, *, with_secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": w.id,
        "target_url": w.target_url,
        "is_active": w.is_active,
        "event_types": list(w.event_types) if w.event_types is not None else None,
        "environment_id": w.environment,
        "created_at": w.created_at,
        "updated_at": w.updated_at,
    }
    if with_secret:  # the secret is shown once, on create (rule 2)
        out["secret"] = w.secret
    return out


def environment_integration_id(a: IntegratedAccount) -> str:
    """The installed integration's id: one per environment and integration."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"truto:{a.environment}:{a.integration}"))


def account_payload(a: IntegratedAccount, now: str) -> dict[str, Any]:
    """An integrated account as `integrated_account:*` events carry it: no credentials, the
    integration trimmed to its identity (rule 15); the keys of truto-skills' "Webhook Payload
    Shape" (skills/truto/references/connection-flow.md @ 0785fb2b) and of the docs' example
    (guides/webhooks/processing-webhook-events: `unified_model_override`)."""
    installed = environment_integration_id(a)
    return {
        "id": a.id,
        "tenant_id": a.label or a.id,
        "environment_id": a.environment,
        "environment_integration_id": installed,
        "status": a.status,
        "is_sandbox": a.is_sandbox,
        "authentication_method": "oauth2",
        "region": "wnam",
        "context": {},
        "object_store_context_fields": [],
        "unified_model_override": {},
        "integration": {
            "id": a.integration,
            "name": a.integration,
            "config": {"label": a.integration},
        },
        "environment_integration": {"id": installed, "is_active": True},
        "created_at": now,
        "updated_at": now,
    }


class Webhooks:
    def __init__(self, backend: TrutoBackend) -> None:
        self.be = backend

    @property
    def store(self) -> Any:
        return self.be.store

    def now(self) -> str:
        return self.be.world.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _mine(self, token: ApiToken, ident: str) -> Webhook:
        w = self.store.webhooks.get(ident)
        if w is None or w.environment != token.environment:
            raise not_found("Webhook not found")
        return w

    def _url(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise bad_request("target_url is required")
        if self.be.settings.public_https_only:
            problem = public_https_problem(value)
            if problem:
                raise bad_request(f"target_url must be a public HTTPS URL: {problem}")
        return value

    @staticmethod
    def _types(value: Any) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise bad_request("event_types must be an array of event names")
        return tuple(dict.fromkeys(value))

    @staticmethod
    def _bool(value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            raise bad_request(f"{name} must be a boolean")
        return value

    # -- CRUD ----------------------------------------------------------------------------

    def create(self, token: ApiToken, body: dict[str, Any]) -> dict[str, Any]:
        url = self._url(body.get("target_url"))
        types = self._types(body.get("event_types"))
        active = self._bool(body.get("is_active", True), "is_active")
        now = self.now()
        w = Webhook(
            id=str(uuid.uuid4()),
            target_url=url,
            secret=str(uuid.uuid4()),
            environment=token.environment,  # set from the API token
            is_active=active,
            event_types=types,
            created_at=now,
            updated_at=now,
        )
        self.store.webhooks[w.id] = w
        return webhook_json(w, with_secret=True)

    def list(self, token: ApiToken, params: dict[str, Any]) -> dict[str, Any]:
        found = [w for w in self.store.webhooks.values() if w.environment == token.environment]
        active = params.get("is_active")
        if active is not None:
            if active not in ("true", "false"):
                raise bad_request("is_active must be true or false")
            found = [w for w in found if w.is_active == (active == "true")]
        env = params.get("environment_id")
        if env is not None:
            found = [w for w in found if w.environment == env]
        limit = params.get("limit", str(DEFAULT_LIMIT))
        if not (isinstance(limit, str) and limit.isdigit() and int(limit) > 0):
            raise bad_request("limit must be a positive integer")
        start = _decode(params.get("next_cursor"))
        page = found[start : start + int(limit)]
        more = start + int(limit) < len(found)
        return {
            "result": [webhook_json(w) for w in page],
            "next_cursor": _encode(start + int(limit)) if more else None,
        }

    def get(self, token: ApiToken, ident: str) -> dict[str, Any]:
        return webhook_json(self._mine(token, ident))

    def update(self, token: ApiToken, ident: str, body: dict[str, Any]) -> dict[str, Any]:
        w = self._mine(token, ident)
        changes: dict[str, Any] = {}
        if "target_url" in body:
            changes["target_url"] = self._url(body["target_url"])
        if "event_types" in body:
            changes["event_types"] = self._types(body["event_types"])
        if "is_active" in body:
            changes["is_active"] = self._bool(body["is_active"], "is_active")
            if changes["is_active"]:
                changes["failures"] = 0
        w = dataclasses.replace(w, updated_at=self.now(), **changes)
        self.store.webhooks[w.id] = w
        return webhook_json(w)

    def delete(self, token: ApiToken, ident: str) -> dict[str, Any]:
        w = self._mine(token, ident)
        del self.store.webhooks[w.id]
        return webhook_json(w)

    def for_test(self, token: ApiToken, body: dict[str, Any]) -> Webhook:
        ident = body.get("id")
        if not isinstance(ident, str) or not ident:
            raise bad_request("id is required")
        return self._mine(token, ident)

    # -- integrated accounts (the fake's control plane) ----------------------------------

    def connect(self, body: dict[str, Any]) -> dict[str, Any]:
        """`{integration, account, profile?, environment?, label?, id?, outcome?}`: an end
        user connects an account. Emits integrated_account:created, then :active (or the
        failure `outcome`: post_install_error / validation_error)."""
        world = self.be.world
        integration = body.get("integration")
        if integration not in SUPPORT:
            raise bad_request(f"integration must be one of {', '.join(sorted(SUPPORT))}")
        account = body.get("account")
        if account not in world.accounts:
            raise bad_request(f"no account {account!r}")
        profile = body.get("profile")
        if profile is not None:
            prof = world.profiles.get(profile)
            if prof is None or prof.account_id != account:
                raise bad_request(f"no profile {profile!r} of account {account!r}")
        outcome = body.get("outcome", "active")
        if outcome not in OUTCOMES:
            raise bad_request(f"outcome must be one of {', '.join(OUTCOMES)}")
        ident = body.get("id") or str(uuid.uuid4())
        if ident in self.store.accounts:
            raise bad_request(f"integrated account {ident!r} exists")
        a = IntegratedAccount(
            id=ident,
            integration=integration,
            account_id=account,
            profile_id=profile,
            environment=body.get("environment")
            or next((t.environment for t in self.store.tokens.values()), "default"),
            label=body.get("label"),
            status="active" if outcome == "active" else "needs_reauth",
        )
        now = self.now()
        created = dataclasses.replace(a, status="connecting")
        with acting(Actor("system", "truto", "link")), world.transaction():
            self.store.accounts[a.id] = a
            world.changes.emit(
                "integrated_account.created",
                source="truto",
                account_id=account,
                after=created,
                data={"event": "integrated_account:created", "at": now},
            )
            world.changes.emit(
                f"integrated_account.{outcome}",
                source="truto",
                account_id=account,
                after=a,
                data={"event": f"integrated_account:{outcome}", "at": now},
            )
        return account_payload(a, now)

    def disconnect(self, ident: str) -> dict[str, Any]:
        a = self.store.accounts.get(ident)
        if a is None:
            raise not_found("Integrated account not found")
        world = self.be.world
        with acting(Actor("system", "truto", "link")), world.transaction():
            del self.store.accounts[ident]
            world.changes.emit(
                "integrated_account.deleted",
                source="truto",
                account_id=a.account_id,
                before=a,
                data={"event": "integrated_account:deleted", "at": self.now()},
            )
        return {"id": ident}


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"webhook:{offset}".encode()).decode().rstrip("=")


def _decode(cursor: Any) -> int:
    if cursor in (None, ""):
        return 0
    try:
        text = base64.urlsafe_b64decode(str(cursor) + "=" * (-len(str(cursor)) % 4)).decode()
        kind, _, offset = text.partition(":")
        if kind == "webhook" and offset.isdigit():
            return int(offset)
    except (ValueError, UnicodeDecodeError):
        pass
    raise bad_request("next_cursor is not a cursor this list issued")
