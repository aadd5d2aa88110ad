"""How revision documents are stored, and read back exactly (ADR 0081).

A story's revisions form chains: a **full** revision (a compressed snapshot blob in the object
store) followed by revisions stored as **deltas**, each the compressed core patch
(:func:`story_gen.core.diff`) from the previous revision's document, kept in the revision row
itself. A new chain starts when the current one reaches ``revision_snapshot_every`` revisions,
when its deltas together outweigh its snapshot, or when one delta is large (a rewrite), so a
one-field edit of a 1,000-chapter story stores a few hundred bytes instead of the document.

Reading revision N takes its chain's rows (one query), the snapshot (one object read, a
decompress and a parse) and replays the deltas in one pass; the result must hash to N's content
address (``blob_key``, the sha256 of its canonical JSON), so a ``GET`` is byte-for-byte what it
was when the revision was written whole. Documents already in the :class:`DocumentCache` are
used as later starting points, so neighbouring revisions cost only their deltas.

Revisions written before this existed are full blobs of canonical JSON (``stored_key ==
blob_key``); they read as snapshots and ``repack`` (ops/repack.py) rewrites them.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from story_gen.core import Story, diff, to_canonical_json
from story_gen.core.patch import Patch, PatchDoesNotApplyError, apply_patch, replay
from story_gen.sync_api.blobs import BlobNotFoundError, content_key
from story_gen.sync_api.crud.stories import ChainRow, chain_rows
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.services import Services

__all__ = [
    "MAX_DELTA_BYTES",
    "ChainState",
    "RevisionUnreadableError",
    "StoredRevision",
    "chain_state",
    "decode_deltas",
    "decode_full",
    "encode_delta",
    "prepare",
    "read_document",
]

SNAPSHOT_MAGIC = b"story_gen.snapshot/1\n"
"""First bytes of a snapshot blob; zlib-compressed canonical JSON follows. A legacy full blob
is the canonical JSON itself, which starts with ``{``."""
DELTA_MAGIC = b"story_gen.delta/1\n"
"""First bytes of a delta; the zlib-compressed JSON of a core Patch follows."""
MAX_DELTA_BYTES = 64 * 1024
"""A larger delta (a rewrite, a big paste) starts a new chain instead: rows stay small."""


class RevisionUnreadableError(Exception):
    """A stored chain does not reproduce its revision's document: storage is damaged."""


@dataclass(frozen=True)
class StoredRevision:
    """A document ready to be recorded as a revision: its identity and its stored form."""

    blob_key: str
    byte_size: int
    stored_key: str | None
    delta: bytes | None
    stored_bytes: int


@dataclass(frozen=True)
class ChainState:
    """The chain a revision ends: how many deltas follow its full revision, and their bytes."""

    deltas: int
    delta_bytes: int
    full_bytes: int


def chain_state(session: Session, *, story_id: uuid.UUID, revision: int) -> ChainState | None:
    rows = chain_rows(session=session, story_id=story_id, revision=revision, with_deltas=False)
    if not rows or rows[-1].revision != revision:
        return None
    return ChainState(
        deltas=len(rows) - 1,
        delta_bytes=sum(row.stored_bytes for row in rows[1:]),
        full_bytes=rows[0].stored_bytes,
    )


def snapshot_interval(services: Services) -> int:
    """Revisions per chain at most; never more than are kept, so pruning finds a full one."""
    settings = services.settings
    return min(settings.revision_snapshot_every, settings.max_revisions_per_story)


def prepare(
    services: Services,
    story: Story,
    *,
    before: Story | None,
    chain: ChainState | None,
    data: bytes | None = None,
    delta: Patch | None = None,
) -> StoredRevision:
    """Store what is needed to record ``story`` as the revision after ``before`` (whose chain
    is ``chain``): a delta to keep in the row, or a snapshot blob, uploaded here (blob before
    row, ADR 0011). The story is valid (the caller checked what the database can hold).

    ``data``: the story's canonical JSON if the caller has it. ``delta``: the patch the caller
    built ``story`` with from ``before`` in one :func:`replay` (so replaying it reproduces the
    story by construction, and it is kept without diffing the two documents, ADR 0130)."""
    if data is None:
        data = to_canonical_json(story).encode("utf-8")
    key = content_key(data)
    services.documents.put(key, story, len(data))
    if before is not None and chain is not None:
        encoded = _delta(before, story, data) if delta is None else encode_delta(delta)
        if encoded is not None and not _chain_full(
            chain, len(encoded), snapshot_interval(services)
        ):
            return StoredRevision(key, len(data), None, encoded, len(encoded))
    blob = encode_snapshot(data)
    stored_key = content_key(blob)
    services.blobs.put(stored_key, blob)
    return StoredRevision(key, len(data), stored_key, None, len(blob))


def _chain_full(chain: ChainState, delta_bytes: int, every: int) -> bool:
    return (
        chain.deltas + 1 >= every
        or delta_bytes > MAX_DELTA_BYTES
        # Past this, reading the chain costs more than reading a fresh snapshot would.
        or chain.delta_bytes + delta_bytes > chain.full_bytes
    )


def _delta(before: Story, story: Story, data: bytes) -> bytes | None:
    """The encoded patch from ``before`` to ``story``, if replaying it gives ``data`` exactly."""
    patch = diff(before, story)
    try:
        replayed = replay(before, [patch])
    except PatchDoesNotApplyError:
        replayed = None
    if replayed is None or to_canonical_json(replayed).encode("utf-8") != data:
        # The core promises this never happens; if it did, a snapshot keeps the revision exact.
        logger.warning("revision delta does not reproduce its document; stored whole")
        return None
    return encode_delta(patch)


def encode_delta(patch: Patch) -> bytes:
    return DELTA_MAGIC + zlib.compress(patch.model_dump_json().encode("utf-8"), 9)


def encode_snapshot(data: bytes) -> bytes:
    return SNAPSHOT_MAGIC + zlib.compress(data, 6)


def decode_full(blob: bytes) -> bytes:
    """The canonical JSON held by a full revision's blob (snapshot or legacy)."""
    if blob.startswith(SNAPSHOT_MAGIC):
        return zlib.decompress(blob[len(SNAPSHOT_MAGIC) :])
    return blob


_PATCHES = TypeAdapter(list[Patch])


def decode_deltas(deltas: list[bytes]) -> list[Patch]:
    """The patches of a chain's deltas, validated in one call (per-call overhead adds up over
    a hundred small patches)."""
    texts = []
    for data in deltas:
        if not data.startswith(DELTA_MAGIC):
            raise RevisionUnreadableError("a revision delta does not start with its format marker")
        texts.append(zlib.decompress(data[len(DELTA_MAGIC) :]))
    return _PATCHES.validate_json(b"[" + b",".join(texts) + b"]") if texts else []


def read_document(
    services: Services, session: Session, *, story_id: uuid.UUID, revision: int
) -> Story | None:
    """Revision ``revision``'s document, exact; None if the story has no such revision."""
    rows = chain_rows(session=session, story_id=story_id, revision=revision)
    if not rows or rows[-1].revision != revision:
        return None
    target = rows[-1]
    cached = services.documents.get(target.blob_key)
    if cached is not None:
        return cached
    try:
        start, story = _start(services, rows)
    except BlobNotFoundError:
        # Repacked, and the old blob collected, since ``session`` read these rows (its
        # snapshot may be older than both): the rows as they are now name what exists.
        with services.db.reading() as fresh:
            rows = chain_rows(session=fresh, story_id=story_id, revision=revision)
        if not rows or rows[-1].revision != revision:
            return None
        start, story = _start(services, rows)
    patches = decode_deltas([_delta_of(row) for row in rows[start + 1 :]])
    if patches:
        story = _replayed(story, patches, target)
    services.documents.put(target.blob_key, story, target.byte_size)
    return story


def _start(services: Services, rows: list[ChainRow]) -> tuple[int, Story]:
    """The newest document of the chain already in memory, else its full revision, parsed."""
    for index in range(len(rows) - 1, -1, -1):
        cached = services.documents.get(rows[index].blob_key)
        if cached is not None:
            return index, cached
    first = rows[0]
    assert first.stored_key is not None  # chain_rows starts at a full revision
    data = decode_full(services.blobs.get(first.stored_key))
    story = Story.model_validate_json(data)
    services.documents.put(first.blob_key, story, len(data))
    return 0, story


def _delta_of(row: ChainRow) -> bytes:
    if row.delta is None:
        raise RevisionUnreadableError(f"revision {row.revision} has neither a blob nor a delta")
    return row.delta


def _replayed(story: Story, patches: list[Patch], target: ChainRow) -> Story:
    result = replay(story, patches)
    if content_key(to_canonical_json(result).encode("utf-8")) == target.blob_key:
        return result
    # One pass skips the intermediate builds; patch by patch is the reference.
    for patch in patches:
        story = apply_patch(story, patch)
    if content_key(to_canonical_json(story).encode("utf-8")) != target.blob_key:
        raise RevisionUnreadableError(
            f"revision {target.revision}'s stored chain does not reproduce its document "
            f"{target.blob_key}"
        )
    logger.warning("revision chain needed patch-by-patch replay", extra={"row": target.revision})
    return story
