"""Push notification channels: POST / GET / DELETE /v1/channels (reference/webhooks.md §1.1,
rules 1-10 of §1.7). What the channels are then sent is in notifications.py."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from mockserver.cronofy import wire
from mockserver.cronofy.exceptions import ErrorList, invalid, not_found
from mockserver.cronofy.store import Auth, Channel

if TYPE_CHECKING:
    from mockserver.cronofy.models import CronofyBackend


def channel_id() -> str:
    """`chn_` + 24 lower-case hex characters, as every published example is."""
    return "chn_" + secrets.token_hex(12)


class Channels:
    def __init__(self, backend: CronofyBackend) -> None:
        self.be = backend

    def create(self, auth: Auth, body: dict[str, Any]) -> dict[str, Any]:
        be, settings = self.be, self.be.settings
        errors = ErrorList()
        url = body.get("callback_url")
        if url is None or url == "":
            errors.required("callback_url")
        elif not isinstance(url, str) or not wire.is_uri(url) or not url.startswith("http"):
            errors.add("callback_url", "invalid", "callback_url must be an HTTP or HTTPS URL")
        elif settings.max_callback_url_length and len(url) > settings.max_callback_url_length:
            errors.add(
                "callback_url",
                "too_long",
                f"callback_url must be no longer than {settings.max_callback_url_length}"
                " characters",
            )
        filters = body.get("filters")
        calendar_ids: tuple[str, ...] | None = None
        only_managed: bool | None = None
        if filters is not None and not isinstance(filters, dict):
            errors.add("filters", "invalid", "filters must be an object")
        elif filters:
            # unknown filter keys are accepted and ignored (cronofy-ruby's spec sends one)
            if "calendar_ids" in filters:
                ids_ = filters["calendar_ids"]
                if isinstance(ids_, str):
                    ids_ = [ids_]
                if not isinstance(ids_, list) or not ids_:
                    errors.add(
                        "calendar_ids", "required", "calendar_ids must list at least one calendar"
                    )
                elif not all(isinstance(c, str) and c for c in ids_):
                    errors.add("calendar_ids", "invalid", "calendar_ids must be calendar ids")
                else:
                    mine = {c.id for c in be.world.calendars_of(auth.account_id)}
                    unknown = any(c not in mine for c in ids_)
                    if unknown and settings.unknown_calendar_ids_status == 422:
                        errors.add(
                            "calendar_ids",
                            "invalid_calendar_ids",
                            "calendar_ids must list calendars of this account",
                        )
                    calendar_ids = tuple(dict.fromkeys(ids_))
            if "only_managed" in filters:
                only_managed = wire.boolean(filters["only_managed"])
                if only_managed is None:
                    errors.add(
                        "only_managed",
                        "must_be_boolean",
                        "must be a boolean value, either true or false",
                    )
        errors.raise_if_any()
        store = be.oauth
        mine = store.channels_of(auth.app_id, auth.account_id)
        for ch in mine:  # an identical request answers the existing channel (rule 6)
            if (ch.callback_url, ch.calendar_ids, ch.only_managed) == (
                url,
                calendar_ids,
                only_managed,
            ):
                return {"channel": ch.to_json()}
        if len(mine) >= settings.max_channels:
            raise invalid(
                "base",
                "too_many_channels",
                f"an account may have at most {settings.max_channels} channels per application",
            )
        channel = Channel(
            channel_id(),
            auth.app_id,
            auth.account_id,
            url,  # type: ignore[arg-type]
            calendar_ids,
            only_managed,
            after_seq=be.world.changes.last_seq,
        )
        store.channels[channel.id] = channel
        # the verification notification goes out through the change feed (notifications.py)
        be.world.changes.emit(
            "channel.created",
            source="cronofy",
            account_id=auth.account_id,
            data={"channel_id": channel.id},
        )
        return {"channel": channel.to_json()}

    def list(self, auth: Auth) -> dict[str, Any]:
        return {
            "channels": [
                c.to_json() for c in self.be.oauth.channels_of(auth.app_id, auth.account_id)
            ]
        }

    def close(self, auth: Auth, ident: str) -> None:
        store = self.be.oauth
        ch = store.channels.get(ident)
        if (
            ch is None
            or ch.closed
            or (ch.client_id, ch.account_id)
            != (
                auth.app_id,
                auth.account_id,
            )
        ):
            raise not_found()
        store.close_channel(ident)
