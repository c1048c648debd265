"""Upstream replay: Truto webhooks as Truto's docs and its published agent docs show them.

Each test replays a documented example over HTTP: the documented request, and the documented
response or delivery compared key by key (JSON types, contracts/shapes.py) with the values the
source states. Sources:

* [T-CR] https://truto.one/docs/guides/webhooks/creating-a-webhook-through-api (the create
  request and its response; "Send test event")
* [T-API] https://www.truto.one/docs/api-reference/admin/webhooks/create (Response Body:
  `event_types` among the keys)
* [T-PR] https://truto.one/docs/guides/webhooks/processing-webhook-events (the body's
  properties and the `integrated_account:created` example)
* [T-OV] https://truto.one/docs/guides/webhooks/overview ("SHA256 Signature": the HMAC of the
  request body with the webhook's secret)
* [TS-WH] trutohq/truto-skills skills/truto/references/webhooks-and-notifications.md
  @ 35bfbd91511ab1cbdb6fc0a9a2db5b49c6b1f6f5 (the GET example without `secret`, the test event,
  the delivery headers, `X-Truto-Signature: format=sha256,v=<hex_hmac>` and how to verify it)
* [TS-CF] trutohq/truto-skills skills/truto/references/connection-flow.md
  @ 0785fb2be1c2a522e29f6b1c10b586514e21a0df ("Webhook Payload Shape" of every
  `integrated_account:*` event; `:deleted` carries only `{id}`)

Not replayed: the `record:created` example of the Customer.io guide (the stored page cuts it
off after `"event"`, and no calendar integration emits `record:*`, rule 16). Live: the CRUD
tests run (they delete what they make); the delivery tests read the fake's receiver.
See docs/EVIDENCE.md (Truto, Scheduling and notifications).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from typing import Any

import pytest

from contracts.truto.notifications.test_webhooks import Hooks, connect
from contracts.truto.upstream import assert_like

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# [T-CR] the create response (with [T-API]'s `event_types`, sent in [T-CR]'s request)
REAL_CREATED: dict[str, Any] = {
    "id": "b6d29b9b-3d9d-44fd-aa77-512fd83b28c1",
    "target_url": "https://webhook.site/6a7cc86e-9286-4be8-ba79-bcd8dfdbeee1",
    "secret": "6e17561c-a20c-44ce-b8b5-caff0bf786fe",
    "is_active": True,
    "event_types": ["integrated_account:created"],
    "environment_id": "ac15abdc-b38e-47d0-97a2-69194017c199",
    "created_at": "2023-06-15T14:40:03.000Z",
    "updated_at": "2023-06-15T14:40:03.000Z",
}
# [TS-WH] "Webhook API Response": GET /webhook/:id returns the webhook directly, no secret
REAL_GOT: dict[str, Any] = {k: v for k, v in REAL_CREATED.items() if k != "secret"}

# [TS-CF] "Webhook Payload Shape", an `integrated_account:active` delivery
REAL_ACCOUNT_EVENT: dict[str, Any] = {
    "id": "evt_...",
    "event": "integrated_account:active",
    "environment_id": "9c2e...",
    "webhook_id": "ww01...",
    "created_at": "2024-09-10 12:00:00",
    "payload": {
        "id": "abcd...",
        "tenant_id": "my-customer-123",
        "environment_id": "9c2e...",
        "environment_integration_id": "ee11...",
        "status": "active",
        "is_sandbox": False,
        "authentication_method": "oauth2",
        "region": "wnam",
        "context": {"subdomain": "acme", "oauth": {"scope": ["read", "write"]}},
        "object_store_context_fields": [],
        "integration": {"id": "a1b2...", "name": "salesforce", "config": {"label": "Salesforce"}},
        "environment_integration": {"id": "ee11...", "is_active": True},
        "created_at": "2024-09-10 11:59:50",
        "updated_at": "2024-09-10 12:00:00",
    },
}
# context's keys are the account's own (subdomain, oauth): an empty context has none of them
CONTEXT_OWN = frozenset({"$.payload.context"})

# [T-PR] the `integrated_account:created` example, its keys outside `integration` and
# `environment_integration`, which [TS-CF] (newer) trims to their identity (decided)
REAL_CREATED_EVENT: dict[str, Any] = {
    "id": "3a0da6ba-b2d1-473f-957c-51f6825e3623",
    "event": "integrated_account:created",
    "payload": {
        "id": "79a39d69-e27e-49cb-b9a9-79f5eea7aa26",
        "tenant_id": "acme-1",
        "environment_integration_id": "27a8c0ff-0c2e-4383-b651-0772b3515921",
        "context": {},
        "created_at": "2023-06-16T09:21:21.000Z",
        "updated_at": "2023-06-16T09:21:21.000Z",
        "is_sandbox": False,
        "unified_model_override": {},
        "environment_id": "ac15abdc-b38e-47d0-97a2-69194017c177",
    },
    "environment_id": "ac15abdc-b38e-47d0-97a2-69194017c177",
    "created_at": "2023-06-16T09:21:22.369Z",
    "webhook_id": "b6d29b9b-3d9d-44fd-aa77-512fd83b28c1",
}
PR_KEYS = {"id", "event", "payload", "environment_id", "created_at", "webhook_id"}


@pytest.fixture
def hooks(truto) -> Iterator[Hooks]:
    h = Hooks(truto)
    yield h
    h.cleanup()


def without(body: dict[str, Any], path: frozenset[str]) -> dict[str, Any]:
    """`body` with the top-level payload key named by a path like `$.payload.context` dropped
    from the comparison (its own keys are the account's, not the shape's)."""
    out = {**body, "payload": dict(body["payload"])}
    for p in path:
        out["payload"].pop(p.rsplit(".", 1)[1], None)
    return out


# -- CRUD -----------------------------------------------------------------------------------------


def test_t_cr_create_answers_the_documented_webhook(hooks, callbacks, truto):
    """Source: [T-CR] the create request (`target_url`, `is_active: true`, `event_types:
    ["integrated_account:created"]`) and its response, key by key (with [T-API]'s
    `event_types`): `secret` a UUID, the sent values back; then [TS-WH] "Webhook API Response":
    GET /webhook/:id returns the webhook directly, the same keys without `secret`."""
    body = {
        "target_url": callbacks.url(),
        "is_active": True,
        "event_types": ["integrated_account:created"],
    }
    response = hooks.create(body)
    assert response.status_code == 201, response.text
    made = response.json()
    assert_like(REAL_CREATED, made)
    assert UUID.match(made["secret"]), made["secret"]
    assert made["target_url"] == body["target_url"]
    assert made["is_active"] is True
    assert made["event_types"] == ["integrated_account:created"]
    got = truto.get(f"/webhook/{made['id']}")
    assert got.status_code == 200, got.text
    assert_like(REAL_GOT, got.json())
    assert "secret" not in got.json()
    assert {k: got.json()[k] for k in REAL_GOT} == {k: made[k] for k in REAL_GOT}


# -- deliveries -----------------------------------------------------------------------------------


def verified(header: str, body: bytes, secret: str) -> bool:
    """[TS-WH] "Verify deliveries by recomputing the HMAC over the raw request body with the
    stored `secret` and comparing to the value after `v=` in `X-Truto-Signature`"."""
    given = header.split("v=", 1)[1]
    return hmac.compare_digest(given, hmac.new(secret.encode(), body, hashlib.sha256).hexdigest())


@pytest.mark.fake_only
def test_ts_wh_the_test_event_its_headers_and_signature(hooks, callbacks, truto):
    """Source: [T-CR] "Send test event" (POST /webhook/test {id}) and [TS-WH]: it "Sends a test
    event (`eventType: "test"`, payload: `{"foo": "bar"}`)" and answers `{"success": true}`;
    each delivery carries `Content-Type: application/json`, `User-Agent: truto` and
    `X-Truto-Signature: format=sha256,v=<hex_hmac>`, verified as [TS-WH] says; the body has
    [T-PR]'s six properties."""
    made = hooks.make(callbacks.url())
    response = truto.post("/webhook/test", json={"id": made["id"]})
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    (got,) = callbacks.wait_for()
    assert got.method == "POST"
    assert got.header("content-type") == "application/json"
    assert got.header("user-agent") == "truto"
    header = got.header("x-truto-signature")
    assert header.startswith("format=sha256,v=")
    assert verified(header, got.body, made["secret"])
    body = got.json()
    assert set(body) == PR_KEYS
    assert body["event"] == "test" and body["payload"] == {"foo": "bar"}
    assert body["webhook_id"] == made["id"]


@pytest.mark.fake_only
def test_ts_cf_integrated_account_events_have_the_documented_shape(target, hooks, callbacks):
    """Source: [TS-CF] "Connection Lifecycle" (`integrated_account:created`, then `:active`)
    and "Webhook Payload Shape" (every `integrated_account:*` payload, key by key:
    environment_integration_id, status, is_sandbox, authentication_method, region, context,
    object_store_context_fields, `integration` trimmed to {id, name, config.label},
    environment_integration {id, is_active}); [T-PR]'s `integrated_account:created` example key
    by key outside its untrimmed `integration` / `environment_integration` (unified_model_override
    too), its `event` "in the format `truto_entity:action`", each event's `id` unique; and
    [T-OV]'s signature over each body."""
    made = hooks.make(callbacks.url())
    account = connect(target)
    callbacks.flush()
    got = callbacks.received()
    bodies = [r.json() for r in got]
    assert [b["event"] for b in bodies] == [
        "integrated_account:created",
        "integrated_account:active",
    ]
    created, active = bodies
    assert_like(REAL_CREATED_EVENT, created)
    assert_like(without(REAL_ACCOUNT_EVENT, CONTEXT_OWN), active)
    assert isinstance(active["payload"]["context"], dict)
    for b in bodies:
        assert set(b) == PR_KEYS
        assert re.fullmatch(r"[a-z_]+:[a-z_]+", b["event"])
        assert b["webhook_id"] == made["id"]
        p = b["payload"]
        assert p["id"] == account["id"]
        assert set(p["integration"]) == {"id", "name", "config"}
        assert set(p["integration"]["config"]) == {"label"}
        assert p["environment_integration"]["id"] == p["environment_integration_id"]
        assert p["environment_id"] == b["environment_id"]
    assert active["payload"]["status"] == "active"
    assert created["id"] != active["id"]
    for r in got:
        assert verified(r.header("x-truto-signature"), r.body, made["secret"])


@pytest.mark.fake_only
def test_ts_cf_a_deleted_account_carries_its_id_only(target, hooks, callbacks):
    """Source: [TS-CF] "For `integrated_account:deleted`, `payload` contains only
    `{ "id": "<deleted_account_id>" }`", in [T-PR]'s envelope."""
    account = connect(target)
    made = hooks.make(callbacks.url())
    target.control("DELETE", f"/_mock/truto/integrated_accounts/{account['id']}")
    callbacks.flush()
    (got,) = callbacks.received()
    body = got.json()
    assert set(body) == PR_KEYS
    assert body["event"] == "integrated_account:deleted"
    assert body["payload"] == {"id": account["id"]}
    assert verified(got.header("x-truto-signature"), got.body, made["secret"])
