"""What Truto's webhooks are sent (reference/webhooks.md §3.3-3.4; rules 5-16 of §3.5),
rendered from the change feed for the delivery engine.

Each event is POSTed to every active webhook of its environment whose `event_types` include it
(or that has none), as `{id, event, payload, environment_id, webhook_id, created_at}` with
`Content-Type: application/json`, `User-Agent: truto` and `X-Truto-Signature:
format=sha256,v=<HMAC-SHA256(body, webhook secret)>` (hex, or base64 by setting). A non-200
answer is retried 3 times, 2, 4 and 8 s apart (at most 10 s) on the fake clock, then dropped;
after `deactivate_after_failures` deliveries given up on in a row the webhook is set inactive.
Only integrated-account events are announced: the unified calendar API sends none (calendar
changes are found by polling `updated_at`)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.changes import Change
from mockserver.delivery import Cancel, Delivery, Outbound, RetryPolicy
from mockserver.truto.store import Webhook
from mockserver.truto.webhooks import account_payload

if TYPE_CHECKING:
    from mockserver.truto.models import TrutoBackend

PROVIDER = "truto"
HEADER = "X-Truto-Signature"
BACKOFF = (2.0, 4.0, 8.0)  # exponential, each at most 10 s


def digest(body: bytes, secret: str, encoding: str = "hex") -> str:
    mac = hmac.new(secret.encode(), body, hashlib.sha256)
    return mac.hexdigest() if encoding == "hex" else base64.b64encode(mac.digest()).decode()


def signature(body: bytes, secret: str, encoding: str = "hex") -> str:
    return f"format=sha256,v={digest(body, secret, encoding)}"


def signature_valid(header: str | None, body: bytes, secret: str) -> bool:
    """A receiver's check: the value after `v=` is the HMAC, in hex or base64."""
    if not header:
        return False
    given = dict(p.split("=", 1) for p in header.split(",") if "=" in p).get("v", "")
    return any(hmac.compare_digest(given, digest(body, secret, e)) for e in ("hex", "base64"))


class TrutoNotifications:
    """`registry.Provider.notifications` for Truto."""

    def wants(self, be: TrutoBackend) -> bool:
        return any(w.is_active for w in be.store.webhooks.values())

    def policy(self, be: TrutoBackend) -> RetryPolicy:
        s = be.settings
        return RetryPolicy(
            attempts=1 + s.webhook_retries,
            backoff=BACKOFF,
            timeout=s.webhook_timeout,
            success=(200, 200),  # "the endpoint must answer 200"
        )

    def envelope(
        self, be: TrutoBackend, w: Webhook, event: str, payload: Any, at: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(uuid.uuid4())}
        field = be.settings.event_field
        if field in ("event", "both"):
            out["event"] = event
        if field in ("event_type", "both"):
            out["event_type"] = event
        out |= {
            "payload": payload,
            "environment_id": w.environment,
            "webhook_id": w.id,
            "created_at": at,
        }
        return out

    def outbound(
        self,
        be: TrutoBackend,
        w: Webhook,
        event: str,
        payload: Any,
        at: str,
        changes: tuple[int, ...] = (),
    ) -> Outbound:
        body = orjson.dumps(self.envelope(be, w, event, payload, at))
        return Outbound(
            provider=PROVIDER,
            kind=event,
            target=w.target_url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "truto",
                HEADER: signature(body, w.secret, be.settings.signature_encoding),
            },
            subscription=w.id,
            policy=self.policy(be),
            changes=changes,
        )

    @staticmethod
    def subscribers(be: TrutoBackend, environment: str, event: str) -> list[Webhook]:
        """Active webhooks of the environment taking this event (rule 7)."""
        return [
            w
            for w in list(be.store.webhooks.values())
            if w.is_active
            and w.environment == environment
            and (w.event_types is None or event in w.event_types)
        ]

    def render(self, be: TrutoBackend, changes: list[Change]) -> list[Outbound | Cancel]:
        out: list[Outbound | Cancel] = []
        for change in changes:
            if change.source != PROVIDER or not change.kind.startswith("integrated_account."):
                continue  # no calendar webhooks: the unified API is polled (rule 16)
            event = change.data["event"]
            account = change.record
            at = change.data["at"]
            if event == "integrated_account:deleted":
                payload: Any = {"id": account.id}  # only the id (rule 14)
            else:
                payload = account_payload(account, at)
            for w in self.subscribers(be, account.environment, event):
                out.append(self.outbound(be, w, event, payload, at, (change.seq,)))
        return out

    def test_event(self, be: TrutoBackend, w: Webhook, at: str) -> Outbound:
        """`POST /webhook/test`: the `test` event with Truto's dummy payload, tried once."""
        made = self.outbound(be, w, "test", {"foo": "bar"}, at)
        return dataclasses.replace(made, policy=dataclasses.replace(made.policy, attempts=1))

    def settled(self, be: TrutoBackend, delivery: Delivery) -> None:
        """Consecutive deliveries given up on deactivate the webhook (rule 12)."""
        w = be.store.webhooks.get(delivery.out.subscription or "")
        if w is None or delivery.out.kind == "test":
            return
        if delivery.status == "delivered":
            if w.failures:
                be.store.webhooks[w.id] = dataclasses.replace(w, failures=0)
            return
        if delivery.status != "failed":
            return
        failures = w.failures + 1
        active = w.is_active and failures < be.settings.deactivate_after_failures
        be.store.webhooks[w.id] = dataclasses.replace(w, failures=failures, is_active=active)

    def verify(
        self, be: TrutoBackend, headers: Mapping[str, str], body: bytes, url: str = ""
    ) -> bool | None:
        header = headers.get(HEADER.lower())
        if header is None:
            return None
        try:
            ident = orjson.loads(body).get("webhook_id")
        except (orjson.JSONDecodeError, AttributeError):
            ident = None
        w = be.store.webhooks.get(ident or "")
        return w is not None and signature_valid(header, body, w.secret)
