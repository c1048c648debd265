"""Push notification channels: create, list, close (reference/webhooks.md §1.1; rules 1-10 of
§1.7). Live: set CRONOFY_CALLBACK_URL to a public URL; each test closes what it opened."""

from __future__ import annotations

import re

import pytest

from contracts.kit import fake_settings, webhook_rule

CHANNEL_ID = re.compile(r"^chn_[0-9a-f]{24}$")


@webhook_rule("cronofy", 1)
@pytest.mark.parametrize("token", [None, "notAToken000000000000000000000001"], ids=["none", "bad"])
def test_rule_1_channels_need_a_valid_bearer_token(cronofy, channels, token):
    for method, path in (("POST", "/v1/channels"), ("GET", "/v1/channels")):
        response = cronofy.request(
            method, path, token=token, json={"callback_url": "https://example.com/cronofy"}
        )
        assert response.status_code == 401, (method, response.text)
    assert (
        cronofy.delete("/v1/channels/chn_000000000000000000000000", token=token).status_code == 401
    )


@webhook_rule("cronofy", 2)
@pytest.mark.parametrize("body", [{}, {"callback_url": ""}, {"filters": {}}], ids=str)
def test_rule_2_callback_url_is_required(cronofy, channels, body):
    response = channels.create(body)
    assert response.status_code == 422, response.text
    assert "callback_url" in response.json()["errors"]


@webhook_rule("cronofy", 3)
@pytest.mark.parametrize(
    "filters",
    [
        None,  # pycronofy omits filters unless one is set
        {},  # cronofy-csharp always sends an empty object
        {"only_managed": True},
        {"only_managed": False, "future_parameter": "ignored"},  # cronofy-ruby's spec
    ],
    ids=["absent", "empty", "only_managed", "unknown_key"],
)
def test_rule_3_every_filters_shape_the_sdks_send_is_accepted(channels, callbacks, filters):
    body: dict = {"callback_url": callbacks.url()}
    if filters is not None:
        body["filters"] = filters
    response = channels.create(body)
    assert response.status_code == 200, response.text


@webhook_rule("cronofy", 3)
def test_rule_3_calendar_ids_filter_is_accepted(channels, callbacks, states):
    cal = states.get("writable_calendar")
    channel = channels.open(callbacks.url(), calendar_ids=[cal])
    assert channel["filters"]["calendar_ids"] == [cal]


@webhook_rule("cronofy", 4)
def test_rule_4_calendar_ids_when_present_holds_at_least_one(channels, callbacks):
    response = channels.create({"callback_url": callbacks.url(), "filters": {"calendar_ids": []}})
    assert response.status_code == 422, response.text
    assert "calendar_ids" in response.json()["errors"]


@webhook_rule("cronofy", 5)
def test_rule_5_create_answers_the_channel_echoing_only_set_filters(channels, callbacks, states):
    url = callbacks.url()
    bare = channels.open(url)
    assert set(bare) == {"channel_id", "callback_url", "filters"}
    assert CHANNEL_ID.match(bare["channel_id"]), bare
    assert bare["callback_url"] == url
    assert bare["filters"] == {}
    managed = channels.open(callbacks.url("managed"), only_managed=True)
    assert managed["filters"] == {"only_managed": True}
    cal = states.get("writable_calendar")
    both = channels.open(callbacks.url("both"), calendar_ids=[cal], only_managed=False)
    assert both["filters"] == {"calendar_ids": [cal], "only_managed": False}


@webhook_rule("cronofy", 6)
def test_rule_6_an_identical_create_returns_the_existing_channel(channels, callbacks):
    url = callbacks.url()
    first = channels.open(url, only_managed=True)
    again = channels.open(url, only_managed=True)
    assert again["channel_id"] == first["channel_id"]
    other = channels.open(url)  # different filters: a different channel
    assert other["channel_id"] != first["channel_id"]
    assert [c["channel_id"] for c in channels.listed()].count(first["channel_id"]) == 1


@webhook_rule("cronofy", 7)
def test_rule_7_open_channels_per_account_and_application_are_limited(target, channels, callbacks):
    with fake_settings(target, max_channels=3):  # 128 upstream; 3 keeps the test short
        for n in range(3):
            channels.open(callbacks.url(f"c{n}"))
        refused = channels.create({"callback_url": callbacks.url("one-too-many")})
        assert refused.status_code == 422, refused.text
        channels.close(channels.opened[0])  # a closed channel frees its place
        assert channels.create({"callback_url": callbacks.url("again")}).status_code == 200


@webhook_rule("cronofy", 7)
def test_rule_7_the_default_limit_is_128(target):
    settings = target.control("GET", "/_mock/settings").json()["cronofy"]
    assert settings["max_channels"] == 128


@webhook_rule("cronofy", 8)
def test_rule_8_list_returns_open_channels_only(channels, callbacks):
    kept = channels.open(callbacks.url("kept"))
    closed = channels.open(callbacks.url("closed"))
    assert channels.close(closed["channel_id"]).status_code == 202
    listed = {c["channel_id"]: c for c in channels.listed()}
    assert listed[kept["channel_id"]] == kept
    assert closed["channel_id"] not in listed


@webhook_rule("cronofy", 9)
def test_rule_9_close_answers_202_with_no_body(channels, callbacks):
    channel = channels.open(callbacks.url())
    response = channels.close(channel["channel_id"])
    assert response.status_code == 202
    assert response.content == b""


@webhook_rule("cronofy", 10)
def test_rule_10_closing_an_unknown_channel_is_404(channels, callbacks):
    assert channels.close("chn_000000000000000000000000").status_code == 404
    channel = channels.open(callbacks.url())
    assert channels.close(channel["channel_id"]).status_code == 202
    assert channels.close(channel["channel_id"]).status_code == 404  # closed: gone
