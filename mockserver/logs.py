"""Server logs: uvicorn's own text format, or one JSON object per line (`serve --log-format
json`) for log collectors. Access lines carry `client`, `method`, `path`, `http_version` and
`status` as fields."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import uvicorn.config

ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


def timestamp(when: float | None = None) -> str:
    moment = datetime.now(UTC) if when is None else datetime.fromtimestamp(when, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...}`, one line per record."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            out.update(zip(ACCESS_FIELDS, args, strict=True))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def log_config(log_format: str, level: str) -> dict[str, Any]:
    """uvicorn's `log_config` for the format: its default for text, JSON lines otherwise."""
    if log_format != "json":
        return uvicorn.config.LOGGING_CONFIG
    handler = {"formatter": "json", "class": "logging.StreamHandler"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "default": {**handler, "stream": "ext://sys.stderr"},
            "access": {**handler, "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "mockserver": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }
