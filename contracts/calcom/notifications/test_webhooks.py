"""Cal.com webhook CRUD: /v2/webhooks and /v2/event-types/{id}/webhooks (reference/webhooks.md
§2.1-2.2; rules 1-11 and 26 of §2.8; apps/api/v2/src/modules/webhooks in calcom/cal.com, its
e2e spec webhooks.controller.e2e-spec.ts). Live: set CALCOM_CALLBACK_URL (a public HTTPS URL);
each test deletes the webhooks it made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from contracts.calcom.conftest import error_of
from contracts.kit import fake_settings, webhook_rule


class Hooks:
    def __init__(self, calcom, scope: str = "") -> None:
        self.calcom = calcom
        self.base = f"{scope}/v2/webhooks" if not scope else f"/v2/event-types/{scope}/webhooks"
        self.made: list[str] = []

    def create(self, body: Any, **kw: Any):
        response = self.calcom.post(self.base, json=body, **kw)
        if response.status_code == 201:
            self.made.append(response.json()["data"]["id"])
        return response

    def make(self, url: str, **fields: Any) -> dict:
        body = {"subscriberUrl": url, "triggers": ["BOOKING_CREATED"], "active": True, **fields}
        response = self.create(body)
        assert response.status_code == 201, response.text
        return response.json()["data"]

    def cleanup(self) -> None:
        for ident in self.made:
            self.calcom.delete(f"{self.base}/{ident}")


@pytest.fixture
def hooks(calcom) -> Iterator[Hooks]:
    h = Hooks(calcom)
    yield h
    h.cleanup()


@pytest.fixture
def type_hooks(calcom, states) -> Iterator[Hooks]:
    h = Hooks(calcom, states.get("event_type_id"))
    yield h
    h.cleanup()


@webhook_rule("calcom", 1)
@pytest.mark.parametrize(
    ("missing", "constraint"),
    [("active", "isBoolean"), ("subscriberUrl", "isString"), ("triggers", "isArray")],
)
def test_rule_1_active_subscriber_url_and_triggers_are_required(
    hooks, callbacks, missing, constraint
):
    body = {"subscriberUrl": callbacks.url(), "triggers": ["BOOKING_CREATED"], "active": True}
    del body[missing]
    response = hooks.create(body)
    assert response.status_code == 400, response.text
    errors = error_of(response)["details"]["errors"]
    assert [(e["property"], constraint in e["constraints"]) for e in errors] == [(missing, True)]


@webhook_rule("calcom", 1)
def test_rule_1_triggers_must_be_an_array_and_active_a_boolean(hooks, callbacks):
    response = hooks.create(
        {"subscriberUrl": callbacks.url(), "triggers": "BOOKING_CREATED", "active": "yes"}
    )
    assert response.status_code == 400, response.text
    props = {e["property"] for e in error_of(response)["details"]["errors"]}
    assert props == {"triggers", "active"}


@webhook_rule("calcom", 2)
@pytest.mark.parametrize(
    "trigger", ["BOOKING_CONFIRMED", "BOOKING_COMPLETED", "BOOKING_NO_SHOW", "BOOKING_REOPENED"]
)
def test_rule_2_unknown_triggers_are_400(hooks, callbacks, trigger):
    response = hooks.create(
        {"subscriberUrl": callbacks.url(), "triggers": ["BOOKING_CREATED", trigger], "active": True}
    )
    assert response.status_code == 400, response.text
    (err,) = error_of(response)["details"]["errors"]
    assert err["property"] == "triggers"
    assert err["constraints"]["isEnum"].startswith("each value in triggers must be one of")


@webhook_rule("calcom", 3)
def test_rule_3_create_answers_201_with_the_webhook(hooks, callbacks, calcom):
    me = calcom.get("/v2/me").json()["data"]
    response = hooks.create(
        {
            "subscriberUrl": callbacks.url(),
            "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
            "active": True,
            "secret": "whsec_contract",
            "payloadTemplate": '{"title": "{{title}}"}',
        }
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "success"
    data = body["data"]
    assert set(data) >= {"id", "subscriberUrl", "triggers", "active", "payloadTemplate", "userId"}
    assert data["subscriberUrl"] == callbacks.url()
    assert data["triggers"] == ["BOOKING_CREATED", "BOOKING_CANCELLED"]
    assert data["active"] is True and data["userId"] == me["id"]
    assert data["payloadTemplate"] == '{"title": "{{title}}"}'
    assert data["secret"] == "whsec_contract"


@webhook_rule("calcom", 4)
def test_rule_4_webhook_ids_are_strings(hooks, callbacks):
    made = hooks.make(callbacks.url())
    assert isinstance(made["id"], str) and made["id"]


@webhook_rule("calcom", 5)
def test_rule_5_the_same_subscriber_url_twice_is_409(hooks, callbacks):
    hooks.make(callbacks.url())
    again = hooks.create(
        {"subscriberUrl": callbacks.url(), "triggers": ["BOOKING_CANCELLED"], "active": False}
    )
    assert again.status_code == 409, again.text
    assert error_of(again)["message"] == (
        "Webhook with this subscriber url already exists for this user"
    )


@webhook_rule("calcom", 6)
def test_rule_6_delegation_credential_error_is_for_organizations_only(hooks, callbacks):
    response = hooks.create(
        {
            "subscriberUrl": callbacks.url(),
            "triggers": ["DELEGATION_CREDENTIAL_ERROR"],
            "active": True,
        }
    )
    assert response.status_code == 400, response.text
    assert error_of(response)["message"] == (
        "DELEGATION_CREDENTIAL_ERROR trigger is only available for organization webhooks"
    )


@webhook_rule("calcom", 7)
def test_rule_7_list_has_no_pagination_and_takes_take_and_skip(hooks, callbacks, calcom):
    made = [hooks.make(callbacks.url(f"n{n}"))["id"] for n in range(3)]
    response = calcom.get("/v2/webhooks")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"status", "data"}  # no pagination block
    ids = [w["id"] for w in body["data"]]
    assert set(made) <= set(ids)
    page = calcom.get("/v2/webhooks", params={"take": 1, "skip": ids.index(made[1])}).json()
    assert [w["id"] for w in page["data"]] == [made[1]]
    for bad in ({"take": 251}, {"take": 0}, {"skip": -1}, {"take": "x"}):
        assert calcom.get("/v2/webhooks", params=bad).status_code == 400, bad


@webhook_rule("calcom", 8)
def test_rule_8_unknown_is_404_and_another_users_is_403(hooks, callbacks, calcom, states):
    for method in ("GET", "PATCH", "DELETE"):
        response = calcom.request(method, "/v2/webhooks/no-such-webhook", json={})
        assert response.status_code == 404, (method, response.text)
        assert error_of(response)["message"] == "Webhook (no-such-webhook) not found"
    other = Hooks(calcom)
    made = other.create(
        {"subscriberUrl": callbacks.url("other"), "triggers": ["BOOKING_CREATED"], "active": True},
        token=states.get("other_api_key"),
    )
    assert made.status_code == 201, made.text
    ident = made.json()["data"]["id"]
    try:
        for method in ("GET", "PATCH", "DELETE"):
            response = calcom.request(method, f"/v2/webhooks/{ident}", json={"active": False})
            assert response.status_code == 403, (method, response.text)
    finally:
        calcom.delete(f"/v2/webhooks/{ident}", token=states.get("other_api_key"))


@webhook_rule("calcom", 9)
def test_rule_9_patch_changes_only_the_fields_given(hooks, callbacks, calcom):
    made = hooks.make(callbacks.url(), triggers=["BOOKING_CREATED", "BOOKING_CANCELLED"])
    response = calcom.patch(f"/v2/webhooks/{made['id']}", json={"active": False})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data == {**made, "active": False}
    again = calcom.patch(f"/v2/webhooks/{made['id']}", json={"triggers": ["MEETING_ENDED"]})
    assert again.json()["data"]["triggers"] == ["MEETING_ENDED"]
    assert calcom.get(f"/v2/webhooks/{made['id']}").json()["data"]["active"] is False


@webhook_rule("calcom", 10)
def test_rule_10_delete_answers_the_deleted_webhook(hooks, callbacks, calcom):
    made = hooks.make(callbacks.url())
    response = calcom.delete(f"/v2/webhooks/{made['id']}")
    assert response.status_code == 200, response.text
    assert response.json()["data"] == made
    assert calcom.get(f"/v2/webhooks/{made['id']}").status_code == 404


@webhook_rule("calcom", 11)
def test_rule_11_event_type_webhooks_and_delete_all(type_hooks, callbacks, calcom, states):
    et = states.get("event_type_id")
    one = type_hooks.make(callbacks.url("a"))
    type_hooks.make(callbacks.url("b"))
    assert one["eventTypeId"] == int(et) and "userId" not in one
    listed = calcom.get(f"/v2/event-types/{et}/webhooks").json()["data"]
    assert {w["id"] for w in listed} >= {one["id"]}
    got = calcom.get(f"/v2/event-types/{et}/webhooks/{one['id']}")
    assert got.status_code == 200 and got.json()["data"] == one
    response = calcom.delete(f"/v2/event-types/{et}/webhooks")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "success", "data": f"{len(listed)} webhooks deleted"}
    assert calcom.get(f"/v2/event-types/{et}/webhooks").json()["data"] == []
    other = states.get("other_event_type_id")
    assert calcom.get(f"/v2/event-types/{other}/webhooks").status_code == 403


@webhook_rule("calcom", 26)
@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/cal",  # not HTTPS
        "https://localhost/cal",
        "https://127.0.0.1/cal",
        "https://10.0.0.7/cal",
        "https://169.254.169.254/latest/meta-data",
    ],
)
def test_rule_26_saas_accepts_only_public_https_urls(target, hooks, url):
    with fake_settings(target, "calcom", public_https_only=True):
        response = hooks.create(
            {"subscriberUrl": url, "triggers": ["BOOKING_CREATED"], "active": True}
        )
        assert response.status_code == 400, response.text
        assert error_of(response)["message"].startswith("Webhook URL is not allowed")
        fine = hooks.create(
            {
                "subscriberUrl": "https://hooks.example.com/cal",
                "triggers": ["BOOKING_CREATED"],
                "active": True,
            }
        )
        assert fine.status_code == 201, fine.text


@webhook_rule("calcom", 26)
def test_rule_26_the_fake_allows_localhost_by_default(hooks, callbacks):
    assert callbacks.url().startswith("http://127.0.0.1:") or not callbacks.target.is_fake
    hooks.make(callbacks.url())
