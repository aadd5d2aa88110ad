"""Story documents: reading heads and revisions, and the one write path every change takes.

The write path keeps two promises (ADR 0011):

1. **Blob before row.** A revision stored whole (a compressed snapshot, content-addressed,
   immutable) is uploaded before the transaction that references it commits; a revision
   stored as a delta is in its row (ADR 0081, revision_store.py). A crash or an object-store
   outage in between leaves at most an unreferenced blob, which garbage collection removes;
   never a row pointing at nothing.
2. **No lost edit under concurrency.** The proposal is computed and uploaded optimistically,
   then the head moves by compare-and-swap on its revision. If another writer got there first,
   the proposal is recomputed from the new head (for a push: a three-way merge), again outside
   any write transaction; only the last of a few attempts recomputes while holding the owner's
   write lock (``users.change_seq``), so a change always lands.

The proposal, a push's merge included, is computed in a read-only transaction
(:meth:`Database.reading`): on SQLite that holds no write lock, so a long merge never stalls
other users' writes (issue 13, item 1; ADR 0071). Its cost is bounded by the core's diff
budget (ADR 0070), which also bounds the rare attempt made under the owner's lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from story_gen.core import Conflict, Patch, Story
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.blobs import BlobNotFoundError
from story_gen.sync_api.crud.stories import (
    account_usage,
    add_revision,
    cas_update_head,
    delete_revisions_before,
    find_revision_by_key,
    get_head,
    get_revision,
    latest_full_revision,
    oldest_revision,
    set_deleted,
    story_id_taken,
)
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import StoryHead
from story_gen.sync_api.revision_store import (
    ChainState,
    StoredRevision,
    chain_state,
    prepare,
    read_document,
)
from story_gen.sync_api.schemas import StoryPublic
from story_gen.sync_api.services import Services

__all__ = [
    "Current",
    "Proposal",
    "Written",
    "find_revision_document",
    "head_document",
    "load_document",
    "prune_history",
    "read_head",
    "revision_blob_key",
    "revision_document",
    "set_story_deleted",
    "to_public",
    "write_story",
]


@dataclass(frozen=True)
class Current:
    """A story's head row and its document, as read at one moment."""

    head: StoryHead
    story: Story


@dataclass(frozen=True)
class Proposal:
    story: Story
    origin: str
    status: Literal["applied", "merged"] = "applied"
    conflicts: list[Conflict] = field(default_factory=list)
    canonical: bytes | None = None
    """``story``'s canonical JSON (UTF-8), when the proposer already made it (a size check)."""
    delta: Patch | None = None
    """The patch ``story`` was built with from the current head's document, in one
    :func:`~story_gen.core.patch.replay`: stored as the revision's delta as it is, with no
    diff of the two documents (ADR 0130)."""


@dataclass(frozen=True)
class Written:
    story: Story
    revision: int
    proposal: Proposal


Propose = Callable[[Session, Current | None], Proposal]
"""Given the current head (None: the story does not exist yet), say what the new document is.

The session is the caller's open transaction (usually read-only): a proposal that needs more
rows (a push's base revision) reads them through it, never through a second session, which on
SQLite would wait for the write lock when the proposal is recomputed under it."""

OPTIMISTIC_ATTEMPTS = 3
"""Compare-and-swap attempts computed outside any write lock before the last, locked one."""

Guard = Callable[[Session], bool]
"""Runs under the owner's write lock before anything is written; False abandons the write.
Also asked in the first proposal's read transaction, so a write it declines costs no proposal."""


def not_found(story_id: uuid.UUID) -> ApiError:
    return ApiError(
        404,
        "story_not_found",
        f"there is no story {story_id} in your account (it may belong to someone else, "
        "or its id is mistyped)",
    )


def load_document(services: Services, blob_key: str) -> Story:
    """The document whose content address is ``blob_key`` (a head's or a revision's), parsed
    once per process (document_cache.py); read from its revision's stored form otherwise."""
    cached = services.documents.get(blob_key)
    if cached is not None:
        return cached
    # (A read transaction of its own: callers may hold SQLite's write lock in another.)
    with services.db.reading() as session:
        found = find_revision_by_key(session=session, blob_key=blob_key)
        story = (
            None
            if found is None
            else read_document(services, session, story_id=found[0], revision=found[1])
        )
    if story is None:
        raise BlobNotFoundError(blob_key)
    return story


def head_document(services: Services, session: Session, head: StoryHead) -> Story:
    """The document of ``head``, read through the caller's transaction."""
    cached = services.documents.get(head.blob_key)
    if cached is not None:
        return cached
    story = read_document(services, session, story_id=head.id, revision=head.revision)
    if story is None:
        raise BlobNotFoundError(head.blob_key)
    return story


def read_head(session: Session, *, owner_id: uuid.UUID, story_id: uuid.UUID) -> StoryHead:
    head = get_head(session=session, owner_id=owner_id, story_id=story_id)
    if head is None:
        raise not_found(story_id)
    return head


def to_public(head: StoryHead, story: Story, *, revision: int | None = None) -> StoryPublic:
    return StoryPublic(
        story_id=story.story_id,
        owner_id=head.owner_id,
        title=story.title,
        blueprint=story.blueprint,
        created_at_utc=story.created_at_utc,
        updated_at_utc=story.updated_at_utc,
        revision=head.revision if revision is None else revision,
        conflicts=list(story.conflicts),
        deleted_at_utc=head.deleted_at,
    )


def _storable(story: Story) -> Story:
    """The story, if the database can hold what it keeps of it (the title); else a 422.

    Request fields are checked by their schema; this catches what a patch or merge produced.
    """
    if "\x00" in story.title:
        raise ApiError(
            422,
            "title_unstorable",
            "the story title would contain a NUL character, which cannot be stored; "
            "remove it from the title",
            diagnostics=[
                Diagnostic(
                    severity=Severity.ERROR,
                    code="story.title_unstorable",
                    path="title",
                    message="contains a NUL character (\\u0000)",
                    hint="remove the NUL character from the title",
                )
            ],
        )
    return story


def story_id_taken_error(story_id: uuid.UUID) -> ApiError:
    return ApiError(
        409,
        "story_id_taken",
        f"story id {story_id} cannot be used for a new story; generate a new random UUID",
    )


def write_story(
    services: Services,
    *,
    owner_id: uuid.UUID,
    story_id: uuid.UUID,
    propose: Propose,
    change_id: uuid.UUID | None = None,
    guard: Guard | None = None,
    after_write: Callable[[Session, Written], None] | None = None,
    device: str | None = None,
) -> Written | None:
    """Apply ``propose`` to the story and commit a new revision; None if ``guard`` said no.
    ``device``: the pushing device's name, kept with the revision (ADR 0109)."""
    write = _Write(services, owner_id, story_id, propose, change_id, guard, after_write, device)
    for attempt in range(OPTIMISTIC_ATTEMPTS + 1):
        with services.db.reading() as session:
            if attempt == 0 and guard is not None and not guard(session):
                return None  # (asked here first too: no proposal is computed for nothing)
            proposed = write.proposed(session, write.current(session))
        try:
            return write.land(write.stored(proposed), locked=attempt == OPTIMISTIC_ATTEMPTS)
        except _AbandonError:
            return None
        except _MovedError:
            continue
    raise AssertionError("the last attempt lands under the owner's lock")  # pragma: no cover


class _AbandonError(Exception):
    """The guard declined the write; raised to roll the transaction back."""


class _MovedError(Exception):
    """The head moved since the proposal was computed; raised to try again."""


@dataclass(frozen=True)
class _Proposed:
    """A proposal and what it was computed on: the head and that head's revision chain."""

    current: Current | None
    proposal: Proposal
    chain: ChainState | None


@dataclass(frozen=True)
class _Attempt:
    """A proposal whose revision is stored (its delta, or its snapshot blob), ready to land."""

    current: Current | None
    proposal: Proposal
    stored: StoredRevision

    @property
    def revision(self) -> int:
        return 1 if self.current is None else self.current.head.revision + 1


@dataclass(frozen=True)
class _Write:
    """One call of :func:`write_story`: whose story, how to propose, and what runs around it."""

    services: Services
    owner_id: uuid.UUID
    story_id: uuid.UUID
    propose: Propose
    change_id: uuid.UUID | None
    guard: Guard | None
    after_write: Callable[[Session, Written], None] | None
    device: str | None = None

    def current(self, session: Session) -> Current | None:
        head = get_head(session=session, owner_id=self.owner_id, story_id=self.story_id)
        return None if head is None else Current(head, head_document(self.services, session, head))

    def proposed(self, session: Session, current: Current | None) -> _Proposed:
        proposal = self.propose(session, current)
        if current is None and story_id_taken(session=session, story_id=self.story_id):
            # Asked only once the proposal stands: a change made on a revision of a story
            # the caller does not own answers exactly like one on an unknown story.
            raise story_id_taken_error(self.story_id)
        chain = None
        if current is not None:
            chain = chain_state(session, story_id=self.story_id, revision=current.head.revision)
        return _Proposed(current, proposal, chain)

    def stored(self, proposed: _Proposed) -> _Attempt:
        story = _storable(proposed.proposal.story)
        before = None if proposed.current is None else proposed.current.story
        proposal = proposed.proposal
        stored = prepare(
            self.services,
            story,
            before=before,
            chain=proposed.chain,
            data=proposal.canonical,
            delta=proposal.delta,
        )
        return _Attempt(proposed.current, proposed.proposal, stored)

    def land(self, attempt: _Attempt, *, locked: bool) -> Written:
        """Move the head to ``attempt`` by compare-and-swap. If it moved meanwhile: when
        ``locked``, recompute under the owner's lock and land; else raise :class:`_MovedError`."""
        with self.services.db.transaction() as session:
            seq = bump_change_seq(session=session, user_id=self.owner_id)
            if self.guard is not None and not self.guard(session):
                raise _AbandonError
            if not self._swap(session, attempt, seq):
                if not locked:
                    raise _MovedError
                # We hold the owner's write lock now, so the head read here is final until we
                # commit: recompute against it (merge, bounded by the diff budget) and land.
                current = self.current(session)
                if current is None:
                    raise not_found(self.story_id)  # deleted for good meanwhile
                attempt = self.stored(self.proposed(session, current))
                moved = self._swap(session, attempt, seq)
                assert moved, "the head moved while the owner's write lock was held"
            return self._record(session, attempt)

    def _swap(self, session: Session, attempt: _Attempt, seq: int) -> bool:
        """The compare-and-swap: the head becomes the attempt's document if it is still the
        one the attempt was computed on (for a new story: if there is still none)."""
        story = attempt.proposal.story
        if attempt.current is None:
            if get_head(session=session, owner_id=self.owner_id, story_id=self.story_id):
                return False
            _insert_head(session, _new_head(self.owner_id, story, attempt.stored.blob_key, seq))
            return True
        return cas_update_head(
            session=session,
            story_id=self.story_id,
            expected_revision=attempt.current.head.revision,
            revision=attempt.revision,
            title=story.title,
            blob_key=attempt.stored.blob_key,
            conflict_count=len(story.conflicts),
            updated_at=story.updated_at_utc,
            change_seq=seq,
        )

    def _record(self, session: Session, attempt: _Attempt) -> Written:
        revision, stored = attempt.revision, attempt.stored
        # Checked under the owner's lock (bump_change_seq in land), so parallel writes of one
        # account cannot pass a quota together; refusing rolls the whole write back.
        _check_quota(
            self.services, session, self.owner_id, new_story=revision == 1, size=stored.stored_bytes
        )
        add_revision(
            session=session,
            story_id=self.story_id,
            revision=revision,
            blob_key=stored.blob_key,
            byte_size=stored.byte_size,
            stored_key=stored.stored_key,
            delta=stored.delta,
            stored_bytes=stored.stored_bytes,
            created_at=self.services.clock.now(),
            origin=attempt.proposal.origin,
            change_id=self.change_id,
            device=self.device,
        )
        prune_history(self.services, session, story_id=self.story_id, head_revision=revision)
        written = Written(
            story=attempt.proposal.story, revision=revision, proposal=attempt.proposal
        )
        if self.after_write is not None:
            self.after_write(session, written)
        return written


def _check_quota(
    services: Services, session: Session, owner_id: uuid.UUID, *, new_story: bool, size: int
) -> None:
    settings = services.settings
    # A new story's head is already inserted here, so it is counted; its revision is not.
    counted, stored = account_usage(session=session, owner_id=owner_id)
    stories = counted - 1 if new_story else counted
    if new_story and stories >= settings.max_stories_per_account:
        raise ApiError(
            413,
            "story_quota_exceeded",
            f"your account holds {stories} stories, the most it may "
            f"(STORY_GEN_MAX_STORIES_PER_ACCOUNT={settings.max_stories_per_account}, stories in "
            "the bin included); nothing was stored. Ask the operator to raise the limit, then "
            "send the same request again",
        )
    if stored + size > settings.max_account_bytes:
        raise ApiError(
            413,
            "storage_quota_exceeded",
            f"this revision ({size} bytes) would take your account's stored revisions from "
            f"{stored} to {stored + size} bytes, past its quota "
            f"(STORY_GEN_MAX_ACCOUNT_BYTES={settings.max_account_bytes}); nothing was stored. "
            "Ask the operator to raise the limit, then send the same request again",
        )


def _insert_head(session: Session, head: StoryHead) -> None:
    """Insert a new story's head; another owner's story with the same id is a 409, not an outage.

    Two owners' writers are not serialised by one lock (``users.change_seq`` is per owner), so
    on PostgreSQL both can pass the check and the second insert fails on the primary key."""
    if story_id_taken(session=session, story_id=head.id):
        raise story_id_taken_error(head.id)
    try:
        with session.begin_nested():
            session.add(head)
            session.flush()
    except IntegrityError:
        raise story_id_taken_error(head.id) from None


def _new_head(owner_id: uuid.UUID, story: Story, blob_key: str, seq: int) -> StoryHead:
    return StoryHead(
        id=story.story_id,
        owner_id=owner_id,
        title=story.title,
        revision=1,
        blob_key=blob_key,
        conflict_count=len(story.conflicts),
        created_at=story.created_at_utc,
        updated_at=story.updated_at_utc,
        deleted_at=None,
        change_seq=seq,
    )


def set_story_deleted(
    services: Services,
    *,
    owner_id: uuid.UUID,
    story_id: uuid.UUID,
    deleted: bool,
    guard: Guard | None = None,
    after_write: Callable[[Session, StoryHead], None] | None = None,
) -> StoryHead | None:
    """Move a story into the bin or back out (no new revision: the document is unchanged)."""
    try:
        with services.db.transaction() as session:
            return _set_deleted(services, session, owner_id, story_id, deleted, guard, after_write)
    except _AbandonError:
        return None


def _set_deleted(
    services: Services,
    session: Session,
    owner_id: uuid.UUID,
    story_id: uuid.UUID,
    deleted: bool,
    guard: Guard | None,
    after_write: Callable[[Session, StoryHead], None] | None,
) -> StoryHead:
    seq = bump_change_seq(session=session, user_id=owner_id)
    if guard is not None and not guard(session):
        raise _AbandonError
    head = read_head(session, owner_id=owner_id, story_id=story_id)
    if (head.deleted_at is not None) != deleted:
        set_deleted(
            session=session,
            story_id=story_id,
            deleted_at=services.clock.now() if deleted else None,
            change_seq=seq,
        )
        session.flush()
        session.refresh(head)
    if after_write is not None:
        after_write(session, head)
    return head


def prune_history(
    services: Services, session: Session, *, story_id: uuid.UUID, head_revision: int
) -> int:
    """Drop the revisions older than the newest ``max_revisions_per_story`` (ADR 0082).

    Only whole chains go: the cut is at the newest full revision among the oldest kept, so
    every kept revision still reads. The head is never dropped."""
    cutoff = head_revision - services.settings.max_revisions_per_story + 1
    if cutoff <= 1:
        return 0
    full = latest_full_revision(session=session, story_id=story_id, revision=cutoff)
    if full is None:
        return 0
    return delete_revisions_before(session=session, story_id=story_id, revision=full)


def revision_not_found(session: Session, *, story_id: uuid.UUID, revision: int) -> ApiError:
    oldest = oldest_revision(session=session, story_id=story_id)
    if oldest is not None and revision < oldest:
        return ApiError(
            404,
            "revision_not_found",
            f"revision {revision} of story {story_id} was pruned: the server keeps a story's "
            f"newest revisions (STORY_GEN_MAX_REVISIONS_PER_STORY), here revision {oldest} "
            "and later; GET its /revisions for the list",
        )
    return ApiError(
        404,
        "revision_not_found",
        f"story {story_id} has no revision {revision}; GET its /revisions for the list",
    )


def revision_blob_key(session: Session, *, story_id: uuid.UUID, revision: int) -> str:
    """The content address of a revision's document (read it with :func:`load_document`)."""
    row = get_revision(session=session, story_id=story_id, revision=revision)
    if row is None:
        raise revision_not_found(session, story_id=story_id, revision=revision)
    return row.blob_key


def find_revision_document(
    services: Services, session: Session, *, story_id: uuid.UUID, revision: int
) -> Story | None:
    """Revision ``revision``'s document; None if the story has no such revision (any more)."""
    row = get_revision(session=session, story_id=story_id, revision=revision)
    if row is None:
        return None
    cached = services.documents.get(row.blob_key)
    if cached is not None:
        return cached
    return read_document(services, session, story_id=story_id, revision=revision)


def revision_document(
    services: Services, session: Session, *, story_id: uuid.UUID, revision: int
) -> Story:
    story = find_revision_document(services, session, story_id=story_id, revision=revision)
    if story is None:
        raise revision_not_found(session, story_id=story_id, revision=revision)
    return story
