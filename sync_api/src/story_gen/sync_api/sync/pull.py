"""Pull: what changed in the user's stories since a cursor, oldest change first, paged.

The cursor is the user's change number (``users.change_seq``) of the last change returned,
written ``v1.<n>``. Writes of one user commit in change-number order (the counter is their
lock), so a change numbered below a returned cursor can never appear later (ADR 0010).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy.orm import Session

from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.crud.stories import heads_changed_since
from story_gen.sync_api.documents import load_document, to_public
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import StoryHead, User
from story_gen.sync_api.services import Services
from story_gen.sync_api.sync.patches import content_sha256, patches_to_head
from story_gen.sync_api.sync.protocol import (
    CURSOR_PATTERN,
    PulledPatchesPublic,
    PulledStoryPublic,
    PullPatchesPublic,
    PullPublic,
)

__all__ = ["CURSOR_PATTERN", "decode_cursor", "encode_cursor", "pull"]

_CURSOR = re.compile(CURSOR_PATTERN)


def encode_cursor(seq: int) -> str:
    return f"v1.{seq}"


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    match = _CURSOR.match(cursor)
    if match is None:
        raise ApiError(
            422,
            "cursor_invalid",
            f"cursor {cursor[:40]!r} is not one this server issued; pull without a cursor "
            "to start over",
            diagnostics=[
                Diagnostic(
                    severity=Severity.ERROR,
                    code="request.cursor_invalid",
                    path="query.cursor",
                    message="not a v1 cursor",
                    hint="send back the `cursor` of the previous pull, or none",
                )
            ],
        )
    return int(match.group(1))


def pull(
    services: Services,
    *,
    user: User,
    cursor: str | None,
    limit: int,
    max_bytes: int,
    have: Mapping[uuid.UUID, int] | None = None,
) -> PullPublic:
    """A page of at most ``limit`` changes whose stories total at most ``max_bytes`` of JSON
    (the first change always comes, however large, so a pull always moves forward).

    With ``have`` (``POST``; the revision of each story the device holds) the answer is a
    :class:`PullPatchesPublic`, and a story named there comes as the patches from that
    revision when they are the smaller answer (ADR 0113). Without it, the v1 ``GET`` answer,
    exactly as before patches existed."""
    after = decode_cursor(cursor)
    plain: list[PulledStoryPublic] = []
    patched: list[PulledPatchesPublic] = []
    used = 0
    last = after
    # One read transaction for the heads and the patches' rows: one connection per pull.
    with services.db.reading() as session:
        heads = list(
            heads_changed_since(session=session, owner_id=user.id, after_seq=after, limit=limit + 1)
        )
        has_more = len(heads) > limit
        for head in heads[:limit]:
            pulled: PulledStoryPublic
            if have is None:
                pulled = _whole(services, head, PulledStoryPublic)
            else:
                held = have.get(head.id)
                patches = None if held is None else _as_patches(services, session, head, held)
                pulled = patches or _whole(services, head, PulledPatchesPublic)
            size = len(pulled.model_dump_json())
            if (plain or patched) and used + size > max_bytes:
                has_more = True
                break
            if isinstance(pulled, PulledPatchesPublic):
                patched.append(pulled)
            else:
                plain.append(pulled)
            used += size
            last = head.change_seq
    next_cursor = encode_cursor(last)
    if have is not None:
        return PullPatchesPublic(changes=patched, cursor=next_cursor, has_more=has_more)
    return PullPublic(changes=plain, cursor=next_cursor, has_more=has_more)


_P = TypeVar("_P", bound=PulledStoryPublic)


def _whole(services: Services, head: StoryHead, kind: type[_P]) -> _P:
    deleted = head.deleted_at is not None
    story = None if deleted else to_public(head, load_document(services, head.blob_key))
    return kind(story_id=head.id, revision=head.revision, deleted=deleted, story=story)


def _as_patches(
    services: Services, session: Session, head: StoryHead, held: int
) -> PulledPatchesPublic | None:
    if head.deleted_at is not None:
        return None
    patches = patches_to_head(services, session, head, held)
    if patches is None:
        return None
    return PulledPatchesPublic(
        story_id=head.id,
        revision=head.revision,
        deleted=False,
        patch_from=held,
        patches=patches,
        sha256=content_sha256(head),
    )
