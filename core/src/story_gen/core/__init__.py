"""story_gen blueprint core: the contract, diagnostics, planning, merge and export.

Pure Python + pydantic. No files, network, clock or randomness: whatever the core
needs from the outside world (a timestamp, an id) is passed in as an argument.
The same code runs on CPython (server, CLI) and in Pyodide (the studio).
"""

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.canonical import to_canonical_json
from story_gen.core.conflicts import Conflict
from story_gen.core.json_text import JsonSyntaxError, parse_json
from story_gen.core.keys import KEY_PATTERN
from story_gen.core.schema import blueprint_json_schema, story_json_schema
from story_gen.core.story import (
    CURRENT_SCHEMA_VERSION,
    SCHEMA_ID,
    Story,
    UnsupportedSchemaVersionError,
    migrate,
)

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "KEY_PATTERN",
    "SCHEMA_ID",
    "Chapter",
    "Character",
    "Conflict",
    "JsonSyntaxError",
    "Story",
    "StoryBlueprint",
    "Theme",
    "UnsupportedSchemaVersionError",
    "blueprint_json_schema",
    "migrate",
    "parse_json",
    "story_json_schema",
    "to_canonical_json",
]
