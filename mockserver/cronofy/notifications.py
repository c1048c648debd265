"""What Cronofy's push notification channels are sent (reference/webhooks.md §1.2-1.5, rules
11-30 of §1.7), rendered from the change feed for the delivery engine.

Every notification is a POST of `{"notification": {...}, "channel": <the channel as create
answered it>}` with `Content-Type: application/json; charset=utf-8` and `Cronofy-HMAC-SHA256`:
base64(HMAC-SHA256(body, client secret)), one per active client secret joined by a bare comma.

- `verification` right after a channel is created;
- `change` for a change of an event (or calendar) of the channel's account, unless the
  channel's own application made it through the API, filtered by `calendar_ids` and
  `only_managed`; `changes_since` is the change's time in whole UTC seconds, so it is at or
  before the `updated` stamp of every event it announces;
- `profile_disconnected` on every channel of the account when a profile is disconnected;
- `profile_initial_sync_completed` when a profile is (re)connected, to the channels that
  existed before;
- anything else on demand (`POST /_mock/cronofy/notify`), and smart-invite callbacks
  (`POST /_mock/cronofy/smart_invite`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.changes import Change
from mockserver.core.timeutil import format_utc
from mockserver.cronofy.store import Channel
from mockserver.delivery import Cancel, Delivery, Outbound, RetryPolicy

if TYPE_CHECKING:
    from mockserver.cronofy.models import CronofyBackend

PROVIDER = "cronofy"
HEADER = "Cronofy-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
EVENT_KINDS = frozenset({"event.created", "event.updated", "event.deleted"})
CALENDAR_KINDS = frozenset({"calendar.created", "calendar.updated", "calendar.deleted"})


def sign(body: bytes, secrets: Iterable[str]) -> str:
    """The Cronofy-HMAC-SHA256 header: base64 HMAC-SHA256 of the body per secret, joined by
    `,` with no spaces (rules 14-16)."""
    return ",".join(
        base64.b64encode(hmac.new(s.encode(), body, hashlib.sha256).digest()).decode()
        for s in secrets
    )


def hmac_valid(header: str | None, body: bytes, secret: str) -> bool:
    """What the SDKs' verifiers do: any comma-separated value matches the secret's HMAC."""
    if not header:
        return False
    expected = sign(body, [secret]).encode()
    return any(hmac.compare_digest(v.encode(), expected) for v in header.split(","))


def body_of(notification: Mapping[str, Any], channel: Channel) -> bytes:
    return orjson.dumps({"notification": dict(notification), "channel": channel.to_json()})


class CronofyNotifications:
    """`registry.Provider.notifications` for Cronofy."""

    def wants(self, be: CronofyBackend) -> bool:
        return any(not c.closed for c in be.oauth.channels.values())

    # -- rendering -----------------------------------------------------------------------

    def policy(self, be: CronofyBackend) -> RetryPolicy:
        s = be.settings
        waits = tuple(float(v) for v in s.notification_backoff.split(","))
        return RetryPolicy(
            attempts=1_000_000,  # bounded by time, not count
            backoff=waits,
            give_up_after=float(s.notification_retry_for),
            timeout=s.notification_timeout,
        )

    def outbound(
        self,
        be: CronofyBackend,
        channel: Channel,
        notification: Mapping[str, Any],
        changes: tuple[int, ...] = (),
        *,
        coalesce: bool = False,
        due: datetime | None = None,
    ) -> Outbound:
        app = be.oauth.apps.get(channel.client_id)
        body = body_of(notification, channel)
        headers = {"Content-Type": CONTENT_TYPE}
        if app is not None:
            headers[HEADER] = sign(body, app.secrets)
        return Outbound(
            provider=PROVIDER,
            kind=str(notification.get("type")),
            target=channel.callback_url,
            body=body,
            headers=headers,
            subscription=channel.id,
            policy=self.policy(be),
            due=due,
            coalesce=f"change:{channel.id}" if coalesce else None,
            changes=changes,
        )

    def render(self, be: CronofyBackend, changes: list[Change]) -> list[Outbound | Cancel]:
        out: list[Outbound | Cancel] = []
        delay = be.settings.notification_delay
        for change in changes:
            if change.source == PROVIDER:
                if change.kind == "channel.created":
                    ch = be.oauth.channels.get(change.data["channel_id"])
                    if ch is not None and not ch.closed:
                        out.append(self.outbound(be, ch, {"type": "verification"}, (change.seq,)))
                continue
            if change.source is not None:
                continue  # another provider's own records: their calendar effects come as events
            channels = self._channels(be, change)
            if change.kind in EVENT_KINDS or change.kind in CALENDAR_KINDS:
                for ch in channels:
                    if not self._announces(ch, change):
                        continue
                    note = {"type": "change", "changes_since": format_utc(change.at)}
                    due = change.at + timedelta(seconds=delay) if delay else None
                    out.append(
                        self.outbound(
                            be,
                            ch,
                            note,
                            (change.seq,),
                            coalesce=be.settings.coalesce_notifications,
                            due=due,
                        )
                    )
            elif change.kind == "profile.disconnected":
                for ch in channels:
                    if not change.actor.is_app(PROVIDER, ch.client_id):
                        out.append(
                            self.outbound(be, ch, {"type": "profile_disconnected"}, (change.seq,))
                        )
            elif change.kind == "profile.connected":
                for ch in channels:
                    note = {"type": "profile_initial_sync_completed"}
                    out.append(self.outbound(be, ch, note, (change.seq,)))
        return out

    @staticmethod
    def _channels(be: CronofyBackend, change: Change) -> list[Channel]:
        """Open channels of the change's account that existed before the change."""
        if change.account_id is None:
            return []
        return [
            c
            for c in list(be.oauth.channels.values())
            if not c.closed and c.account_id == change.account_id and c.after_seq < change.seq
        ]

    @staticmethod
    def _announces(ch: Channel, change: Change) -> bool:
        if change.actor.is_app(PROVIDER, ch.client_id):
            return False  # the application's own API writes do not notify it (rule 19)
        if ch.calendar_ids is not None and change.calendar_id not in ch.calendar_ids:
            return False
        if ch.only_managed:
            ev = change.record
            return change.kind in EVENT_KINDS and getattr(ev, "app_id", None) == ch.client_id
        return True

    # -- on demand -----------------------------------------------------------------------

    def notify(
        self, be: CronofyBackend, channels: Iterable[Channel], notification: Mapping[str, Any]
    ) -> list[Outbound]:
        return [self.outbound(be, ch, notification) for ch in channels]

    def smart_invite(
        self, be: CronofyBackend, client_id: str, callback_url: str, invite: Mapping[str, Any]
    ) -> Outbound:
        app = be.oauth.apps[client_id]
        invite = {**invite, "callback_url": invite.get("callback_url", callback_url)}
        body = orjson.dumps({"notification": {"type": "smart_invite"}, "smart_invite": invite})
        return Outbound(
            provider=PROVIDER,
            kind="smart_invite",
            target=callback_url,
            body=body,
            headers={"Content-Type": CONTENT_TYPE, HEADER: sign(body, app.secrets)},
            policy=self.policy(be),
        )

    # -- outcomes and verification -------------------------------------------------------

    def settled(self, be: CronofyBackend, delivery: Delivery) -> None:
        """Retries ran out (24 hours of failures): the channel is closed (rule 28)."""
        if delivery.status != "failed" or not be.settings.close_failed_channels:
            return
        ch = be.oauth.channels.get(delivery.out.subscription or "")
        if ch is not None and not ch.closed:
            be.oauth.close_channel(ch.id)

    def verify(
        self, be: CronofyBackend, headers: Mapping[str, str], body: bytes, url: str = ""
    ) -> bool | None:
        header = headers.get(HEADER.lower())
        if header is None:
            return None
        secrets = self._secrets_for(be, body)
        return any(hmac_valid(header, body, s) for s in secrets)

    @staticmethod
    def _secrets_for(be: CronofyBackend, body: bytes) -> list[str]:
        """The client secrets of the application whose channel the body names (every app's,
        for a callback that names no channel)."""
        try:
            channel = orjson.loads(body).get("channel") or {}
        except (orjson.JSONDecodeError, AttributeError):
            channel = {}
        ch = be.oauth.channels.get(channel.get("channel_id", "")) if channel else None
        apps = [be.oauth.apps[ch.client_id]] if ch else list(be.oauth.apps.values())
        return [s for app in apps for s in app.secrets]
