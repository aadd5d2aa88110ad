"""AWS Lambda entry point for scheduled jobs (``{"job": "gc"}``) and the migrate deploy step
(``{"job": "migrate"}``): the same code as ``story-gen-sync-api``."""

from __future__ import annotations

from typing import Any

from story_gen.sync_api.__main__ import main


def handler(event: dict[str, Any], _context: object) -> dict[str, int]:
    return {"exit_code": main([str(event.get("job", "gc"))])}
