"""Story lifecycle handlers: create, duplicate, import a file, delete to the trash, restore."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from pydantic import Field, ValidationError

from story_gen.browser import _analysis
from story_gen.browser._envelope import describe_validation
from story_gen.browser._handler_base import TITLE_MAX_LENGTH, Args, Result, StoryIdArgs, Title
from story_gen.browser._registry import handler
from story_gen.browser._service import TRASH_DAYS, Studio
from story_gen.browser._sessions import story_state
from story_gen.browser._views import StoryState
from story_gen.core import (
    CURRENT_SCHEMA_VERSION,
    Diagnostic,
    JsonSyntaxError,
    Severity,
    Story,
    StoryBlueprint,
    UnsupportedSchemaVersionError,
    migrate,
    parse_json,
)

# ---------------------------------------------------------------- story.create


class StoryCreateArgs(Args):
    title: Title | None = Field(
        default=None, description="Default: the demo's or 'Untitled story'."
    )
    demo: str | None = Field(default=None, description="A demo key (library.demos); null: blank.")


@handler("story.create")
async def story_create(studio: Studio, args: StoryCreateArgs) -> StoryState:
    """Create a story, blank or as a copy of a demo, store it and open it."""
    if args.demo is not None:
        session = await studio.open_demo_copy(args.demo, args.title)
    else:
        story = Story.new(
            story_id=studio.new_story_id(),
            title=args.title or "Untitled story",
            blueprint=StoryBlueprint(),
            now=studio.now(),
        )
        session = await studio.create(story)
    await studio.queries.remember_opened(session.current.story_id)
    return story_state(session)


# ---------------------------------------------------------------- story.duplicate


class StoryDuplicateArgs(Args):
    story_id: UUID
    title: Title | None = Field(default=None, description="Default: '<title> (copy)'.")


@handler("story.duplicate")
async def story_duplicate(studio: Studio, args: StoryDuplicateArgs) -> StoryState:
    """Copy a story (its current state in this tab, unsaved edits included) as a new story."""
    source = (await studio.sessions.get(args.story_id)).current
    title = args.title or f"{source.title} (copy)"[:TITLE_MAX_LENGTH]
    now = studio.now()
    copy = source.model_copy(
        update={
            "story_id": studio.new_story_id(),
            "title": title,
            "created_at_utc": now,
            "updated_at_utc": now,
        }
    )
    session = await studio.create(copy)
    return story_state(session)


# ---------------------------------------------------------------- story.delete / undelete


class StoryDeleteResult(Result):
    story_id: UUID
    deleted_at_utc: datetime
    restorable_until_utc: datetime = Field(description="After this the trash is emptied.")


@handler("story.delete")
async def story_delete(studio: Studio, args: StoryIdArgs) -> StoryDeleteResult:
    """Move a story to the trash (undo with story.undelete)."""
    session = await studio.sessions.get(args.story_id)
    now = studio.now()
    await studio.trash(session, deleted_at_utc=now)
    return StoryDeleteResult(
        story_id=args.story_id,
        deleted_at_utc=now,
        restorable_until_utc=now + timedelta(days=TRASH_DAYS),
    )


@handler("story.undelete")
async def story_undelete(studio: Studio, args: StoryIdArgs) -> StoryState:
    """Take a story back out of the trash."""
    session = await studio.sessions.get(args.story_id, allow_deleted=True)
    await studio.trash(session, deleted_at_utc=None)
    return story_state(session)


# ---------------------------------------------------------------- story.import

MAX_IMPORT_CHARS = 20_000_000
"""A file longer than this is refused unread: a blueprint is text, not a video."""

OnExisting = Literal["replace", "keep_both", "skip"]


class StoryImportArgs(Args):
    content: str = Field(description="The file's text: a blueprint, or a whole story, as JSON.")
    filename: str | None = None
    title: Title | None = Field(default=None, description="Default: the story's or file's name.")
    dry_run: bool = Field(
        default=False,
        description="Only diagnose: report what importing would store and what the core "
        "finds, store nothing. The UI shows this first and imports on the writer's word.",
    )
    on_existing: OnExisting = Field(
        default="keep_both",
        description="When the file is a story already in the library (same story_id): "
        "replace it (one undoable change), keep both (the import gets a new id and "
        "'(copy)' in its title) or skip it (nothing stored).",
    )


class ExistingStory(Result):
    story_id: UUID
    title: str
    in_trash: bool


class StoryImportResult(Result):
    stored: bool = Field(description="True only when this call stored (or replaced) a story.")
    importable: bool = Field(
        description="The studio can read the file: importing it (without dry_run) stores it, "
        "problems included (they are listed in diagnostics and shown in the editor)."
    )
    title: str | None = Field(
        description="The title the story gets (or would get); null when not importable."
    )
    chapter_count: int | None = Field(description="Chapters in the file; null when unreadable.")
    story_id: UUID | None
    diagnostics: list[Diagnostic]
    existing: ExistingStory | None = Field(
        default=None,
        description="The library's story with the file's story_id, when there is one.",
    )
    outcome: Literal["created", "replaced", "skipped"] | None = Field(
        default=None, description="What this call did; null for a dry run or a refusal."
    )
    state: StoryState | None = None


def _title_from(filename: str | None) -> str | None:
    if not filename:
        return None
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for suffix in (".story", ".blueprint"):
        stem = stem.removesuffix(suffix)
    text = stem.replace("-", " ").replace("_", " ").strip()
    return text[:TITLE_MAX_LENGTH].capitalize() if text else None


def _refused(code: str, message: str, hint: str | None) -> StoryImportResult:
    problem = Diagnostic(severity=Severity.ERROR, code=code, path="", message=message, hint=hint)
    return StoryImportResult(
        stored=False,
        importable=False,
        title=None,
        chapter_count=None,
        story_id=None,
        diagnostics=[problem],
    )


class _Readable:
    """A file the studio can read: its blueprint, title, identity and what the core found."""

    def __init__(
        self,
        blueprint: StoryBlueprint,
        title: str,
        diagnostics: list[Diagnostic],
        story: Story | None,
    ) -> None:
        self.blueprint = blueprint
        self.title = title
        self.diagnostics = diagnostics
        self.story = story  # set when the file is a whole story (it carries its identity)


def _inspect(args: StoryImportArgs) -> StoryImportResult | _Readable:
    """The file read and diagnosed: a refusal (unreadable), or what importing would store.

    Only what cannot be read is refused: not JSON, not the shape of a blueprint or a story,
    a format version this studio does not know, too large. Problems the editor can fix
    (unknown references, cycles, ...) travel with the story.
    """
    if len(args.content) > MAX_IMPORT_CHARS:
        return _refused(
            "import.too_large",
            f"The file is {len(args.content) / 1e6:.1f} MB; the studio imports files of up to "
            f"{MAX_IMPORT_CHARS / 1e6:.0f} MB.",
            "Check that this is a story_gen blueprint or story file.",
        )
    try:
        raw = parse_json(args.content)
    except JsonSyntaxError as error:
        return _refused(
            "import.invalid_json",
            f"The file is not valid JSON (line {error.line}, column {error.column}): "
            f"{error.message}.",
            "Fix the JSON text, or export the story again from where it came from.",
        )
    story: Story | None = None
    if isinstance(raw, dict) and "blueprint" in raw and "story_id" in raw:
        # A whole story (as story.export format="story" or library.export_all write it).
        try:
            story = Story.model_validate(migrate(raw))
        except UnsupportedSchemaVersionError as error:
            return _refused(
                "import.unsupported_version",
                f"The file was written by a newer story_gen (format version {error.version!r}); "
                f"this studio reads versions 1 to {CURRENT_SCHEMA_VERSION}.",
                "Reload the studio to get its newest version, then import again.",
            )
        except ValidationError as error:
            return _refused(
                "import.invalid_story",
                f"The story file is not valid: {describe_validation(error)}.",
                "Export the story again from where it came from.",
            )
        raw = story.blueprint.model_dump(mode="json")
    diagnostics, blueprint = _analysis.diagnose_raw(raw)
    if blueprint is None:
        # Not the shape of a blueprint (wrong types, a duplicate key, an unknown field): the
        # editor could not hold it, so the core's findings say what to fix in the file.
        chapters = raw.get("chapters") if isinstance(raw, dict) else None
        return StoryImportResult(
            stored=False,
            importable=False,
            title=None,
            chapter_count=len(chapters) if isinstance(chapters, list) else None,
            story_id=None,
            diagnostics=diagnostics,
        )
    story_title = story.title if story is not None else None
    title = args.title or story_title or _title_from(args.filename) or "Imported story"
    return _Readable(blueprint, title, diagnostics, story)


async def _existing(studio: Studio, story: Story | None) -> ExistingStory | None:
    if story is None:
        return None
    for summary in await studio.queries.summaries():
        if summary.story_id == story.story_id:
            return ExistingStory(
                story_id=summary.story_id, title=summary.title, in_trash=summary.deleted
            )
    return None


@handler("story.import")
async def story_import(studio: Studio, args: StoryImportArgs) -> StoryImportResult:
    """Read and diagnose a file; store it unless it cannot be read.

    With ``dry_run`` nothing is stored whatever the file holds: the writer sees the
    diagnostics (errors, warnings and notes) first, and imports on their word. A story file
    keeps its identity: importing it again finds the story already there (``existing``) and
    does what ``on_existing`` says.
    """
    inspected = _inspect(args)
    if isinstance(inspected, StoryImportResult):
        return inspected
    existing = await _existing(studio, inspected.story)
    seen = StoryImportResult(
        stored=False,
        importable=True,
        title=inspected.title,
        chapter_count=len(inspected.blueprint.chapters),
        story_id=None,
        diagnostics=inspected.diagnostics,
        existing=existing,
    )
    if args.dry_run:
        return seen
    if existing is not None and args.on_existing == "skip":
        return seen.model_copy(update={"outcome": "skipped"})
    if existing is not None and args.on_existing == "replace":
        session = await studio.sessions.get(existing.story_id, allow_deleted=True)
        replaced = session.current.model_copy(
            update={
                "title": inspected.title,
                "blueprint": inspected.blueprint,
                "conflicts": inspected.story.conflicts if inspected.story else [],
                "updated_at_utc": studio.now(),
            }
        )
        await studio.editing.change(session, replaced, label="importing the file")
        if existing.in_trash:
            await studio.saver.save(session, deleted_at_utc=None)
        outcome: Literal["created", "replaced"] = "replaced"
    else:
        keep_id = inspected.story is not None and existing is None
        story = Story.new(
            story_id=inspected.story.story_id
            if keep_id and inspected.story
            else studio.new_story_id(),
            title=inspected.title
            if existing is None
            else f"{inspected.title} (copy)"[:TITLE_MAX_LENGTH],
            blueprint=inspected.blueprint,
            now=studio.now(),
        )
        if inspected.story is not None:
            story = story.model_copy(update={"conflicts": inspected.story.conflicts})
        session = await studio.create(story, inspected.diagnostics)
        outcome = "created"
    await studio.queries.remember_opened(session.current.story_id)
    return seen.model_copy(
        update={
            "stored": True,
            "title": session.current.title,
            "story_id": session.current.story_id,
            "outcome": outcome,
            "state": story_state(session),
        }
    )
