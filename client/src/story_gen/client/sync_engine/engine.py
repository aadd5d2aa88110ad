"""The rules: which change to send for a story, and what a push or pull answer does to it.

Never loses an edit: when the server's copy moves on, the local copy is merged onto it with
the core's three-way merge (the server's copy is "ours", as on the server), so an edit is in
the document or in one of its conflicts. A change, once made, is frozen with its
``change_id``; sending it again is safe (the server answers a repeated change from storage),
so the engine does not care whether an answer was lost, late or duplicated.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from story_gen.client.models import ChangeResult, PullAnswer, PulledStory, PushAnswer, WireChange
from story_gen.client.sync_engine.report import Rejection, SyncReport
from story_gen.client.sync_engine.state import Pending, SyncState, Tracked
from story_gen.core import Story, diff, merge, to_canonical_json
from story_gen.core.patch import apply_patch, replay

__all__ = ["SyncEngine"]


class SyncEngine:
    """One device's replica of one account. ``new_id`` makes change ids (seedable in tests)."""

    def __init__(
        self, state: SyncState | None = None, *, new_id: Callable[[], uuid.UUID] = uuid.uuid4
    ) -> None:
        self.state = state or SyncState()
        self._new_id = new_id

    # -- what the writer did
    def stories(self) -> dict[uuid.UUID, Story]:
        """Every story on this device (not deleted), as the writer sees it."""
        return {sid: t.local for sid, t in self.state.stories.items() if t.local is not None}

    def edit(self, story: Story) -> None:
        """The writer's new copy of ``story`` (a new id: a story new to the account)."""
        tracked = self.state.stories.get(story.story_id)
        if tracked is None:
            self.state.stories[story.story_id] = Tracked(story_id=story.story_id, local=story)
            return
        tracked.local = story

    def delete(self, story_id: uuid.UUID) -> None:
        tracked = self.state.stories.get(story_id)
        if tracked is not None:
            tracked.local = None

    def adopt(self, story: Story, revision: int) -> None:
        """Track ``story`` as the server's copy at ``revision``, with no edits on this device
        (a change already in flight stays: it is sent again and answered from storage)."""
        known = self.state.stories.get(story.story_id)
        self.state.stories[story.story_id] = Tracked(
            story_id=story.story_id,
            revision=revision,
            shadow=story,
            local=story,
            base=story,
            pending=known.pending if known is not None else None,
        )

    # -- what to send
    def outgoing(self, limit: int = 100) -> list[WireChange]:
        """The changes to push now, oldest first: the ones in flight (to be sent again, same
        ids) and a new one for every story edited since. Call again after each answer."""
        changes: list[WireChange] = []
        for tracked in self.state.stories.values():
            if tracked.pending is None:
                tracked.pending = self._freeze(tracked)
            if tracked.pending is not None:
                changes.append(tracked.pending.change)
            if len(changes) >= limit:
                break
        return changes

    def _freeze(self, tracked: Tracked) -> Pending | None:
        local = tracked.local
        if tracked.awaiting_revision is not None or (
            local is not None and local == tracked.rejected
        ):
            return None
        if tracked.revision == 0:
            if local is None:
                return None
            change = WireChange(
                change_id=self._new_id(),
                story_id=tracked.story_id,
                base_revision=0,
                title=local.title,
                blueprint=local.blueprint,
                conflicts=list(local.conflicts),
            )
            return Pending(change=change, target=local)
        if local is None:
            if tracked.server_deleted:
                return None
            change = WireChange(
                change_id=self._new_id(),
                story_id=tracked.story_id,
                base_revision=tracked.revision,
                op="delete",
            )
            return Pending(change=change, target=None)
        assert tracked.shadow is not None
        if local == tracked.shadow and not tracked.server_deleted:
            return None
        # The patch carries conflict changes too (``conflicts[id]`` operations).
        change = WireChange(
            change_id=self._new_id(),
            story_id=tracked.story_id,
            base_revision=tracked.revision,
            patch=diff(tracked.shadow, local),
        )
        return Pending(change=change, target=local)

    def pull_cursor(self) -> str | None:
        """The cursor to pull from; give it back to :meth:`apply_pull` with the answer."""
        return self.state.cursor

    def held_revisions(self) -> dict[uuid.UUID, int]:
        """The server revision of each story this device holds, for a pull's ``have``: a
        story changed since then comes as patches from it (``POST /api/v1/sync/pull``)."""
        return {
            sid: tracked.revision
            for sid, tracked in self.state.stories.items()
            if tracked.revision > 0 and tracked.shadow is not None and sid not in self.state.whole
        }

    # -- what came back
    def apply_push(self, answer: PushAnswer) -> SyncReport:
        """Take a push answer (late, repeated or partial answers are fine)."""
        report = SyncReport()
        by_change = {
            t.pending.change.change_id: t for t in self.state.stories.values() if t.pending
        }
        for result in answer.results:
            tracked = by_change.pop(result.change_id, None)
            if tracked is not None and tracked.pending is not None:
                self._answered(tracked, tracked.pending, result, report)
        return report

    def _answered(
        self, tracked: Tracked, pending: Pending, result: ChangeResult, report: SyncReport
    ) -> None:
        tracked.pending = None
        if result.status == "rejected" or result.revision is None:
            tracked.rejected = tracked.local
            report.rejected.append(
                Rejection(tracked.story_id, result.change_id, list(result.diagnostics))
            )
        elif pending.target is None:
            if result.revision >= tracked.revision:
                tracked.revision = result.revision
                tracked.server_deleted = result.deleted
        elif result.revision <= tracked.revision:
            pass  # a pull already brought this revision (or a later one)
        elif result.status == "merged" and result.story is None:
            # The answer left the merged story out (too big): a pull brings it.
            tracked.awaiting_revision = result.revision
            tracked.base = pending.target
        elif result.status == "merged":
            assert result.story is not None
            report.add_conflicts(tracked.story_id, list(result.conflicts))
            self._advance(tracked, pending.target, result.story.to_story(), result.revision, report)
        else:
            created = pending.change.base_revision == 0
            server = _stamped(pending.target, result.updated_at_utc, created=created)
            self._advance(tracked, pending.target, server, result.revision, report)
        deferred, tracked.deferred = tracked.deferred, None
        patched, tracked.deferred_story = tracked.deferred_story, None
        if deferred is not None:
            whole = deferred.story.to_story() if deferred.story is not None else None
            self._take(tracked, deferred, patched or whole, report)

    def apply_pull(self, sent_cursor: str | None, answer: PullAnswer) -> SyncReport:
        """Take a pull answer to a request made with ``sent_cursor``; an answer to an older
        request (a duplicate, a late one) is ignored, so the cursor never goes back."""
        report = SyncReport()
        if sent_cursor != self.state.cursor:
            return report
        for change in answer.changes:
            tracked = self.state.stories.get(change.story_id)
            if change.patches is None:
                self.state.whole.discard(change.story_id)
            if tracked is None:
                if change.patches is not None:
                    report.refetch.add(change.story_id)  # patches for a copy not held here
                elif not change.deleted and change.story is not None:
                    self.adopt(change.story.to_story(), change.revision)
                    report.changed.add(change.story_id)
                continue
            if not _news(tracked, change):
                continue
            server = _server_copy(tracked, change)
            if server is None and not change.removed:
                report.refetch.add(change.story_id)
                continue
            if tracked.pending is not None:
                # Applied once the change in flight is answered.
                tracked.deferred = change
                tracked.deferred_story = server if change.patches is not None else None
                continue
            self._take(tracked, change, server, report)
        if report.refetch:
            # The cursor stays: the next pull brings these stories again, whole this time.
            self.state.whole |= report.refetch
            return report
        self.state.cursor = answer.cursor
        return report

    def _take(
        self, tracked: Tracked, change: PulledStory, server: Story | None, report: SyncReport
    ) -> None:
        if not _news(tracked, change):
            return
        if tracked.awaiting_revision is not None and change.revision >= tracked.awaiting_revision:
            tracked.awaiting_revision = None
        if change.removed or server is None:
            tracked.revision = change.revision
            tracked.server_deleted = True
            if tracked.local is not None and tracked.local == tracked.base:
                tracked.local = None
                report.removed.add(tracked.story_id)
            elif tracked.local is not None:
                report.revived.add(tracked.story_id)
            return
        if change.revision == tracked.revision and tracked.local is not None:
            # Out of the bin, content unchanged (moving to and from the bin makes no revision).
            tracked.server_deleted = False
            return
        base = tracked.base if tracked.base is not None else tracked.shadow
        self._advance(tracked, base, server, change.revision, report)

    def _advance(
        self,
        tracked: Tracked,
        base: Story | None,
        server: Story,
        revision: int,
        report: SyncReport,
    ) -> None:
        """The server's copy is now ``server`` at ``revision``; bring the edits made on this
        device since ``base`` onto it."""
        local = tracked.local
        if local is None:
            # Deleted here, edited there: edits outrank deletes.
            report.revived.add(tracked.story_id)
            merged = server
        elif base is None or local == base:
            merged = server
        else:
            result = merge(base, server, local)
            merged = result.merged
            report.add_conflicts(tracked.story_id, list(result.conflicts))
        if merged != local:
            report.changed.add(tracked.story_id)
        tracked.local = merged
        tracked.shadow = server
        tracked.base = server
        tracked.revision = revision
        tracked.server_deleted = False
        tracked.rejected = None


def _news(tracked: Tracked, change: PulledStory) -> bool:
    """Whether a pulled story says something this device does not know: a later revision, or
    a move to or from the bin (which keeps the revision)."""
    if change.revision != tracked.revision:
        return change.revision > tracked.revision
    return change.deleted != tracked.server_deleted


def _server_copy(tracked: Tracked, change: PulledStory) -> Story | None:
    """The server's document a pulled change brings: the story sent whole, or the patches
    replayed on the copy they were made from and checked against the head's hash; None when
    that copy is not the one held here or the result differs (then it is pulled whole)."""
    if change.patches is None:
        return change.story.to_story() if change.story is not None else None
    if tracked.shadow is None or change.patch_from != tracked.revision or change.sha256 is None:
        return None
    try:
        story = replay(tracked.shadow, change.patches)
        if _sha256(story) == change.sha256:
            return story
        # One pass skips intermediate builds; patch by patch is the reference.
        story = tracked.shadow
        for patch in change.patches:
            story = apply_patch(story, patch)
    except (ValueError, LookupError, TypeError):
        # A patch that does not apply (PatchDoesNotApplyError, a pydantic ValidationError):
        # the story is pulled whole instead.
        return None
    return story if _sha256(story) == change.sha256 else None


def _sha256(story: Story) -> str:
    return hashlib.sha256(to_canonical_json(story).encode("utf-8")).hexdigest()


def _stamped(story: Story, updated_at: datetime | None, *, created: bool) -> Story:
    """The story as the server stored it: it stamps the time of the write (and of the
    creation, for a new story) with its own clock."""
    if updated_at is None:
        return story
    stamps = {"updated_at_utc": updated_at, **({"created_at_utc": updated_at} if created else {})}
    return story.model_copy(update=stamps)
