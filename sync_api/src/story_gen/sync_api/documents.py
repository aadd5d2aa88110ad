"""Story documents: reading heads and revisions, and the one write path every change takes.

The write path keeps two promises (ADR 0011):

1. **Blob before row.** A revision's canonical JSON is stored (content-addressed, immutable)
   before the transaction that references it commits. A crash or an object-store outage in
   between leaves at most an unreferenced blob, which garbage collection removes; never a row
   pointing at nothing.
2. **No lost edit under concurrency.** The proposal is computed and uploaded optimistically,
   then the head moves by compare-and-swap on its revision. If another writer got there first,
   the proposal is recomputed from the new head (for a push: a three-way merge) while holding
   the owner's write lock (``users.change_seq``), so the second attempt always lands.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session

from story_gen.core import Conflict, Story, to_canonical_json
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.blobs import content_key
from story_gen.sync_api.crud.stories import (
    add_revision,
    cas_update_head,
    get_head,
    get_revision,
    set_deleted,
    story_id_taken,
)
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import StoryHead
from story_gen.sync_api.schemas import StoryPublic
from story_gen.sync_api.services import Services

__all__ = [
    "Current",
    "Proposal",
    "Written",
    "load_document",
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


@dataclass(frozen=True)
class Written:
    story: Story
    revision: int
    proposal: Proposal


Propose = Callable[[Session, Current | None], Proposal]
"""Given the current head (None: the story does not exist yet), say what the new document is.

The session is the caller's open transaction: a proposal that needs more rows (a push's base
revision) reads them through it, never through a second session, which on SQLite would wait
for the write lock its own transaction holds."""

Guard = Callable[[Session], bool]
"""Runs under the owner's write lock before anything is written; False abandons the write."""


def not_found(story_id: uuid.UUID) -> ApiError:
    return ApiError(
        404,
        "story_not_found",
        f"there is no story {story_id} in your account (it may belong to someone else, "
        "or its id is mistyped)",
    )


def load_document(services: Services, blob_key: str) -> Story:
    """The story stored under ``blob_key``, parsed once per process (document_cache.py)."""
    cached = services.documents.get(blob_key)
    if cached is not None:
        return cached
    data = services.blobs.get(blob_key)
    story = Story.model_validate_json(data)
    services.documents.put(blob_key, story, len(data))
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


def _store(services: Services, story: Story) -> tuple[str, int]:
    data = to_canonical_json(_storable(story)).encode("utf-8")
    key = content_key(data)
    services.blobs.put(key, data)
    services.documents.put(key, story, len(data))
    return key, len(data)


def write_story(
    services: Services,
    *,
    owner_id: uuid.UUID,
    story_id: uuid.UUID,
    propose: Propose,
    change_id: uuid.UUID | None = None,
    guard: Guard | None = None,
    after_write: Callable[[Session, Written], None] | None = None,
) -> Written | None:
    """Apply ``propose`` to the story and commit a new revision; None if ``guard`` said no."""
    db = services.db
    with db.transaction() as session:
        head = get_head(session=session, owner_id=owner_id, story_id=story_id)
        if head is None and story_id_taken(session=session, story_id=story_id):
            raise ApiError(
                409,
                "story_id_taken",
                f"story id {story_id} is already used; generate a new random UUID",
            )
        current = Current(head, load_document(services, head.blob_key)) if head else None
        proposal = propose(session, current)
    key, size = _store(services, proposal.story)

    try:
        return _land(
            services,
            owner_id,
            story_id,
            propose,
            current,
            proposal,
            key,
            size,
            change_id,
            guard,
            after_write,
        )
    except _AbandonError:
        return None


class _AbandonError(Exception):
    """The guard declined the write; raised to roll the transaction back."""


def _land(
    services: Services,
    owner_id: uuid.UUID,
    story_id: uuid.UUID,
    propose: Propose,
    current: Current | None,
    proposal: Proposal,
    key: str,
    size: int,
    change_id: uuid.UUID | None,
    guard: Guard | None,
    after_write: Callable[[Session, Written], None] | None,
) -> Written:
    with services.db.transaction() as session:
        seq = bump_change_seq(session=session, user_id=owner_id)
        if guard is not None and not guard(session):
            raise _AbandonError
        if current is None:
            landed = get_head(session=session, owner_id=owner_id, story_id=story_id) is None
            if landed:
                session.add(_new_head(owner_id, proposal.story, key, seq))
                session.flush()
        else:
            landed = cas_update_head(
                session=session,
                story_id=story_id,
                expected_revision=current.head.revision,
                revision=current.head.revision + 1,
                title=proposal.story.title,
                blob_key=key,
                conflict_count=len(proposal.story.conflicts),
                updated_at=proposal.story.updated_at_utc,
                change_seq=seq,
            )
        if not landed:
            # Someone else moved the head. We hold the owner's write lock now, so the head
            # read here is final until we commit: recompute against it (merge) and land.
            head = get_head(session=session, owner_id=owner_id, story_id=story_id)
            assert head is not None
            current = Current(head, load_document(services, head.blob_key))
            proposal = propose(session, current)
            key, size = _store(services, proposal.story)
            moved = cas_update_head(
                session=session,
                story_id=story_id,
                expected_revision=head.revision,
                revision=head.revision + 1,
                title=proposal.story.title,
                blob_key=key,
                conflict_count=len(proposal.story.conflicts),
                updated_at=proposal.story.updated_at_utc,
                change_seq=seq,
            )
            assert moved, "the head moved while the owner's write lock was held"
        revision = 1 if current is None else current.head.revision + 1
        add_revision(
            session=session,
            story_id=story_id,
            revision=revision,
            blob_key=key,
            byte_size=size,
            created_at=services.clock.now(),
            origin=proposal.origin,
            change_id=change_id,
        )
        written = Written(story=proposal.story, revision=revision, proposal=proposal)
        if after_write is not None:
            after_write(session, written)
    return written


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


def revision_blob_key(session: Session, *, story_id: uuid.UUID, revision: int) -> str:
    row = get_revision(session=session, story_id=story_id, revision=revision)
    if row is None:
        raise ApiError(
            404,
            "revision_not_found",
            f"story {story_id} has no revision {revision}; GET its /revisions for the list",
        )
    return row.blob_key


def revision_document(
    services: Services, session: Session, *, story_id: uuid.UUID, revision: int
) -> Story:
    return load_document(services, revision_blob_key(session, story_id=story_id, revision=revision))
