"""Blueprint checks at the API's edge: the core's loader, plus the server's size limit."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from story_gen.core import StoryBlueprint, to_canonical_json
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.errors import ApiError

__all__ = ["BlueprintRejectedError", "validate_blueprint"]


class BlueprintRejectedError(ApiError):
    """422 (invalid) or 413 (too large), with the core's diagnostics."""


def _load(raw: Any) -> StoryBlueprint:
    try:
        return StoryBlueprint.model_validate(raw)
    except ValidationError as error:
        diagnostics = [
            Diagnostic(
                severity=Severity.ERROR,
                code=f"blueprint.{item['type']}",
                path=".".join(str(p) for p in item["loc"]),
                message=item["msg"],
            )
            for item in error.errors()
        ]
        raise BlueprintRejectedError(
            422,
            "blueprint_invalid",
            f"the blueprint has {len(diagnostics)} error(s); see diagnostics",
            diagnostics=diagnostics,
        ) from None


def validate_blueprint(raw: Any, *, max_bytes: int, path: str = "blueprint") -> StoryBlueprint:
    blueprint = _load(raw)
    size = len(to_canonical_json(blueprint).encode("utf-8"))
    if size > max_bytes:
        raise BlueprintRejectedError(
            413,
            "blueprint_too_large",
            f"the blueprint is {size} bytes as canonical JSON; this server keeps at most "
            f"{max_bytes}. Split the story or move long drafts out of it.",
            diagnostics=[
                Diagnostic(
                    severity=Severity.ERROR,
                    code="blueprint.too_large",
                    path=path,
                    message=f"{size} bytes is over the {max_bytes}-byte limit",
                    hint="split the story into smaller ones",
                )
            ],
        )
    return blueprint
