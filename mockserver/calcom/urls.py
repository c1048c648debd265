"""Cal.com's paths, as api.cal.com serves them. Routes are written relative to /v2 and mounted at
/v2, /api/v2 (the e2e tests' prefix) and /v2/ee (both rewritten to /v2 by Cal.com's middleware).
The last route of each mount answers every other path and method with 404 `Cannot <METHOD>
<path>`, so no request ever gets a 405."""

from starlette.routing import BaseRoute, Mount, Route

from mockserver.calcom import responses as r
from mockserver.calcom import scheduling_responses as sr

V2: list[BaseRoute] = [
    # the hottest paths first: Starlette tries routes in order
    Route("/calendars/{calendar}/event/{eventUid}", r.get_calendar_event, methods=["GET"]),
    Route("/calendars/{calendar}/events/{eventUid}", r.update_calendar_event, methods=["PATCH"]),
    Route("/calendars/{calendar}/events/{eventUid}", r.get_calendar_event_plural, methods=["GET"]),
    Route(
        "/calendars/{calendar}/event/{eventUid}",
        r.update_calendar_event_singular,
        methods=["PATCH"],
    ),
    Route("/bookings", r.create_booking, methods=["POST"]),
    Route("/bookings", r.list_bookings, methods=["GET"]),
    Route("/bookings/{bookingUid}", r.get_booking, methods=["GET"]),
    Route("/bookings/{bookingUid}/cancel", r.cancel_booking, methods=["POST"]),
    Route("/bookings/{bookingUid}/reschedule", r.reschedule_booking, methods=["POST"]),
    Route("/bookings/{bookingUid}/references", r.booking_references, methods=["GET"]),
    Route("/bookings/{bookingUid}/confirm", sr.confirm_booking, methods=["POST"]),
    Route("/bookings/{bookingUid}/decline", sr.decline_booking, methods=["POST"]),
    Route("/bookings/{bookingUid}/mark-absent", sr.mark_absent, methods=["POST"]),
    Route("/bookings/{bookingUid}/guests", sr.add_guests, methods=["POST"]),
    Route("/bookings/{bookingUid}/calendar-links", sr.calendar_links, methods=["GET"]),
    Route("/bookings/{bookingUid}/location", sr.update_location, methods=["PATCH"]),
    Route("/slots", sr.slots, methods=["GET"]),
    Route("/slots/reservations", sr.reserve_slot, methods=["POST"]),
    Route("/slots/reservations/{uid}", sr.get_reservation, methods=["GET"]),
    Route("/slots/reservations/{uid}", sr.update_reservation, methods=["PATCH"]),
    Route("/slots/reservations/{uid}", sr.delete_reservation, methods=["DELETE"]),
    Route("/event-types", sr.create_event_type, methods=["POST"]),
    Route("/event-types", sr.list_event_types, methods=["GET"]),
    Route("/event-types/{eventTypeId}", sr.get_event_type, methods=["GET"]),
    Route("/event-types/{eventTypeId}", sr.update_event_type, methods=["PATCH"]),
    Route("/event-types/{eventTypeId}", sr.delete_event_type, methods=["DELETE"]),
    Route("/schedules", sr.create_schedule, methods=["POST"]),
    Route("/schedules", sr.list_schedules, methods=["GET"]),
    Route("/schedules/default", sr.default_schedule, methods=["GET"]),
    Route("/schedules/{scheduleId}", sr.get_schedule, methods=["GET"]),
    Route("/schedules/{scheduleId}", sr.update_schedule, methods=["PATCH"]),
    Route("/schedules/{scheduleId}", sr.delete_schedule, methods=["DELETE"]),
    Route("/webhooks", r.create_webhook, methods=["POST"]),
    Route("/webhooks", r.list_webhooks, methods=["GET"]),
    Route("/webhooks/{webhookId}", r.get_webhook, methods=["GET"]),
    Route("/webhooks/{webhookId}", r.update_webhook, methods=["PATCH"]),
    Route("/webhooks/{webhookId}", r.delete_webhook, methods=["DELETE"]),
    Route("/event-types/{eventTypeId}/webhooks", r.create_event_type_webhook, methods=["POST"]),
    Route("/event-types/{eventTypeId}/webhooks", r.list_event_type_webhooks, methods=["GET"]),
    Route("/event-types/{eventTypeId}/webhooks", r.delete_event_type_webhooks, methods=["DELETE"]),
    Route(
        "/event-types/{eventTypeId}/webhooks/{webhookId}",
        r.get_event_type_webhook,
        methods=["GET"],
    ),
    Route(
        "/event-types/{eventTypeId}/webhooks/{webhookId}",
        r.update_event_type_webhook,
        methods=["PATCH"],
    ),
    Route(
        "/event-types/{eventTypeId}/webhooks/{webhookId}",
        r.delete_event_type_webhook,
        methods=["DELETE"],
    ),
    # the 2026 open-source routes: 404 unless calcom.profile is "oss-2026"
    Route("/calendars/{calendar}/events/{eventUid}", r.delete_calendar_event, methods=["DELETE"]),
    Route("/calendars/connections", r.connections, methods=["GET"]),
    Route("/calendars/connections/{connectionId}/events", r.connection_events, methods=["GET"]),
    Route("/calendars/connections/{connectionId}/events", r.connection_create, methods=["POST"]),
    Route(
        "/calendars/connections/{connectionId}/events/{eventId}",
        r.connection_event,
        methods=["GET"],
    ),
    Route(
        "/calendars/connections/{connectionId}/events/{eventId}",
        r.connection_update,
        methods=["PATCH"],
    ),
    Route(
        "/calendars/connections/{connectionId}/events/{eventId}",
        r.connection_delete,
        methods=["DELETE"],
    ),
    Route("/calendars/connections/{connectionId}/freebusy", r.connection_freebusy, methods=["GET"]),
    Route("/calendars/{calendar}/events", r.list_calendar_events, methods=["GET"]),
    Route("/calendars/{calendar}/events", r.create_calendar_event, methods=["POST"]),
    Route("/calendars/{calendar}/freebusy", r.freebusy, methods=["GET"]),
    Route("/me", r.me, methods=["GET"]),
    Route("/me", r.update_me, methods=["PATCH"]),
    Route("/calendars", r.calendars, methods=["GET"]),
    Route("/calendars/busy-times", r.busy_times, methods=["GET"]),
    Route("/{rest:anything}", r.unknown),  # any method
]

routes: list[BaseRoute] = [
    Mount("/v2/ee", routes=V2),
    Mount("/api/v2", routes=V2),
    Mount("/v2", routes=V2),
    Route("/v2", r.unknown),
    Route("/api/v2", r.unknown),
    # paths a Mount cannot match (a decoded CR LF): still Nest's 404 `Cannot <METHOD> <path>`
    Route("/v2/{rest:anything}", r.unknown),
    Route("/api/v2/{rest:anything}", r.unknown),
]
