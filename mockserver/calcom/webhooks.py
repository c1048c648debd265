"""Webhook CRUD: /v2/webhooks (the caller's own) and /v2/event-types/{id}/webhooks (reference/
webhooks.md §2.1-2.2, rules 1-11 and 26 of §2.8), as apps/api/v2/src/modules/webhooks does it.
What the webhooks are then sent is in notifications.py."""

from __future__ import annotations

import math
import uuid
from typing import TYPE_CHECKING, Any

from mockserver.calcom import dto
from mockserver.calcom.exceptions import (
    bad_request,
    conflict,
    forbidden,
    not_found,
    validation_failed,
)
from mockserver.calcom.store import EventType, Webhook, replace
from mockserver.delivery.urls import public_https_problem

if TYPE_CHECKING:
    from mockserver.calcom.models import CalcomBackend, Caller

MAX_TAKE = 250
ORG_ONLY = "DELEGATION_CREDENTIAL_ERROR"
TYPE_GUARD = "IsUserEventTypeWebhookGuard"


def webhook_json(w: Webhook) -> dict[str, Any]:
    """UserWebhookOutputDto / EventTypeWebhookOutputDto (ids are strings, rule 4)."""
    out: dict[str, Any] = {
        "id": w.id,
        "payloadTemplate": w.payload_template,
        "triggers": list(w.triggers),
        "subscriberUrl": w.subscriber_url,
        "active": w.active,
    }
    if w.secret is not None:
        out["secret"] = w.secret
    if w.event_type_id is not None:
        out["eventTypeId"] = w.event_type_id
    else:
        out["userId"] = w.user_id
    return out


class Webhooks:
    def __init__(self, backend: CalcomBackend) -> None:
        self.be = backend

    @property
    def store(self) -> Any:
        return self.be.store

    # -- scopes --------------------------------------------------------------------------

    def event_type(self, caller: Caller, ident: str) -> EventType:
        """IsUserEventTypeWebhookGuard (guards/is-user-event-type-webhook-guard.ts @ 03670679):
        the event type must exist and be the caller's, each refusal naming itself."""
        et = self.store.event_types.get(int(ident)) if ident.isascii() and ident.isdigit() else None
        if et is None:
            raise not_found(f"{TYPE_GUARD} - Event type ({ident}) not found")
        if et.user_id != caller.user.id:
            raise forbidden(
                f"{TYPE_GUARD} - User ({caller.user.id}) is not the owner of event type ({ident})"
            )
        return et

    def _mine(self, caller: Caller, ident: str, event_type: EventType | None) -> Webhook:
        w = self.store.webhooks.get(ident)
        if w is None:
            raise not_found(f"Webhook ({ident}) not found")
        if event_type is None:
            if w.user_id != caller.user.id:
                raise forbidden("Forbidden resource")  # the guard answers false (rule 8)
            return w
        # the event-type guard: a webhook of no event type is a 400, another type's a 403
        if w.event_type_id is None:
            raise bad_request(
                f"{TYPE_GUARD} - Webhook ({ident}) is not associated with an event type"
            )
        if w.event_type_id != event_type.id:
            raise forbidden(
                f"{TYPE_GUARD} - Webhook ({ident}) is not associated with event type "
                f"({event_type.id})"
            )
        return w

    def _scoped(self, event_type: EventType | None, caller: Caller) -> list[Webhook]:
        return [
            w
            for w in self.store.webhooks.values()
            if (w.event_type_id == event_type.id if event_type else w.user_id == caller.user.id)
            and (event_type is not None or w.event_type_id is None)
        ]

    # -- checks --------------------------------------------------------------------------

    def _check(self, clean: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        if errors:
            raise validation_failed(errors)
        url = clean.get("subscriberUrl")
        if url is not None and self.be.settings.public_https_only:
            problem = public_https_problem(url)
            if problem:
                raise bad_request(f"Webhook URL is not allowed: {problem}")

    def _unique_url(
        self, caller: Caller, url: str, event_type: EventType | None, skip: str = ""
    ) -> None:
        for w in self._scoped(event_type, caller):
            if w.subscriber_url == url and w.id != skip:
                whose = "event type" if event_type else "user"
                raise conflict(f"Webhook with this subscriber url already exists for this {whose}")

    # -- operations ----------------------------------------------------------------------

    def create(
        self, caller: Caller, body: Any, event_type: EventType | None = None
    ) -> dict[str, Any]:
        clean, errors = dto.validate(dto.CREATE_WEBHOOK, body)
        self._check(clean, errors)
        triggers = tuple(clean["triggers"])
        if event_type is None and ORG_ONLY in triggers:
            raise bad_request(f"{ORG_ONLY} trigger is only available for organization webhooks")
        self._unique_url(caller, clean["subscriberUrl"], event_type)
        w = Webhook(
            id=str(uuid.uuid4()),
            subscriber_url=clean["subscriberUrl"],
            triggers=triggers,
            active=clean["active"],
            payload_template=clean.get("payloadTemplate"),
            secret=clean.get("secret"),
            user_id=None if event_type else caller.user.id,
            event_type_id=event_type.id if event_type else None,
        )
        self.store.webhooks[w.id] = w
        return webhook_json(w)

    def list(
        self, caller: Caller, query: dict[str, list[str]], event_type: EventType | None = None
    ) -> list[dict[str, Any]]:
        take, skip = page(query)
        found = self._scoped(event_type, caller)
        return [webhook_json(w) for w in found[skip : skip + take]]

    def get(self, caller: Caller, ident: str, event_type: EventType | None = None) -> dict:
        return webhook_json(self._mine(caller, ident, event_type))

    def update(
        self, caller: Caller, ident: str, body: Any, event_type: EventType | None = None
    ) -> dict[str, Any]:
        w = self._mine(caller, ident, event_type)
        clean, errors = dto.validate(dto.UPDATE_WEBHOOK, body)
        self._check(clean, errors)
        changes: dict[str, Any] = {}
        if clean.get("triggers") is not None:  # omitted: the triggers stay (rule 9)
            changes["triggers"] = tuple(clean["triggers"])
            if event_type is None and ORG_ONLY in changes["triggers"]:
                raise bad_request(f"{ORG_ONLY} trigger is only available for organization webhooks")
        for key, attr in (
            ("subscriberUrl", "subscriber_url"),
            ("active", "active"),
            ("payloadTemplate", "payload_template"),
            ("secret", "secret"),
        ):
            if clean.get(key) is not None:
                changes[attr] = clean[key]
        if "subscriber_url" in changes:
            self._unique_url(caller, changes["subscriber_url"], event_type, skip=w.id)
        w = replace(w, **changes)
        self.store.webhooks[w.id] = w
        return webhook_json(w)

    def delete(self, caller: Caller, ident: str, event_type: EventType | None = None) -> dict:
        w = self._mine(caller, ident, event_type)
        del self.store.webhooks[w.id]
        return webhook_json(w)  # the deleted webhook (rule 10)

    def delete_all(self, caller: Caller, event_type: EventType) -> str:
        doomed = self._scoped(event_type, caller)
        for w in doomed:
            del self.store.webhooks[w.id]
        return f"{len(doomed)} webhooks deleted"


def page(query: dict[str, list[str]]) -> tuple[int, int]:
    """`take` (1-250, default 250) and `skip` (default 0), validated as the query DTO does."""
    out = {"take": MAX_TAKE, "skip": 0}
    errors = []
    for name, lo, hi in (("take", 1, MAX_TAKE), ("skip", 0, None)):
        if name not in query:
            continue
        text = query[name][-1]
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        constraint = None
        if not math.isfinite(number) or not number.is_integer():
            constraint = (
                "isNumber",
                f"{name} must be a number conforming to the specified constraints",
            )
        elif number < lo:
            constraint = ("min", f"{name} must not be less than {lo}")
        elif hi is not None and number > hi:
            constraint = ("max", f"{name} must not be greater than {hi}")
        if constraint:
            errors.append(
                {
                    "target": {k: v[-1] for k, v in query.items()},
                    "value": text,
                    "property": name,
                    "children": [],
                    "constraints": {constraint[0]: constraint[1]},
                }
            )
        else:
            out[name] = int(number)
    if errors:
        raise validation_failed(errors)
    return out["take"], out["skip"]
