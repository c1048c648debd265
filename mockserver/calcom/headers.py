"""The headers the API v2 bootstrap puts on every answer (apps/api/v2/src/bootstrap.ts in the
cal.com monorepo): `app.use(helmet())` with helmet 7's defaults, then `app.enableCors(...)`,
whose cors middleware allows any origin on every answer and answers any OPTIONS as a preflight
(204) before routing or guards."""

from __future__ import annotations

import uuid

HELMET = {
    "Content-Security-Policy": "default-src 'self';base-uri 'self';font-src 'self' https: data:;"
    "form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';"
    "script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';"
    "upgrade-insecure-requests",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Origin-Agent-Cluster": "?1",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=15552000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-DNS-Prefetch-Control": "off",
    "X-Download-Options": "noopen",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Permitted-Cross-Domain-Policies": "none",
    "X-XSS-Protection": "0",
}
# `origin: "*"`: the same header on every answer, no Vary
ALLOW_ORIGIN = {"Access-Control-Allow-Origin": "*"}
# the preflight's: the configured methods and allowedHeaders, joined by "," as cors joins them
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET,PATCH,DELETE,HEAD,POST,PUT,OPTIONS",
    "Access-Control-Allow-Headers": "x-cal-client-id,x-cal-secret-key,x-cal-platform-embed,"
    "cal-api-version,Accept,Authorization,Content-Type,Origin",
    "Access-Control-Max-Age": "86400",
}


def every_answer() -> dict[str, str]:
    """The headers of any answer before the handler adds its own (rate limits and the like)."""
    return {"X-Request-Id": str(uuid.uuid4()), **HELMET, **ALLOW_ORIGIN}
