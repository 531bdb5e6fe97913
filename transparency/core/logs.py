"""Logs as one JSON object per line, each carrying the id of the request it belongs to (issue 14,
point 6), so that a log collector can follow one request across lines and machines.

LOG_FORMAT=json (the default) installs one handler on the root logger, writing to the standard
error stream as it is at the moment of writing (a server redirects it; a test captures it);
LOG_FORMAT=plain leaves logging as Python sets it up. What a line holds: time, level, logger,
message, request_id, and the fields a caller passed as `extra` from FIELDS. Never a header, a
query string or a form field: tokens and villagers' words stay out of the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

from flask import Flask, g, has_request_context
from flask.logging import default_handler

FIELDS = ("method", "path", "endpoint", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """To `sys.stderr` as it is when a line is written, not as it was when the handler was made."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdFilter())

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


# Libraries that announce their own start-up at INFO on every command: only their warnings count.
CHATTY_LOGGERS = ("pikepdf._core", "alembic.runtime.plugins")


def init_app(app: Flask) -> None:
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if app.config.get("LOG_FORMAT", "json") != "json":
        return
    root = logging.getLogger()
    if not any(isinstance(handler, JsonHandler) for handler in root.handlers):
        root.addHandler(JsonHandler())
    level = logging.getLevelName(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    app.logger.removeHandler(default_handler)  # the app's lines reach the root handler once, as JSON
