"""The signed-in user."""

from __future__ import annotations

from fastapi import APIRouter

from story_gen.sync_api.deps import CurrentUser
from story_gen.sync_api.routes import errors
from story_gen.sync_api.routes.auth import user_public
from story_gen.sync_api.schemas import UserPublic

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.get("/me", response_model=UserPublic, responses=errors(401))
def me(user: CurrentUser) -> UserPublic:
    return user_public(user)
