"""Stories: the story_gen story API (create, read, update, soft delete, restore, revisions).

Answers are exactly the documented v1 story (``StoryV1Public``): clients written for v1 read
them with models that forbid unknown fields. The revision travels in the ``X-Story-Revision``
and ``ETag`` headers; ``?view=full`` asks for the full representation (revision, conflicts,
bin date) in the body (ADR 0087).

``PUT`` replaces the document (last writer wins, as existing story_gen clients expect); every
earlier version stays in the revision history and can be restored. Clients that edit offline
use the sync protocol instead, which merges rather than replaces.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Response

from story_gen.core import Story
from story_gen.core.contract_revisions import as_revision, keep_unseen
from story_gen.sync_api.crud.stories import get_head, list_heads, list_revisions
from story_gen.sync_api.deps import CurrentUser, ServicesDep
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
from story_gen.sync_api.json_off_loop import JsonOffLoopRoute
from story_gen.sync_api.models import DEVICE_MAX_LENGTH, DEVICE_PATTERN, StoryHead
from story_gen.sync_api.routes import errors
from story_gen.sync_api.schemas import (
    RevisionPublic,
    StoryCreate,
    StoryPublic,
    StoryUpdate,
    StoryV1Public,
)
from story_gen.sync_api.validation import validate_blueprint

__all__ = ["router"]

# A story body is a whole blueprint (megabytes): parsed in a worker thread when large.
router = APIRouter(prefix="/api/v1/stories", tags=["stories"], route_class=JsonOffLoopRoute)

StoryId = Annotated[uuid.UUID, Path(description="The story's id.")]
RevisionNo = Annotated[int, Path(ge=1, le=2_000_000_000, description="A revision number.")]
View = Annotated[
    Literal["v1", "full"],
    Query(
        description="`v1` (default): the v1 story fields only, the revision in the "
        "`X-Story-Revision` and `ETag` headers; `full`: also `revision`, `conflicts` and "
        "`deleted_at_utc` in the body."
    ),
]
Device = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=DEVICE_MAX_LENGTH,
        pattern=DEVICE_PATTERN,
        description='The writing device\'s name for the history ("Firefox on Linux", a host '
        "name), kept with the revision this write makes, as a sync push's `device` is "
        "(ADR 0109). Optional: v1 clients do not send it.",
    ),
]
StoryAnswer = StoryV1Public | StoryPublic

REVISION_HEADER = "X-Story-Revision"
# The contract revision the v1 view speaks (story_gen.core.contract_revisions).
V1_CONTRACT = 1


def _with_revision(status: int, *codes: int) -> dict[int | str, dict[str, Any]]:
    """``errors(*codes)`` plus the revision headers of the ``status`` answer, for OpenAPI."""
    headers = {
        REVISION_HEADER: {
            "description": "The revision the answered story is.",
            "schema": {"type": "integer"},
        },
        "ETag": {
            "description": 'The same revision as `"r<revision>"`.',
            "schema": {"type": "string"},
        },
    }
    return {**errors(*codes), status: {"headers": headers}}


def _answer(story: StoryPublic, view: str, response: Response) -> StoryAnswer:
    """The story in the asked view; its revision in the headers either way."""
    response.headers[REVISION_HEADER] = str(story.revision)
    response.headers["ETag"] = f'"r{story.revision}"'
    if view == "full":
        return story
    return _v1(story)


def _v1(story: StoryPublic) -> StoryV1Public:
    return StoryV1Public(
        story_id=story.story_id,
        owner_id=story.owner_id,
        title=story.title,
        # Fields later contract revisions added are left out: a v1 script may forbid them.
        blueprint=as_revision(story.blueprint, V1_CONTRACT),
        created_at_utc=story.created_at_utc,
        updated_at_utc=story.updated_at_utc,
    )


def _live(head: StoryHead) -> StoryHead:
    if head.deleted_at is not None:
        raise ApiError(
            404,
            "story_deleted",
            f"story {head.id} is in the bin; POST /api/v1/stories/{head.id}/restore brings it back",
        )
    return head


def _written_public(services: ServicesDep, user: CurrentUser, story_id: uuid.UUID) -> StoryPublic:
    with services.db.reading() as session:
        head = read_head(session, owner_id=user.id, story_id=story_id)
    return to_public(head, load_document(services, head.blob_key))


@router.get("", response_model=list[StoryAnswer], responses=errors(401, 404))
def list_stories(
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
    include_deleted: Annotated[bool, Query(description="Also list stories in the bin.")] = False,
    cursor: Annotated[
        uuid.UUID | None,
        Query(description="Paging: the `X-Next-Cursor` of the previous page (a story id)."),
    ] = None,
    limit: Annotated[
        int | None, Query(ge=1, le=1000, description="Paging: most stories on this page.")
    ] = None,
) -> list[StoryAnswer]:
    """Your stories, oldest first (``view=full``: each with its revision and conflicts).

    Without ``cursor`` or ``limit`` the answer is every story, as before paging existed; if
    they pass ``STORY_GEN_MAX_RESPONSE_BYTES`` it is a 413 that says to page. A paged answer
    is still a list; when more follow, ``X-Next-Cursor`` and ``Link: <...>; rel="next"`` say
    where (ADR 0075).
    """
    paged = cursor is not None or limit is not None
    after = None
    with services.db.reading() as session:
        if cursor is not None:
            after = get_head(session=session, owner_id=user.id, story_id=cursor)
            if after is None:
                raise ApiError(
                    404,
                    "cursor_not_found",
                    f"cursor {cursor} is not one of your stories; "
                    "list without a cursor to start over",
                )
        heads = list_heads(
            session=session,
            owner_id=user.id,
            include_deleted=include_deleted,
            after=after,
            limit=None if limit is None else limit + 1,
        )
    budget = services.settings.max_response_bytes
    page: list[StoryPublic] = []
    used = 0
    for head in heads[:limit] if limit is not None else heads:
        story = to_public(head, load_document(services, head.blob_key))
        used += len(story.model_dump_json())
        if page and used > budget:
            break
        page.append(story)
    if not paged and len(page) < len(heads):
        raise ApiError(
            413,
            "response_too_large",
            f"your {len(heads)} stories are more than {budget} bytes of JSON "
            "(STORY_GEN_MAX_RESPONSE_BYTES); page them: GET /api/v1/stories?limit=50, then "
            "follow the X-Next-Cursor header (or Link rel=next) until it is absent",
        )
    if page and len(page) < len(heads):
        next_cursor = str(page[-1].story_id)
        query: dict[str, object] = {"cursor": next_cursor, "limit": limit or len(page)}
        if include_deleted:
            query["include_deleted"] = "true"
        if view == "full":
            query["view"] = "full"
        response.headers["X-Next-Cursor"] = next_cursor
        response.headers["Link"] = f'</api/v1/stories?{urlencode(query)}>; rel="next"'
    if view == "full":
        return list(page)
    return [_v1(story) for story in page]


@router.post(
    "", status_code=201, response_model=StoryAnswer, responses=_with_revision(201, 400, 401)
)
def create_story(
    body: StoryCreate,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
    device: Device = None,
) -> StoryAnswer:
    blueprint = validate_blueprint(body.blueprint, max_bytes=services.settings.max_blueprint_bytes)
    story_id = uuid.uuid4()
    now = services.clock.now()

    def propose(_session: object, _current: Current | None) -> Proposal:
        story = Story.new(story_id=story_id, title=body.title, blueprint=blueprint, now=now)
        return Proposal(story=story, origin="create")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose, device=device)
    return _answer(_written_public(services, user, story_id), view, response)


@router.get("/{story_id}", response_model=StoryAnswer, responses=_with_revision(200, 401, 404))
def get_story(
    story_id: StoryId,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
) -> StoryAnswer:
    with services.db.reading() as session:
        head = _live(read_head(session, owner_id=user.id, story_id=story_id))
    return _answer(to_public(head, load_document(services, head.blob_key)), view, response)


@router.put("/{story_id}", response_model=StoryAnswer, responses=_with_revision(200, 400, 401, 404))
def update_story(
    story_id: StoryId,
    body: StoryUpdate,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
    device: Device = None,
) -> StoryAnswer:
    with services.db.reading() as session:
        _live(read_head(session, owner_id=user.id, story_id=story_id))
    blueprint = validate_blueprint(body.blueprint, max_bytes=services.settings.max_blueprint_bytes)
    now = services.clock.now()

    def propose(_session: object, current: Current | None) -> Proposal:
        if current is None:
            raise not_found(story_id)
        # A v1 client never saw the fields later revisions added: writing back what it read
        # keeps their stored values instead of erasing them.
        written = (
            blueprint
            if view == "full"
            else keep_unseen(blueprint, current.story.blueprint, V1_CONTRACT)
        )
        story = current.story.model_copy(
            update={"title": body.title, "blueprint": written, "updated_at_utc": now}
        )
        return Proposal(story=Story.model_validate(story.model_dump()), origin="update")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose, device=device)
    return _answer(_written_public(services, user, story_id), view, response)


@router.delete("/{story_id}", status_code=204, responses=errors(401, 404))
def delete_story(story_id: StoryId, user: CurrentUser, services: ServicesDep) -> Response:
    """Move the story to the bin (soft delete); ``POST .../restore`` brings it back."""
    set_story_deleted(services, owner_id=user.id, story_id=story_id, deleted=True)
    return Response(status_code=204)


@router.post(
    "/{story_id}/restore", response_model=StoryAnswer, responses=_with_revision(200, 401, 404)
)
def restore_story(
    story_id: StoryId,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
) -> StoryAnswer:
    """Bring a story back from the bin (a story not in the bin is returned unchanged)."""
    set_story_deleted(services, owner_id=user.id, story_id=story_id, deleted=False)
    return _answer(_written_public(services, user, story_id), view, response)


@router.get(
    "/{story_id}/revisions", response_model=list[RevisionPublic], responses=errors(401, 404)
)
def get_revisions(
    story_id: StoryId, user: CurrentUser, services: ServicesDep
) -> list[RevisionPublic]:
    """Every revision of the story, newest first."""
    with services.db.reading() as session:
        read_head(session, owner_id=user.id, story_id=story_id)
        rows = list_revisions(session=session, story_id=story_id)
    return [
        RevisionPublic(
            revision=row.revision,
            created_at_utc=row.created_at,
            origin=row.origin,
            device=row.device,
            change_id=row.change_id,
            byte_size=row.byte_size,
            sha256=row.blob_key.rsplit("/", 1)[-1],
        )
        for row in rows
    ]


@router.get(
    "/{story_id}/revisions/{revision}",
    response_model=StoryAnswer,
    responses=_with_revision(200, 401, 404),
)
def get_revision(
    story_id: StoryId,
    revision: RevisionNo,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
) -> StoryAnswer:
    """The story as it was at ``revision``."""
    with services.db.reading() as session:
        head = read_head(session, owner_id=user.id, story_id=story_id)
        key = revision_blob_key(session, story_id=story_id, revision=revision)
    return _answer(to_public(head, load_document(services, key), revision=revision), view, response)


@router.post(
    "/{story_id}/revisions/{revision}/restore",
    response_model=StoryAnswer,
    responses=_with_revision(200, 401, 404),
)
def restore_revision(
    story_id: StoryId,
    revision: RevisionNo,
    user: CurrentUser,
    services: ServicesDep,
    response: Response,
    view: View = "v1",
    device: Device = None,
) -> StoryAnswer:
    """Make a new head revision whose content is that of ``revision`` (history is kept)."""
    with services.db.reading() as session:
        read_head(session, owner_id=user.id, story_id=story_id)
        key = revision_blob_key(session, story_id=story_id, revision=revision)
    old = load_document(services, key)
    now = services.clock.now()

    def propose(_session: object, current: Current | None) -> Proposal:
        if current is None:
            raise not_found(story_id)
        story = old.model_copy(
            update={"created_at_utc": current.story.created_at_utc, "updated_at_utc": now}
        )
        return Proposal(story=story, origin="restore")

    write_story(services, owner_id=user.id, story_id=story_id, propose=propose, device=device)
    return _answer(_written_public(services, user, story_id), view, response)
