"""Story handlers: open, rename, edit, undo/redo, save, diagnose, plan, export, keys, conflicts."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from story_gen.browser import _analysis
from story_gen.browser._edits import (
    EditOp,
    EntityKind,
    Reference,
    RenameKey,
    edit_of,
    references,
)
from story_gen.browser._errors import EditRejectedError
from story_gen.browser._handler_base import Args, NoArgs, Result, StoryIdArgs, Title
from story_gen.browser._pending import Replayed
from story_gen.browser._records import ProblemCounts
from story_gen.browser._registry import handler
from story_gen.browser._service import Studio
from story_gen.browser._sessions import story_state
from story_gen.browser._views import StoryState
from story_gen.core import Diagnostic, Plan
from story_gen.core.keys import key_problem, normalize_key

# ---------------------------------------------------------------- story.open


class StoryOpenResult(Result):
    state: StoryState
    plan: Plan


@handler("story.open")
async def story_open(studio: Studio, args: StoryIdArgs) -> StoryOpenResult:
    """Open a story: the story, its diagnostics and its plan; remembered as last opened."""
    held = studio.sessions.held(args.story_id)
    if held is None:
        # Loaded now from storage: it IS the stored head, so there is nothing to catch up
        # with (reading and parsing a big story a second time was a third of an open).
        session = await studio.sessions.get(args.story_id)
    else:
        await studio.tabs.catch_up(held)
        session = await studio.sessions.get(args.story_id)  # again: another tab may have trashed it
    await studio.queries.remember_opened(args.story_id)
    return StoryOpenResult(
        state=story_state(session), plan=_analysis.plan_of(session.current.blueprint)
    )


# ---------------------------------------------------------------- story.rename


class StoryRenameArgs(Args):
    story_id: UUID
    title: Title


@handler("story.rename")
async def story_rename(studio: Studio, args: StoryRenameArgs) -> StoryState:
    """Change a story's title (stored like an edit; not part of undo)."""
    session = await studio.sessions.get(args.story_id)
    if session.current.title == args.title:
        await studio.saver.retry_unsaved(session)
        return story_state(session)
    story = session.current.model_copy(update={"title": args.title, "updated_at_utc": studio.now()})
    return await studio.editing.change(session, story, label=None)


# ---------------------------------------------------------------- story.apply_edit


class StoryApplyEditArgs(Args):
    story_id: UUID
    base_revision: int = Field(
        description="The revision the UI's view is on. Ops address entities by key, so an op "
        "made on an older revision still applies to the newer one; the reply's story is the truth."
    )
    op: EditOp
    include_story: bool = Field(
        default=True,
        description="False while typing: the reply then omits the story (unless merged) and "
        "carries only revision, saved state and diagnostics, which is much smaller on big stories.",
    )
    continues_typing: bool = Field(
        default=False,
        description="True for the second and later sends of one burst of typing in one text: "
        "the edit joins the previous undo step when that step typed into the same text and "
        "nothing changed since, so undo reverts the burst, not a letter.",
    )
    diagnosed_push_tag: int | None = Field(
        default=None,
        description="While typing: push story.diagnosed with this tag as soon as the edit is "
        "applied and diagnosed, before it is stored, so the problems panel follows the "
        "keystroke without waiting for storage. The reply still comes after the commit.",
    )


@handler("story.apply_edit")
async def story_apply_edit(studio: Studio, args: StoryApplyEditArgs) -> StoryState:
    """Apply one edit op and store the result durably before replying (saved: true).

    A rejected op changes nothing (error ``edit.invalid``). A storage failure replies
    ``storage.quota`` / ``storage.error`` and keeps the edit in this tab for the next save.
    """
    return await studio.editing.edit(
        args.story_id,
        args.op,
        include_story=args.include_story,
        continues_typing=args.continues_typing,
        diagnosed_push_tag=args.diagnosed_push_tag,
    )


# ---------------------------------------------------------------- undo / redo / save


@handler("story.undo")
async def story_undo(studio: Studio, args: StoryIdArgs) -> StoryState:
    """Revert this tab's last edit of the story (stored as a new revision)."""
    return await studio.editing.undo(args.story_id)


@handler("story.redo")
async def story_redo(studio: Studio, args: StoryIdArgs) -> StoryState:
    """Re-apply the last undone edit."""
    return await studio.editing.undo(args.story_id, redo=True)


class PendingApplyResult(Result):
    stories: list[Replayed] = Field(
        description="Per story with pending edits, what applying them did."
    )


@handler("pending.apply")
async def pending_apply(studio: Studio, args: NoArgs) -> PendingApplyResult:
    """Apply the edits typed before the core was ready (IndexedDB store ``pending``), in
    order, through the core; each story is stored with them and their records deleted in one
    transaction. ``start()`` does this too; the UI calls it once it stops queueing edits, for
    those it queued while the service was starting."""
    return PendingApplyResult(stories=await studio.pending.apply())


@handler("story.save")
async def story_save(studio: Studio, args: StoryIdArgs) -> StoryState:
    """Retry storing edits kept after a storage failure (a no-op when everything is saved)."""
    session = await studio.sessions.get(args.story_id)
    await studio.saver.retry_unsaved(session)
    return story_state(session)


# ---------------------------------------------------------------- diagnose / plan / export


class StoryDiagnoseResult(Result):
    diagnostics: list[Diagnostic]
    diagnostics_version: int = Field(
        description="The list's version: later story.diagnosed deltas build on it."
    )
    problem_counts: ProblemCounts


@handler("story.diagnose")
async def story_diagnose(studio: Studio, args: StoryIdArgs) -> StoryDiagnoseResult:
    """The core's diagnostics for the story as this tab holds it (the whole list: also what a
    UI asks for when a story.diagnosed delta does not build on the list it holds)."""
    session = await studio.sessions.get(args.story_id, allow_deleted=True)
    diagnoser = session.diagnoser
    diagnostics = diagnoser.sent(session.current.blueprint)
    return StoryDiagnoseResult(
        diagnostics=diagnostics,
        diagnostics_version=diagnoser.version,
        problem_counts=diagnoser.counts(),
    )


class StoryPlanResult(Result):
    plan: Plan


@handler("story.plan")
async def story_plan(studio: Studio, args: StoryIdArgs) -> StoryPlanResult:
    """The core's plan: writing order, chapter graph, coverage grids."""
    session = await studio.sessions.get(args.story_id, allow_deleted=True)
    return StoryPlanResult(plan=_analysis.plan_of(session.current.blueprint))


class StoryExportArgs(Args):
    story_id: UUID
    format: Literal["json", "md", "story"] = Field(
        description="json: the blueprint file (story_blueprint.v1, canonical JSON); "
        "md: the Markdown story bible; story: the whole story (id, title, conflicts)."
    )


class StoryExportResult(Result):
    filename: str
    media_type: str
    content: str


@handler("story.export")
async def story_export(studio: Studio, args: StoryExportArgs) -> StoryExportResult:
    """The story as a file for the UI to download."""
    story = await studio.queries.current_story(args.story_id)
    stem = _file_stem(story.title)
    if args.format == "md":
        return StoryExportResult(
            filename=f"{stem}.md", media_type="text/markdown", content=_analysis.markdown(story)
        )
    if args.format == "story":
        return StoryExportResult(
            filename=f"{stem}.story.json",
            media_type="application/json",
            content=_analysis.canonical(story),
        )
    return StoryExportResult(
        filename=f"{stem}.json",
        media_type="application/json",
        content=_analysis.canonical(story.blueprint),
    )


def _file_stem(title: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in title)
    return "-".join(part for part in out.split("-") if part)[:80] or "story"


# ---------------------------------------------------------------- keys and references


class KeyArgs(Args):
    story_id: UUID
    kind: EntityKind
    key: str


class EntityReferencesResult(Result):
    kind: EntityKind
    key: str
    references: list[Reference] = Field(description="Every place that refers to the key.")


@handler("entity.references")
async def entity_references(studio: Studio, args: KeyArgs) -> EntityReferencesResult:
    """What refers to a theme/character/chapter key (to confirm a delete)."""
    session = await studio.sessions.get(args.story_id, allow_deleted=True)
    key = normalize_key(args.key)
    return EntityReferencesResult(
        kind=args.kind,
        key=key,
        references=references(session.current.blueprint, args.kind, key),
    )


class KeyRenameArgs(Args):
    story_id: UUID
    kind: EntityKind
    old_key: str
    new_key: str


class KeyRenamePreviewResult(Result):
    kind: EntityKind
    old_key: str
    new_key: str = Field(description="Normalised (stripped, lowercased).")
    problem: str | None = Field(description="Why the rename cannot be done; null when it can.")
    changes: list[Reference] = Field(description="References that the rename will update.")


@handler("key.rename_preview")
async def key_rename_preview(studio: Studio, args: KeyRenameArgs) -> KeyRenamePreviewResult:
    """What key.rename would change, and whether it can."""
    session = await studio.sessions.get(args.story_id)
    bp = session.current.blueprint
    old_key, new_key = normalize_key(args.old_key), normalize_key(args.new_key)
    problem = key_problem(new_key)
    if problem is not None:
        problem = f"The new key {args.new_key!r} is invalid: {problem}."
    else:
        try:
            edit_of(
                bp, RenameKey(op="rename_key", kind=args.kind, old_key=old_key, new_key=new_key)
            )
        except EditRejectedError as error:
            problem = error.message
    return KeyRenamePreviewResult(
        kind=args.kind,
        old_key=old_key,
        new_key=new_key,
        problem=problem,
        changes=references(bp, args.kind, old_key),
    )


@handler("key.rename")
async def key_rename(studio: Studio, args: KeyRenameArgs) -> StoryState:
    """Rename a key and every reference to it (one undoable edit)."""
    op = RenameKey(op="rename_key", kind=args.kind, old_key=args.old_key, new_key=args.new_key)
    return await studio.editing.edit(args.story_id, op)


# ---------------------------------------------------------------- conflicts


class ConflictsResolveArgs(Args):
    story_id: UUID
    conflict_id: str
    choice: Literal["ours", "theirs", "custom"]
    value: _analysis.ConflictValue = Field(
        default=None, description="The value to keep when choice is 'custom'."
    )


@handler("conflicts.resolve")
async def conflicts_resolve(studio: Studio, args: ConflictsResolveArgs) -> StoryState:
    """Settle one merge conflict: keep ours, theirs, base or a custom value (undoable)."""
    session = await studio.sessions.get(args.story_id)
    story = _analysis.resolve_conflict(
        session.current, args.conflict_id, args.choice, args.value, now=studio.now()
    )
    label = "resolving a conflict" if story.blueprint != session.current.blueprint else None
    return await studio.editing.change(session, story, label=label)
