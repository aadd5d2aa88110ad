"""The story bible: a blueprint as one Markdown document a writer can read, print or share.

Sections: premise, canon, themes by priority (most important first, ties in document
order), characters with their relationships and appearances, then the chapters in
writing order (see :func:`story_gen.core.planning.plan`) with objective, themes,
characters, prerequisites and draft. Writers' text is copied as written (it may hold
their own Markdown); keys are shown as code.
"""

from __future__ import annotations

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.planning import plan

__all__ = ["to_markdown"]


def _keys(keys: list[str]) -> str:
    return ", ".join(f"`{key}`" for key in keys) if keys else "none"


def to_markdown(bp: StoryBlueprint, *, title: str | None = None) -> str:
    writing = plan(bp)
    chapters = {chapter.key: chapter for chapter in bp.chapters}
    blocked = set(writing.blocked)
    out: list[str] = [f"# {title or 'Story bible'}", ""]

    out += ["## Premise", "", bp.premise or "_No premise yet._", ""]

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
        out.append(
            f"- **`{theme.key}`** (priority {theme.priority}){statement}  \n"
            f"  Chapters: {_keys(used)}"
        )
    if not bp.themes:
        out.append("_No themes yet._")
    out.append("")

    out += ["## Characters", ""]
    for character in bp.characters:
        out += [f"### `{character.key}`", ""]
        if character.role:
            out.append(f"- Role: {character.role}")
        if character.motivation:
            out.append(f"- Motivation: {character.motivation}")
        if character.voice_markers:
            out.append("- Voice: " + "; ".join(f"“{m}”" for m in character.voice_markers))
        used = writing.character_chapters.get(character.key, [])
        if used:
            out.append(f"- Appears in {len(used)} chapter(s): first `{used[0]}`, last `{used[-1]}`")
        else:
            out.append("- Appears in no chapter yet")
        if character.relationships:
            out.append("- Relationships:")
            out += [f"  - `{other}`: {how}" for other, how in character.relationships.items()]
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
        out.append(f"- Themes: {_keys(chapter.required_themes)}")
        out.append(f"- Characters: {_keys(chapter.participating_characters)}")
        out.append(f"- Prerequisites: {_keys(chapter.prerequisites)}")
        out.append("")
        out += [chapter.draft_text or "_No draft yet._", ""]
    if not bp.chapters:
        out += ["_No chapters yet._", ""]
    return "\n".join(out).rstrip("\n") + "\n"
