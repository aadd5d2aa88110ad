"""A pulled story as the core's patches from the revision the device holds (ADR 0113).

Revisions are mostly stored as deltas, each the core patch from the revision before
(ADR 0081): a device one or a few revisions behind gets those stored patches, read from the
rows without building any document. Further behind, or across a revision stored whole, it gets
one patch, the core's ``diff`` of the two documents. Either way the device replays them on its
copy and checks the result against the head's content hash, so a wrong patch can cost a
second pull of the whole story, never a wrong document.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from story_gen.core import diff
from story_gen.core.patch import Patch
from story_gen.sync_api.blobs import KEY_PREFIX
from story_gen.sync_api.crud.stories import deltas_between, get_revision
from story_gen.sync_api.documents import head_document
from story_gen.sync_api.models import StoryHead
from story_gen.sync_api.revision_store import decode_deltas, read_document
from story_gen.sync_api.services import Services

__all__ = ["MAX_STORED_PATCHES", "content_sha256", "patches_to_head"]

MAX_STORED_PATCHES = 20
"""A device further behind than this gets one diff instead of that many stored patches."""


def content_sha256(head: StoryHead) -> str:
    """The hex sha256 of the head document's canonical JSON (its content address)."""
    return head.blob_key.removeprefix(KEY_PREFIX)


def patches_to_head(
    services: Services, session: Session, head: StoryHead, held: int
) -> list[Patch] | None:
    """The patches from revision ``held`` to the head, when they are smaller than half the
    head's document; None when the story is better sent whole (an unknown or pruned revision,
    a rewrite)."""
    if held == head.revision:
        return []
    if held > head.revision or held < 1:
        return None
    patches: list[Patch] | None = None
    head_bytes: int | None = None
    if head.revision - held <= MAX_STORED_PATCHES:
        stored = deltas_between(session=session, story_id=head.id, after=held, upto=head.revision)
        if stored is not None:
            patches, head_bytes = decode_deltas(stored[0]), stored[1]
    if patches is None:
        base = read_document(services, session, story_id=head.id, revision=held)
        if base is None:
            return None
        patches = [diff(base, head_document(services, session, head))]
        row = get_revision(session=session, story_id=head.id, revision=head.revision)
        head_bytes = None if row is None else row.byte_size
    size = sum(len(patch.model_dump_json()) for patch in patches)
    if head_bytes is None or size * 2 > head_bytes:
        return None
    return patches
