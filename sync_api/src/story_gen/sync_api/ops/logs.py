"""Structured JSON logs on stdout (and, when configured, a size-rotated file), one object per
line, each carrying the request id."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from story_gen.sync_api.ops.context import current_request_id

__all__ = ["JsonFormatter", "configure_logging", "logger"]

logger = logging.getLogger("story_gen.sync_api")

_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in payload and not key.startswith("_"):
                payload[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exc_type"] = record.exc_info[0].__name__
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time (test runners swap it)."""

    _story_gen_json = True

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> object:
        return sys.stdout

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging(
    level: str, *, file: Path | None = None, max_bytes: int = 10 * 1024 * 1024, backups: int = 5
) -> None:
    """Send ``story_gen.*`` logs to stdout as JSON, and to ``file`` too (rotated when it reaches
    ``max_bytes``, ``backups`` old files kept). Idempotent: one handler of each per process."""
    root = logging.getLogger("story_gen")
    root.setLevel(level.upper())
    if not any(getattr(h, "_story_gen_json", False) for h in root.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.propagate = False
    if file is not None:
        target = str(file.resolve())
        if not any(getattr(h, "baseFilename", None) == target for h in root.handlers):
            file.parent.mkdir(parents=True, exist_ok=True)
            rotating = logging.handlers.RotatingFileHandler(
                target, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
            )
            rotating.setFormatter(JsonFormatter())
            root.addHandler(rotating)
