"""Library handlers: list, create, delete/undelete, duplicate, import, export all, demos."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from story_gen.browser import _analysis
from story_gen.browser._demos import DEMOS
from story_gen.browser._envelope import describe_validation
from story_gen.browser._records import StorySummary
from story_gen.browser._registry import handler
from story_gen.browser._service import TRASH_DAYS, Studio
from story_gen.browser._views import StoryState
from story_gen.core import (
    Diagnostic,
    JsonSyntaxError,
    Severity,
    Story,
    StoryBlueprint,
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


class StoryImportArgs(Args):
    content: str = Field(description="The file's text: a blueprint, or a whole story, as JSON.")
    filename: str | None = None
    title: Title | None = Field(default=None, description="Default: the story's or file's name.")
    dry_run: bool = Field(
        default=False,
        description="Only diagnose: report what importing would store and what the core "
        "finds, store nothing. The UI shows this first and imports on the writer's word.",
    )


class StoryImportResult(Result):
    stored: bool = Field(description="True only when this call stored a new story.")
    importable: bool = Field(
        description="The file has no error: importing it (without dry_run) stores it."
    )
    title: str | None = Field(
        description="The title the story gets (or would get); null when not importable."
    )
    chapter_count: int | None = Field(description="Chapters in the file; null when unreadable.")
    story_id: UUID | None
    diagnostics: list[Diagnostic]
    state: StoryState | None = None


def _title_from(filename: str | None) -> str | None:
    if not filename:
        return None
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for suffix in (".story", ".blueprint"):
        stem = stem.removesuffix(suffix)
    text = stem.replace("-", " ").replace("_", " ").strip()
    return text[:300].capitalize() if text else None


def _refused(problem: Diagnostic) -> StoryImportResult:
    return StoryImportResult(
        stored=False,
        importable=False,
        title=None,
        chapter_count=None,
        story_id=None,
        diagnostics=[problem],
    )


def _inspect(
    args: StoryImportArgs,
) -> StoryImportResult | tuple[StoryBlueprint, str, list[Diagnostic]]:
    """The file read and diagnosed: a refusal, or (blueprint, title, diagnostics) to store."""
    try:
        raw = parse_json(args.content)
    except JsonSyntaxError as error:
        return _refused(
            Diagnostic(
                severity=Severity.ERROR,
                code="import.invalid_json",
                path="",
                message=f"The file is not valid JSON (line {error.line}, column {error.column}): "
                f"{error.message}.",
                hint="Fix the JSON text, or export the story again from where it came from.",
            )
        )
    story_title: str | None = None
    if isinstance(raw, dict) and "blueprint" in raw and "story_id" in raw:
        # A whole story (as story.export format="story" or library.export_all write it).
        try:
            envelope = Story.model_validate(migrate(raw))
        except (ValidationError, ValueError) as error:
            message = (
                describe_validation(error) if isinstance(error, ValidationError) else str(error)
            )
            return _refused(
                Diagnostic(
                    severity=Severity.ERROR,
                    code="import.invalid_story",
                    path="",
                    message=f"The story file is not valid: {message}.",
                    hint=None,
                )
            )
        raw, story_title = envelope.blueprint.model_dump(mode="json"), envelope.title
    diagnostics, blueprint = _analysis.diagnose_raw(raw)
    if blueprint is None or any(d.severity is Severity.ERROR for d in diagnostics):
        chapters = raw.get("chapters") if isinstance(raw, dict) else None
        return StoryImportResult(
            stored=False,
            importable=False,
            title=None,
            chapter_count=len(chapters) if isinstance(chapters, list) else None,
            story_id=None,
            diagnostics=diagnostics,
        )
    title = args.title or story_title or _title_from(args.filename) or "Imported story"
    return blueprint, title, diagnostics


@handler("story.import")
async def story_import(studio: Studio, args: StoryImportArgs) -> StoryImportResult:
    """Parse and diagnose a file; store it as a new story only if it has no errors.

    With ``dry_run`` nothing is stored whatever the file holds: the writer sees the
    diagnostics (warnings and notes too) first, and imports on their word.
    """
    inspected = _inspect(args)
    if isinstance(inspected, StoryImportResult):
        return inspected
    blueprint, title, diagnostics = inspected
    if args.dry_run:
        return StoryImportResult(
            stored=False,
            importable=True,
            title=title,
            chapter_count=len(blueprint.chapters),
            story_id=None,
            diagnostics=diagnostics,
        )
    story = Story.new(
        story_id=studio.new_story_id(), title=title, blueprint=blueprint, now=studio.now()
    )
    session = await studio.create(story)
    await studio.remember_opened(story.story_id)
    return StoryImportResult(
        stored=True,
        importable=True,
        title=title,
        chapter_count=len(blueprint.chapters),
        story_id=story.story_id,
        diagnostics=diagnostics,
        state=studio.state(session),
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
