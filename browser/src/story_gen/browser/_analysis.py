"""What the service asks of the core: diagnose (incrementally), plan, merge, export.

One module, so the service speaks in Stories and blueprints while the core speaks in its own
terms (raw documents and paths for the incremental diagnoser, three documents for merge).
"""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any, Literal

from pydantic import BaseModel, JsonValue

from story_gen.browser._diagnostics_delta import DiagnosticsDelta, counts_after, splices
from story_gen.browser._errors import StudioError
from story_gen.browser._records import ProblemCounts, count_problems
from story_gen.core import (
    ConflictResolutionError,
    DiagnosisSession,
    Diagnostic,
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
from story_gen.core.patch import Applied, diff, touched_by

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


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


_VERSIONS = count(1)
"""Versions of diagnostics lists, increasing across every story this service holds: a story
loaded again never reuses a version the UI may still hold."""


class Diagnoser:
    """Diagnostics of one story's successive blueprints, kept up to date edit by edit.

    An edit brings its own record of what it touched (``follow``); any other new blueprint
    (undo, redo, a merge with another tab) is diffed against the last one into a patch,
    whose touched entities the core's :class:`DiagnosisSession` follows the same way. The
    result always equals a full ``diagnose()`` (the core proves it; tests/browser check it
    over random edit sequences).

    Each blueprint's list has a version. The diagnoser remembers the last list it gave the UI
    (``sent``, ``delta``), so a typed edit's push carries only what changed since
    (docs/adr/0133-diagnostics-delta.md).
    """

    def __init__(self, blueprint: StoryBlueprint, session: DiagnosisSession | None = None) -> None:
        """``session``: one already made on ``blueprint`` (``story_gen.core.stored``)."""
        self._blueprint = blueprint
        self._session = DiagnosisSession(_dump(blueprint)) if session is None else session
        self._diagnostics: list[Diagnostic] | None = None
        self._counts: ProblemCounts | None = None
        self._version = next(_VERSIONS)
        self._sent: tuple[int, list[Diagnostic], ProblemCounts] | None = None

    @property
    def version(self) -> int:
        """The version of the last diagnosed blueprint's list."""
        return self._version

    def counts(self) -> ProblemCounts:
        """Problem counts of the last diagnosed blueprint."""
        if self._counts is None:
            self._counts = count_problems(self._current())
        return self._counts

    def follow(self, before: StoryBlueprint, edit: Applied[StoryBlueprint]) -> None:
        """Catch up with ``edit``, made on ``before``."""
        self._catch_up(before)
        self._session.follow(edit)
        self._moved_to(edit.document)

    def diagnose(self, blueprint: StoryBlueprint) -> list[Diagnostic]:
        self._catch_up(blueprint)
        return self._current()

    def sent(self, blueprint: StoryBlueprint) -> list[Diagnostic]:
        """``blueprint``'s whole list, noted as the one the UI holds now."""
        diagnostics = self.diagnose(blueprint)
        self._sent = (self._version, diagnostics, self.counts())
        return diagnostics

    def delta(self, blueprint: StoryBlueprint) -> DiagnosticsDelta | None:
        """How ``blueprint``'s list differs from the last one given to the UI, noted as given;
        None when none was (the whole list must go, through :meth:`sent`)."""
        if self._sent is None:
            return None
        diagnostics = self.diagnose(blueprint)
        base, before, before_counts = self._sent
        changes = [] if base == self._version else splices(before, diagnostics)
        if self._counts is None:
            self._counts = counts_after(before_counts, before, changes)
        self._sent = (self._version, diagnostics, self._counts)
        return DiagnosticsDelta(base=base, splices=changes)

    def _catch_up(self, blueprint: StoryBlueprint) -> None:
        if blueprint is not self._blueprint:
            patch = diff(self._blueprint, blueprint)
            self._session.follow(Applied(blueprint, touched_by(patch)))
            self._moved_to(blueprint)

    def _moved_to(self, blueprint: StoryBlueprint) -> None:
        self._blueprint = blueprint
        self._diagnostics = None
        self._counts = None
        self._version = next(_VERSIONS)

    def _current(self) -> list[Diagnostic]:
        if self._diagnostics is None:
            self._diagnostics = self._session.diagnostics()
        return self._diagnostics


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
