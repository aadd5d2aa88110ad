"""The writing plan of a blueprint: in which order to write the chapters, and what each covers.

Ordering rules:

- A chapter comes after every chapter it lists as a prerequisite (unknown
  prerequisites are ignored here; ``diagnose`` reports them).
- Ties keep document order: of the chapters that could be written next, the one
  earliest in the blueprint goes first. So an already well-ordered blueprint keeps
  its order exactly.
- Chapters that are part of a prerequisite cycle, or depend (even indirectly) on
  one, can never be ordered: they come last, in document order, listed in
  ``blocked``.

Coverage gaps (what ``theme_coverage`` / ``character_coverage`` flag): a theme or
character that no chapter uses (``unused``), and a chapter that has no theme or no
character at all (``uncovered``). Those are the holes a writer can act on; how
*often* a theme recurs is left to judgement (the grid shows it).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.graph import analyse_cycles, topological_order
from story_gen.core.words import count_words

__all__ = ["Coverage", "Plan", "plan"]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


class Coverage(_Frozen):
    """A rows x chapters grid (sparse: per row, the covered column indexes)."""

    rows: list[str] = Field(description="Theme or character keys, in document order.")
    columns: list[str] = Field(description="Chapter keys, in writing order.")
    cells: list[list[int]] = Field(
        description="cells[r] = indexes into columns of the chapters row r appears in."
    )
    unused: list[str] = Field(description="Gap: rows no chapter uses.")
    uncovered: list[str] = Field(description="Gap: chapters (columns) that use no row.")


class Plan(_Frozen):
    writing_order: list[str] = Field(description="Every chapter key: orderable ones, then blocked.")
    blocked: list[str] = Field(description="Chapters in or behind a cycle (the end of the order).")
    cycles: list[list[str]] = Field(description="One cycle per tangle, from its earliest chapter.")
    depth: dict[str, int] = Field(
        description="Chapter -> length of its longest prerequisite chain (0 = none); "
        "blocked chapters have no depth."
    )
    longest_chain: list[str] = Field(description="The longest prerequisite chain, first to last.")
    titles: dict[str, str]
    prerequisites: dict[str, list[str]] = Field(
        description="Chapter -> its prerequisites that exist (unknown keys left out)."
    )
    theme_chapters: dict[str, list[str]] = Field(
        description="Theme -> chapters requiring it, in writing order."
    )
    character_chapters: dict[str, list[str]] = Field(
        description="Character -> chapters it appears in, in writing order."
    )
    theme_coverage: Coverage
    character_coverage: Coverage
    first_appearance: dict[str, str] = Field(
        description="Character -> first chapter (in writing order) it appears in."
    )
    last_appearance: dict[str, str] = Field(
        description="Character -> last chapter (in writing order) it appears in."
    )
    words: dict[str, int] = Field(
        default_factory=dict,
        description="Chapter -> words in its draft (story_gen.core.words.count_words).",
    )
    total_words: int = Field(default=0, description="Words in every draft: the manuscript.")


def _coverage(
    rows: list[str], columns: list[str], used_by: dict[str, list[int]], empty: list[str]
) -> Coverage:
    return Coverage.model_construct(
        rows=rows,
        columns=columns,
        cells=[used_by[row] for row in rows],
        unused=[row for row in rows if not used_by[row]],
        uncovered=empty,
    )


def plan(bp: StoryBlueprint) -> Plan:
    chapters = bp.chapters
    node_of = {chapter.key: n for n, chapter in enumerate(chapters)}
    succ = [
        [node_of[key] for key in chapter.prerequisites if key in node_of and key != chapter.key]
        for chapter in chapters
    ]
    ordered, left_over = topological_order(succ)
    report = analyse_cycles(succ) if left_over else None
    order = ordered + left_over
    keys = [chapter.key for chapter in chapters]

    level = [0] * len(chapters)
    via = [-1] * len(chapters)  # the prerequisite a chapter's longest chain runs through
    for node in ordered:
        best_level = -1
        for prerequisite in succ[node]:
            if level[prerequisite] > best_level:  # the first deepest, in the writer's order
                best_level = level[prerequisite]
                via[node] = prerequisite
        level[node] = best_level + 1
    chain: list[str] = []
    if ordered:
        node = ordered[0]
        for candidate in ordered:  # the deepest; the earliest written among equals
            if level[candidate] > level[node]:
                node = candidate
        while node != -1:
            chain.append(keys[node])
            node = via[node]
        chain.reverse()

    theme_rows = [theme.key for theme in bp.themes]
    character_rows = [character.key for character in bp.characters]
    themes_used: dict[str, list[int]] = {key: [] for key in theme_rows}
    characters_used: dict[str, list[int]] = {key: [] for key in character_rows}
    no_theme: list[str] = []
    no_character: list[str] = []
    for column, node in enumerate(order):
        chapter = chapters[node]
        for theme in chapter.required_themes:
            if theme in themes_used:
                themes_used[theme].append(column)
        for character in chapter.participating_characters:
            if character in characters_used:
                characters_used[character].append(column)
        if not chapter.required_themes:
            no_theme.append(chapter.key)
        if not chapter.participating_characters:
            no_character.append(chapter.key)
    columns = [keys[node] for node in order]

    words = {chapter.key: count_words(chapter.draft_text) for chapter in chapters}

    # Built from a validated blueprint by this function alone: skip re-validating
    # tens of thousands of keys (model_construct), it shows in the studio's frame time.
    return Plan.model_construct(
        writing_order=columns,
        blocked=[keys[node] for node in left_over],
        cycles=[[keys[n] for n in cycle] for cycle in report.cycles] if report else [],
        depth={keys[node]: level[node] for node in ordered},
        longest_chain=chain,
        titles={chapter.key: chapter.title for chapter in chapters},
        prerequisites={
            keys[n]: list(chapter.prerequisites)
            if len(succ[n]) == len(chapter.prerequisites)
            else [keys[p] for p in succ[n]]
            for n, chapter in enumerate(chapters)
        },
        theme_chapters={key: [columns[c] for c in themes_used[key]] for key in theme_rows},
        character_chapters={
            key: [columns[c] for c in characters_used[key]] for key in character_rows
        },
        theme_coverage=_coverage(theme_rows, columns, themes_used, no_theme),
        character_coverage=_coverage(character_rows, columns, characters_used, no_character),
        first_appearance={key: columns[used[0]] for key, used in characters_used.items() if used},
        last_appearance={key: columns[used[-1]] for key, used in characters_used.items() if used},
        words=words,
        total_words=sum(words.values()),
    )
