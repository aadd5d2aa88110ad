"""Search every text of a story: where a word occurs, named in the writer's terms.

Pure: a story and a needle in, hits out (a hit says which text, where it is in story terms,
the path the editor focuses, and a short excerpt around the match).
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from story_gen.core import Story

SEP = " \u203a "
"""Between a place and its field (a single right-pointing angle quotation mark)."""

EXCERPT = 60
"""Characters of context on each side of a match in an excerpt."""


class SearchHit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    story_id: UUID
    story_title: str
    where: str = Field(
        description="The place in story terms: Chapter “The Storm” \u203a Objective."
    )
    path: str = Field(description="The field's path, for the editor to focus ('' = the title).")
    excerpt: str = Field(description="The text around the match (… where it was cut).")
    match_start: int = Field(description="Where the match starts in the excerpt.")
    match_length: int


def _named(kind: str, key: str, name: str) -> str:
    return f"{kind} “{name}”" if name else f"{kind} {key}"


def _texts(story: Story) -> Iterator[tuple[str, str, str]]:
    """(where, path, text) for every text the writer wrote."""
    bp = story.blueprint
    yield "Title", "", story.title
    yield "Premise", "premise", bp.premise
    for i, rule in enumerate(bp.canon_rules):
        yield f"Canon rule {i + 1}", f"canon_rules[{i}]", rule
    for i, theme in enumerate(bp.themes):
        at = _named("Theme", theme.key, theme.name or theme.key)
        yield f"{at}{SEP}Name", f"themes[{i}].name", theme.name or ""
        yield f"{at}{SEP}Key", f"themes[{i}].key", theme.key
        yield f"{at}{SEP}Statement", f"themes[{i}].statement", theme.statement
    for i, character in enumerate(bp.characters):
        at = _named("Character", character.key, character.name or character.key)
        yield f"{at}{SEP}Name", f"characters[{i}].name", character.name or ""
        yield f"{at}{SEP}Key", f"characters[{i}].key", character.key
        yield f"{at}{SEP}Role", f"characters[{i}].role", character.role
        yield f"{at}{SEP}Motivation", f"characters[{i}].motivation", character.motivation
        for j, marker in enumerate(character.voice_markers):
            yield f"{at}{SEP}Voice marker {j + 1}", f"characters[{i}].voice_markers[{j}]", marker
        for other, text in character.relationships.items():
            yield (
                f"{at}{SEP}Relationship with {other}",
                f"characters[{i}].relationships.{other}",
                text,
            )
    for i, chapter in enumerate(bp.chapters):
        at = _named("Chapter", chapter.key, chapter.title)
        yield f"{at}{SEP}Title", f"chapters[{i}].title", chapter.title
        yield f"{at}{SEP}Key", f"chapters[{i}].key", chapter.key
        yield f"{at}{SEP}Objective", f"chapters[{i}].objective", chapter.objective
        yield f"{at}{SEP}Draft", f"chapters[{i}].draft_text", chapter.draft_text or ""


def search_story(story: Story, needle: str, limit: int) -> list[SearchHit]:
    """The first ``limit`` texts of ``story`` containing ``needle`` (case-insensitive)."""
    wanted = needle.strip().lower()
    if not wanted:
        return []
    hits: list[SearchHit] = []
    for where, path, text in _texts(story):
        lowered = text.lower()
        at = lowered.find(wanted)
        if at < 0:
            continue
        length = len(wanted)
        if len(lowered) != len(text):  # lower() changed a length (İ): offsets are not the text's
            at, length = 0, 0
        start = max(0, at - EXCERPT)
        end = min(len(text), at + length + EXCERPT)
        prefix = "…" if start > 0 else ""
        excerpt = prefix + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
        hits.append(
            SearchHit(
                story_id=story.story_id,
                story_title=story.title,
                where=where,
                path=path,
                excerpt=excerpt,
                match_start=len(prefix) + at - start,
                match_length=length,
            )
        )
        if len(hits) >= limit:
            break
    return hits
