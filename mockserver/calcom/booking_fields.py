"""The booking responses check of handleNewBooking for the default (system) booking fields,
which the fake's event types all have: `name` and `email` required, `email` and each of
`guests` an email address, no guest twice (packages/features/bookings/lib/
getBookingResponsesSchema.ts in the cal.com monorepo). The API's input service builds the
responses from the body (`name`/`email` from `attendee`, `email` "" when there is none), and a
failure is a ZodError: 400 in the Zod filter's envelope, `error.code` "BAD_REQUEST" and no
`details` (apps/api/v2/src/filters/zod-exception.filter.ts)."""

from __future__ import annotations

import re
from typing import Any

from mockserver.calcom.exceptions import zod_failure

# packages/prisma/zod-utils.ts emailRegex (emailSchemaRefinement).
EMAIL = re.compile(
    r"^(([^<>()\[\]\\.,;:\s@\"]+(\.[^<>()\[\]\\.,;:\s@\"]+)*)|(\".+\"))@"
    r"((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$"
)


def issues(name: str, email: str, guests: list[str]) -> list[str]:
    """The Zod issue messages, in the order the refinement adds them (a missing required field
    ends the check)."""
    if not name:
        return ["{name}error_required_field"]
    if not email:
        return ["{email}error_required_field"]
    found = []
    if not EMAIL.match(email):
        found.append("{email}email_validation_error")
    if guests and not all(g == "" for g in guests):
        if not all(EMAIL.match(g) for g in guests):
            found.append("{guests}email_validation_error")
        elif len(set(guests)) < len(guests):
            found.append("{guests}duplicate_email")
    return found


def check(attendee: dict[str, Any], guests: list[str]) -> None:
    found = issues(str(attendee.get("name") or ""), str(attendee.get("email") or ""), guests)
    if found:
        # ZodError.issues.reduce((acc, issue) => `${path} - ${message}, ${acc}`, "")
        message = ""
        for issue in found:
            message = f"responses - {issue}, {message}"
        raise zod_failure(message)
