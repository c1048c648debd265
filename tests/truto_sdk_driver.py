"""Drives the real truto-python-sdk (0.1.6, Python >= 3.12) against a fake: run by
tests/test_truto_sdk.py in its own 3.12 virtualenv, it prints one JSON object of what it saw.

    python truto_sdk_driver.py BASE_URL TOKEN ACCOUNT CALENDAR START END [WEBHOOK_TARGET]

Nothing of the SDK is changed but the base URL; `_get` is wrapped only to record the query
strings the SDK's pagination sends (the request itself is the SDK's own)."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import aiohttp
from truto_python_sdk import TrutoApi
from truto_python_sdk.dict_to_query_string import dict_to_query_string


async def main(base: str, token: str, account: str, calendar: str, start: str, end: str) -> dict:
    api = TrutoApi(token=token, base_url=base)
    seen: list[str] = []
    real_get = api._get

    async def recording_get(endpoint: str, params: dict | None = None) -> Any:
        seen.append(f"{endpoint}?{dict_to_query_string(params) if params else ''}")
        return await real_get(endpoint, params)

    api._get = recording_get  # type: ignore[method-assign]
    out: dict[str, Any] = {}
    listing = {
        "integrated_account_id": account,
        "calendar": {"id": calendar},
        "start_time": start,
        "end_time": end,
        "limit": 2,
        "truto_exclude_fields": ["attendees", "description"],
        "truto_ignore_remote_data": True,
    }
    out["iterated"] = [
        item async for item in api.unified_api.list("calendar", "events", dict(listing))
    ]
    out["list_requests"] = list(seen)
    out["to_array"] = await api.unified_api.list(
        "calendar", "events", {**listing, "limit": 3}
    ).to_array()
    pager = api.unified_api.list("calendar", "events", {**listing, "limit": 1})
    out["next_page"] = await pager.next_page()
    # Python values the SDK writes with str(): `limit=2.0`, `next_cursor=None` (first page)
    seen.clear()
    out["python_values"] = [
        item["id"]
        for item in await api.unified_api.list(
            "calendar", "events", {**listing, "limit": 2.0, "next_cursor": None}
        ).to_array()
    ]
    out["python_values_requests"] = list(seen)

    q = {"integrated_account_id": account}
    body = {
        "calendar": {"id": calendar},
        "title": "Made by truto-python-sdk",
        "description": "via the SDK",
        "start_time": start[:10] + "T09:00:00Z",
        "end_time": start[:10] + "T09:45:00Z",
        "timezone": "Europe/Berlin",
    }
    created = await api.unified_api.create("calendar", "events", body, q)
    out["created"] = created
    cal_q = {**q, "calendar": {"id": calendar}}
    out["got"] = await api.unified_api.get("calendar", "events", created["id"], cal_q)
    update = {**body, "title": "Renamed by truto-python-sdk"}
    out["updated"] = await api.unified_api.update("calendar", "events", created["id"], update, q)
    out["deleted"] = await api.unified_api.delete("calendar", "events", created["id"], cal_q)
    try:
        await api.unified_api.get("calendar", "events", created["id"], cal_q)
        out["get_after_delete"] = None
    except aiohttp.ClientResponseError as exc:
        out["get_after_delete"] = exc.status
    try:
        await api.unified_api.get("calendar", "events", created["id"], {})
        out["without_account"] = None
    except aiohttp.ClientResponseError as exc:
        out["without_account"] = exc.status

    slash = TrutoApi(token=token, base_url=base + "/")  # the SDK then sends //unified/...
    out["trailing_slash"] = [
        item["id"] async for item in slash.unified_api.list("calendar", "events", dict(listing))
    ]
    out["calendars"] = await api.unified_api.list(
        "calendar", "calendars", {"integrated_account_id": account}
    ).to_array()
    return out


async def webhooks(base: str, token: str, target: str) -> dict[str, Any]:
    """The SDK's webhook resource against the fake."""
    api = TrutoApi(token=token, base_url=base)
    out: dict[str, Any] = {}
    made = await api.webhooks.create({"target_url": target})
    out["created"] = made
    out["listed"] = await api.webhooks.list().to_array()
    out["got"] = await api.webhooks.get(made["id"])
    out["updated"] = await api.webhooks.update(made["id"], {"event_types": ["test"]})
    out["tested"] = await api.webhooks.test(made["id"])
    await api.webhooks.delete(made["id"])
    try:
        await api.webhooks.get(made["id"])
        out["after_delete"] = None
    except aiohttp.ClientResponseError as exc:
        out["after_delete"] = exc.status
    return out


async def everything(args: list[str]) -> dict[str, Any]:
    out = await main(*args[:6])
    if len(args) > 6:
        out["webhooks"] = await webhooks(args[0], args[1], args[6])
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(everything(sys.argv[1:]))))
