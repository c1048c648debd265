"""Cal.com's part of a WorldBuilder (mockserver.builders): users (each a core account, with
Google credentials over the account's Google profiles), their API keys and managed-user access
tokens, and event types: the `calcom` section of a world file. `b.calcom.user(account)` is also
`b.calcom_user`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.builders import AccountBuilder, WorldBuilder

_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_.-]")


class CalcomBuilder:
    def __init__(self, b: WorldBuilder) -> None:
        self.b = b
        self.users: list[dict[str, Any]] = []
        self.event_types: list[dict[str, Any]] = []
        self._by_account: dict[str, dict[str, Any]] = {}
        self._credential_ids = 0

    def user(
        self,
        account: AccountBuilder,
        *,
        username: str | None = None,
        id: int | None = None,
        time_zone: str | None = None,
        api_key: str | None = None,
        access_token: str | None = None,
        destination: str | None = None,
    ) -> dict[str, Any]:
        """The account as a Cal.com user (made once per account): Google credentials over each
        of its Google profiles, one API key and one managed-user access token. Returns the user
        dict (`["apiKeys"][0]["key"]` is the key)."""
        if account.id in self._by_account:
            return self._by_account[account.id]
        taken = {u["username"] for u in self.users}
        base = _NOT_USERNAME.sub("", account.email.partition("@")[0]) or "user"
        name = username or base
        n = 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        user: dict[str, Any] = {
            "id": id or len(self.users) + 1,
            "username": name,
            "account": account.id,
            "credentials": [],
            "apiKeys": [],
            "accessTokens": [],
        }
        if time_zone:
            user["timeZone"] = time_zone
        if destination:
            user["destinationCalendar"] = destination
        for prof in account.profiles:
            if prof.provider_name == "google":
                self._credential_ids += 1
                user["credentials"].append(
                    {"id": self._credential_ids, "type": "google_calendar", "profile": prof.id}
                )
        self.users.append(user)
        self._by_account[account.id] = user
        self.api_key(account, api_key)
        self.access_token(account, access_token)
        return user

    def api_key(
        self,
        account: AccountBuilder,
        key: str | None = None,
        *,
        label: str | None = None,
        expires_at: str | None = None,
    ) -> str:
        """Another API key of the account's user (the user is made if need be)."""
        user = self.user(account)
        entry: dict[str, Any] = {
            "key": key or f"cal_test_{self.b.token(32)}",
            "label": label or f"{user['username']}-api-key-{len(user['apiKeys']) + 1}",
        }
        if expires_at is not None:
            entry["expiresAt"] = expires_at
        user["apiKeys"].append(entry)
        return entry["key"]

    def access_token(
        self,
        account: AccountBuilder,
        token: str | None = None,
        *,
        label: str | None = None,
        expires_at: str | None = None,
    ) -> str:
        """Another managed-user access token of the account's user (made if need be)."""
        user = self.user(account)
        entry: dict[str, Any] = {
            "token": token or self.b.token(40),
            "label": label or f"{user['username']}-access-token-{len(user['accessTokens']) + 1}",
        }
        if expires_at is not None:
            entry["expiresAt"] = expires_at
        user["accessTokens"].append(entry)
        return entry["token"]

    def event_type(
        self,
        account: AccountBuilder,
        title: str = "30 min meeting",
        *,
        length: int = 30,
        slug: str | None = None,
        location: dict[str, Any] | None = None,
        id: int | None = None,
    ) -> dict[str, Any]:
        """An event type of the account's user (made if need be); bookings go to the user's
        destination calendar."""
        user = self.user(account)
        et: dict[str, Any] = {
            "id": id or len(self.event_types) + 1,
            "user": user["id"],
            "slug": slug or re.sub(r"[^a-z0-9-]+", "-", title.lower()).strip("-") or "meeting",
            "title": title,
            "lengthInMinutes": length,
            "location": location or {"type": "integration", "integration": "google-meet"},
        }
        self.event_types.append(et)
        return et

    def ready(self, accounts: list[AccountBuilder]) -> None:
        """A user per account with an API key, an access token and a 30-minute event type, the
        first account's being what the plugin's `calcom_credentials` hands out (random_world)."""
        for acc in accounts:
            self.user(acc)
            self.event_type(acc, slug=f"30min-{self._by_account[acc.id]['id']}")

    def section(self) -> dict[str, Any] | None:
        if not self.users:
            return None
        out: dict[str, Any] = {"users": self.users}
        if self.event_types:
            out["eventTypes"] = self.event_types
        return out
