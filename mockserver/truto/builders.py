"""Truto's part of a WorldBuilder (mockserver.builders): API tokens and integrated accounts (each
simulating one integration over a core account or one of its profiles), the `truto` section of a
world file. `b.truto.integrated_account(account)` is also `b.truto_integrated_account`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.builders import AccountBuilder, WorldBuilder

# The calendar integration a profile's calendar service is reached through.
INTEGRATION_OF = {
    "google": "googlecalendar",
    "live_connect": "outlookcalendar",
    "exchange": "outlookcalendar",
}


class TrutoBuilder:
    def __init__(self, b: WorldBuilder) -> None:
        self.b = b
        self.api_tokens: list[dict[str, Any]] = []
        self.integrated_accounts: list[dict[str, Any]] = []

    def uuid(self) -> str:
        h = self.b.hex(16)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"

    def api_token(
        self, token: str | None = None, *, environment: str = "default", label: str | None = None
    ) -> str:
        entry = {
            "token": token or f"truto_{self.b.token(32)}",
            "environment": environment,
            "label": label or f"api-token-{len(self.api_tokens) + 1}",
        }
        self.api_tokens.append(entry)
        return entry["token"]

    def integrated_account(
        self,
        account: AccountBuilder,
        integration: str = "googlecalendar",
        *,
        profile: Any = None,
        id: str | None = None,
        environment: str = "default",
        label: str | None = None,
        is_sandbox: bool = False,
        status: str = "active",
        event_types: list[dict[str, Any]] | None = None,
    ) -> str:
        """An integrated account over `account` (only `profile`'s calendars, a ProfileBuilder or
        its id, when given); returns its integrated_account_id."""
        entry: dict[str, Any] = {
            "id": id or self.uuid(),
            "integration": integration,
            "account": account.id,
            "environment": environment,
            "label": label or f"{account.email.partition('@')[0]}-{integration}",
        }
        if profile is not None:
            entry["profile"] = getattr(profile, "id", profile)
        if is_sandbox:
            entry["is_sandbox"] = True
        if status != "active":
            entry["status"] = status
        if event_types:
            entry["event_types"] = event_types
        self.integrated_accounts.append(entry)
        return entry["id"]

    def ready(self, accounts: list[AccountBuilder]) -> None:
        """One API token, and an integrated account per Google or Microsoft profile of each
        account (what the plugin's `truto_credentials` hands out; random_world)."""
        if not self.api_tokens:
            self.api_token()
        environment = self.api_tokens[0]["environment"]
        for acc in accounts:
            for prof in acc.profiles:
                integration = INTEGRATION_OF.get(prof.provider_name)
                if integration:
                    self.integrated_account(acc, integration, profile=prof, environment=environment)

    def section(self) -> dict[str, Any] | None:
        if not (self.api_tokens or self.integrated_accounts):
            return None
        return {"api_tokens": self.api_tokens, "integrated_accounts": self.integrated_accounts}
