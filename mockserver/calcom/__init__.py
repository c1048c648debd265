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
    IP without credentials; the request over the limit blocks the key for `rate_block` seconds
    from then, and the 429's Reset covers the block. The error envelope on every HttpException,
    class-validator 400s (whitelist, nested `children`, target/value, constraints in decorator
    order), X-Request-Id (uuid4), helmet()'s headers and Access-Control-Allow-Origin: * on every
    answer, /api/v2 and /v2/ee as aliases of /v2.
    Neighbours (§3): GET /v2/me; bookings with cal-api-version 2024-08-13: POST /v2/bookings
    (201; the Google event and references are created; the bodies of create / cancel /
    reschedule go through the booking pipes: undeclared properties refused, the flat
    "<property> property is wrong,..." text; location / meetingUrl checked against the event
    type and resolved; the default booking fields checked as a ZodError), GET /v2/bookings
    (status, attendee,
    bookingUid, eventTypeId(s), after/before filters, sort*, take/skip, pagination), GET
    /v2/bookings/{uid}, POST .../cancel (200; the Google event is deleted), POST .../reschedule
    (201; a new booking, the old one cancelled with rescheduledToUid, the Google event moved),
    GET .../references (?type=); GET /v2/calendars; GET /v2/calendars/busy-times.
    Scheduling (docs/reference/scheduling.md §3, rules S-K1..S-K55): event types with
    cal-api-version 2024-06-14 (event_types.py: create / list / get / PATCH / DELETE, the
    class-validator and custom-validator texts of the input DTOs, the output object), schedules
    with 2024-06-11 or 2024-06-14 (schedules.py), GET /v2/slots and slot reservations with
    2024-09-04 (slots.py: the query pipe's error strings, date keys in `timeZone`, Luxon
    timestamps, format=range, seats, bookingUidToReschedule; reservation CRUD and its 401 / 403
    / 422 checks). Availability (availability.py) is the core engine's (core/availability.py):
    the type's schedule, else the user's default, else the first, else Mon-Fri 09:00-17:00 in
    the user's zone; busy time from the selected and destination calendars (core/busy.py),
    the host's accepted bookings (pending ones of types that block unconfirmed bookings) widened
    by their types' buffers, unexpired reservations of the type; the asked type's buffers,
    minimum notice (default 120), booking window, booking limits, onlyShowFirstAvailableSlot;
    the slot grid steps by slotInterval || duration || length, aligned in the asked zone to the
    first of 60/30/20/15/10/5 dividing it. Bookings are checked the same way (past, out of
    bounds, not available: Cal.com's own texts; a start off the grid is fine; responses to the
    type's custom booking fields: required, typed, among the options), take the
    booker's reservation (`reservedSlotUid`) and refuse someone else's; recurring types book a
    series (an array sharing recurringBookingUid, stepped in the attendee's zone; GET and cancel
    by the series uid; cancelSubsequentBookings); seated types add seats to one booking (409 when
    full; cancel with seatUid); confirmationPolicy types make pending bookings (no calendar
    event until POST .../confirm; .../decline rejects). Lifecycle (lifecycle.py): confirm,
    decline, mark-absent (after the start only), guests (also invited to the calendar event),
    calendar-links, PATCH .../location (the calendar event keeps its location). PATCH /v2/me
    (me.py; a new timeZone moves the default schedule too). Booking state changes all go
    through `Bookings.save()`.
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
    - PATCH `attendees: null` is the bare 500 the real input pipe produces (`attendees.map` on
      null, code-derived; rule 32); `null_attendees_crash = False` ignores it instead. Injected
      500s (POST /_mock/faults) are bare too.
    - Bookings refuse a start in the past ("Attempting to book a meeting in the past.") and,
      with `refuse_conflicting_bookings` (default on), a start outside minimum notice or the
      booking window (the long booking_time_out_of_bounds_error text) or one the host is not
      free for (400 "User either already has booking at this time or is not available").
      Reservations count there only through "Someone else reserved this booking time slot
      before you..." (a booking carrying the reservation's uid consumes it).
    - Recurring series: only the first `recurring_slots_checked` (1) occurrences are checked;
      each occurrence gets its own Google event (Cal.com makes one recurring event).
    - bookingUrl is `<booking_url_base>/<username>/<slug>` (default https://app.cal.com).
    - GET /v2/slots computes at most `max_slot_range_days` (400) days from `start`.
    - Rolling booking windows are treated as fixed ones (the next N days); offsetStart, OOO
      and holidays do not move or remove slots.
    - Rate limiting is on by default (`rate_limit`, limits, window and `rate_block` are
      settings): a throttled key stays blocked `rate_block` seconds (60) from the 429, past the
      window's end, and requests made meanwhile count (the throttler's Redis script).
    - 2026 connection free/busy of a credential that is not the caller's: 400 "Calendar
      connection not found" (the 2026 controller's own lookup;
      `freebusy_unknown_connection_status = 404` gives the event routes' answer).
    - 2026 event lists show all-day events as `<date>T00:00:00` / UTC (cal.diy);
      `list_all_day_events = False` drops them, as the calcom 2026 service does.
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
    - Booking texts are the services' own (errors.service.ts, bookings.service.ts,
      input.service.ts, booking-references.service.ts; docs/EVIDENCE.md, Cal.com). The
      booking bodies go through the booking pipes (undeclared properties refused, the flat
      "<property> property is wrong,..." text); the attendee's email is not checked by the DTO
      (its @Validate is a no-op) but by the booking responses check: "responses -
      {email}email_validation_error, " (a ZodError envelope). A seatUid cancel needs an
      existing seat of that booking (cancelBooking's 400 texts); a seated reschedule needs an
      existing seat (404) and moves the booking (one seat moving alone is not emulated). A Cal
      Video booking's location is https://app.cal.com/video/<uid>. Confirm / decline /
      mark-absent / guests / calendar-links / location of another user's booking: 404, as if
      unknown (BookingUidGuard's own answer is unverified).
    - confirm / decline change only a pending booking (others come back unchanged);
      cancelSubsequentBookings on a booking outside a series is a 400 that changes nothing
      (the real one cancels it first). A reservation PATCH overlapping its own current time is
      a 422, as the service's overlap check does not leave it out (code-derived).
    - Seats: MAX_SEATS_PER_TIME_SLOT is taken as 1000 (unverified). PATCH /v2/me with another
      user's defaultScheduleId: 404 (unverified). An email change applies at once (no
      verification mail flow). GET /v2/event-types?usernames=... (dynamic group types) is [].
    - Times a client's number moves (notice, lengths, buffers, reservation durations) are
      bounded at a century, so no input overflows the date range.
    - A body is read only with Content-Type application/json (else `{}`, as Express's json
      parser); malformed JSON is 400 BadRequestException with a Node-20-like parser message; a
      JSON array is class-validator's `unknownValue` 400; over 1 MiB is 413. A body nested
      deeper than 64 levels is 400 BadRequestException "Request body is nested deeper than 64
      levels" (a choice: Node's JSON.parse has no such limit, but the fake must not store what
      it cannot render).
    - When the fake itself fails (a bug), Nest's bare 500 `{"statusCode":500,"message":
      "Internal server error"}` with an X-Request-Id, and nothing the request wrote is kept.
    - 2026 routes: a connection's `email` is its primary calendar's externalId (null without
      one); `connectionId` is read with parseInt ("201abc" is 201); a second DELETE of the
      same event is 500 "Failed to delete event" (Google 410, unmapped; the calcom 2026 service
      would let it escape as a bare 500).

Not emulated
    - Google's own behaviour beyond the above (sendUpdates, conference creation, reminders),
      Office 365 / Apple calendars, delegation credentials, third-party OAuth JWTs and scopes
      (APPS_READ / APPS_WRITE), OAuth-client credentials (x-cal-client-id / x-cal-secret-key
      are ignored), the Origin check of managed-user tokens, PermissionsGuard 403s, custom
      named rate limits.
    - Booking surfaces outside the list above: instant bookings, reassign, team, organization
      and OAuth-client webhooks, PING, BOOKING_PAID / NO_SHOW / OOO / form / recording
      triggers, emails, payments, routing forms, teams and organizations (so team / round-robin
      / collective event types, teamSlug and organizationSlug slot selectors answer 404),
      private links, out-of-office entries, the 2024-04-15 slots and event-type shapes;
      bookingRequiresAuthentication, disableGuests, requiresBookerEmailVerification and booker
      active-booking limits are stored and rendered but not enforced.
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
        fields=(
            "api_key_limit",
            "access_token_limit",
            "anonymous_limit",
            "rate_window",
            "rate_block",
        ),
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
    summary="Cal.com API v2: unified calendar events, event types, schedules, slots and "
    "reservations, bookings and their lifecycle, references, me, calendars, webhooks",
    recording=recording.PROFILE,  # mockserver record / compare
    notifications=CalcomNotifications(),
)
