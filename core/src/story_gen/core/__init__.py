"""story_gen blueprint core: the contract, diagnostics, planning, merge and export.

Pure Python + pydantic. No files, network, clock or randomness: whatever the core
needs from the outside world (a timestamp, an id) is passed in as an argument.
The same code runs on CPython (server, CLI) and in Pyodide (the studio).
"""

from story_gen.core.bible import to_markdown
from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.canonical import to_canonical_json
from story_gen.core.conflicts import Conflict
from story_gen.core.diagnosis import DiagnosisSession, InvalidEditError, diagnose
from story_gen.core.diagnostic import Diagnostic, InvalidBlueprintError, Severity
from story_gen.core.json_text import JsonSyntaxError, parse_json
from story_gen.core.keys import KEY_PATTERN
from story_gen.core.loading import (
    Inspection,
    inspect_blueprint,
    inspect_document,
    inspect_story,
    is_story_document,
    load_blueprint,
    load_blueprint_json,
    load_document,
    load_story,
    load_story_json,
)
from story_gen.core.merging import (
    ConflictResolutionError,
    MergeResult,
    NewValue,
    StoryMismatchError,
    merge,
    resolve,
)
from story_gen.core.patch import (
    Patch,
    PatchDoesNotApplyError,
    apply_patch,
    describe,
    diff,
    rebase,
)
from story_gen.core.paths import InvalidPathError, PathPart, format_path, parse_path
from story_gen.core.planning import (
    Coverage,
    Plan,
    plan,
    plan_to_dot,
    plan_to_json,
    plan_to_mermaid,
    plan_to_text,
)
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
    "ConflictResolutionError",
    "Coverage",
    "DiagnosisSession",
    "Diagnostic",
    "Inspection",
    "InvalidBlueprintError",
    "InvalidEditError",
    "InvalidPathError",
    "JsonSyntaxError",
    "MergeResult",
    "NewValue",
    "Patch",
    "PatchDoesNotApplyError",
    "PathPart",
    "Plan",
    "Severity",
    "Story",
    "StoryBlueprint",
    "StoryMismatchError",
    "Theme",
    "UnsupportedSchemaVersionError",
    "apply_patch",
    "blueprint_json_schema",
    "describe",
    "diagnose",
    "diff",
    "format_path",
    "inspect_blueprint",
    "inspect_document",
    "inspect_story",
    "is_story_document",
    "load_blueprint",
    "load_blueprint_json",
    "load_document",
    "load_story",
    "load_story_json",
    "merge",
    "migrate",
    "parse_json",
    "parse_path",
    "plan",
    "plan_to_dot",
    "plan_to_json",
    "plan_to_mermaid",
    "plan_to_text",
    "rebase",
    "resolve",
    "story_json_schema",
    "to_canonical_json",
    "to_markdown",
]
