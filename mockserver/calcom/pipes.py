"""The booking body pipes of bookings 2024-08-13: CreateBookingInputPipe,
CancelBookingInputPipe and RescheduleBookingInputPipe
(packages/platform/types/bookings/2024-08-13/inputs/*-input.pipe.ts in the cal.com monorepo).

The global ValidationPipe skips these union-typed bodies; each pipe picks the DTO by the body's
keys, validates with `whitelist: true, forbidNonWhitelisted: true` (an undeclared property is
refused, not dropped) and throws `BadRequestException(formatErrors(errors))`: a flat text in
`error.message`, `{message, error: "Bad Request", statusCode: 400}` in `error.details`."""

from __future__ import annotations

from typing import Any

from mockserver.calcom import dto
from mockserver.calcom.exceptions import bad_request


def _check(schema: dto.Dto, body: Any) -> dict[str, Any]:
    clean, errors = dto.validate(schema, body, forbid=True)
    if errors:
        raise bad_request(dto.pipe_message(errors))
    return clean


def create_body(body: Any) -> dict[str, Any]:
    """A body with `recurrenceCount` is validated as a recurring booking, one with
    `instant: true` as an instant booking, any other as a booking (create-booking-input.pipe.ts
    @ 51442f5e): a key only another variant declares is refused as undeclared."""
    if isinstance(body, dict) and "recurrenceCount" in body:
        return _check(dto.CREATE_RECURRING_BOOKING, body)
    if isinstance(body, dict) and body.get("instant") is True:
        return _check(dto.CREATE_INSTANT_BOOKING, body)
    return _check(dto.CREATE_BOOKING, body)


def cancel_body(body: Any) -> dict[str, Any]:
    """With `seatUid` the body is a seated cancel (only seatUid is declared)."""
    if isinstance(body, dict) and "seatUid" in body:
        return _check(dto.CANCEL_SEATED_BOOKING, body)
    return _check(dto.CANCEL_BOOKING, body)


def reschedule_body(body: Any) -> dict[str, Any]:
    """With `seatUid` the body is a seated reschedule."""
    if isinstance(body, dict) and "seatUid" in body:
        return _check(dto.RESCHEDULE_SEATED_BOOKING, body)
    return _check(dto.RESCHEDULE_BOOKING, body)
