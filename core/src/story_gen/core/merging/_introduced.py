"""Errors a merge introduced: in the merged blueprint, in neither side.

The source of truth is ``diagnose``. Running it three times per merge would cost more
than the merge itself (tens of milliseconds on 1,000 chapters in Pyodide), so a cheap
screen runs first: a merged document built from two valid-model sides can only gain
*cross-entity* errors, which are a reference to a key that does not exist (required
theme, participating character, prerequisite, relationship) or a prerequisite cycle.
Every other error belongs to one entity whose value came from a side, and that side
has the same error already. Only when the merged blueprint has a dangling reference
or any cycle, is ``diagnose`` run on all three to name what is new. (A valid story has
neither, so the usual merge pays for one pass of set operations.)
"""

from __future__ import annotations

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.diagnosis import diagnose
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.core.graph import is_acyclic
from story_gen.core.story import Story

__all__ = ["introduced", "introduced_by_diagnose"]

Document = Story | StoryBlueprint


def _blueprint(document: Document) -> StoryBlueprint:
    return document.blueprint if isinstance(document, Story) else document


def _has_dangling(blueprint: StoryBlueprint) -> bool:
    """Whether some reference names a key that does not exist (set operations, at C speed)."""
    themes = {t.key for t in blueprint.themes}
    characters = {c.key for c in blueprint.characters}
    chapters = {c.key for c in blueprint.chapters}
    return not (
        all(
            themes.issuperset(c.required_themes)
            and characters.issuperset(c.participating_characters)
            and chapters.issuperset(c.prerequisites)
            for c in blueprint.chapters
        )
        and all(characters.issuperset(c.relationships) for c in blueprint.characters)
    )


def _cyclic(blueprint: StoryBlueprint) -> bool:
    index = {c.key: i for i, c in enumerate(blueprint.chapters)}
    succ = [
        [index[p] for p in c.prerequisites if p in index and p != c.key] for c in blueprint.chapters
    ]
    return not is_acyclic(succ)


def _errors(blueprint: StoryBlueprint) -> list[Diagnostic]:
    return [d for d in diagnose(blueprint.model_dump(mode="json")) if d.severity is Severity.ERROR]


def introduced_by_diagnose(merged: Document, ours: Document, theirs: Document) -> list[Diagnostic]:
    """The errors of ``merged`` that neither side has, by running ``diagnose`` on all three.

    Paths hold list indexes, which differ between the three documents; a message names
    the keys involved, so (code, message) identifies "the same problem".
    """
    errors = _errors(_blueprint(merged))
    if not errors:
        return []
    known = {(d.code, d.message) for side in (ours, theirs) for d in _errors(_blueprint(side))}
    return [d for d in errors if (d.code, d.message) not in known]


def introduced(merged: Document, ours: Document, theirs: Document) -> list[Diagnostic]:
    blueprint = _blueprint(merged)
    if blueprint is _blueprint(ours) or blueprint is _blueprint(theirs):
        return []
    if not _has_dangling(blueprint) and not _cyclic(blueprint):
        return []
    return introduced_by_diagnose(merged, ours, theirs)
