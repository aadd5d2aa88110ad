"""The shape of a problem report: what ``diagnose`` returns and what every surface shows.

Diagnostics are values, not exceptions: an editor holds invalid drafts all the
time and needs every problem at once, each pointing at the field it is about.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["Diagnostic", "InvalidBlueprintError", "Severity"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: Severity
    code: str
    """Stable machine code, e.g. ``chapter.unknown_theme``; never reworded."""
    path: str
    """JSON path of the field, e.g. ``chapters[3].prerequisites[0]``; ``""`` is the whole document."""
    message: str
    """One sentence a writer understands."""
    hint: str | None = None
    """How to fix it, with a "did you mean ..." suggestion where a close key exists."""


class InvalidBlueprintError(ValueError):
    """Raised by the loaders when a document has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        first = errors[0] if errors else None
        summary = f"{first.path or '<document>'}: {first.message}" if first else "invalid"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"the blueprint has {len(errors)} error(s): {summary}{more}")
        self.diagnostics = diagnostics
