"""The story bible: a blueprint as one Markdown document a writer can read, print or share.

Sections: premise, canon, themes by priority (most important first, ties in document
order), characters with their relationships and appearances, then the chapters in
writing order (see :func:`story_gen.core.planning.plan`) with objective, themes,
characters, prerequisites, status, word count and draft. Writers' text is copied as written
(it may hold their own Markdown). Things are called by their names (a theme's or character's
``name``, a chapter's title), each followed once by its key as code where it is described.
"""

from __future__ import annotations

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.planning import plan
from story_gen.core.words import count_words

__all__ = ["display_names", "to_markdown"]


def display_names(bp: StoryBlueprint) -> dict[str, dict[str, str]]:
    """Per kind ("themes", "characters", "chapters"): key -> what a writer calls it.

    A theme or character's ``name``, a chapter's ``title``; the key itself when unset.
    """
    return {
        "themes": {theme.key: theme.name or theme.key for theme in bp.themes},
        "characters": {c.key: c.name or c.key for c in bp.characters},
        "chapters": {chapter.key: chapter.title or chapter.key for chapter in bp.chapters},
    }


def _named(keys: list[str], names: dict[str, str]) -> str:
    """Names where the key has one ("Inspector Vale"), the key as code where not."""
    shown = [names[key] if names.get(key, key) != key else f"`{key}`" for key in keys]
    return ", ".join(shown) if shown else "none"


def _words(count: int, target: int | None) -> str:
    noun = "word" if count == 1 and not target else "words"
    return f"{count:,} of {target:,} {noun}" if target else f"{count:,} {noun}"


def to_markdown(bp: StoryBlueprint, *, title: str | None = None) -> str:
    writing = plan(bp)
    names = display_names(bp)
    chapters = {chapter.key: chapter for chapter in bp.chapters}
    blocked = set(writing.blocked)
    out: list[str] = [f"# {title or 'Story bible'}", ""]

    out += ["## Premise", "", bp.premise or "_No premise yet._", ""]
    if bp.chapters or bp.word_target:
        out += [f"Manuscript: {_words(writing.total_words, bp.word_target)}.", ""]

    out += ["## Canon", ""]
    out += [f"- {rule}" for rule in bp.canon_rules] or ["_No canon rules yet._"]
    out.append("")

    out += ["## Themes", ""]
    if bp.themes:
        out += ["By priority, most important first (10 = highest).", ""]
    ranked = sorted(enumerate(bp.themes), key=lambda item: (-item[1].priority, item[0]))
    for _, theme in ranked:
        statement = f": {theme.statement}" if theme.statement else ""
        used = writing.theme_chapters.get(theme.key, [])
        label = f"{theme.name} (`{theme.key}`)" if theme.name else f"`{theme.key}`"
        out.append(
            f"- **{label}** (priority {theme.priority}){statement}  \n"
            f"  Chapters: {_named(used, names['chapters'])}"
        )
    if not bp.themes:
        out.append("_No themes yet._")
    out.append("")

    out += ["## Characters", ""]
    for character in bp.characters:
        heading = (
            f"{character.name} (`{character.key}`)" if character.name else f"`{character.key}`"
        )
        out += [f"### {heading}", ""]
        if character.role:
            out.append(f"- Role: {character.role}")
        if character.motivation:
            out.append(f"- Motivation: {character.motivation}")
        if character.voice_markers:
            out.append("- Voice: " + "; ".join(f"“{m}”" for m in character.voice_markers))
        used = writing.character_chapters.get(character.key, [])
        if used:
            first, last = (
                _named([used[0]], names["chapters"]),
                _named([used[-1]], names["chapters"]),
            )
            out.append(f"- Appears in {len(used)} chapter(s): first {first}, last {last}")
        else:
            out.append("- Appears in no chapter yet")
        if character.relationships:
            out.append("- Relationships:")
            out += [
                f"  - {_named([other], names['characters'])}: {how}"
                for other, how in character.relationships.items()
            ]
        out.append("")
    if not bp.characters:
        out += ["_No characters yet._", ""]

    out += ["## Chapters", ""]
    if bp.chapters:
        out += ["In writing order: every chapter comes after its prerequisites.", ""]
    for position, key in enumerate(writing.writing_order, 1):
        chapter = chapters[key]
        heading = chapter.title or key
        out += [f"### {position}. {heading} (`{key}`)", ""]
        if key in blocked:
            out += [
                "> **Blocked:** this chapter is in, or depends on, a prerequisite cycle.",
                "",
            ]
        out.append(f"- Objective: {chapter.objective or '_not set_'}")
        if chapter.status:
            out.append(f"- Status: {chapter.status}")
        out.append(f"- Themes: {_named(chapter.required_themes, names['themes'])}")
        out.append(f"- Characters: {_named(chapter.participating_characters, names['characters'])}")
        out.append(f"- Prerequisites: {_named(chapter.prerequisites, names['chapters'])}")
        if chapter.draft_text or chapter.word_target:
            words = _words(count_words(chapter.draft_text), chapter.word_target)
            out.append(f"- Words: {words}")
        out.append("")
        out += [chapter.draft_text or "_No draft yet._", ""]
    if not bp.chapters:
        out += ["_No chapters yet._", ""]
    return "\n".join(out).rstrip("\n") + "\n"
