"""The contract's fields are tabulated in the core only.

Which fields an entity has, which name other entities, which are text, and what the editor
calls each of them live in the core's shape table (``story_gen.core.document``); the web reads
them from the generated ``web/src/generated/rules.ts``. A table keyed by field names anywhere
else (a label map in a screen, a field list in the worker) is a second copy that drifts: this
check finds one by its lines, ``required_themes: ...`` / ``"prerequisites": ...``.
"""

from __future__ import annotations

import re
from pathlib import Path

from story_gen.core.document import BLUEPRINT, Kind

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "core" / "src" / "story_gen" / "core"
ROOTS = [
    REPO / "web" / "src",
    REPO / "browser" / "src",
    REPO / "browser" / "js",
    REPO / "cli" / "src",
    REPO / "client" / "src",
    REPO / "sync_api" / "src",
    CORE,
]
SUFFIXES = {".py", ".ts", ".tsx", ".mjs", ".mts"}
# The core's own modules that hold per-field data which is not a copy of the shape table:
# diagnosis's codes and wording per reference field, and the schema errors' example values.
CORE_TABLES = {CORE / "diagnosis" / "_findings.py", CORE / "diagnosis" / "_schema.py"}
ENOUGH_FOR_A_TABLE = 3


# Field names that are everyday words elsewhere too (a JSON schema's "title", an ARIA "role").
EVERYDAY = {"name", "title", "role", "status", "priority"}


def _distinctive_fields() -> frozenset[str]:
    names: set[str] = set()
    for field in BLUEPRINT.fields:
        if field.kind is Kind.ENTITIES and field.shape is not None:
            names.update(f.name for f in field.shape.fields)
        else:
            names.add(field.name)
    return frozenset(names - EVERYDAY)


FIELDS = _distinctive_fields()
_ENTRY = re.compile(r"""^\s*["']?([a-z_]+)["']?\s*:\s*["'(\[{]""")


def table_lines(text: str) -> list[tuple[int, str]]:
    """(line number, field) of each line of ``text`` that maps a contract field to a value."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ENTRY.match(line)
        if match and match.group(1) in FIELDS:
            found.append((number, match.group(1)))
    return found


def test_the_fields_and_sources_are_found() -> None:
    assert {"required_themes", "participating_characters", "draft_text"} <= FIELDS
    assert all(root.is_dir() for root in ROOTS)


def test_the_check_finds_a_planted_label_table() -> None:
    planted = 'const LABELS = {\n  required_themes: "Themes",\n  "prerequisites": "Waits for",\n'
    planted += '  participating_characters: ("Cast"),\n  other: "x",\n};\n'
    assert [field for _, field in table_lines(planted)] == [
        "required_themes",
        "prerequisites",
        "participating_characters",
    ]
    assert table_lines('const a = { chapter: "x" };\nrequired_themes.map(f)\n') == []


def test_no_field_table_outside_the_core_shape() -> None:
    offenders: list[str] = []
    for root in ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix not in SUFFIXES or "generated" in path.parts or path in CORE_TABLES:
                continue
            if path.is_relative_to(CORE / "document"):
                continue
            lines = table_lines(path.read_text(encoding="utf-8"))
            if len(lines) >= ENOUGH_FOR_A_TABLE:
                where = ", ".join(f"line {n} ({field})" for n, field in lines)
                offenders.append(
                    f"{path.relative_to(REPO)}: a table keyed by contract fields at {where}; "
                    "read the core's (story_gen.core.document's shape, exported to the web as "
                    "web/src/generated/rules.ts) instead of keeping a copy"
                )
    assert offenders == []
