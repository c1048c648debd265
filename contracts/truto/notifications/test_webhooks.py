"""Truto webhooks (reference/webhooks.md §3; rules 1-17 of §3.5): /webhook CRUD and
/webhook/test, the delivery envelope and signature, retries and deactivation, and the
integrated-account events (accounts connected and deleted over the fake's /_mock/truto).
Live: set TRUTO_CALLBACK_URL to a public HTTPS URL for the CRUD tests; the tests that read
deliveries or use the control plane run against the fake only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from contracts.kit import fake_settings, frozen_clock, webhook_rule
from contracts.truto.conftest import assert_error

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CONTRACT_ACCOUNT = "acc_c0ntract0000000000000010"


class Hooks:
    def __init__(self, truto) -> None:
        self.truto = truto
        self.made: list[str] = []

    def create(self, body: dict[str, Any], **kw: Any):
        response = self.truto.post("/webhook", json=body, **kw)
        if response.status_code == 201:
            self.made.append(response.json()["id"])
        return response

    def make(self, url: str, **fields: Any) -> dict[str, Any]:
        response = self.create({"target_url": url, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def cleanup(self) -> None:
        for ident in self.made:
            self.truto.delete(f"/webhook/{ident}")


@pytest.fixture
def hooks(truto) -> Iterator[Hooks]:
    h = Hooks(truto)
    yield h
    h.cleanup()


def connect(target, **body: Any) -> dict[str, Any]:
    body = {
        "integration": "googlecalendar",
        "account": CONTRACT_ACCOUNT,
        "environment": "contract",
        **body,
    }
    return target.control("POST", "/_mock/truto/integrated_accounts", json=body).json()


def deliveries(target, **params: Any) -> list[dict]:
    return target.control(
        "GET", "/_mock/deliveries", params={"provider": "truto", **params}
    ).json()["deliveries"]


def events(callbacks, name: str | None = None) -> list[dict]:
    callbacks.flush()
    return [r.json() for r in callbacks.received(name)]


def hex_hmac(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@webhook_rule("truto", 1)
def test_rule_1_target_url_is_required_and_the_rest_defaults(hooks, callbacks):
    refused = hooks.create({"event_types": ["integrated_account:active"]})
    assert_error(refused, 400)
    made = hooks.make(callbacks.url())
    assert made["is_active"] is True
    assert made["event_types"] in (None, [])  # omitted: every event


@webhook_rule("truto", 2)
def test_rule_2_the_secret_is_shown_on_create_only(hooks, callbacks, truto):
    made = hooks.make(callbacks.url())
    assert UUID.match(made["secret"]), made
    got = truto.get(f"/webhook/{made['id']}")
    assert got.status_code == 200, got.text
    assert "secret" not in got.json()
    listed = truto.get("/webhook").json()["result"]
    assert all("secret" not in w for w in listed)
    patched = truto.patch(f"/webhook/{made['id']}", json={"is_active": False}).json()
    assert "secret" not in patched


@webhook_rule("truto", 3)
def test_rule_3_list_uses_the_envelope_and_filters_by_is_active(hooks, callbacks, truto):
    on = hooks.make(callbacks.url("on"))
    off = hooks.make(callbacks.url("off"), is_active=False)
    body = truto.get("/webhook").json()
    assert set(body) >= {"result", "next_cursor"}
    active = {w["id"] for w in truto.get("/webhook", params={"is_active": "true"}).json()["result"]}
    inactive = {
        w["id"] for w in truto.get("/webhook", params={"is_active": "false"}).json()["result"]
    }
    assert on["id"] in active and off["id"] not in active
    assert off["id"] in inactive and on["id"] not in inactive
    first = truto.get("/webhook", params={"limit": 1}).json()
    assert len(first["result"]) == 1 and first["next_cursor"]
    rest = truto.get("/webhook", params={"limit": 1, "next_cursor": first["next_cursor"]}).json()
    assert rest["result"][0]["id"] != first["result"][0]["id"]


@webhook_rule("truto", 4)
def test_rule_4_test_delivers_a_test_event_and_answers_success(hooks, callbacks, truto):
    made = hooks.make(callbacks.url())
    response = truto.post("/webhook/test", json={"id": made["id"]})
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    (got,) = callbacks.wait_for()
    body = got.json()
    assert body["event"] == "test" and body["webhook_id"] == made["id"]


@webhook_rule("truto", 4)
def test_rule_4_a_failing_target_makes_test_an_error(hooks, callbacks, truto):
    callbacks.answer(500)
    made = hooks.make(callbacks.url())
    response = truto.post("/webhook/test", json={"id": made["id"]})
    assert_error(response, 400)
    assert "500" in response.json()["message"]
    assert_error(truto.post("/webhook/test", json={"id": str(uuid.uuid4())}), 404)


@webhook_rule("truto", 5)
def test_rule_5_deliveries_are_json_posts_from_truto(hooks, callbacks, truto):
    made = hooks.make(callbacks.url())
    truto.post("/webhook/test", json={"id": made["id"]})
    (got,) = callbacks.wait_for()
    assert got.method == "POST"
    assert got.header("content-type") == "application/json"
    assert got.header("user-agent") == "truto"


@webhook_rule("truto", 6)
def test_rule_6_the_envelope_and_a_unique_id_per_event(target, hooks, callbacks):
    hooks.make(callbacks.url())
    account = connect(target)
    bodies = events(callbacks)
    assert [b["event"] for b in bodies] == [
        "integrated_account:created",
        "integrated_account:active",
    ]
    for b in bodies:
        assert set(b) == {"id", "event", "payload", "environment_id", "webhook_id", "created_at"}
        assert b["environment_id"] == "contract" and b["payload"]["id"] == account["id"]
    assert len({b["id"] for b in bodies}) == 2


@webhook_rule("truto", 7)
def test_rule_7_only_active_webhooks_taking_the_event(target, hooks, callbacks):
    hooks.make(callbacks.url("all"))
    hooks.make(callbacks.url("active-only"), event_types=["integrated_account:active"])
    hooks.make(callbacks.url("inactive"), is_active=False)
    hooks.make(callbacks.url("sync-only"), event_types=["sync_job_run:completed"])
    connect(target)
    assert len(events(callbacks, "all")) == 2
    assert [b["event"] for b in events(callbacks, "active-only")] == ["integrated_account:active"]
    assert events(callbacks, "inactive") == [] and events(callbacks, "sync-only") == []


@webhook_rule("truto", 8)
def test_rule_8_the_signature_header(target, hooks, callbacks):
    made = hooks.make(callbacks.url())
    connect(target)
    callbacks.flush()
    for got in callbacks.received():
        assert (
            got.header("x-truto-signature")
            == f"format=sha256,v={hex_hmac(got.body, made['secret'])}"
        )


@webhook_rule("truto", 9)
def test_rule_9_the_digest_encoding_is_a_setting(target, hooks, callbacks):
    made = hooks.make(callbacks.url())
    with fake_settings(target, "truto", signature_encoding="base64"):
        connect(target)
        callbacks.flush()
    got = callbacks.received()[0]
    mac = hmac.new(made["secret"].encode(), got.body, hashlib.sha256).digest()
    assert got.header("x-truto-signature") == f"format=sha256,v={base64.b64encode(mac).decode()}"


@webhook_rule("truto", 10)
@pytest.mark.parametrize(
    ("setting", "keys"),
    [("event", {"event"}), ("event_type", {"event_type"}), ("both", {"event", "event_type"})],
)
def test_rule_10_the_event_field_name_is_a_setting(target, hooks, callbacks, setting, keys):
    hooks.make(callbacks.url())
    with fake_settings(target, "truto", event_field=setting):
        connect(target)
        body = events(callbacks)[0]
    assert {"event", "event_type"} & set(body) == keys
    assert all(body[k] == "integrated_account:created" for k in keys)


@webhook_rule("truto", 11)
def test_rule_11_non_200_is_retried_three_times_then_dropped(target, hooks, callbacks):
    callbacks.answer(503)
    made = hooks.make(callbacks.url())
    with frozen_clock(target):
        connect(target)
        callbacks.flush()
        for wait in (2, 4, 8):  # exponential, each at most 10 s
            target.control("POST", "/_mock/clock", json={"advance": wait - 0.5})
            callbacks.flush()
            attempts = len(deliveries(target, subscription=made["id"])[0]["attempts"])
            target.control("POST", "/_mock/clock", json={"advance": 0.5})
            callbacks.flush()
            assert len(deliveries(target, subscription=made["id"])[0]["attempts"]) == attempts + 1
        target.control("POST", "/_mock/clock", json={"advance": 3600})
        callbacks.flush()
    first = deliveries(target, subscription=made["id"])[0]
    assert first["status"] == "failed"
    assert [a["status"] for a in first["attempts"]] == [503] * 4
    callbacks.answer(204)
    with frozen_clock(target):  # "the endpoint must answer 200": a 204 is retried too
        connect(target)
        callbacks.flush()
    assert deliveries(target, subscription=made["id"])[-1]["status"] == "retrying"


@webhook_rule("truto", 12)
def test_rule_12_prolonged_failure_deactivates_the_webhook(target, hooks, callbacks, truto):
    callbacks.answer(500)
    made = hooks.make(callbacks.url())
    with fake_settings(target, "truto", deactivate_after_failures=2, webhook_retries=0):
        connect(target)  # two events, each given up on
        callbacks.flush()
        assert truto.get(f"/webhook/{made['id']}").json()["is_active"] is False
        before = len(callbacks.received())
        connect(target)
        callbacks.flush()
        assert len(callbacks.received()) == before  # it gets nothing more


@webhook_rule("truto", 13)
@pytest.mark.parametrize("outcome", ["active", "post_install_error", "validation_error"])
def test_rule_13_connecting_announces_created_then_the_outcome(target, hooks, callbacks, outcome):
    hooks.make(callbacks.url())
    connect(target, outcome=outcome)
    assert [b["event"] for b in events(callbacks)] == [
        "integrated_account:created",
        f"integrated_account:{outcome}",
    ]


@webhook_rule("truto", 14)
def test_rule_14_deleting_an_account_announces_its_id_only(target, hooks, callbacks):
    account = connect(target)
    hooks.make(callbacks.url())
    target.control("DELETE", f"/_mock/truto/integrated_accounts/{account['id']}")
    (deleted,) = events(callbacks)
    assert deleted["event"] == "integrated_account:deleted"
    assert deleted["payload"] == {"id": account["id"]}


@webhook_rule("truto", 15)
def test_rule_15_account_payloads_carry_no_credentials(target, hooks, callbacks):
    hooks.make(callbacks.url())
    connect(target)
    for body in events(callbacks):
        text = str(body["payload"]).lower()
        for word in ("token", "secret", "password", "credentials"):
            assert word not in text, (word, body["payload"])
        assert set(body["payload"]["integration"]) == {"id", "name", "config"}


@webhook_rule("truto", 16)
def test_rule_16_the_unified_calendar_api_sends_no_webhook(target, hooks, callbacks, truto):
    hooks.make(callbacks.url())
    made = truto.create_google()
    assert made["id"]
    assert events(callbacks) == []


@webhook_rule("truto", 17)
def test_rule_17_targets_must_be_https_behind_a_setting(target, hooks):
    with fake_settings(target, "truto", public_https_only=True):
        for url in ("http://hooks.example.com/t", "https://localhost/t", "https://192.168.1.2/t"):
            assert_error(hooks.create({"target_url": url}), 400)
        assert hooks.create({"target_url": "https://hooks.example.com/t"}).status_code == 201


@webhook_rule("truto", 17)
def test_rule_17_the_fake_allows_localhost_by_default(hooks, callbacks):
    hooks.make(callbacks.url())


@pytest.fixture(autouse=True)
def _fake_only_when_the_test_needs_it(request, target):
    """CRUD tests (rules 1-3, 17) can run live; the rest read deliveries or use /_mock."""
    live_ok = {"test_rule_1_", "test_rule_2_", "test_rule_3_", "test_rule_17_targets"}
    if not target.is_fake and not any(request.node.name.startswith(p) for p in live_ok):
        pytest.skip("reads the fake's deliveries or uses its control plane")
