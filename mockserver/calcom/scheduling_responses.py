"""Thin handlers of the scheduling routes (event types, schedules, slots and reservations, the
booking lifecycle), on the request pipeline of responses.py (`endpoint`, `Call`)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.calcom.event_types import VERSION as EVENT_TYPE_VERSION
from mockserver.calcom.exceptions import cannot
from mockserver.calcom.models import BOOKING_VERSION
from mockserver.calcom.responses import Call, endpoint, express_url
from mockserver.calcom.schedules import VERSIONS as SCHEDULE_VERSIONS
from mockserver.calcom.slots import VERSION as SLOTS_VERSION

# -- the booking lifecycle (2024-08-13) --------------------------------------------------------


@endpoint(version=BOOKING_VERSION)
async def confirm_booking(call: Call) -> Response:
    return call.ok(call.be.lifecycle.confirm(call.user, call.param("bookingUid")))


@endpoint(version=BOOKING_VERSION)
async def decline_booking(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.lifecycle.decline(call.user, call.param("bookingUid"), body))


@endpoint(version=BOOKING_VERSION)
async def mark_absent(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.lifecycle.mark_absent(call.user, call.param("bookingUid"), body))


@endpoint(version=BOOKING_VERSION)
async def add_guests(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.lifecycle.add_guests(call.user, call.param("bookingUid"), body))


@endpoint(version=BOOKING_VERSION)
async def calendar_links(call: Call) -> Response:
    return call.ok(call.be.lifecycle.links(call.user, call.param("bookingUid")))


@endpoint(version=BOOKING_VERSION)
async def update_location(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.lifecycle.update_location(call.user, call.param("bookingUid"), body))


# -- event types (cal-api-version: 2024-06-14) -------------------------------------------------


@endpoint(version=EVENT_TYPE_VERSION)
async def create_event_type(call: Call) -> Response:
    return call.ok(call.be.event_types.create(call.user, await call.body()), 201)


@endpoint(auth="optional", version=EVENT_TYPE_VERSION)
async def list_event_types(call: Call) -> Response:
    return call.ok(call.be.event_types.list(call.caller, call.query()))


# The 2024-04-15 controller (also 2024-06-11, and the version of a request without
# cal-api-version) serves GET and DELETE /v2/event-types/{id} behind ApiAuthGuard
# (event-types_2024_04_15/controllers/event-types.controller.ts @ 0ba351d5): without
# credentials a 401 (et-e2e "Not authenticated" "/GET/:id"). Its read (the atom's shape) is not
# emulated: authenticated, it stays 404; its delete is the same delete, answering
# {id, length, slug, title}.
LEGACY_EVENT_TYPES = ("2024-04-15", "2024-06-11", None)


@endpoint(version=(EVENT_TYPE_VERSION, *LEGACY_EVENT_TYPES))
async def get_event_type(call: Call) -> Response:
    if call.request.headers.get("cal-api-version") != EVENT_TYPE_VERSION:
        raise cannot(call.request.method, express_url(call.request))
    return call.ok(call.be.event_types.get(call.user, call.int_param("eventTypeId")))


@endpoint(version=EVENT_TYPE_VERSION)
async def update_event_type(call: Call) -> Response:
    ident = call.int_param("eventTypeId")
    return call.ok(call.be.event_types.update(call.user, ident, await call.body()))


@endpoint(version=(EVENT_TYPE_VERSION, *LEGACY_EVENT_TYPES))
async def delete_event_type(call: Call) -> Response:
    gone = call.be.event_types.delete(call.user, call.int_param("eventTypeId"))
    if call.request.headers.get("cal-api-version") != EVENT_TYPE_VERSION:
        gone = {
            "id": gone["id"],
            "length": gone["lengthInMinutes"],
            "slug": gone["slug"],
            "title": gone["title"],
        }
    return call.ok(gone)


# -- schedules (cal-api-version: 2024-06-11 or 2024-06-14) -------------------------------------


@endpoint(version=SCHEDULE_VERSIONS)
async def create_schedule(call: Call) -> Response:
    return call.ok(call.be.schedules.create(call.user, await call.body()), 201)


@endpoint(version=SCHEDULE_VERSIONS)
async def list_schedules(call: Call) -> Response:
    return call.ok(call.be.schedules.list(call.user))


@endpoint(version=SCHEDULE_VERSIONS)
async def default_schedule(call: Call) -> Response:
    return call.ok(call.be.schedules.default(call.user))


@endpoint(version=SCHEDULE_VERSIONS)
async def get_schedule(call: Call) -> Response:
    return call.ok(call.be.schedules.get(call.user, call.int_param("scheduleId")))


@endpoint(version=SCHEDULE_VERSIONS)
async def update_schedule(call: Call) -> Response:
    ident = call.int_param("scheduleId")
    return call.ok(call.be.schedules.update(call.user, ident, await call.body()))


# The 2024-04-15 controller (the version of a request without cal-api-version) deletes a
# schedule the same way and answers the same 200 {"status": "success"}; the 2024-06-11 e2e spec
# sends its DELETE without the header (schedules_2024_04_15/controllers/schedules.controller.ts
# @ 03670679c00d600615e8df2bc64545bd51c61646; sch-e2e "should delete schedule").
@endpoint(version=(*SCHEDULE_VERSIONS, "2024-04-15", None))
async def delete_schedule(call: Call) -> Response:
    call.be.schedules.delete(call.user, call.int_param("scheduleId"))
    return call.success()


# -- slots and reservations (cal-api-version: 2024-09-04) -------------------------------------


@endpoint(auth="optional", version=SLOTS_VERSION)
async def slots(call: Call) -> Response:
    return call.ok(call.be.slots.get(call.query()))


@endpoint(auth="optional", version=SLOTS_VERSION)
async def reserve_slot(call: Call) -> Response:
    return call.ok(call.be.slots.reserve(call.caller, await call.body()), 201)


@endpoint(auth="optional", version=SLOTS_VERSION)
async def get_reservation(call: Call) -> Response:
    return call.ok(call.be.slots.reservation(call.param("uid")))


@endpoint(auth="optional", version=SLOTS_VERSION)
async def update_reservation(call: Call) -> Response:
    return call.ok(call.be.slots.update(call.param("uid"), await call.body()))


@endpoint(auth="optional", version=SLOTS_VERSION)
async def delete_reservation(call: Call) -> Response:
    call.be.slots.delete(call.param("uid"))
    return call.success()
