"""Loading (importing) documents: diagnostics first, a model only when the document allows one.

Two kinds of document exist: a bare blueprint and a ``Story`` envelope (a blueprint
with ``story_id``, ``title``, timestamps, ...). :func:`inspect_document` tells them
apart and is what the CLI uses; the ``load_*`` functions are the strict front doors
that raise :class:`InvalidBlueprintError` carrying every diagnostic.

``strict=False`` accepts a plan the model can hold but that is not finished: unknown
references and prerequisite cycles (planning shows those). Schema errors, invalid and
duplicate keys always refuse, since no model can represent them.

Every function here is pure: input documents are never modified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from pydantic import ValidationError

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.conflicts import Conflict
from story_gen.core.diagnosis import STRUCTURAL_CODES, DiagnosisSession
from story_gen.core.diagnosis._entries import Entry, describe, entry, field_rank
from story_gen.core.diagnosis._schema import schema_entries
from story_gen.core.diagnostic import Diagnostic, InvalidBlueprintError, Severity
from story_gen.core.json_text import parse_json
from story_gen.core.story import Story, UnsupportedSchemaVersionError, migrate

__all__ = [
    "Inspection",
    "inspect_blueprint",
    "inspect_document",
    "inspect_story",
    "is_story_document",
    "load_blueprint",
    "load_blueprint_json",
    "load_document",
    "load_story",
    "load_story_json",
]

_STORY_FIELDS = list(Story.model_fields)


ModelT = TypeVar("ModelT", StoryBlueprint, Story)


@dataclass(frozen=True, slots=True)
class Inspection(Generic[ModelT]):
    """A document's diagnostics and, when no structural error stops it, its model."""

    kind: Literal["blueprint", "story"]
    diagnostics: list[Diagnostic]
    value: ModelT | None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def require(self, *, strict: bool = True) -> ModelT:
        """The model; raise InvalidBlueprintError on errors (only structural ones if not strict)."""
        if self.value is None or (strict and self.errors):
            raise InvalidBlueprintError(self.diagnostics)
        return self.value


def is_story_document(raw: object) -> bool:
    """A Story envelope has a ``story_id`` or a ``blueprint`` field; anything else is a blueprint."""
    return isinstance(raw, Mapping) and ("story_id" in raw or "blueprint" in raw)


def inspect_blueprint(raw: object) -> Inspection[StoryBlueprint]:
    session = DiagnosisSession(raw)
    return Inspection("blueprint", session.diagnostics(), session.blueprint())


def _in_blueprint(diagnostic: Diagnostic) -> Diagnostic:
    path = f"blueprint.{diagnostic.path}" if diagnostic.path else "blueprint"
    return diagnostic.model_copy(update={"path": path})


def inspect_story(raw: object) -> Inspection[Story]:
    if not isinstance(raw, dict):
        problem = entry(
            Severity.ERROR,
            "schema.invalid",
            (),
            f"A story should be a JSON object {{...}}, not {describe(raw)}.",
        )
        return Inspection("story", [problem[1]], None)
    try:
        doc = migrate(raw)
    except UnsupportedSchemaVersionError as exc:
        problem = entry(Severity.ERROR, "story.unsupported_version", ("schema_version",), str(exc))
        return Inspection("story", [problem[1]], None)
    envelope = {k: v for k, v in doc.items() if k != "blueprint"}
    found: list[Entry] = []
    try:
        Story.model_validate({**envelope, "blueprint": {}})
    except ValidationError as exc:
        found = schema_entries(
            exc.errors(include_url=False),
            prefix=(),
            kind="story",
            raw=doc,
            label="The story",
            fields=_STORY_FIELDS,
            singular="story",
            skip=frozenset({"blueprint"}),
        )
    blueprint_rank = field_rank("story", "blueprint")
    if "blueprint" not in doc:
        found.append(
            entry(
                Severity.ERROR,
                "schema.invalid",
                ("blueprint",),
                "The story has no blueprint.",
                'Add "blueprint": {...} with the premise, themes, characters and chapters.',
                rank=(blueprint_rank, -1),
            )
        )
    found.sort(key=lambda item: item[0])
    session = DiagnosisSession(doc.get("blueprint", {}))
    inner = [_in_blueprint(d) for d in session.diagnostics()] if "blueprint" in doc else []
    diagnostics = [d for rank, d in found if rank[0] < blueprint_rank]
    diagnostics += [d for rank, d in found if rank[0] == blueprint_rank] + inner
    diagnostics += [d for rank, d in found if rank[0] > blueprint_rank]
    blueprint = session.blueprint()
    value: Story | None = None
    if blueprint is not None and not any(d.code in STRUCTURAL_CODES for d in diagnostics):
        value = Story.model_validate({**envelope, "blueprint": blueprint})
        diagnostics += [_unresolved(i, conflict) for i, conflict in enumerate(value.conflicts)]
    return Inspection("story", diagnostics, value)


def _unresolved(index: int, conflict: Conflict) -> Diagnostic:
    """A merge conflict the story still carries: it loads, but a writer has a choice to make."""
    holds = {"ours": "our value", "theirs": "their value", "both": "a mix of both orders"}
    what = conflict.message or f"both sides changed {conflict.path}"
    return entry(
        Severity.WARNING,
        "story.unresolved_conflict",
        ("conflicts", index),
        f"Unresolved merge conflict at {conflict.path}: {what}. "
        f"Until it is resolved the story holds {holds[conflict.provisional]} there.",
        f"Choose ours, theirs or a new value (in the studio, or "
        f"resolve(story, {conflict.conflict_id!r}, ...) in Python); both values are kept "
        "in the conflict until then.",
    )[1]


def inspect_document(raw: object) -> Inspection[StoryBlueprint] | Inspection[Story]:
    """Inspect a bare blueprint or a Story envelope, whichever ``raw`` is."""
    return inspect_story(raw) if is_story_document(raw) else inspect_blueprint(raw)


def load_blueprint(raw: object, *, strict: bool = True) -> StoryBlueprint:
    return inspect_blueprint(raw).require(strict=strict)


def load_story(raw: object, *, strict: bool = True) -> Story:
    """Migrate ``raw`` to the current schema version, then validate it."""
    return inspect_story(raw).require(strict=strict)


def load_document(raw: object, *, strict: bool = True) -> StoryBlueprint | Story:
    return inspect_document(raw).require(strict=strict)


def load_blueprint_json(text: str, *, strict: bool = True) -> StoryBlueprint:
    """Parse and load; raises JsonSyntaxError (bad JSON) or InvalidBlueprintError."""
    return load_blueprint(parse_json(text), strict=strict)


def load_story_json(text: str, *, strict: bool = True) -> Story:
    return load_story(parse_json(text), strict=strict)
