"""`/_mock/deliveries` and `/_mock/changes`: the outbound deliveries the fake made (or will make),
what shapes them, and the change feed they come from (mockserver/delivery/, core/changes.py).

    GET    /_mock/deliveries          ?provider= &status= &kind= (each repeatable or comma-
                                      separated) &target=<URL prefix> &subscription= &since=<n>
                                      &limit=<newest n>
    DELETE /_mock/deliveries          forget every delivery, pending ones too (rules stay)
    GET    /_mock/deliveries/{id}
    POST   /_mock/deliveries/{id}/deliver   send it now, past any pause, delay or hold
    POST   /_mock/deliveries/flush    {"timeout": s}: send what is due, return when nothing is
    GET|POST|DELETE /_mock/deliveries/rules      fail / drop / delay / duplicate / reorder
    GET|DELETE      /_mock/deliveries/rules/{id}
    GET|POST        /_mock/deliveries/pause      {"provider"?, "target"?}
    POST            /_mock/deliveries/resume     {"provider"?, "target"?} ({} lifts every pause)
    GET    /_mock/changes             ?since=<seq> &limit= &kind= &source=
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver import registry
from mockserver.control.common import add_rules, json_body, problem
from mockserver.delivery import DeliveryEngine
from mockserver.delivery.models import FINAL
from mockserver.web import BodyError, json_response

STATUSES = ("pending", "held", "delivering", "retrying", *sorted(FINAL))


def engine(request: Request) -> DeliveryEngine:
    return request.app.state.server.deliveries


def listed(request: Request, name: str) -> list[str] | None:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    return values or None


def _number(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(value)


async def deliveries(request: Request) -> Response:
    e = engine(request)
    if request.method == "DELETE":
        return json_response({"cleared": e.clear()})
    try:
        statuses = listed(request, "status")
        if statuses and (bad := set(statuses) - set(STATUSES)):
            raise ValueError(f"unknown status {sorted(bad)}; known: {', '.join(STATUSES)}")
        since, limit = _number(request, "since"), _number(request, "limit")
    except ValueError as exc:
        return problem(400, "invalid delivery filter", detail=str(exc))
    await e.settle_inbox()
    found = e.find(
        provider=listed(request, "provider"),
        status=statuses,
        kind=listed(request, "kind"),
        target=request.query_params.get("target"),
        subscription=request.query_params.get("subscription"),
        since=since,
    )
    if limit is not None:
        found = found[-limit:] if limit else []
    return json_response(
        {
            "deliveries": [d.to_json() for d in found],
            "count": len(found),
            **e.summary(),
            "size": e.log.maxlen,
            "errors": list(e.errors),
        }
    )


async def delivery(request: Request) -> Response:
    d = engine(request).get(request.path_params["delivery_id"])
    if d is None:
        return problem(404, "unknown delivery", id=request.path_params["delivery_id"])
    return json_response(d.to_json())


async def deliver_now(request: Request) -> Response:
    ident = request.path_params["delivery_id"]
    d = engine(request).get(ident)
    if d is None:
        return problem(404, "unknown delivery", id=ident)
    if d.final:
        return problem(409, f"delivery is {d.status} already", id=ident)
    engine(request).deliver_now(ident)
    return json_response(d.to_json(), 202)


async def flush(request: Request) -> Response:
    try:
        body = await json_body(request)
    except BodyError as exc:
        return problem(400, "invalid JSON", detail=exc.detail)
    timeout = body.get("timeout", 30) if isinstance(body, dict) else None
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        return problem(400, "timeout must be a number of seconds > 0")
    try:
        summary = await engine(request).aflush(float(timeout))
    except TimeoutError as exc:
        return problem(504, "deliveries still due", detail=str(exc), **engine(request).summary())
    return json_response({"status": "flushed", **summary})


async def rules(request: Request) -> Response:
    r = engine(request).rules
    if request.method == "DELETE":
        n = len(r.rules)
        for rule in list(r.rules):
            r.remove(rule.id)
        return json_response({"cleared": n})
    if request.method == "POST":
        try:
            body = await json_body(request)
        except BodyError as exc:
            return problem(400, "invalid JSON", detail=exc.detail)
        done = add_rules(body, r, "rules", "delivery rule")
        if isinstance(done, Response):
            return done
        many, added = done
        engine(request).nudge()
        if many:
            return json_response({"rules": [x.to_json() for x in added]}, 201)
        return json_response(added[0].to_json(), 201)
    return json_response({"rules": [x.to_json() for x in r.rules]})


async def rule(request: Request) -> Response:
    r = engine(request).rules
    ident = request.path_params["rule_id"]
    found = r.get(ident)
    if found is None:
        return problem(404, "unknown delivery rule", id=ident)
    if request.method == "DELETE":
        r.remove(ident)
        return json_response({"deleted": ident})
    return json_response(found.to_json())


def _pause_spec(body: Any) -> tuple[str | None, str | None]:
    if not isinstance(body, dict) or set(body) - {"provider", "target"}:
        raise ValueError("body must be {provider?, target?}")
    provider, target = body.get("provider"), body.get("target")
    if provider is not None and provider not in registry.names():
        raise ValueError(f"unknown provider {provider!r}; known: {', '.join(registry.names())}")
    if target is not None and not isinstance(target, str):
        raise ValueError("target must be a URL (a trailing * matches any rest)")
    return provider, target


async def pause(request: Request) -> Response:
    e = engine(request)
    if request.method == "POST":
        try:
            provider, target = _pause_spec(await json_body(request))
        except (BodyError, ValueError) as exc:
            return problem(400, "invalid pause", detail=str(exc))
        e.rules.pause(provider, target)
        e.nudge()
    return json_response({"pauses": list(e.rules.pauses)})


async def resume(request: Request) -> Response:
    e = engine(request)
    try:
        provider, target = _pause_spec(await json_body(request))
    except (BodyError, ValueError) as exc:
        return problem(400, "invalid pause", detail=str(exc))
    lifted = e.rules.resume(provider, target)
    e.nudge()
    return json_response({"resumed": lifted, "pauses": list(e.rules.pauses)})


async def changes(request: Request) -> Response:
    feed = request.app.state.server.world.changes
    try:
        since, limit = _number(request, "since") or 0, _number(request, "limit")
    except ValueError as exc:
        return problem(400, "invalid change filter", detail=str(exc))
    kinds, sources = listed(request, "kind"), listed(request, "source")
    found = [
        c
        for c in feed.since(since)
        if (kinds is None or c.kind in kinds) and (sources is None or (c.source or "") in sources)
    ]
    if limit is not None:
        found = found[-limit:] if limit else []
    return json_response(
        {
            "changes": [c.to_json() for c in found],
            "count": len(found),
            "last_seq": feed.last_seq,
            "size": feed.records.maxlen,
        }
    )


routes = [
    Route("/_mock/deliveries", deliveries, methods=["GET", "DELETE"]),
    Route("/_mock/deliveries/flush", flush, methods=["POST"]),
    Route("/_mock/deliveries/rules", rules, methods=["GET", "POST", "DELETE"]),
    Route("/_mock/deliveries/rules/{rule_id}", rule, methods=["GET", "DELETE"]),
    Route("/_mock/deliveries/pause", pause, methods=["GET", "POST"]),
    Route("/_mock/deliveries/resume", resume, methods=["POST"]),
    Route("/_mock/deliveries/{delivery_id}", delivery, methods=["GET"]),
    Route("/_mock/deliveries/{delivery_id}/deliver", deliver_now, methods=["POST"]),
    Route("/_mock/changes", changes, methods=["GET"]),
]
