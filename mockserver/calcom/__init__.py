"""Cal.com (API v2) dialect: the "Cal Unified Calendars" event endpoints of api.cal.com and the
neighbours a scheduling flow needs, on the shared calendar world (reference/calcom.md).

How it sits on the core
    A Cal.com user is a core Account; their Google connection (a "credential") is a core Profile
    with provider_name google; a booking puts a core event (app_id None: to Cronofy an external
    event) in the user's destination calendar, and its `google_calendar` booking reference's
    `eventUid` is that event's provider_event_id. GET/PATCH read and write the event through the
    World (transactions, `updated` stamps), so Cronofy and Truto on the same calendar see the
    change. Users, keys, tokens, event types, bookings and references live in CalcomStore, built
    from a world file's `calcom` section and part of every snapshot / reset.

Emulated
    GET /v2/calendars/{calendar}/event/{eventUid} and PATCH .../events/{eventUid} (§1.3-1.7,
    rules 1-34): google-only 400s (after body validation), 404 "Booking reference not found" /
    "Failed to retrieve|update meeting details", 401 "No valid credentials..." (invalid
    credential or disconnected profile), partial PATCH, attendees replacing the list ([] ->
    key absent), declined -> cancelled, unknown fields dropped, hosts / calendarEventOwner as
    the output pipe builds them, description null. Any other path or method: 404 `Cannot
    <METHOD> <path>` in the envelope, never 405 (OPTIONS: a CORS preflight 204).
    Auth before everything (§2.3): cal_ API keys (expiry compared by day), managed-user access
    tokens (expired -> 498), the first literal "Bearer " stripped (case-sensitive), exact 401
    texts. Throttler first (§2.4): X-RateLimit-{Limit,Remaining,Reset}-Default on every answer
    past it, 429 ThrottlerException after 120 / 60 s per API key, 500 per access token, 120 per
    IP without credentials. The error envelope on every HttpException, class-validator 400s
    (whitelist, nested `children`, target/value), X-Request-Id (uuid4) on every answer, /api/v2
    and /v2/ee as aliases of /v2.
    Neighbours (§3): GET /v2/me; bookings with cal-api-version 2024-08-13: POST /v2/bookings
    (201; the Google event and references are created), GET /v2/bookings (status, attendee,
    bookingUid, eventTypeId(s), after/before filters, sort*, take/skip, pagination), GET
    /v2/bookings/{uid}, POST .../cancel (200; the Google event is deleted), POST .../reschedule
    (201; a new booking, the old one cancelled with rescheduledToUid, the Google event moved),
    GET .../references (?type=); GET /v2/calendars; GET /v2/calendars/busy-times.
    POST /v2/bookings/{uid}/confirm and /decline for event types with `requiresConfirmation`
    (the booking is `pending`, without a calendar event, until confirmed).
    Webhooks (reference/webhooks.md §2.8; webhooks.py, notifications.py): /v2/webhooks and
    /v2/event-types/{id}/webhooks CRUD (string ids, 409 on a duplicate subscriberUrl, 400 for
    DELEGATION_CREDENTIAL_ERROR on a user webhook, 403 for another user's, take/skip with no
    pagination, "<n> webhooks deleted"); BOOKING_CREATED / REQUESTED / REJECTED / CANCELLED /
    RESCHEDULED from bookings, confirm and decline; MEETING_STARTED / MEETING_ENDED scheduled
    on the fake clock at the booking's start and end, withdrawn when it is cancelled or
    rescheduled; `{triggerEvent, createdAt, payload}` with the booking's CalendarEvent
    (utcOffset at startTime); `X-Cal-Signature-256` (hex HMAC, or no-secret-provided) and
    `X-Cal-Webhook-Version`; `payloadTemplate` rendered with Handlebars (pybars3, as Cal.com
    uses handlebars); no retry on a non-2xx answer, redirects not followed. Webhooks are in the
    store: snapshots, dumps, the world file's `calcom.webhooks`.
    With `calcom.profile = "oss-2026"` (§1.5, rules 35-37): DELETE .../events/{id}, GET/POST
    .../events, GET .../freebusy, GET /v2/calendars/connections and the connection-scoped
    CRUD and free/busy; these work on raw Google ids in the caller's own calendars.

Choices where the sources are unsure (settings in `mockserver.calcom.settings.CalcomSettings`)
    - The plural GET .../events/{uid} answers 404 Cannot GET (hosted, rule 3);
      `event_path_aliases` serves it and PATCH .../event/{uid}, as cal.diy does.
    - Event uids are scoped to the caller: another user's booked event is 404 "Booking
      reference not found" (`scope_events_to_caller`; False = the real IDOR, rule 33).
    - An unknown cal_ key gets "CustomThrottlerGuard - Invalid API Key"
      (`unknown_api_key_message`; the strategy's own text is the alternative).
    - calendarEventOwner carries `displayName` (and `self`), as the code copies Google's
      organizer; `owner_name_key = "name"` follows the schema instead (rule 26).
    - PATCH `attendees: null` is ignored; `null_attendees_crash` makes it the bare 500 the
      real input pipe produces (code-derived; rule 32). Injected 500s (POST /_mock/faults) are
      bare too.
    - Bookings refuse a start in the past ("Attempting to book a meeting in the past.") and a
      slot the host is busy in, in the selected calendars and the destination calendar (400
      "no_available_users_found_error"; `refuse_conflicting_bookings`). Availability schedules
      (working hours) are not checked.
    - Rate limiting is on by default (`rate_limit`, limits and window are settings). The window
      is fixed: the 429 lasts until it rolls over (the real block lasts 60 s from the 429).
    - Webhooks: subscriber URLs may be localhost or plain HTTP unless `public_https_only`
      (cal.com SaaS's rule); network failures are not retried unless `retry_network_errors`
      (3 tries, 5 minutes apart, as the tasker would: UNVERIFIED); `webhook_timeout` (10 s).
    Other choices, not settings:
    - Webhook payloads: attendees include guests (with the first attendee's zone), `responses`
      carries name, email, location, guests and the custom fields; the old booking of a
      reschedule gets no BOOKING_CANCELLED (UNVERIFIED); a template Handlebars cannot compile
      sends nothing; failing webhooks are never disabled. Confirm/decline texts ("... is not
      pending confirmation") are the fake's own.
    - Bookings without `cal-api-version: 2024-08-13` (absent, older, newer, garbage) get 404
      `Cannot <METHOD> <path>`: the legacy 2024-04-15 shape is not emulated (rule 38).
    - Google's side: a PATCH whose start/end has no time, a time without offset and without
      timeZone, a non-IANA timeZone, end before start, mixing all-day and timed, or an
      attendee email without "@" is a Google rejection: 404 "Failed to update meeting
      details". An empty timeZone keeps the event's zone. `{}` changes nothing (no new
      `updated` stamp). `host`/`self` on input are ignored; the organizer flag follows the
      organizer's email.
    - Times are rendered in the event's zone offset ("Z" for a zero offset); all-day events as
      `<date>T00:00:00` with timeZone "UTC" (the 2026 list mapping). Attendees carry `host`
      always, `self` / `optional` only when true.
    - A deleted (cancelled-booking) Google event reads as 404 "Failed to retrieve meeting
      details" (Google might still return it with status cancelled).
    - Validation messages of the booking DTOs follow class-validator's defaults; booking texts
      not in the sources: "Booking with uid=<uid> was not found in the database", "Event type
      with id=<id> not found", "This booking has already been cancelled.", "Can't reschedule
      booking with uid=<uid> because it has been cancelled". References of another user's
      booking: 404, as if unknown.
    - A body is read only with Content-Type application/json (else `{}`, as Express's json
      parser); malformed JSON is 400 BadRequestException with a Node-20-like parser message; a
      JSON array is class-validator's `unknownValue` 400; over 1 MiB is 413. A body nested
      deeper than 64 levels is 400 BadRequestException "Request body is nested deeper than 64
      levels" (a choice: Node's JSON.parse has no such limit, but the fake must not store what
      it cannot render).
    - When the fake itself fails (a bug), Nest's bare 500 `{"statusCode":500,"message":
      "Internal server error"}` with an X-Request-Id, and nothing the request wrote is kept.
    - 2026 routes: connections list `email: null` (cal.diy; calcom-2026 says "unknown"); a
      second DELETE of the same event is 500 "Failed to delete event" (Google 410, unmapped).

Not emulated
    - Google's own behaviour beyond the above (sendUpdates, conference creation, reminders),
      Office 365 / Apple calendars, delegation credentials, third-party OAuth JWTs and scopes
      (APPS_READ / APPS_WRITE), OAuth-client credentials (x-cal-client-id / x-cal-secret-key
      are ignored), the Origin check of managed-user tokens, PermissionsGuard 403s, custom
      named rate limits.
    - Booking surfaces outside the list above: slots, event-type CRUD, schedules, seated and
      recurring bookings, instant bookings, mark-absent / reassign / guests / location, team,
      organization and OAuth-client webhooks, PING, BOOKING_PAID / NO_SHOW / OOO / form /
      recording triggers, emails, payments, routing forms, teams and organizations.
    - The 2024-04-15 (legacy) bookings shape, other cal-api-version fallbacks.
    - Case-insensitive route matching of Express (a trailing slash is tolerated, as there).
"""

from mockserver.calcom import exceptions, recording, urls, wire
from mockserver.calcom.builders import CalcomBuilder
from mockserver.calcom.models import CalcomBackend
from mockserver.calcom.notifications import CalcomNotifications
from mockserver.calcom.settings import CalcomSettings
from mockserver.calcom.store import CalcomStore
from mockserver.registry import Budget, CliOption, Provider, section_schema

PROVIDER = Provider(
    name="calcom",
    prefixes=("/v2", "/api/v2"),
    routes=urls.routes,
    store=CalcomStore,
    backend=CalcomBackend,
    settings=CalcomSettings,
    error_body=exceptions.fault_response,
    crash_body=exceptions.crash_response,
    world_schema=section_schema(__name__),
    budget=Budget(
        switch="rate_limit",
        limits=(
            {"limit": 120, "seconds": 60, "per": "API key"},
            {"limit": 500, "seconds": 60, "per": "access token / OAuth client"},
        ),
        answer="429 ThrottlerException envelope, X-RateLimit-*-Default headers",
        source="reference/calcom.md §2.4",
        fields=("api_key_limit", "access_token_limit", "anonymous_limit", "rate_window"),
    ),
    testing="mockserver.calcom.testing",
    builder=CalcomBuilder,
    cli_options=(
        CliOption(
            flag="--calcom-profile",
            setting="profile",
            choices=("hosted", "oss-2026"),
            help="hosted (default): the routes api.cal.com documents; oss-2026: also the newer "
            "open-source calendar routes (list, create, DELETE, free/busy, connections)",
        ),
    ),
    secret_headers=frozenset({"x-cal-secret-key"}),
    render_event=wire.dashboard_event,
    summary="Cal.com API v2: unified calendar events, bookings, references, me, calendars, "
    "webhooks",
    recording=recording.PROFILE,  # mockserver record / compare
    notifications=CalcomNotifications(),
)
