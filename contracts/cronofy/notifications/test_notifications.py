"""What channels are sent (reference/webhooks.md §1.2-1.5; rules 11-30 of §1.7). On a fake the
callback URL is a local receiver and the calendar owner's edits come from /_mock/owner; live
these tests are skipped with the reason (what reaches a public callback URL cannot be read
back here)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from contracts.cronofy.conftest import event
from contracts.cronofy.notifications.conftest import settle
from contracts.kit import at, clock_moved, fake_settings, frozen_clock, webhook_rule

pytestmark = pytest.mark.fake_only  # owner edits, the clock and the receiver need the fake

SINCE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def expected_hmac(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def changes(callbacks, name: str | None = None) -> list[dict]:
    return [n for n in settle(callbacks, name) if n["notification"]["type"] == "change"]


@webhook_rule("cronofy", 11)
def test_rule_11_a_verification_follows_create(channels, callbacks):
    channel = channels.open(callbacks.url())
    (got,) = callbacks.wait_for()
    body = got.json()
    assert body["notification"] == {"type": "verification"}  # no changes_since
    assert body["channel"] == channel


@webhook_rule("cronofy", 12)
def test_rule_12_every_notification_is_a_json_post(channels, callbacks, owner, states):
    channels.open(callbacks.url())
    owner.move(states.get("editable_external_event"), at(12, 15))
    received = callbacks.wait_for(count=2)
    for got in received:
        assert got.method == "POST"
        assert got.header("content-type") == "application/json; charset=utf-8"
        assert set(got.json()) == {"notification", "channel"}
        assert got.header("authorization") is None  # no credentials, only the HMAC


@webhook_rule("cronofy", 13)
def test_rule_13_the_body_repeats_the_channel_as_create_answered_it(
    channels, callbacks, owner, states
):
    channel = channels.open(callbacks.url(), calendar_ids=[states.get("writable_calendar")])
    owner.move(states.get("editable_external_event"), at(12, 16))
    for body in settle(callbacks):
        assert body["channel"] == channel


@webhook_rule("cronofy", 14)
def test_rule_14_the_hmac_is_base64_sha256_of_the_body_with_the_client_secret(
    channels, callbacks, states
):
    channels.open(callbacks.url())
    (got,) = callbacks.wait_for()
    header = got.header("cronofy-hmac-sha256")
    assert header == expected_hmac(got.body, states.get("client_secret"))
    assert base64.b64decode(header, validate=True)  # standard base64, not url-safe
    assert header != expected_hmac(got.body + b" ", states.get("client_secret"))


@webhook_rule("cronofy", 17)
def test_rule_17_changes_since_is_utc_in_whole_seconds(channels, callbacks, owner, states):
    channels.open(callbacks.url())
    owner.move(states.get("editable_external_event"), at(12, 17))
    (note,) = changes(callbacks)
    assert SINCE.match(note["notification"]["changes_since"]), note
    assert set(note["notification"]) == {"type", "changes_since"}


@webhook_rule("cronofy", 18)
def test_rule_18_last_modified_changes_since_returns_every_change(
    cronofy, channels, callbacks, owner, states
):
    cal = states.get("writable_calendar")
    channels.open(callbacks.url())
    moved = owner.move(states.get("editable_external_event"), at(12, 11))
    made = owner.create(cal, summary="Owner's own", start=at(13, 9), end=at(13, 10))
    gone = owner.delete(states.get("second_editable_external_event"))
    notes = changes(callbacks)
    assert notes
    since = min(n["notification"]["changes_since"] for n in notes)
    found = cronofy.read_events(last_modified=since, include_deleted="true")
    uids = {e["event_uid"] for e in found}
    assert {moved["uid"], made["uid"], gone["uid"]} <= uids
    for e in found:  # changes_since is at or before each announced event's `updated`
        if e["event_uid"] in (moved["uid"], made["uid"], gone["uid"]):
            assert e["updated"] >= since


@webhook_rule("cronofy", 19)
def test_rule_19_the_applications_own_writes_do_not_notify_it(
    cronofy, channels, callbacks, states, unique_id
):
    channels.open(callbacks.url())
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id, offset=12)).status_code == 202
    body = {
        **event("unused", offset=12, hour=15),
        "event_uid": states.get("editable_external_event"),
    }
    del body["event_id"]
    assert cronofy.upsert(cal, body).status_code == 202
    assert (
        cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": unique_id}).status_code
        == 202
    )
    assert changes(callbacks) == []
    assert [n["notification"]["type"] for n in settle(callbacks)] == ["verification"]


@webhook_rule("cronofy", 20)
def test_rule_20_the_owners_edits_notify_managed_events_included(
    cronofy, channels, callbacks, owner, states, unique_id
):
    channels.open(callbacks.url())
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id, offset=12)).status_code == 202
    assert changes(callbacks) == []
    mine = cronofy.find(event_id=unique_id)
    owner.move(mine["event_uid"], at(12, 14))  # the owner drags the app's event in Google
    (note,) = changes(callbacks)
    found = cronofy.read_events(
        last_modified=note["notification"]["changes_since"], only_managed="true"
    )
    assert [e["event_id"] for e in found] == [unique_id]
    assert found[0]["start"] == at(12, 14)


@webhook_rule("cronofy", 21)
def test_rule_21_calendar_ids_restrict_notifications(channels, callbacks, owner, states):
    work, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    channels.open(callbacks.url("second"), calendar_ids=[second])
    channels.open(callbacks.url("work"), calendar_ids=[work])
    owner.create(second, summary="In the second calendar", start=at(13, 9), end=at(13, 10))
    assert len(changes(callbacks, "second")) == 1
    assert changes(callbacks, "work") == []


@webhook_rule("cronofy", 22)
def test_rule_22_only_managed_restricts_to_the_applications_events(
    cronofy, channels, callbacks, owner, states, unique_id
):
    cal = states.get("writable_calendar")
    assert cronofy.upsert(cal, event(unique_id, offset=12)).status_code == 202
    channels.open(callbacks.url("managed"), only_managed=True)
    channels.open(callbacks.url("all"))
    owner.move(states.get("editable_external_event"), at(12, 18))  # not the app's
    assert changes(callbacks, "managed") == []
    assert len(changes(callbacks, "all")) == 1
    owner.move(cronofy.find(event_id=unique_id)["event_uid"], at(12, 19))
    assert len(changes(callbacks, "managed")) == 1


@webhook_rule("cronofy", 23)
def test_rule_23_events_entering_the_window_as_it_moves_do_not_notify(
    target, channels, callbacks, states
):
    channels.open(callbacks.url())
    settle(callbacks)
    with clock_moved(target, 30 * 86400):  # the beyond-window event is now inside it
        assert changes(callbacks) == []


@webhook_rule("cronofy", 24)
def test_rule_24_a_disconnected_profile_is_announced_on_every_channel(
    channels, callbacks, owner, states
):
    channels.open(callbacks.url("one"))
    channels.open(callbacks.url("two"), only_managed=True)
    owner.disconnect(states.get("profile_id"))
    try:
        for name in ("one", "two"):
            kinds = [n["notification"]["type"] for n in settle(callbacks, name)]
            assert kinds == ["verification", "profile_disconnected"], (name, kinds)
    finally:
        owner.reconnect(states.get("profile_id"))


@webhook_rule("cronofy", 25)
def test_rule_25_initial_sync_completed_goes_to_channels_that_existed_before(
    channels, callbacks, owner, states
):
    profile = states.get("profile_id")
    channels.open(callbacks.url("before"))
    owner.disconnect(profile)
    owner.reconnect(profile)  # the initial sync of the reconnected profile completes
    channels.open(callbacks.url("after"))
    before = [n["notification"]["type"] for n in settle(callbacks, "before")]
    after = [n["notification"]["type"] for n in settle(callbacks, "after")]
    assert "profile_initial_sync_completed" in before
    assert after == ["verification"]


@webhook_rule("cronofy", 26)
def test_rule_26_the_fake_can_send_an_unknown_notification_type(
    target, channels, callbacks, states
):
    channel = channels.open(callbacks.url())
    target.control(
        "POST",
        "/_mock/cronofy/notify",
        json={"channel_id": channel["channel_id"], "type": "gdpr_requested"},
    )
    kinds = [n["notification"]["type"] for n in settle(callbacks)]
    assert kinds == ["verification", "gdpr_requested"]
    (got,) = [r for r in callbacks.received() if r.json()["notification"]["type"] != "verification"]
    assert got.header("cronofy-hmac-sha256") == expected_hmac(got.body, states.get("client_secret"))


@webhook_rule("cronofy", 27)
def test_rule_27_a_non_2xx_answer_is_a_failed_delivery(target, channels, callbacks):
    callbacks.answer(500, times=1)
    channel = channels.open(callbacks.url())
    with frozen_clock(target):
        settle(callbacks)
        (d,) = target.control(
            "GET", "/_mock/deliveries", params={"subscription": channel["channel_id"]}
        ).json()["deliveries"]
        assert d["status"] == "retrying"
        assert [a["status"] for a in d["attempts"]] == [500]
        target.control("POST", "/_mock/clock", json={"advance": 60})
        settle(callbacks)
    (d,) = target.control(
        "GET", "/_mock/deliveries", params={"subscription": channel["channel_id"]}
    ).json()["deliveries"]
    assert d["status"] == "delivered"
    assert [a["status"] for a in d["attempts"]] == [500, 200]


@webhook_rule("cronofy", 27)
def test_rule_27_an_answer_slower_than_the_timeout_is_a_failed_delivery(
    target, channels, callbacks
):
    callbacks.answer(200, delay=1.0, times=1)
    with fake_settings(target, notification_timeout=0.2), frozen_clock(target):
        channel = channels.open(callbacks.url())
        settle(callbacks)
        (d,) = target.control(
            "GET", "/_mock/deliveries", params={"subscription": channel["channel_id"]}
        ).json()["deliveries"]
    assert d["status"] == "retrying"
    assert d["attempts"][0]["status"] is None
    assert "timeout" in d["attempts"][0]["error"]


@webhook_rule("cronofy", 27)
def test_rule_27_the_default_timeout_is_five_seconds(target):
    assert target.control("GET", "/_mock/settings").json()["cronofy"]["notification_timeout"] == 5


@webhook_rule("cronofy", 28)
def test_rule_28_after_24_hours_of_failures_the_channel_is_closed(target, channels, callbacks):
    callbacks.answer(503)
    with frozen_clock(target):
        channel = channels.open(callbacks.url())
        settle(callbacks)
        for _ in range(5):  # retries over the first hours
            target.control("POST", "/_mock/clock", json={"advance": 3600})
            settle(callbacks)
        assert channel["channel_id"] in [c["channel_id"] for c in channels.listed()]
        target.control("POST", "/_mock/clock", json={"advance": 86400})
        settle(callbacks)
        (d,) = target.control(
            "GET", "/_mock/deliveries", params={"subscription": channel["channel_id"]}
        ).json()["deliveries"]
        assert d["status"] == "failed"
        assert len(d["attempts"]) > 5
        assert all(a["status"] == 503 for a in d["attempts"])
        assert channel["channel_id"] not in [c["channel_id"] for c in channels.listed()]


@webhook_rule("cronofy", 29)
def test_rule_29_close_changes_coalesce_when_the_notification_waits(
    target, channels, callbacks, owner, states
):
    cal = states.get("writable_calendar")
    with frozen_clock(target), fake_settings(target, notification_delay=30.0):
        channels.open(callbacks.url())
        for hour in (9, 11, 13):
            owner.create(cal, summary=f"At {hour}", start=at(13, hour), end=at(13, hour + 1))
        assert changes(callbacks) == []  # due in 30 s on the fake clock
        target.control("POST", "/_mock/clock", json={"advance": 30})
        assert len(changes(callbacks)) == 1  # one notification covers all three
    with frozen_clock(target), fake_settings(target, coalesce_notifications=False):
        before = len(changes(callbacks))
        for hour in (9, 11):
            owner.create(cal, summary=f"Again {hour}", start=at(14, hour), end=at(14, hour + 1))
        assert len(changes(callbacks)) == before + 2


@webhook_rule("cronofy", 30)
def test_rule_30_smart_invite_callbacks_carry_the_same_hmac(target, callbacks, states):
    invite = {
        "smart_invite_id": "your-invite-id",
        "recipient": {"email": "guest@example.com", "status": "accepted"},
    }
    target.control(
        "POST",
        "/_mock/cronofy/smart_invite",
        json={"callback_url": callbacks.url(), "smart_invite": invite},
    )
    (got,) = callbacks.wait_for()
    body = got.json()
    assert body["notification"] == {"type": "smart_invite"}
    assert body["smart_invite"]["recipient"]["status"] == "accepted"
    assert body["smart_invite"]["callback_url"] == callbacks.url()
    assert got.header("cronofy-hmac-sha256") == expected_hmac(got.body, states.get("client_secret"))
