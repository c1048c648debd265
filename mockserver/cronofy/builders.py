"""Cronofy's part of a WorldBuilder (mockserver.builders): applications and authorizations,
the `cronofy` section of a world file. `b.cronofy.token(account)` is also `b.cronofy_token`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.builders import AccountBuilder, WorldBuilder

ALL_SCOPES = (
    "read_account list_calendars read_events create_event delete_event read_free_busy "
    "create_calendar change_participation_status"
)


class CronofyBuilder:
    def __init__(self, b: WorldBuilder) -> None:
        self.b = b
        self.apps: list[dict[str, Any]] = []
        self.authorizations: list[dict[str, Any]] = []

    def app(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        name: str | None = None,
        redirect_uris: tuple[str, ...] | list[str] = ("http://127.0.0.1:8080/callback",),
    ) -> dict[str, Any]:
        app = {
            "client_id": client_id or f"cronofy_client_{self.b.token(24)}",
            "client_secret": client_secret or f"cronofy_secret_{self.b.token(32)}",
            "name": name or f"{self.b.fake.company()} scheduler",
            "redirect_uris": list(redirect_uris),
        }
        self.apps.append(app)
        return app

    def token(
        self,
        account: AccountBuilder,
        scope: str = ALL_SCOPES,
        *,
        app: dict[str, Any] | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        expires_at: str | None = None,
        label: str | None = None,
    ) -> str:
        """An authorization of `account` for `app` (the first app, made if there is none);
        returns the access token."""
        if app is None:
            app = self.apps[0] if self.apps else self.app()
        auth: dict[str, Any] = {
            "label": label or f"{account.id}-{len(self.authorizations) + 1}",
            "app": app["client_id"],
            "account": account.id,
            "scope": scope,
            "access_token": access_token or self.b.token(32),
            "refresh_token": refresh_token or self.b.token(32),
        }
        if expires_at is not None:
            auth["expires_at"] = expires_at
        self.authorizations.append(auth)
        return auth["access_token"]

    def ready(self, accounts: list[AccountBuilder]) -> None:
        """One app and an all-scopes token per account (random_world)."""
        app = self.apps[0] if self.apps else self.app()
        for acc in accounts:
            self.token(acc, app=app)

    def section(self) -> dict[str, Any] | None:
        if not (self.apps or self.authorizations):
            return None
        return {"apps": self.apps, "authorizations": self.authorizations}
