"""The dashboard's template environment: Jinja2 with autoescaping, templates in `templates/`."""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape


def pretty(value: Any) -> str:
    """JSON for a <pre> block (sorted keys would hide the provider's own order: kept as is)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2, default=str).decode()


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mockserver.ui", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty"] = pretty
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def root_page(info: dict[str, Any]) -> str:
    """`/` for a browser: the providers, the dashboard and the docs."""
    return render("root.html", info=info, nav=None, deliveries=False)
