"""Blueprint checks at the API's edge: the core's loader, plus the server's size limit.

The story API loads strictly (any error-level diagnostic is a 422), as earlier story_gen
servers did. Sync pushes carry a writer's work in progress, so they load leniently: only
structural errors (the document cannot be a blueprint at all) reject a change; an unfinished
plan with, say, a dangling chapter reference still syncs, and the studio shows the problem.
"""

from __future__ import annotations

from typing import Any

from story_gen.core import InvalidBlueprintError, StoryBlueprint, load_blueprint, to_canonical_json
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.errors import ApiError

__all__ = ["BlueprintRejectedError", "check_blueprint_size", "validate_blueprint"]


class BlueprintRejectedError(ApiError):
    """422 (invalid) or 413 (too large), with the core's diagnostics."""


def _located(diagnostic: Diagnostic, path: str) -> Diagnostic:
    inner = diagnostic.path
    where = f"{path}.{inner}" if inner and not inner.startswith("[") else f"{path}{inner}"
    return diagnostic.model_copy(update={"path": where})


def validate_blueprint(
    raw: Any, *, max_bytes: int, strict: bool = True, path: str = "blueprint"
) -> StoryBlueprint:
    try:
        blueprint = load_blueprint(raw, strict=strict)
    except InvalidBlueprintError as error:
        diagnostics = [_located(d, path) for d in error.diagnostics]
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        first = errors[0] if errors else None
        summary = f": {first.path}: {first.message}" if first else ""
        raise BlueprintRejectedError(
            422,
            "blueprint_invalid",
            f"the blueprint has {len(errors)} error(s){summary}",
            diagnostics=diagnostics,
        ) from None
    return check_blueprint_size(blueprint, max_bytes=max_bytes, path=path)


def check_blueprint_size(
    blueprint: StoryBlueprint, *, max_bytes: int, path: str = "blueprint"
) -> StoryBlueprint:
    """The blueprint, if its canonical JSON fits the server's limit; else a 413."""
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
