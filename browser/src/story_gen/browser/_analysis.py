"""What the service asks of the core: diagnose (incrementally), plan, merge, export.

One module, so the service speaks in Stories and blueprints while the core speaks in its own
terms (raw documents and paths for the incremental diagnoser, three documents for merge).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, JsonValue

from story_gen.browser._errors import StudioError
from story_gen.browser._records import ProblemCounts, count_problems
from story_gen.core import (
    ConflictResolutionError,
    DiagnosisSession,
    Diagnostic,
    InvalidEditError,
    NewValue,
    Plan,
    Story,
    StoryBlueprint,
    merge,
    plan,
    resolve,
    to_canonical_json,
    to_markdown,
)

__all__ = [
    "ConflictValue",
    "Diagnoser",
    "Plan",
    "canonical",
    "diagnose_blueprint",
    "diagnose_raw",
    "markdown",
    "merge_blueprints",
    "merge_stories",
    "plan_of",
    "resolve_conflict",
]

ConflictValue = JsonValue
_KINDS = ("themes", "characters", "chapters")


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


class Diagnoser:
    """Diagnostics of one story's successive blueprints, kept up to date edit by edit.

    Each blueprint the service makes shares every untouched entity object with the one before
    (see ``_edits``), so comparing by identity finds what an edit touched; only those
    entities go to the core's incremental :class:`DiagnosisSession`. The result always
    equals a full ``diagnose()`` (tests/browser check it over random edit sequences).
    """

    def __init__(self, blueprint: StoryBlueprint) -> None:
        self._reset(blueprint)

    def _reset(self, blueprint: StoryBlueprint) -> None:
        self._blueprint = blueprint
        self._session = DiagnosisSession(_dump(blueprint))
        self._diagnostics = self._session.diagnostics()
        self._counts: ProblemCounts | None = None

    def counts(self) -> ProblemCounts:
        """Problem counts of the last diagnosed blueprint."""
        if self._counts is None:
            self._counts = count_problems(self._diagnostics)
        return self._counts

    def diagnose(self, blueprint: StoryBlueprint) -> list[Diagnostic]:
        if blueprint is self._blueprint:
            return self._diagnostics
        try:
            self._sync(self._blueprint, blueprint)
        except InvalidEditError:  # pragma: no cover - defensive: start over, never be wrong
            self._reset(blueprint)
            return self._diagnostics
        self._blueprint = blueprint
        self._diagnostics = self._session.diagnostics()
        self._counts = None
        return self._diagnostics

    def _sync(self, old: StoryBlueprint, new: StoryBlueprint) -> None:
        session = self._session
        if new.premise != old.premise:
            session.set_field(("premise",), new.premise)
        if new.canon_rules != old.canon_rules:
            session.set_field(("canon_rules",), list(new.canon_rules))
        changed_kinds = [k for k in _KINDS if getattr(old, k) is not getattr(new, k)]
        if len(changed_kinds) > 1:
            # A rename (or a removal with its references) touches several kinds at once; the
            # core's session can then keep a stale "unused" finding (renaming a theme, then
            # the chapters that require it), so such a step is diagnosed in one full pass.
            session.set_field((), _dump(new))
            return
        for kind in changed_kinds:
            before: list[Any] = getattr(old, kind)
            after: list[Any] = getattr(new, kind)
            if len(after) == len(before):
                changed = [
                    i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a is not b
                ]
                if len(changed) * 4 > len(after) + 4:  # most of the list moved: one full pass
                    session.set_field((kind,), [_dump(e) for e in after])
                else:
                    for index in changed:
                        session.update_entity(kind, index, _dump(after[index]))
            elif len(after) == len(before) + 1 and all(
                a is b for a, b in zip(before, after, strict=False)
            ):
                session.update_entity(kind, len(before), _dump(after[-1]))
            elif len(after) == len(before) - 1 and all(
                a is b for a, b in zip(after, before, strict=False)
            ):
                session.delete((kind, len(before) - 1))
            else:
                session.set_field((kind,), [_dump(e) for e in after])


def diagnose_blueprint(blueprint: StoryBlueprint) -> list[Diagnostic]:
    return DiagnosisSession(_dump(blueprint)).diagnostics()


def diagnose_raw(raw: object) -> tuple[list[Diagnostic], StoryBlueprint | None]:
    """Diagnostics of any JSON-like value, and the blueprint when it has no structural error."""
    session = DiagnosisSession(raw)
    return session.diagnostics(), session.blueprint()


def plan_of(blueprint: StoryBlueprint) -> Plan:
    return plan(blueprint)


def markdown(story: Story) -> str:
    return to_markdown(story.blueprint, title=story.title)


def canonical(model: BaseModel) -> str:
    return to_canonical_json(model)


def merge_blueprints(
    base: StoryBlueprint, ours: StoryBlueprint, theirs: StoryBlueprint
) -> StoryBlueprint:
    return merge(base, ours, theirs).merged


def merge_stories(base: Story, ours: Story, theirs: Story, *, now: datetime) -> Story:
    """Three-way merge of whole stories: the core merges the documents (blueprint, title and
    conflicts); the merged story is stamped ``now``."""
    merged = merge(base, ours, theirs).merged
    return merged.model_copy(update={"updated_at_utc": now})


def resolve_conflict(
    story: Story,
    conflict_id: str,
    choice: Literal["ours", "theirs", "custom"],
    value: ConflictValue,
    *,
    now: datetime,
) -> Story:
    """``story`` with one conflict settled (the core's resolve); stamped ``now``."""
    decision: Literal["ours", "theirs"] | NewValue = (
        NewValue(value=value) if choice == "custom" else choice
    )
    try:
        resolved = resolve(story, conflict_id, decision)
    except ConflictResolutionError as error:
        raise StudioError(str(error), type="conflict.invalid") from None
    return resolved.model_copy(update={"updated_at_utc": now})
