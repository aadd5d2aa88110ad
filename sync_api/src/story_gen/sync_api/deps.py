"""FastAPI dependencies as ``Annotated`` aliases: ``ServicesDep``, ``CurrentUser``.

There is no request-wide database session: a route reads in short
``services.db.reading()`` transactions (no write lock on SQLite, no connection held while it
loads a blob) and writes through ``documents`` and the crud helpers' own transactions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from story_gen.sync_api.crud.tokens import user_for_token
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import User
from story_gen.sync_api.security import hash_token
from story_gen.sync_api.services import Services

__all__ = ["BearerToken", "CurrentUser", "ServicesDep"]


def get_services(request: Request) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <access_token>`")


def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise ApiError(
            401,
            "unauthenticated",
            "sign in first: send `Authorization: Bearer <access_token>` from POST /api/v1/auth/login",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credentials.credentials


BearerToken = Annotated[str, Depends(get_bearer_token)]


def get_current_user(services: ServicesDep, token: BearerToken) -> User:
    # Its own short read transaction: a connection held for the whole request would be one
    # fewer for the sessions the request's work opens (a push opens two).
    with services.db.reading() as session:
        user = user_for_token(
            session=session, token_hash=hash_token(token), now=services.clock.now()
        )
    if user is None:
        raise ApiError(
            401,
            "token_invalid",
            "the access token is unknown, revoked or expired; sign in again",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
