"""Library handlers: list, create, delete/undelete, duplicate, import, export all, demos."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from story_gen.browser import _analysis
from story_gen.browser._demos import DEMOS
from story_gen.browser._envelope import describe_validation
from story_gen.browser._errors import StudioError
from story_gen.browser._records import StorySummary
from story_gen.browser._registry import handler
from story_gen.browser._search import SearchHit, search_story
from story_gen.browser._service import TRASH_DAYS, Studio
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

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoArgs(Args):
    pass


# ---------------------------------------------------------------- library.list


class LibraryListArgs(Args):
    include_deleted: bool = Field(default=False, description="Also list the trash.")
    query: str | None = Field(default=None, description="Only titles containing this text.")


class LibraryListResult(Result):
    stories: list[StorySummary] = Field(description="Most recently edited first.")
    unsaved_story_ids: list[UUID] = Field(
        description="Stories holding edits this tab could not store yet (storage full/failed)."
    )


@handler("library.list")
async def library_list(studio: Studio, args: LibraryListArgs) -> LibraryListResult:
    """Every story's summary (title, chapter count, problem counts, last edited)."""
    stories = [s for s in await studio.summaries() if args.include_deleted or not s.deleted]
    if args.query:
        needle = args.query.casefold().strip()
        stories = [s for s in stories if needle in s.title.casefold()]
    stories.sort(key=lambda s: s.updated_at_utc, reverse=True)
    unsaved = [UUID(key) for key, session in studio.sessions.items() if session.dirty]
    return LibraryListResult(stories=stories, unsaved_story_ids=unsaved)


# ---------------------------------------------------------------- library.search


class LibrarySearchArgs(Args):
    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    limit: int = Field(default=50, ge=1, le=500, description="At most this many hits.")


class LibrarySearchResult(Result):
    hits: list[SearchHit] = Field(
        description="The open stories first (as this tab holds them), then the rest; within "
        "a story in its order (title, premise, canon, themes, characters, chapters)."
    )
    truncated: bool = Field(description="More texts matched than the limit.")


@handler("library.search")
async def library_search(studio: Studio, args: LibrarySearchArgs) -> LibrarySearchResult:
    """Every text of every live story containing the query: where it matched, and an excerpt."""
    summaries = [s for s in await studio.summaries() if not s.deleted]
    summaries.sort(key=lambda s: (str(s.story_id) not in studio.sessions, s.title.casefold()))
    hits: list[SearchHit] = []
    for summary in summaries:
        story = await studio.current_story(summary.story_id)
        hits.extend(search_story(story, args.query, args.limit + 1 - len(hits)))
        if len(hits) > args.limit:
            return LibrarySearchResult(hits=hits[: args.limit], truncated=True)
    return LibrarySearchResult(hits=hits, truncated=False)


# ---------------------------------------------------------------- library.demos


class DemoInfo(Result):
    key: str
    title: str


class LibraryDemosResult(Result):
    demos: list[DemoInfo]


@handler("library.demos")
async def library_demos(studio: Studio, args: NoArgs) -> LibraryDemosResult:
    """The demo stories a new story can start from."""
    return LibraryDemosResult(demos=[DemoInfo(key=d.key, title=d.title) for d in DEMOS])


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
    await studio.remember_opened(session.current.story_id)
    return studio.state(session)


# ---------------------------------------------------------------- story.delete / undelete


class StoryIdArgs(Args):
    story_id: UUID


class StoryDeleteResult(Result):
    story_id: UUID
    deleted_at_utc: datetime
    restorable_until_utc: datetime = Field(description="After this the trash is emptied.")


@handler("story.delete")
async def story_delete(studio: Studio, args: StoryIdArgs) -> StoryDeleteResult:
    """Move a story to the trash (undo with story.undelete)."""
    session = await studio.session(args.story_id)
    now = studio.now()
    await studio.save(session, deleted_at_utc=now)
    studio.host.broadcast(_library_notice(args.story_id, session.head.summary.revision))
    return StoryDeleteResult(
        story_id=args.story_id,
        deleted_at_utc=now,
        restorable_until_utc=now + timedelta(days=TRASH_DAYS),
    )


@handler("story.undelete")
async def story_undelete(studio: Studio, args: StoryIdArgs) -> StoryState:
    """Take a story back out of the trash."""
    session = await studio.session(args.story_id, allow_deleted=True)
    await studio.save(session, deleted_at_utc=None)
    studio.host.broadcast(_library_notice(args.story_id, session.head.summary.revision))
    return studio.state(session)


class TrashEmptyArgs(Args):
    story_ids: list[UUID] | None = Field(
        default=None,
        description="Only these stories (each must be in the trash); null: the whole trash.",
    )


class TrashEmptyResult(Result):
    purged_story_ids: list[UUID] = Field(description="Removed for good.")


@handler("trash.empty")
async def trash_empty(studio: Studio, args: TrashEmptyArgs) -> TrashEmptyResult:
    """Remove stories in the trash for good, now (the writer asked); live stories are refused."""
    trashed = {s.story_id: s for s in await studio.summaries() if s.deleted}
    wanted = list(trashed) if args.story_ids is None else args.story_ids
    live = [story_id for story_id in wanted if story_id not in trashed]
    if live:
        raise StudioError(
            f"Only stories in the trash can be removed for good; {len(live)} of those asked "
            "for are not in the trash (delete them first). Nothing was removed.",
            type="trash.not_in_trash",
        )
    for story_id in wanted:
        await studio.store.purge(str(story_id))
        studio.sessions.pop(str(story_id), None)
        studio.host.broadcast(_library_notice(story_id, trashed[story_id].revision))
    return TrashEmptyResult(purged_story_ids=wanted)


def _library_notice(story_id: UUID, revision: int) -> str:
    return json.dumps({"type": "library.changed", "story_id": str(story_id), "revision": revision})


# ---------------------------------------------------------------- story.duplicate


class StoryDuplicateArgs(Args):
    story_id: UUID
    title: Title | None = Field(default=None, description="Default: '<title> (copy)'.")


@handler("story.duplicate")
async def story_duplicate(studio: Studio, args: StoryDuplicateArgs) -> StoryState:
    """Copy a story (its current state in this tab, unsaved edits included) as a new story."""
    source = (await studio.session(args.story_id)).current
    title = args.title or f"{source.title} (copy)"[:300]
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
    return studio.state(session)


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
    return text[:300].capitalize() if text else None


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
    for summary in await studio.summaries():
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
        session = await studio.session(existing.story_id, allow_deleted=True)
        replaced = session.current.model_copy(
            update={
                "title": inspected.title,
                "blueprint": inspected.blueprint,
                "conflicts": inspected.story.conflicts if inspected.story else [],
                "updated_at_utc": studio.now(),
            }
        )
        await studio.change(session, replaced, label="importing the file")
        if existing.in_trash:
            await studio.save(session, deleted_at_utc=None)
        outcome: Literal["created", "replaced"] = "replaced"
    else:
        keep_id = inspected.story is not None and existing is None
        story = Story.new(
            story_id=inspected.story.story_id
            if keep_id and inspected.story
            else studio.new_story_id(),
            title=inspected.title if existing is None else f"{inspected.title} (copy)"[:300],
            blueprint=inspected.blueprint,
            now=studio.now(),
        )
        if inspected.story is not None:
            story = story.model_copy(update={"conflicts": inspected.story.conflicts})
        session = await studio.create(story, inspected.diagnostics)
        outcome = "created"
    await studio.remember_opened(session.current.story_id)
    return seen.model_copy(
        update={
            "stored": True,
            "title": session.current.title,
            "story_id": session.current.story_id,
            "outcome": outcome,
            "state": studio.state(session),
        }
    )


# ---------------------------------------------------------------- library.export_all


class LibraryExportAllResult(Result):
    filename: str
    media_type: str = "application/zip"
    base64: str = Field(description="The zip archive's bytes, base64-encoded.")
    story_count: int


def _slug(title: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in title)
    return "-".join(part for part in out.split("-") if part)[:60] or "story"


@handler("library.export_all")
async def library_export_all(studio: Studio, args: NoArgs) -> LibraryExportAllResult:
    """Every live story as one zip: ``stories/<title>-<id>.story.json`` + ``manifest.json``.

    Stories come as this tab holds them (unsaved edits included), in canonical JSON; each file
    imports back with story.import.
    """
    summaries = [s for s in await studio.summaries() if not s.deleted]
    summaries.sort(key=lambda s: s.title.casefold())
    buffer = io.BytesIO()
    manifest: list[dict[str, object]] = []
    stamp = studio.now()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for summary in summaries:
            story = await studio.current_story(summary.story_id)
            name = f"stories/{_slug(story.title)}-{str(story.story_id)[:8]}.story.json"
            info = zipfile.ZipInfo(name, date_time=_zip_time(story.updated_at_utc))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _analysis.canonical(story))
            manifest.append({"file": name, "story_id": str(story.story_id), "title": story.title})
        info = zipfile.ZipInfo("manifest.json", date_time=_zip_time(stamp))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(
            info,
            json.dumps(
                {"format": "story-gen-library", "version": 1, "stories": manifest},
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
        )
    return LibraryExportAllResult(
        filename=f"story-gen-library-{stamp.strftime('%Y-%m-%d')}.zip",
        base64=base64.b64encode(buffer.getvalue()).decode("ascii"),
        story_count=len(summaries),
    )


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    year = max(1980, moment.year)  # zip cannot hold dates before 1980
    return (year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
