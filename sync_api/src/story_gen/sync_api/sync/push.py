"""Push: apply a batch of changes, each on its own, each answered with its own result.

Per change (ADR 0010):
- a ``change_id`` already seen returns the stored result (retries never make a 2nd revision);
- ``base_revision`` equal to the head: the document becomes the new head (``applied``);
- an older base: three-way merge of base, client and head (``merged``, conflicts stored with
  the story and returned);
- anything wrong with the change itself: ``rejected`` with diagnostics, and the batch goes on.
An unreachable object store fails the request (503) instead: nothing of that change is written,
and the client retries the batch, whose already-applied changes answer from storage.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from story_gen.core import Patch, PatchDoesNotApplyError, Story, StoryBlueprint, to_canonical_json
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.core.document import to_json
from story_gen.core.patch import SetOp, problems, replay
from story_gen.sync_api.crud.push_results import get_push_result, save_push_result
from story_gen.sync_api.crud.stories import get_head
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.documents import (
    Current,
    Guard,
    Proposal,
    Written,
    find_revision_document,
    set_story_deleted,
    to_public,
    write_story,
)
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.merging import apply_onto_head, stamped
from story_gen.sync_api.models import StoryHead, User
from story_gen.sync_api.services import Services
from story_gen.sync_api.sync.protocol import ChangeCreate, ChangeResultPublic
from story_gen.sync_api.validation import check_blueprint_size, validate_blueprint

__all__ = ["push_change"]


QUOTA_CODES = frozenset({"story_quota_exceeded", "storage_quota_exceeded"})
STAMP = "updated_at_utc"
"""The field the server sets to the time of each write."""


def push_change(
    services: Services,
    *,
    user: User,
    change: ChangeCreate,
    request_id: str,
    device: str | None = None,
) -> ChangeResultPublic:
    if change.op != "put" or change.patch is None:
        # Asked before a full blueprint is validated. A patch's replay is found by the write's
        # guard in its first read transaction instead (one transaction less per push).
        with services.db.session() as session:
            stored = get_push_result(session=session, user_id=user.id, change_id=change.change_id)
        if stored is not None:
            return _from_storage(services, user, stored)
    try:
        result = _apply(services, user=user, change=change, device=device)
    except ApiError as error:
        result = _rejected(change, error)
        services.record_anomaly(
            "push_rejected",
            request_id,
            {"change_id": str(change.change_id), "code": error.code},
            user_id=user.id,
        )
        if error.code in QUOTA_CODES:
            return result  # not kept: the same change lands once the quota allows it
        return _keep_rejection(services, user=user, change=change, result=result)
    if result is None:  # answered before: a replayed patch, or a concurrent retry's write
        with services.db.session() as session:
            stored = get_push_result(session=session, user_id=user.id, change_id=change.change_id)
        assert stored is not None
        return _from_storage(services, user, stored)
    return result


def _from_storage(services: Services, user: User, stored: str) -> ChangeResultPublic:
    """A stored result as first answered: a merged story is stored by reference (its
    revision), so a push_results row stays small however large the story (issue 13, item 4)."""
    result = ChangeResultPublic.model_validate_json(stored)
    if result.status != "merged" or result.story is not None or result.revision is None:
        return result
    # (A read transaction: this may run inside the caller's write transaction on SQLite.)
    with services.db.reading() as session:
        story = find_revision_document(
            services, session, story_id=result.story_id, revision=result.revision
        )
    if story is None:
        # Pruned past the history limit since (ADR 0082): the answer says so, as one whose
        # story did not fit (ADR 0075); a pull brings the story as it is now.
        omitted = Diagnostic(
            severity=Severity.INFO,
            code="change.story_omitted",
            path="story",
            message=f"the merged story (revision {result.revision}) is no longer kept "
            "(STORY_GEN_MAX_REVISIONS_PER_STORY), so it is left out",
            hint="pull to get the story as it is now: the merge is part of it",
        )
        return result.model_copy(update={"diagnostics": [*result.diagnostics, omitted]})
    head = StoryHead(owner_id=user.id, revision=result.revision, deleted_at=None)
    return result.model_copy(update={"story": to_public(head, story)})


def _rejected(change: ChangeCreate, error: ApiError) -> ChangeResultPublic:
    diagnostics = error.diagnostics or [
        Diagnostic(severity=Severity.ERROR, code=error.code, path="", message=error.message)
    ]
    return ChangeResultPublic(
        change_id=change.change_id,
        story_id=change.story_id,
        status="rejected",
        diagnostics=diagnostics,
    )


def _keep_rejection(
    services: Services, *, user: User, change: ChangeCreate, result: ChangeResultPublic
) -> ChangeResultPublic:
    with services.db.transaction() as session:
        bump_change_seq(session=session, user_id=user.id)  # the owner's lock, see models.py
        stored = get_push_result(session=session, user_id=user.id, change_id=change.change_id)
        if stored is not None:
            return _from_storage(services, user, stored)
        _save(session, services, user, change, result)
    return result


def _save(
    session: Session,
    services: Services,
    user: User,
    change: ChangeCreate,
    result: ChangeResultPublic,
) -> None:
    save_push_result(
        session=session,
        user_id=user.id,
        change_id=change.change_id,
        story_id=change.story_id,
        # By reference: the merged story is the revision's document (see _from_storage).
        result_json=result.model_copy(update={"story": None}).model_dump_json(),
        now=services.clock.now(),
    )


def _not_seen(user: User, change: ChangeCreate) -> Guard:
    def guard(session: Session) -> bool:
        return get_push_result(session=session, user_id=user.id, change_id=change.change_id) is None

    return guard


def _invalid_change(code: str, path: str, message: str) -> ApiError:
    return ApiError(
        422,
        "change_invalid",
        message,
        diagnostics=[
            Diagnostic(severity=Severity.ERROR, code=f"change.{code}", path=path, message=message)
        ],
    )


def _apply(
    services: Services, *, user: User, change: ChangeCreate, device: str | None = None
) -> ChangeResultPublic | None:
    if change.op in ("delete", "undelete"):
        return _apply_delete(services, user=user, change=change)
    if (change.blueprint is None) == (change.patch is None):
        raise _invalid_change(
            "content", "", "a put change needs exactly one of `blueprint` or `patch`"
        )
    max_bytes = services.settings.max_blueprint_bytes
    blueprint = (
        validate_blueprint(change.blueprint, max_bytes=max_bytes, strict=False)
        if change.blueprint is not None
        else None
    )
    now = services.clock.now()

    def propose(session: Session, current: Current | None) -> Proposal:
        if current is None:
            if change.base_revision != 0:
                raise ApiError(
                    404,
                    "story_not_found",
                    f"story {change.story_id} is not on the server, but the change says it "
                    f"was made on revision {change.base_revision}; push it with base_revision 0",
                )
            if change.title is None:
                raise _invalid_change("title_missing", "title", "a new story needs a `title`")
            if blueprint is None:
                raise _invalid_change(
                    "blueprint_missing", "blueprint", "a new story needs its full `blueprint`"
                )
            story = Story(
                story_id=change.story_id,
                title=change.title,
                blueprint=blueprint,
                created_at_utc=now,
                updated_at_utc=now,
                conflicts=change.conflicts,
            )
            return Proposal(story=story, origin="push")
        head = current.story
        if change.base_revision > current.head.revision:
            raise ApiError(
                409,
                "base_revision_ahead",
                f"base_revision {change.base_revision} is newer than the server's head "
                f"{current.head.revision}; pull first",
            )
        fresh = change.base_revision == current.head.revision
        if change.patch is not None:
            return _propose_patch(change, change.patch, head, fresh, now, max_bytes)
        assert blueprint is not None
        client = Story(
            story_id=change.story_id,
            title=change.title or head.title,
            blueprint=blueprint,
            created_at_utc=head.created_at_utc,
            updated_at_utc=now,
            conflicts=change.conflicts,
        )
        if fresh:
            return Proposal(story=client, origin="push")
        base = _base_document(services, session, change, head)
        result = services.merges.merge(base=base, client=client, head=head)
        return Proposal(
            story=stamped(result, now),
            origin="merge",
            status="merged",
            conflicts=list(result.conflicts),
        )

    def after_write(session: Session, written: Written) -> None:
        _save(session, services, user, change, _result(change, user, written))

    written = write_story(
        services,
        owner_id=user.id,
        story_id=change.story_id,
        propose=propose,
        change_id=change.change_id,
        guard=_not_seen(user, change),
        after_write=after_write,
        device=device,
    )
    return None if written is None else _result(change, user, written)


def _propose_patch(
    change: ChangeCreate, patch: Patch, head: Story, fresh: bool, now: datetime, max_bytes: int
) -> Proposal:
    if fresh and change.title is None:
        applied = _apply_exactly(patch, head, now, max_bytes)
        if applied is not None:
            return applied
    exact = fresh
    try:
        try:
            result = apply_onto_head(head=head, patch=patch, exact=fresh)
        except PatchDoesNotApplyError:
            # The client's view of its base differs from ours: merge instead of refusing.
            exact = False
            result = apply_onto_head(head=head, patch=patch, exact=False)
    except PatchDoesNotApplyError as error:
        # Not even a merge can use it: it names what no story has, or would make a story the
        # contract refuses (an over-long title, a chapter without a key, ...).
        raise _invalid_change("patch_invalid", "patch", _patch_problem(error)) from None
    story = stamped(result, now)
    if change.title is not None:
        # Validated (not model_copy): the title is normalised exactly as on every other path.
        story = Story.model_validate({**dict(story), "title": change.title})
    # The patched story is already a validated model (no structural error can survive that:
    # keys are keys, no key is duplicated), so only the size is left to check.
    check_blueprint_size(story.blueprint, max_bytes=max_bytes)
    if exact:
        return Proposal(story=story, origin="push")
    return Proposal(story=story, origin="merge", status="merged", conflicts=list(result.conflicts))


def _apply_exactly(patch: Patch, head: Story, now: datetime, max_bytes: int) -> Proposal | None:
    """The common push, a patch made on the head, applied in one pass with the server's time
    stamp as one more operation: the result is the revision, and that patch its stored delta
    as it is (ADR 0130). None when the patch does not apply exactly (then it is merged)."""
    if problems(head, patch):
        return None
    # The server's stamp replaces any the client set, so that every operation of the delta
    # still expects what the previous revision holds (a device checks them when it replays).
    ops = [op for op in patch.ops if not (isinstance(op, SetOp) and op.path == STAMP)]
    old, new = to_json(head.updated_at_utc), to_json(now)
    if new != old:  # (as the core's diff: no operation for a value that stays)
        ops.append(SetOp(op="set", path=STAMP, old=old, new=new))
    delta = Patch(ops=ops)
    try:
        story = replay(head, [delta])
    except PatchDoesNotApplyError:
        return None
    data = to_canonical_json(story).encode("utf-8")
    # The story's canonical JSON holds the blueprint's, so a story within the limit has a
    # blueprint within it and the blueprint is not serialised a second time to measure it.
    if len(data) > max_bytes:
        check_blueprint_size(story.blueprint, max_bytes=max_bytes)
    return Proposal(story=story, origin="push", canonical=data, delta=delta)


def _patch_problem(error: PatchDoesNotApplyError) -> str:
    more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
    return f"the patch cannot be applied to this story: {error.problems[0]}{more}"


def _base_document(
    services: Services, session: Session, change: ChangeCreate, head: Story
) -> Story:
    if change.base_revision == 0:
        # Both sides created the same story id independently: merge from an empty story.
        return _empty_base(change, head)
    base = find_revision_document(
        services, session, story_id=change.story_id, revision=change.base_revision
    )
    if base is None:
        # Pruned past the history limit (ADR 0082): without the base, every field the two
        # sides set differently is a conflict holding both, so no edit is lost.
        return _empty_base(change, head)
    return base


def _empty_base(change: ChangeCreate, head: Story) -> Story:
    return Story(
        story_id=change.story_id,
        title=head.title,
        blueprint=StoryBlueprint(),
        created_at_utc=head.created_at_utc,
        updated_at_utc=head.created_at_utc,
    )


def _result(change: ChangeCreate, user: User, written: Written) -> ChangeResultPublic:
    merged = written.proposal.status == "merged"
    story = written.story
    head = StoryHead(owner_id=user.id, revision=written.revision, deleted_at=None)
    return ChangeResultPublic(
        change_id=change.change_id,
        story_id=change.story_id,
        status=written.proposal.status,
        revision=written.revision,
        updated_at_utc=story.updated_at_utc,
        conflicts=written.proposal.conflicts,
        story=to_public(head, story) if merged else None,
    )


def _apply_delete(
    services: Services, *, user: User, change: ChangeCreate
) -> ChangeResultPublic | None:
    def after_write(session: Session, head: StoryHead) -> None:
        _save(session, services, user, change, _delete_result(change, head))

    with services.db.session() as session:
        if get_head(session=session, owner_id=user.id, story_id=change.story_id) is None:
            raise ApiError(404, "story_not_found", f"there is no story {change.story_id}")
    head = set_story_deleted(
        services,
        owner_id=user.id,
        story_id=change.story_id,
        deleted=change.op == "delete",
        guard=_not_seen(user, change),
        after_write=after_write,
    )
    return None if head is None else _delete_result(change, head)


def _delete_result(change: ChangeCreate, head: StoryHead) -> ChangeResultPublic:
    return ChangeResultPublic(
        change_id=change.change_id,
        story_id=change.story_id,
        status="applied",
        revision=head.revision,
        updated_at_utc=head.updated_at,
        deleted=head.deleted_at is not None,
    )
