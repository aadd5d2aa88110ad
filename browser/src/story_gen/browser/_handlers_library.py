"""Library handlers: list, search, demos, empty the trash, export all."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from story_gen.browser import _analysis
from story_gen.browser._demos import DEMOS
from story_gen.browser._errors import StudioError
from story_gen.browser._handler_base import Args, NoArgs, Result
from story_gen.browser._records import StorySummary
from story_gen.browser._registry import handler
from story_gen.browser._search import SearchHit, search_story
from story_gen.browser._service import Studio

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
    stories = [s for s in await studio.queries.summaries() if args.include_deleted or not s.deleted]
    if args.query:
        needle = args.query.casefold().strip()
        stories = [s for s in stories if needle in s.title.casefold()]
    stories.sort(key=lambda s: s.updated_at_utc, reverse=True)
    unsaved = studio.sessions.unsaved_ids()
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
    summaries = [s for s in await studio.queries.summaries() if not s.deleted]
    summaries.sort(key=lambda s: (str(s.story_id) not in studio.sessions, s.title.casefold()))
    hits: list[SearchHit] = []
    for summary in summaries:
        story = await studio.queries.current_story(summary.story_id)
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


# ---------------------------------------------------------------- trash.empty


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
    trashed = {s.story_id: s for s in await studio.queries.summaries() if s.deleted}
    wanted = list(trashed) if args.story_ids is None else args.story_ids
    live = [story_id for story_id in wanted if story_id not in trashed]
    if live:
        raise StudioError(
            f"Only stories in the trash can be removed for good; {len(live)} of those asked "
            "for are not in the trash (delete them first). Nothing was removed.",
            type="trash.not_in_trash",
        )
    for story_id in wanted:
        await studio.purge(trashed[story_id])
    return TrashEmptyResult(purged_story_ids=wanted)


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
    summaries = [s for s in await studio.queries.summaries() if not s.deleted]
    summaries.sort(key=lambda s: s.title.casefold())
    buffer = io.BytesIO()
    manifest: list[dict[str, object]] = []
    stamp = studio.now()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for summary in summaries:
            story = await studio.queries.current_story(summary.story_id)
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
