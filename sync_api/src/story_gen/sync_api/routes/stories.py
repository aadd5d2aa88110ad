"""Stories: the story_gen story API (create, read, update, soft delete, restore, revisions).

``PUT`` replaces the document (last writer wins, as existing story_gen clients expect); every
earlier version stays in the revision history and can be restored. Clients that edit offline
use the sync protocol instead, which merges rather than replaces.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from story_gen.core import Story
from story_gen.sync_api.crud.stories import list_heads, list_revisions
from story_gen.sync_api.deps import CurrentUser, ServicesDep, SessionDep
from story_gen.sync_api.documents import (
    Current,
    Proposal,
    load_document,
    not_found,
    read_head,
    revision_blob_key,
    set_story_deleted,
    to_public,
    write_story,
)
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import StoryHead
from story_gen.sync_api.routes import errors
from story_gen.sync_api.schemas import RevisionPublic, StoryCreate, StoryPublic, StoryUpdate
from story_gen.sync_api.validation import validate_blueprint

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/stories", tags=["stories"])

StoryId = Annotated[uuid.UUID, Path(description="The story's id.")]
RevisionNo = Annotated[int, Path(ge=1, le=2_000_000_000, description="A revision number.")]


def _live(head: StoryHead) -> StoryHead:
    if head.deleted_at is not None:
        raise ApiError(
            404,
            "story_deleted",
            f"story {head.id} is in the bin; POST /api/v1/stories/{head.id}/restore brings it back",
        )
    return head


def _written_public(services: ServicesDep, user: CurrentUser, story_id: uuid.UUID) -> StoryPublic:
    with services.db.session() as session:
        head = read_head(session, owner_id=user.id, story_id=story_id)
    return to_public(head, load_document(services, head.blob_key))


@router.get("", response_model=list[StoryPublic], responses=errors(401))
def list_stories(
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
    include_deleted: Annotated[bool, Query(description="Also list stories in the bin.")] = False,
) -> list[StoryPublic]:
    """Your stories, oldest first."""
    heads = list_heads(session=session, owner_id=user.id, include_deleted=include_deleted)
    session.commit()
    return [to_public(head, load_document(services, head.blob_key)) for head in heads]


@router.post("", status_code=201, response_model=StoryPublic, responses=errors(400, 401))
def create_story(body: StoryCreate, user: CurrentUser, services: ServicesDep) -> StoryPublic:
    blueprint = validate_blueprint(body.blueprint, max_bytes=services.settings.max_blueprint_bytes)
    story_id = uuid.uuid4()
    now = services.clock.now()

    def propose(_session: object, _current: Current | None) -> Proposal:
        story = Story.new(story_id=story_id, title=body.title, blueprint=blueprint, now=now)
        return Proposal(story=story, origin="create")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose)
    return _written_public(services, user, story_id)


@router.get("/{story_id}", response_model=StoryPublic, responses=errors(401, 404))
def get_story(
    story_id: StoryId, user: CurrentUser, session: SessionDep, services: ServicesDep
) -> StoryPublic:
    head = _live(read_head(session, owner_id=user.id, story_id=story_id))
    session.commit()
    return to_public(head, load_document(services, head.blob_key))


@router.put("/{story_id}", response_model=StoryPublic, responses=errors(400, 401, 404))
def update_story(
    story_id: StoryId,
    body: StoryUpdate,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
) -> StoryPublic:
    _live(read_head(session, owner_id=user.id, story_id=story_id))
    session.commit()
    blueprint = validate_blueprint(body.blueprint, max_bytes=services.settings.max_blueprint_bytes)
    now = services.clock.now()

    def propose(_session: object, current: Current | None) -> Proposal:
        if current is None:
            raise not_found(story_id)
        story = current.story.model_copy(
            update={"title": body.title, "blueprint": blueprint, "updated_at_utc": now}
        )
        return Proposal(story=Story.model_validate(story.model_dump()), origin="update")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose)
    return _written_public(services, user, story_id)


@router.delete("/{story_id}", status_code=204, responses=errors(401, 404))
def delete_story(story_id: StoryId, user: CurrentUser, services: ServicesDep) -> Response:
    """Move the story to the bin (soft delete); ``POST .../restore`` brings it back."""
    set_story_deleted(services, owner_id=user.id, story_id=story_id, deleted=True)
    return Response(status_code=204)


@router.post("/{story_id}/restore", response_model=StoryPublic, responses=errors(401, 404))
def restore_story(story_id: StoryId, user: CurrentUser, services: ServicesDep) -> StoryPublic:
    """Bring a story back from the bin (a story not in the bin is returned unchanged)."""
    set_story_deleted(services, owner_id=user.id, story_id=story_id, deleted=False)
    return _written_public(services, user, story_id)


@router.get(
    "/{story_id}/revisions", response_model=list[RevisionPublic], responses=errors(401, 404)
)
def get_revisions(
    story_id: StoryId, user: CurrentUser, session: SessionDep
) -> list[RevisionPublic]:
    """Every revision of the story, newest first."""
    read_head(session, owner_id=user.id, story_id=story_id)
    rows = list_revisions(session=session, story_id=story_id)
    return [
        RevisionPublic(
            revision=row.revision,
            created_at_utc=row.created_at,
            origin=row.origin,
            change_id=row.change_id,
            byte_size=row.byte_size,
            sha256=row.blob_key.rsplit("/", 1)[-1],
        )
        for row in rows
    ]


@router.get(
    "/{story_id}/revisions/{revision}", response_model=StoryPublic, responses=errors(401, 404)
)
def get_revision(
    story_id: StoryId,
    revision: RevisionNo,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
) -> StoryPublic:
    """The story as it was at ``revision``."""
    head = read_head(session, owner_id=user.id, story_id=story_id)
    key = revision_blob_key(session, story_id=story_id, revision=revision)
    session.commit()
    return to_public(head, load_document(services, key), revision=revision)


@router.post(
    "/{story_id}/revisions/{revision}/restore",
    response_model=StoryPublic,
    responses=errors(401, 404),
)
def restore_revision(
    story_id: StoryId,
    revision: RevisionNo,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
) -> StoryPublic:
    """Make a new head revision whose content is that of ``revision`` (history is kept)."""
    read_head(session, owner_id=user.id, story_id=story_id)
    key = revision_blob_key(session, story_id=story_id, revision=revision)
    session.commit()
    old = load_document(services, key)
    now = services.clock.now()

    def propose(_session: object, current: Current | None) -> Proposal:
        if current is None:
            raise not_found(story_id)
        story = old.model_copy(
            update={"created_at_utc": current.story.created_at_utc, "updated_at_utc": now}
        )
        return Proposal(story=story, origin="restore")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose)
    return _written_public(services, user, story_id)
