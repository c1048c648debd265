"""Cronofy (API v1) dialect: the event surface of api.cronofy.com on the shared calendar world.

Emulated
    OAuth: GET /oauth/authorize (redirects straight back with a code for the account named by
    `login_hint`, else the first account), POST /oauth/token (authorization_code,
    refresh_token), POST /oauth/token/revoke (token or sub). Tokens carry scopes and expire by
    the server clock. The Authorization header is ignored on /oauth/*.
    Identity: /v1/userinfo, /v1/account, /v1/profiles, POST /v1/profiles/{id}/revoke.
    Calendars: GET/POST /v1/calendars. Events: upsert (managed by event_id, external by
    event_uid), delete (managed/external), bulk DELETE /v1/events, GET /v1/events and
    /v1/free_busy with paging by absolute next_page URLs, participation status, POST /v1/batch.
    Elevated permissions: POST /v1/permissions answers with a URL; GET on it (the user's
    consent, with no page in between) sets the calendars' permission_level and redirects back.
    Scheduling, on the core availability engine (mockserver/core/availability.py):
    POST /v1/availability (participants groups with members and `required` "all" or N,
    required_duration, query_periods or its old name available_periods, query_slots, buffer
    before/after as a Duration or {minimum, maximum}, start_interval, response_format periods /
    slots / overlapping_slots, max_results; members' available_periods, calendar_ids,
    managed_availability and availability_rule_ids) and POST /v1/sequenced_availability
    (steps in ordinal order, sequence_id echoed with its JSON type, gaps from the buffers'
    minimum/maximum; a step's `event` is accepted and not used). Both take an account's access token (with free/busy access) or the
    application's client secret; either may name every account that authorized the
    application. Availability rules (POST/GET /v1/availability_rules, GET/DELETE
    /v1/availability_rules/{id}) and available periods (POST/GET/DELETE /v1/available_periods,
    trailing slash tolerated, paged by next_page, delete_all, batchable) per account, in the
    world file's `cronofy.availability_rules` / `cronofy.available_periods`.
    Errors: 401/403/404/423/429 with no body, 422 `{"errors": {...}}`, 400 only on /oauth/token*.
    Push notification channels (reference/webhooks.md §1.7, channels.py / notifications.py):
    POST/GET/DELETE /v1/channels (every filters shape the SDKs send; an identical create
    answers the existing channel; 128 open channels per account and application), then
    `verification`, `change` (changes_since in whole UTC seconds, at or before the `updated`
    of every change it announces; never for the application's own API writes; calendar_ids
    and only_managed filters), `profile_disconnected`, `profile_initial_sync_completed` (to
    channels that existed before), signed `Cronofy-HMAC-SHA256` (one HMAC per active client
    secret, `apps[].other_client_secrets` in the world file, joined by a bare comma). Channels
    are part of the store: snapshots, dumps and the world file's `cronofy.channels`.
    Fake-only: GET /_mock/cronofy/channels; POST /_mock/cronofy/notify (any notification type
    on a channel or an account's channels); POST /_mock/cronofy/smart_invite (a smart-invite
    callback, signed the same way).

Choices where the sources are silent (UNVERIFIED upstream; each is a setting in
`mockserver.cronofy.settings.CronofySettings`, changeable with PATCH /_mock/settings)
    - page size 100 (`page_size`).
    - writes to a read-only or deleted calendar: 422 on `calendar_id`
      (`errors.calendar_readonly` / `errors.calendar_deleted`) (`readonly_calendar_status`).
    - editing/deleting an external event the app may not touch (sandbox calendar,
      options false, recurring): 403 (`external_refusal_status`).
    - an event_uid that is unknown, deleted, managed, or in another calendar: 422
      `errors.must_be_external_event_uid` (the documented key for a non-external uid).
    - Create Calendar with a profile the account lacks: 422 on `profile_id`
      (`unknown_profile_status`); duplicate names are refused unless the profile's provider
      allows them (Google does).
    - Read Events with calendar_ids the account lacks: 422 `errors.invalid_calendar_ids`
      (`unknown_calendar_ids_status`; 200 ignores them).
    - validation keys not in the sources use `errors.invalid`, `errors.too_long`,
      `errors.too_many`; a malformed or non-object body gets 422 on `body`, and so does one nested
      deeper than 64 levels; a body over 1 MiB 413.
    - any other path or method under /v1 (OPTIONS, HEAD on a write path, made-up methods, a
      path with CR LF): 401 without a good token, else 404, no body; under /oauth: 404.
    - when the fake itself fails (a bug): 500, no body, like the other status-only errors.
    - deleting an event_id the app never used in that calendar: 202 and nothing changes
      (`unknown_event_delete_status`, 404 the alternative): the Delete Event page lists 404
      only for an unknown calendar, and the C#, Python and Ruby SDK tests delete ids they never
      created and expect 202 (docs/EVIDENCE.md, DIFF-cronofy-7); deleting an already-deleted
      one again: 202.
    - omitted optional fields keep their stored values on update (url: null clears); `null`
      for another unset option (transparency, extended_transparency, reminders, tzid,
      event_private, conferencing, recurrence, attendees, ...) counts as omitted, as
      cronofy-ruby sends `transparency: null` by default (description, location and color:
      null clears). extended_transparency (opaque, transparent, working_elsewhere, tentative,
      out_of_office) is returned by Read Events when set.
    - free-busy leaves out cancelled events, and a transparent event is `free` even when it is
      tentative (the one predicate of mockserver/core/busy.py, shared with Cal.com and Truto).
    - rate limits (50 req/s, 500 req/min per application) are off by default (`rate_limit`);
      `force_429` answers every request with 429.
    - the 401 carries `WWW-Authenticate: Bearer realm="Cronofy", error="invalid_token"`.
    - channels: any valid token may create them (the scope is undocumented); a second close
      of a channel is 404; the 128-character callback_url limit of older docs is off
      (`max_callback_url_length`); too many channels is 422 `errors.too_many_channels`
      (`max_channels`); unknown filter keys are ignored; unknown calendar_ids follow
      `unknown_calendar_ids_status`.
    - notifications: a receiver has `notification_timeout` (5 s) to answer 2xx; failures are
      retried (`notification_backoff`, fake clock) for `notification_retry_for` (24 h), then
      the channel is closed (`close_failed_channels`); a change notification not yet sent
      absorbs later changes on its channel (`coalesce_notifications`), sent
      `notification_delay` seconds after the change (0). All from a third-party description:
      UNVERIFIED. The application's own profile revocation sends no profile_disconnected;
      calendar additions and removals send `change`.
    - availability (docs/reference/scheduling.md §2, every choice UNVERIFIED): slots and period
      starts sit on a UTC grid of start_interval (default 15 minutes, `default_start_interval`;
      allowed 5, 10, 15, 20, 30, 45, 60, `start_intervals`); `slots` are back to back on that
      grid, `overlapping_slots` start at every grid point; buffers are free time needed between
      a result and busy time, never between a result and a query period's edge; a period ends
      where the set of free members changes and names exactly those members; past time is
      never offered; `max_results` 1..512 (default 512: `default_max_results`, `max_results`);
      at most 50 query periods within 35 days (`max_query_periods`, `max_query_days`); busy
      time is what free/busy shows as busy or tentative, less events the owner declined;
      `required` defaults to "all"; an unknown or unauthorized sub, another account's
      calendar_ids or a bad value are 422 on the top-level parameter (`participants`,
      `buffer`, ...; keys `errors.required` / `errors.invalid`); a token may name every account
      of its application (`availability_subs = "own"`: only its own).
    - managed availability: a member's windows are its rules (all, or those of
      availability_rule_ids; unknown ids count for nothing) plus its available periods; its
      busy calendars are those its rules name (all, if any rule names none); member
      available_periods narrow that further. Rules and periods take access tokens only (the
      client secret is 401); an unknown rule id is 404; deleting an unknown period id is 202.
    - sequenced availability: each step's slots as `slots` would give them; a step starts at
      least max(previous after.minimum, its before.minimum) after the previous one ends, and at
      most the smaller maximum; sequences do not overlap; at most 20 (`max_sequences`).

Not emulated
    - Writes are applied at once; the real API processes them asynchronously after the 202.
    - include_moved and include_geo are accepted and ignored (no 402 for plans without geo).
    - Real-time scheduling, availability_constraints and include_member_statuses (accepted,
      ignored), resources (`res_` subs), smart invites (only their callback, on demand), element
      tokens, gdpr_requested / conferencing_profile_disconnected (sendable on demand),
      application calendars, delegated (Business/Enterprise Connect) access, conferencing
      provisioning (stored and echoed as given), attachments, per-provider reminder limits.
    - Data-center hosts: every data center is this one host.
    - `errors.unknown_or_used` (no source shows which status carries it); codes answer invalid_grant.
"""

from mockserver.cronofy import exceptions, recording, urls, wire
from mockserver.cronofy.builders import CronofyBuilder
from mockserver.cronofy.models import BUDGETS, CronofyBackend
from mockserver.cronofy.responses import NOTIFIER
from mockserver.cronofy.settings import CronofySettings
from mockserver.cronofy.store import OAuthStore
from mockserver.registry import Budget, Provider, section_schema

PROVIDER = Provider(
    name="cronofy",
    prefixes=("/v1", "/oauth"),
    routes=urls.routes,
    control_routes=urls.control_routes,
    control_openapi=urls.control_openapi,
    store=OAuthStore,
    backend=CronofyBackend,
    settings=CronofySettings,
    error_body=exceptions.fault_response,
    crash_body=exceptions.crash_response,
    world_schema=section_schema(__name__),
    budget=Budget(
        switch="rate_limit",
        limits=tuple(
            {"limit": b.limit, "seconds": int(b.seconds), "per": "application"} for b in BUDGETS
        ),
        answer="429, no body",
        source="reference/cronofy.md",
    ),
    testing="mockserver.cronofy.testing",
    builder=CronofyBuilder,
    checks_accounts_only=True,
    profile_providers=("cronofy",),  # application calendars
    render_event=wire.dashboard_event,
    summary="Cronofy API v1: OAuth, identity, calendars, events, free/busy, batch, availability, "
    "push notification channels",
    recording=recording.PROFILE,  # mockserver record / compare
    notifications=NOTIFIER,
)
