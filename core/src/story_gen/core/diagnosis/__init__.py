"""Diagnostics, not exceptions: every problem of a blueprint at once, each pointing at its field.

``diagnose(raw)`` accepts any JSON-like value and never raises. Codes (stable, never
reworded):

======================================  ========  =============================================
code                                    severity  when
======================================  ========  =============================================
``schema.invalid``                      error     wrong type, missing field, out of range
``schema.unknown_field``                error     a field the contract does not have (typo?)
``key.invalid``                         error     a key that is not ``^[a-z][a-z0-9_-]{0,119}$``
``key.duplicate``                       error     two themes / characters / chapters share a key
``chapter.unknown_theme``               error     required theme that does not exist
``chapter.unknown_character``           error     participating character that does not exist
``chapter.unknown_prerequisite``        error     prerequisite chapter that does not exist
``chapter.self_prerequisite``           error     a chapter that needs itself first
``chapter.cycle``                       error     chapters that need each other in a circle
``character.unknown_relationship``      error     relationship with a character that does not exist
``character.self_relationship``         warning   a character related to itself
``theme.unused``                        warning   no chapter requires the theme
``character.unused``                    warning   the character is in no chapter
``chapter.unreachable``                 warning   depends (maybe indirectly) on a chapter in a cycle
``premise.empty``                       warning   no premise yet
``chapter.no_draft``                    info      no draft text yet
``story.unsupported_version``           error     a Story file from a newer story_gen
``story.unresolved_conflict``           warning   a Story still carries a merge conflict
======================================  ========  =============================================

Order: the blueprint's own fields first, then each theme, character and chapter in
list order; inside one entity, fields in the contract's order. Paths use the raw
document's indexes and field names.
"""

from __future__ import annotations

from story_gen.core.diagnosis._entries import STRUCTURAL_CODES
from story_gen.core.diagnosis._raw import InvalidEditError
from story_gen.core.diagnosis._session import DiagnosisSession
from story_gen.core.diagnostic import Diagnostic

__all__ = ["STRUCTURAL_CODES", "DiagnosisSession", "InvalidEditError", "diagnose"]


def diagnose(raw: object) -> list[Diagnostic]:
    """Every problem of the blueprint ``raw`` (any JSON-like value), in document order."""
    return DiagnosisSession(raw).diagnostics()
