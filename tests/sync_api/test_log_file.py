"""Logs: JSON lines on stdout always, and in a size-rotated file when STORY_GEN_LOG_FILE is set."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from story_gen.sync_api import create_app


@pytest.fixture
def restore_handlers() -> Iterator[None]:
    root = logging.getLogger("story_gen")
    handlers = list(root.handlers)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.usefixtures("restore_handlers")
def test_logs_go_to_a_rotating_file_when_asked(settings_for: Any, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "api.log"
    settings = settings_for(
        "sqlite", log_file=log, log_file_max_bytes=2048, log_file_backups=2, log_level="INFO"
    )
    with TestClient(create_app(settings)) as client:
        for _ in range(40):
            client.get("/healthz", headers={"X-Request-ID": "trace-12345678"})
    files = sorted(p.name for p in log.parent.iterdir())
    assert files == ["api.log", "api.log.1", "api.log.2"]  # rotated, two backups kept
    assert log.stat().st_size <= 2048
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    requests = [line for line in lines if line["msg"] == "request"]
    assert requests
    assert all(line["request_id"] == "trace-12345678" for line in requests)
    assert requests[-1]["path"] == "/healthz"
    create_app(settings)  # a second app in the process adds no second file handler
    targets = [getattr(h, "baseFilename", None) for h in logging.getLogger("story_gen").handlers]
    assert targets.count(str(log.resolve())) == 1
