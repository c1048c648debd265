"""Truto Unified Calendar API dialect: `/unified/calendar/*` of api.truto.one on the shared
calendar world.

Emulated
    Auth: `Authorization: Bearer <api token>`; tokens and integrated accounts each belong to an
    environment, and an account is visible only to tokens of its own. Every unified call needs
    `integrated_account_id` (400 without it, 404 for an unknown or invisible one).
    Integrated accounts (world file, section `truto`) each simulate one integration —
    googlecalendar, google, outlookcalendar, calendly, calcom — over a core account (or one of
    its profiles): its calendars are the core calendars, its events the core events, and an
    event's id is the core event's `provider_event_id` (the Google / Graph event id), so writes
    through Truto are what Cronofy and Cal.com read, and the other way round.
    Resources: events (list, get, create, update, delete), calendars (list, get), availability
    (list: the core engine's busy timeline per calendar: overlapping or touching busy events
    merged into one interval, cut to the window; nothing for free, cancelled or declined
    events; Outlook's raw status `tentative` only when every merged event is), event_types (list, get; Calendly and Cal.com, from the world file),
    users (list; Outlook: the account's owner), contacts (list: everyone the account's events
    name), attachments (list; Outlook: from an event's `extra.attachments`), each per the
    integration-coverage matrix (anything else: 404). Per-integration required fields, with
    `truto_error_insight.missing_required_query_parameters` / `missing_required_body_fields`:
    `calendar[id]` on events list/get/delete and `calendar.id` + `start_time` on writes for Google
    and Google Calendar; `calendar[id]` / `calendar.id` for Outlook (its update needs no
    start_time); availability's start_time/end_time (+ calendar[id] for Google, timezone for
    Outlook); attachments' `event[id]`. `calendar[id]=primary` means the primary calendar.
    Query conventions: `a[b]=c`, `a[]=x`, `a[0]=x` and `a=x,y`; truto_response_format unified /
    normalized / raw (the provider object: a Google Calendar event resource, a Graph event, a
    Calendly scheduled event, a Cal.com booking) / debug ({result, debug: {requestUrl, ...}},
    showing `remote_query`) / stream (answered like unified), anything else 400;
    truto_exclude_fields, truto_ignore_remote_data, truto_key_by, truto_ignore_limit,
    remote_query[...] (accepted; shown by the debug format). `limit` + `next_cursor`: opaque
    keyset cursors over the time index (stable order, every item once while the world changes,
    `next_cursor=` is the first page, never an empty page with a cursor). List events: the
    start_time/end_time window (overlap), a missing end_time ends with start_time's month (in
    `timezone`, else the account's zone), neither: up to the end of this month;
    `updated_at` / `created_at` with `gt/gte/lt/lte` (a bare value is gte); title/description
    (substring) and type filters; `sort_by[start_time|updated_at|created_at]=asc|desc`.
    Writes: start_time and end_time together, timezone with either; enum checks (status,
    availability, visibility, type, attendee response, send_notifications); PATCH changes only
    the fields sent (null counts as not sent); writes run in one world transaction and stamp
    `updated_at`; a read-only calendar answers the provider's 403; deleting one instance of a
    series adds an EXDATE to it. Errors: `{statusCode, error, message}` on every /unified path
    (unknown paths and methods such as PUT: 404); provider misses pass through as remote errors
    (`truto_is_remote_error`, `raw_response` in the provider's own error format,
    `truto_error_insight.remote_error`); an account with `status: needs_reauth` answers the
    provider's 401; sandbox accounts answer writes with 405; `Idempotency-Key` on POST/PATCH
    replays the first successful answer (header `Idempotent-Replayed: true`).
    Webhooks (reference/webhooks.md §3.5; webhooks.py, notifications.py): POST/GET/PATCH/
    DELETE /webhook (environment from the API token; `event_types` omitted = every event;
    `is_active` true by default; the uuid `secret` on create only; `{result, next_cursor}`
    with an `is_active` filter), POST /webhook/test (a `test` event, `{"success": true}` or a
    400 naming the target's answer); `integrated_account:created` then `:active` (or
    `:post_install_error` / `:validation_error`) when an account is connected and
    `integrated_account:deleted` (`{id}` only) when deleted, over the fake's
    POST/DELETE /_mock/truto/integrated_accounts; the envelope `{id, event, payload,
    environment_id, webhook_id, created_at}`, `User-Agent: truto`, `X-Truto-Signature:
    format=sha256,v=<digest>`; a non-200 answer retried 3 times 2, 4 and 8 s apart on the fake
    clock, then dropped; the unified calendar API sends no webhook (polling updated_at is the
    way). Webhooks are in the store: snapshots, dumps, the world file's `truto.webhooks`.
    Meta (mockserver/truto/meta.py): GET /unified/calendar/{resource}/meta/{method}
    (integrated_account_id required; what the truto-ts-sdk's meta() reads) and
    /unified/calendar/{resource}/{integration}/meta/{method} (no account needed, adds
    response_schema): method, schema, documentation_link, response_mapping, query_schema,
    request_body_schema, default_query, default_body, all derived from the support matrix and
    required-field tables the fake enforces (404 where the matrix has no entry).
    Fake-only control: POST /_mock/truto/remote_errors {integrated_account_id, status, body?,
    headers?, times?} queues provider errors (a 429 gets `rate_limit_error` and its forwarded
    Retry-After); DELETE clears them; GET /_mock/truto lists them.

Choices where the sources are silent ([INF] / [GAP] in reference/truto.md; the ones that are
cheap to switch are settings in `mockserver.truto.settings.TrutoSettings`, PATCH /_mock/settings)
    - create answers 201 (`create_status`; 200 is the other candidate); delete answers 200 with
      the deleted event (it contains `id`, which satisfies both sources).
    - page size 100 without `limit` (`default_limit`); a larger `limit` is clamped to 1000
      (`max_limit`); a non-positive or non-numeric limit, or a cursor the fake never issued, 400.
      `limit=2.0` (a Python float through truto-python-sdk) is 2, as JavaScript's Number()
      reads it; the text `None` (a Python None through that SDK) is no value for the typed
      parameters: limit, next_cursor, truto_* flags, single_events (`python_none_is_absent`;
      False: 400 like any bad value). Text filters take `None` as text.
    - the start/end/timezone co-requirement is Truto's own 400 with missing_required_body_fields
      (`time_rules_remote=True`: the provider's 400 passed through instead); every body-field
      400 also carries `conditionally_required_body_fields` (informational, as documented).
    - recurring events: list events returns each series once (its master, with `recurrence`)
      unless `single_events=true` expands instances (ids `<series id>_<YYYYMMDDTHHMMSSZ>`, with
      `parent_event`); the flag's real name is undocumented; `expand_recurring` flips the
      default. Instances can be read and deleted, not updated (400).
    - rate limits (500 per token, 50 per account, per 10 s; 429 with Retry-After: 10) are off
      by default (`rate_limit`, `token_limit`, `account_limit`, `rate_window`, `retry_after`).
    - unified calendar ids are the fake's own (URL-safe, rule 36); `calendar[id]` also accepts
      the provider's id (e.g. the Google address) and `primary`. Calendars are all `active`
      and `public`; access_role is reader for read-only calendars, owner otherwise.
    - list responses are `{result, next_cursor, prev_cursor, result_count}` (the truto-skills
      list envelope); cursors run forward only, as the Google / Graph page tokens Truto wraps
      do, so `prev_cursor` is always null.
    - an idempotency key is per API token, method, path and integrated account (truto-skills:
      "keyed by integrated_account_id + path + key"); failed answers are not replayed.
    - a provider error's `message` is the first of message, msg, errorMessage, description,
      detail, summary, error_description found walking its body breadth-first (the docs'
      example lifts `errors[0].message`).
    - "normalized" and "stream" answer like "unified".
    - webhooks (UNVERIFIED): the digest is hex (`signature_encoding`: "base64"), the event is
      named by `event` (`event_field`: "event_type" or "both"), created_at is ISO 8601 with
      milliseconds; `deactivate_after_failures` (5) deliveries given up on in a row set
      is_active false; targets may be localhost or plain HTTP unless `public_https_only`;
      `webhook_timeout` 10 s; a 2xx other than 200 counts as a failure ("must answer 200").
      Account payloads carry no credentials (`context` is empty); the `created` event shows
      status "connecting".
    - meta answers: their JSON Schema dialect is the fake's (draft 2020-12 objects; the real
      one is not shown by any source); `response_mapping` is null (the fake maps in code, not
      JSONata); `default_query` / `default_body` are empty.
    - event types: `name` is the slug and `label` the display name (the EventTypes Object
      page says so); Calendly's always have a colour (`#0069ff` unless set) and
      created_at / updated_at (world-file `created` / `updated`, else the moment the world was
      loaded); Cal.com's have a colour only when set and no times (Cal.com's API v2 event
      type has none to map).
    - an all-day event's start_time / end_time are midnight UTC of its dates as date-times
      (`2026-12-07T00:00:00.000Z`): the Events Object types both `string · date-time` and
      Graph gives all-day times so; how Truto maps Google's `start.date` is unverified
      (`all_day_as_date_time=False`: the bare dates).
    - a body nested deeper than 64 levels: 400 "Request body is nested deeper than 64 levels".
    - when the fake itself fails (a bug): Truto's own 500 in the 3-key envelope, without
      `truto_is_remote_error` (so clients may retry it); nothing the request wrote is kept.

Not emulated
    - sync_job_run / record / batch_job / environment_integration / api_token events, the
      webhook delivery log (`GET /log`), multipart "formdata" deliveries, the real
      /integrated-account API (accounts are connected and deleted over /_mock/truto).
    - Integrated-account tokens (the 15-minute tokens that imply the account), the
      capabilities endpoint, `/unified/meta/{model}/{integration}` (the docs page), custom
      methods, `/proxy/*`, passthrough
      `remote_data` semantics beyond being merged into the provider object returned.
    - truto_super_query (synced data), real streaming, `ratelimit-*` headers from providers.
    - Updating one instance of a recurring series; moving an event between calendars.
    - Search parameters whose names the docs do not show (contacts' search term, events'
      free-text search); Outlook's user[id] / emails[] other than the account owner.
    - Google's "cancelled but still readable" deletes: a deleted event is a remote 404.
"""

from mockserver.registry import Budget, Provider, section_schema
from mockserver.truto import exceptions, recording, urls, wire
from mockserver.truto.builders import TrutoBuilder
from mockserver.truto.models import TrutoBackend
from mockserver.truto.responses import NOTIFIER
from mockserver.truto.settings import TrutoSettings
from mockserver.truto.store import TrutoStore

PROVIDER = Provider(
    name="truto",
    prefixes=("/unified", "/webhook"),
    routes=urls.routes,
    control_routes=urls.control_routes,
    control_openapi=urls.control_openapi,
    store=TrutoStore,
    backend=TrutoBackend,
    settings=TrutoSettings,
    error_body=exceptions.fault_response,
    crash_body=exceptions.crash_response,
    world_schema=section_schema(__name__),
    budget=Budget(
        switch="rate_limit",
        limits=(
            {"limit": 500, "seconds": 10, "per": "API token"},
            {"limit": 50, "seconds": 10, "per": "integrated account"},
        ),
        answer="429 with Retry-After: 10",
        source="reference/truto.md §9.5",
        fields=("token_limit", "account_limit", "rate_window", "retry_after"),
    ),
    testing="mockserver.truto.testing",
    builder=TrutoBuilder,
    render_event=wire.dashboard_event,
    summary="Truto Unified Calendar API: events, calendars, availability, and more; webhooks",
    recording=recording.PROFILE,  # mockserver record / compare
    notifications=NOTIFIER,
)
