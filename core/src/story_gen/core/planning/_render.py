"""Renderers of a :class:`Plan`: pure functions from the plan to text in one format.

- ``plan_to_text``: for reading in a terminal;
- ``plan_to_json``: the plan model as indented JSON (stable key order);
- ``plan_to_mermaid``: a Mermaid flowchart (renders on GitHub, in MkDocs, ...);
- ``plan_to_dot``: a Graphviz digraph.

In the graphs an arrow goes from a prerequisite to the chapter that needs it
(the direction of writing); chapters in or behind a cycle are highlighted.
"""

from __future__ import annotations

import json

from story_gen.core.planning._plan import Coverage, Plan

__all__ = ["GRID_MAX_COLUMNS", "plan_to_dot", "plan_to_json", "plan_to_mermaid", "plan_to_text"]

GRID_MAX_COLUMNS = 60
"""Wider coverage grids are left out of the text form (the JSON form always has them)."""


def plan_to_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def _grid(title: str, coverage: Coverage) -> list[str]:
    if not coverage.rows or not coverage.columns:
        return []
    if len(coverage.columns) > GRID_MAX_COLUMNS:
        return [
            f"{title} coverage grid: left out for more than {GRID_MAX_COLUMNS} chapters "
            "(see --format json)."
        ]
    width = max(len(row) for row in coverage.rows)
    lines = [f"{title} coverage (x = in the chapter, columns in writing order):"]
    for row, covered in zip(coverage.rows, coverage.cells, strict=True):
        marks = ["."] * len(coverage.columns)
        for column in covered:
            marks[column] = "x"
        lines.append(f"  {row.ljust(width)}  {''.join(marks)}")
    return lines


def plan_to_text(plan: Plan) -> str:
    lines: list[str] = []
    ready = len(plan.writing_order) - len(plan.blocked)
    lines.append(f"Writing order ({ready} of {len(plan.writing_order)} chapters can be ordered):")
    width = len(str(len(plan.writing_order)))
    for position, key in enumerate(plan.writing_order, 1):
        if position == ready + 1:
            lines.append("Blocked (in or behind a prerequisite cycle, so never ready):")
        title = plan.titles.get(key) or ""
        depth = plan.depth.get(key)
        after = f"  (depth {depth})" if depth is not None else ""
        title_part = f'  "{title}"' if title else ""
        lines.append(f"  {str(position).rjust(width)}. {key}{title_part}{after}")
    if plan.cycles:
        lines.append("Cycles (a -> b: a needs b first):")
        lines.extend(f"  {' -> '.join([*cycle, cycle[0]])}" for cycle in plan.cycles)
    if plan.longest_chain:
        lines.append(f"Longest prerequisite chain ({len(plan.longest_chain)} chapters):")
        lines.append(f"  {' -> '.join(plan.longest_chain)}")
    lines.append("")
    lines.append("Themes (chapters requiring each, in writing order):")
    lines.extend(
        f"  {theme}: {len(chapters)} - {', '.join(chapters) or '(none)'}"
        for theme, chapters in plan.theme_chapters.items()
    )
    if not plan.theme_chapters:
        lines.append("  (no themes)")
    lines.append("Characters (first and last chapter, in writing order):")
    for character, chapters in plan.character_chapters.items():
        if chapters:
            lines.append(
                f"  {character}: {len(chapters)} chapter(s), first "
                f"{plan.first_appearance[character]}, last {plan.last_appearance[character]}"
            )
        else:
            lines.append(f"  {character}: in no chapter")
    if not plan.character_chapters:
        lines.append("  (no characters)")
    lines.append("")
    gaps = [
        ("Themes no chapter requires", plan.theme_coverage.unused),
        ("Chapters with no theme", plan.theme_coverage.uncovered),
        ("Characters in no chapter", plan.character_coverage.unused),
        ("Chapters with no character", plan.character_coverage.uncovered),
    ]
    found = [(label, keys) for label, keys in gaps if keys]
    lines.append("Coverage gaps:" if found else "Coverage gaps: none.")
    lines.extend(f"  {label}: {', '.join(keys)}" for label, keys in found)
    grids = _grid("Theme", plan.theme_coverage) + _grid("Character", plan.character_coverage)
    if grids:
        lines.append("")
        lines.extend(grids)
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def plan_to_mermaid(plan: Plan) -> str:
    ids = {key: f"c{n}" for n, key in enumerate(plan.writing_order)}
    lines = ["flowchart TD"]
    for key in plan.writing_order:
        title = plan.titles.get(key) or ""
        label = _mermaid_label(f"{key}<br/>{title}" if title else key)
        label = label.replace("#lt;br/#gt;", "<br/>")
        lines.append(f'  {ids[key]}["{label}"]')
    for key in plan.writing_order:
        lines.extend(
            f"  {ids[prerequisite]} --> {ids[key]}" for prerequisite in plan.prerequisites[key]
        )
    if plan.blocked:
        lines.append("  classDef blocked fill:#fdd,stroke:#c00,color:#600")
        lines.append(f"  class {','.join(ids[key] for key in plan.blocked)} blocked")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    # json.dumps escapes '"' and '\\' the way DOT expects inside a quoted ID.
    return json.dumps(text, ensure_ascii=False)


def plan_to_dot(plan: Plan) -> str:
    lines = [
        "digraph plan {",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
    ]
    blocked = set(plan.blocked)
    for key in plan.writing_order:
        title = plan.titles.get(key) or ""
        label = _dot_string(f"{key}\n{title}" if title else key)
        extra = ', color="#cc0000", style="rounded,filled", fillcolor="#ffdddd"'
        lines.append(f"  {_dot_string(key)} [label={label}{extra if key in blocked else ''}];")
    for key in plan.writing_order:
        lines.extend(
            f"  {_dot_string(prerequisite)} -> {_dot_string(key)};"
            for prerequisite in plan.prerequisites[key]
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
