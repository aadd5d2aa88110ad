"""Opening a stored story without validating again what the core validated when it wrote it.

A story the core writes is stored as its canonical JSON (:func:`to_canonical_json`) beside
:func:`story_digest` of that text. The digest covers the exact bytes and names the contract
revision and this rule, so a matching digest proves the text is, byte for byte, a canonical
form the core produced from a validated story under today's contract: validating its
thousands of entities again would return exactly what the text says. :func:`open_story` then
builds the models directly; anything else (no digest: a story stored by an older studio; a
digest that does not match: the text or the digest was changed by anything but the core; an
older schema version) takes the full path, ``migrate`` and validation, as before.

The digest is a check against accidents and other writers (an older studio, a hand-edited
export, a bug, a damaged record), not against someone who can write both fields: the same
person could write any valid story through the studio anyway. See
docs/adr/0125-stored-digest-skips-revalidation.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from story_gen.core._construct import constructor
from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.canonical import to_canonical_json
from story_gen.core.diagnosis import DiagnosisSession
from story_gen.core.story import CURRENT_SCHEMA_VERSION, Story, migrate

__all__ = [
    "DIGEST_RULE",
    "OpenedStory",
    "open_story",
    "read_story",
    "stored_form",
    "story_digest",
]

DIGEST_RULE = f"story_gen canonical story; contract revision {CURRENT_SCHEMA_VERSION}; rule 1"
"""Hashed before the text: a new contract revision (or a change to this rule) makes every
earlier digest stop matching, so those stories are validated under the new rules once."""


def story_digest(story_json: str) -> str:
    """The digest of a stored story's text: ``blake2b:`` and the hex of a 32-byte BLAKE2b
    over :data:`DIGEST_RULE`, a newline and the UTF-8 text.

    BLAKE2b, not SHA-256: in Pyodide (no SIMD) it hashes a 1,000-chapter story in under a
    millisecond where SHA-256 took about four, and this runs on every save and every open.
    """
    hashed = hashlib.blake2b(DIGEST_RULE.encode(), digest_size=32)
    hashed.update(b"\n")
    hashed.update(story_json.encode())
    return "blake2b:" + hashed.hexdigest()


def stored_form(story: Story) -> tuple[str, str]:
    """What to store for ``story``: its canonical JSON and that text's digest."""
    text = to_canonical_json(story)
    return text, story_digest(text)


@dataclass(frozen=True, slots=True)
class OpenedStory:
    """A stored story, opened: the model, a diagnosis session on its blueprint, and which
    path built them (``trusted``: the digest matched and nothing was validated again)."""

    story: Story
    session: DiagnosisSession
    trusted: bool


def open_story(story_json: str, digest: str | None) -> OpenedStory:
    """Open a stored story's text; ``digest`` is what was stored beside it (None if nothing).

    Raises what ``json.loads``, :func:`migrate` and ``Story.model_validate`` raise for a text
    that is not a valid story (only the full path can meet one).
    """
    raw = json.loads(story_json)
    proved = _proved(story_json, digest, raw)
    if proved is not None:
        shell, blueprint_raw = proved
        session = DiagnosisSession(blueprint_raw, trusted=True)
        blueprint = session.blueprint()
        if blueprint is not None:
            story = shell.model_copy(update={"blueprint": blueprint})
            return OpenedStory(story, session, trusted=True)
    story = Story.model_validate(migrate(raw))
    session = DiagnosisSession(story.blueprint.model_dump(mode="json"))
    return OpenedStory(story, session, trusted=False)


def read_story(story_json: str, digest: str | None) -> Story:
    """The model of a stored story's text, by the same rule as :func:`open_story`, when no
    diagnosis is wanted (another tab's newer revision, an export)."""
    raw = json.loads(story_json)
    proved = _proved(story_json, digest, raw)
    if proved is None:
        return Story.model_validate(migrate(raw))
    shell, blueprint_raw = proved
    # The blueprint's own fields (premise, canon rules, target) are few: validated as usual.
    top = StoryBlueprint.model_validate(
        {name: value for name, value in blueprint_raw.items() if name not in _ENTITIES}
    )
    blueprint = top.model_copy(
        update={
            name: [build(item) for item in blueprint_raw.get(name, ())]
            for name, build in _ENTITIES.items()
        }
    )
    return shell.model_copy(update={"blueprint": blueprint})


_ENTITIES = {
    "themes": constructor(Theme),
    "characters": constructor(Character),
    "chapters": constructor(Chapter),
}


def _proved(story_json: str, digest: str | None, raw: Any) -> tuple[Story, dict[str, Any]] | None:
    """When the digest proves ``story_json`` canonical: the story validated with an empty
    blueprint (identity, title, timestamps and conflicts: a few fields, parsed by pydantic as
    always) and the raw blueprint. None when the full path must run: no digest, another
    digest, or a shape a matching digest never allows (that costs nothing to ask)."""
    if digest is None or not hmac.compare_digest(digest, story_digest(story_json)):
        return None
    if not isinstance(raw, dict) or raw.get("schema_version") != CURRENT_SCHEMA_VERSION:
        return None
    blueprint_raw = raw.get("blueprint")
    if not isinstance(blueprint_raw, dict):
        return None
    return Story.model_validate({**raw, "blueprint": {}}), blueprint_raw
