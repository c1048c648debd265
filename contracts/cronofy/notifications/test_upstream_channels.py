"""Upstream replay: push notification channels, their notification bodies and HMACs.

Each test replays an SDK test of cronofy/pycronofy @ e0e3b3787d77, cronofy/cronofy-ruby
@ b75d79f275ca, cronofy/cronofy-node @ 042affa66fb2 or cronofy/cronofy-csharp @ 8b98dd70fc8c over
HTTP: the request the SDK sends and its response fixture, compared key by key. The fixtures'
callback URLs are this test's callback URLs and their calendar ids the contract account's own.
Tests that read what was delivered need the fake's receiver (as in test_notifications.py). See
docs/EVIDENCE.md (Cronofy, Scheduling and notifications).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from contracts.cronofy.notifications.conftest import settle
from contracts.cronofy.upstream import UTC_TIME, assert_keys_like
from contracts.kit import at

UA_RUBY = "Cronofy Ruby 0.41.2"
CSHARP_JSON = {"Content-Type": "application/json; charset=utf-8"}
CHANNEL_ID = re.compile(r"^chn_[0-9a-z]+$")

# pycronofy tests/test_client.py test_create_notification_channel_only_managed
PY_CHANNEL = {
    "channel": {
        "channel_id": "chn_123example",
        "callback_url": "http://example.com",
        "filters": {"calendar_ids": ["1"], "only_managed": True},
    }
}
# cronofy-ruby client_spec.rb Channels '#list_channels'; cronofy-csharp GetChannels.cs
RB_CHANNELS = {
    "channels": [
        {"channel_id": "channel_id_123", "callback_url": "http://call.back/url", "filters": {}},
        {"channel_id": "channel_id_456", "callback_url": "http://call.back/url2", "filters": {}},
    ]
}
# cronofy-csharp test/Cronofy.Test/PushNotificationTests/JsonParsing.cs
CS_VERIFICATION = {
    "notification": {"type": "verification"},
    "channel": {
        "channel_id": "chn_54cf7c7cb4ad4c1027000001",
        "callback_url": "https://example.com/callback",
        "filters": {"calendar_ids": ["cal_U9uuErStTG@EAAAB_IsAsykA2DBTWqQTf-f0kJw"]},
    },
}
CS_CHANGE = {
    "notification": {"type": "change", "changes_since": "2015-11-13T10:39:12Z"},
    "channel": CS_VERIFICATION["channel"],
}
# The SDKs' HMAC fixtures: client secret, body, and the header value each SDK accepts.
WELL_KNOWN_BODY = '{"example":"well-known"}'
WELL_KNOWN_SECRET = "pDY0Oi7TJSP2hfNmZNkm5"  # cronofy-ruby, cronofy-csharp
WELL_KNOWN_HMAC = "6r2/HjBkqymGegX0wOfifieeUXbbHwtV/LohHS+jv6c="


def sdk_hmac_valid(header: str | None, body: bytes, secret: str) -> bool:
    """pycronofy Client.hmac_valid / cronofy-ruby hmac_valid? / cronofy-node hmacValid /
    cronofy-csharp HmacMatches: base64 of HMAC-SHA256(client secret, raw body), compared with
    each comma-separated value of the Cronofy-HMAC-SHA256 header; none or empty is invalid."""
    if not header:
        return False
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return any(hmac.compare_digest(value.encode(), digest) for value in header.split(","))


# -- create, list, close --------------------------------------------------------------------------


def test_pycronofy_create_notification_channel(channels, callbacks, states):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py test_create_notification_channel
    and test_create_notification_channel_only_managed @ e0e3b3787d77 (pycronofy sends `filters`
    only when one is set; `channel['channel_id']`, `channel['filters']['only_managed']`)."""
    cal = states.get("writable_calendar")
    plain = channels.create({"callback_url": callbacks.url(), "filters": {"calendar_ids": [cal]}})
    assert plain.status_code == 200, plain.text
    assert_keys_like(
        {"channel": {"channel_id": "chn_123example", "callback_url": "x"}}, plain.json()
    )
    assert CHANNEL_ID.match(plain.json()["channel"]["channel_id"])
    managed = channels.create(
        {
            "callback_url": callbacks.url("managed"),
            "filters": {"calendar_ids": [cal], "only_managed": True},
        }
    )
    assert managed.status_code == 200, managed.text
    assert_keys_like(PY_CHANNEL, managed.json())
    assert managed.json()["channel"]["filters"]["only_managed"] is True
    assert managed.json()["channel"]["filters"]["calendar_ids"] == [cal]


@pytest.mark.parametrize("with_filters", [True, False], ids=["with_filters", "without_filters"])
def test_ruby_create_channel(channels, callbacks, states, with_filters):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb Channels '#create_channel'
    contexts "with filters" (calendar_ids, only_managed, and `future_parameter: "for
    flexibility"`) and "without filters" @ b75d79f275ca: 200 `{"channel": {channel_id,
    callback_url, filters}}`, mapped to Cronofy::Channel."""
    body: dict = {"callback_url": callbacks.url()}
    if with_filters:
        body["filters"] = {
            "calendar_ids": [
                states.get("writable_calendar"),
                states.get("second_writable_calendar"),
            ],
            "only_managed": True,
            "future_parameter": "for flexibility",
        }
    response = channels.create(body, headers={"User-Agent": UA_RUBY})
    assert response.status_code == 200, response.text
    real = {"channel": {"channel_id": "channel_id_123", "callback_url": "u", "filters": {}}}
    assert_keys_like(real, response.json())
    channel = response.json()["channel"]
    assert channel["callback_url"] == body["callback_url"]
    if not with_filters:
        assert channel["filters"] == {}


def test_ruby_list_and_close_channels(cronofy, channels, callbacks):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb Channels '#list_channels'
    (two channels, each `filters: {}`) and '#close_channel' (DELETE /v1/channels/{id}, 202, no
    body) @ b75d79f275ca."""
    ua = {"User-Agent": UA_RUBY}
    one = channels.open(callbacks.url("one"))
    two = channels.open(callbacks.url("two"))
    listed = cronofy.get("/v1/channels", headers=ua)
    assert listed.status_code == 200, listed.text
    assert_keys_like(RB_CHANNELS, listed.json())
    mine = [
        c
        for c in listed.json()["channels"]
        if c["channel_id"] in (one["channel_id"], two["channel_id"])
    ]
    assert mine == [one, two] or mine == [two, one]
    closed = cronofy.delete(f"/v1/channels/{one['channel_id']}", headers=ua)
    assert closed.status_code == 202, closed.text
    assert closed.content == b""
    left = [c["channel_id"] for c in cronofy.get("/v1/channels").json()["channels"]]
    assert one["channel_id"] not in left and two["channel_id"] in left


@pytest.mark.parametrize("filters", ["none", "only_managed", "calendar"])
def test_csharp_create_channel(channels, callbacks, states, filters):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/CreateChannel.cs
    CanCreateChannel, CanCreateChannelForOnlyManagedEvents, CanCreateChannelForSpecificCalendar
    @ 8b98dd70fc8c: `Content-Type: application/json; charset=utf-8`, `filters` always sent
    (`{}` when none); the answer equals the Channel built from the request (Id, CallbackUrl,
    Filters)."""
    url = callbacks.url()
    sent = {
        "none": {},
        "only_managed": {"only_managed": True},
        "calendar": {"calendar_ids": [states.get("writable_calendar")]},
    }[filters]
    response = channels.create({"callback_url": url, "filters": sent}, headers=CSHARP_JSON)
    assert response.status_code == 200, response.text
    channel = response.json()["channel"]
    assert_keys_like(
        {
            "channel": {
                "channel_id": "chn_54cf7c7cb4ad4c1027000001",
                "callback_url": url,
                "filters": sent,
            }
        },
        response.json(),
    )
    assert channel == {"channel_id": channel["channel_id"], "callback_url": url, "filters": sent}


def test_csharp_get_and_close_channels(cronofy, channels, callbacks):
    """Sources: cronofy/cronofy-csharp GetChannels.cs CanGetChannels and CloseChannel.cs
    CanCloseChannel @ 8b98dd70fc8c: list `{"channels": [{channel_id, callback_url,
    filters: {}}]}`; DELETE /v1/channels/{id} answers 202."""
    url = callbacks.url()
    opened = channels.open(url)
    listed = cronofy.get("/v1/channels")
    assert listed.status_code == 200, listed.text
    assert_keys_like(RB_CHANNELS, listed.json())
    assert opened in listed.json()["channels"]
    assert opened == {"channel_id": opened["channel_id"], "callback_url": url, "filters": {}}
    assert cronofy.delete(f"/v1/channels/{opened['channel_id']}").status_code == 202


# -- what is delivered ----------------------------------------------------------------------------


@pytest.mark.fake_only
def test_csharp_verification_and_change_bodies_parse(channels, callbacks, owner, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/PushNotificationTests/JsonParsing.cs
    CanParseVerificationWithJsonNet, CanParseChangeWithJsonNet (and the two
    CoreSerialization twins) @ 8b98dd70fc8c: the verification and change bodies it parses into
    PushNotificationRequest, compared key by key; `changes_since` a UTC Time."""
    cal = states.get("writable_calendar")
    channel = channels.open(callbacks.url(), calendar_ids=[cal])
    owner.move(states.get("editable_external_event"), at(12, 17))
    bodies = settle(callbacks)
    kinds = [b["notification"]["type"] for b in bodies]
    assert kinds[0] == "verification" and "change" in kinds, kinds
    verification = bodies[0]
    assert_keys_like(CS_VERIFICATION, verification)
    assert verification == {"notification": {"type": "verification"}, "channel": channel}
    change = next(b for b in bodies if b["notification"]["type"] == "change")
    assert_keys_like(CS_CHANGE, change)
    assert UTC_TIME.match(change["notification"]["changes_since"])
    assert change["channel"] == channel


@pytest.mark.fake_only
def test_sdks_profile_disconnected_body_parses(channels, callbacks, owner, states):
    """Source: cronofy/cronofy-csharp src/Cronofy/Requests/PushNotificationRequest.cs
    @ 8b98dd70fc8c (`notification.type` and `channel`, the keys JsonParsing.cs parses for
    every notification): a `profile_disconnected` notification carries the same two."""
    channel = channels.open(callbacks.url())
    owner.disconnect(states.get("profile_id"))
    try:
        bodies = settle(callbacks)
    finally:
        owner.reconnect(states.get("profile_id"))
    gone = [b for b in bodies if b["notification"]["type"] == "profile_disconnected"]
    assert len(gone) == 1, bodies
    assert_keys_like(
        {
            "notification": {"type": "x"},
            "channel": {k: v for k, v in CS_VERIFICATION["channel"].items() if k != "filters"},
        },
        gone[0],
    )
    assert gone[0]["channel"] == channel


@pytest.mark.fake_only
def test_sdks_accept_the_fakes_hmac(channels, callbacks, owner, states):
    """Sources: as tests/test_webhook_signatures.py::test_cronofy_sdk_hmac_fixtures_define_the_replay_verifier, and cronofy/cronofy-node
    test/index.spec.js 'HMAC validation' @ 042affa66fb2: every delivery's Cronofy-HMAC-SHA256
    header passes the SDKs' check with the application's client secret over the raw body, and
    fails it with another secret or another body."""
    channels.open(callbacks.url())
    owner.move(states.get("editable_external_event"), at(12, 18))
    callbacks.flush()
    received = callbacks.received()
    assert len(received) >= 2
    secret = states.get("client_secret")
    for got in received:
        header = got.header("cronofy-hmac-sha256")
        assert sdk_hmac_valid(header, got.body, secret), header
        assert not sdk_hmac_valid(header, got.body, WELL_KNOWN_SECRET)
        assert not sdk_hmac_valid(header, got.body + b"\n", secret)
