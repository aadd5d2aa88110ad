"""The document model: what a story is made of, as merge, patch, edits and diagnosis see it.

- shapes: which field of a Story / StoryBlueprint / entity is what kind of value;
- kinds: the entity lists and which of their fields name other entities;
- key paths: ``chapters[mad-tea-party].objective``, addresses that survive reordering;
- values: JSON values as conflicts and patches hold them;
- text: a draft as lines, its line delta and three-way merge;
- order: the order of lists of distinct elements, and its three-way merge;
- the editable document: a Story or blueprint being changed through key paths.
"""

from story_gen.core.document._edit import (
    MISSING,
    DocumentEdit,
    EditError,
    ItemsEdit,
    MissingError,
    RecordEdit,
)
from story_gen.core.document._kinds import ENTITY_LISTS, REFERENCES, SINGULAR
from story_gen.core.document._order import Placement, merge_order, placements, predecessors, stayed
from story_gen.core.document._paths import BadPathError, Step, child, format_path, parse_path, speak
from story_gen.core.document._shape import BLUEPRINT, STORY, Field, Kind, Shape, shape_of
from story_gen.core.document._text import Hunk, TextMerge, hunks, lines_of, merge_lines, text_of
from story_gen.core.document._values import canonical, conflict, ours_wins, to_json

__all__ = [
    "BLUEPRINT",
    "ENTITY_LISTS",
    "MISSING",
    "REFERENCES",
    "SINGULAR",
    "STORY",
    "BadPathError",
    "DocumentEdit",
    "EditError",
    "Field",
    "Hunk",
    "ItemsEdit",
    "Kind",
    "MissingError",
    "Placement",
    "RecordEdit",
    "Shape",
    "Step",
    "TextMerge",
    "canonical",
    "child",
    "conflict",
    "format_path",
    "hunks",
    "lines_of",
    "merge_lines",
    "merge_order",
    "ours_wins",
    "parse_path",
    "placements",
    "predecessors",
    "shape_of",
    "speak",
    "stayed",
    "text_of",
    "to_json",
]
