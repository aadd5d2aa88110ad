"""Accounts: register, log in, log out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError

from story_gen.sync_api.client_address import client_address
from story_gen.sync_api.crud.tokens import create_token, revoke_token
from story_gen.sync_api.crud.users import create_user, get_user_by_email, normalize_email
from story_gen.sync_api.deps import BearerToken, CurrentUser, ServicesDep
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.models import User
from story_gen.sync_api.ops.context import current_request_id
from story_gen.sync_api.ratelimit import (
    release_login_attempt,
    reserve_login_attempt,
    reserve_registration,
)
from story_gen.sync_api.routes import errors
from story_gen.sync_api.schemas import LoginCreate, TokenPublic, UserCreate, UserPublic
from story_gen.sync_api.security import hash_token, new_token

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

_BAD_CREDENTIALS = "the e-mail address or the password is wrong"


def user_public(user: User) -> UserPublic:
    return UserPublic(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        created_at_utc=user.created_at,
    )


@router.post(
    "/register", status_code=201, response_model=UserPublic, responses=errors(400, 409, 429)
)
def register(body: UserCreate, request: Request, services: ServicesDep) -> UserPublic:
    """Create an account. The password is stored only as an argon2id hash.

    Limited per client address (``STORY_GEN_REGISTER_MAX_PER_ADDRESS`` per login window):
    each attempt costs an argon2 hash, and its answer says whether the e-mail has an account.
    """
    address = client_address(request, services.settings.trusted_proxies)
    with services.db.transaction() as session:
        wait = reserve_registration(
            session=session, settings=services.settings, address=address, now=services.clock.now()
        )
    if wait:
        services.record_anomaly("register_rate_limited", current_request_id(), {"address": address})
        raise _too_many(wait, "too many registrations from your address")
    password_hash = services.passwords.hash(body.password)  # slow: outside any transaction
    try:
        with services.db.transaction() as session:
            if get_user_by_email(session=session, email=body.email) is not None:
                raise _email_taken()
            user = create_user(
                session=session,
                email=body.email,
                display_name=body.display_name,
                password_hash=password_hash,
                now=services.clock.now(),
            )
    except IntegrityError:
        raise _email_taken() from None
    return user_public(user)


def _too_many(wait: int, what: str) -> ApiError:
    return ApiError(
        429,
        "too_many_attempts",
        f"{what}; wait {wait} seconds before trying again",
        headers={"Retry-After": str(wait)},
    )


def _email_taken() -> ApiError:
    return ApiError(
        409, "email_taken", "an account with this e-mail address exists; log in instead"
    )


@router.post("/login", response_model=TokenPublic, responses=errors(400, 401, 429))
def login(body: LoginCreate, request: Request, services: ServicesDep) -> TokenPublic:
    """Exchange e-mail and password for a bearer token.

    Unknown e-mail and wrong password get the same answer, after the same amount of work.
    The attempt is counted before the password is checked (ratelimit.py), so parallel
    requests cannot check more passwords than the limit allows.
    """
    settings = services.settings
    address = client_address(request, settings.trusted_proxies)
    email = normalize_email(body.email)
    with services.db.transaction() as session:
        wait, reservation = reserve_login_attempt(
            session=session,
            settings=settings,
            email=email,
            address=address,
            now=services.clock.now(),
        )
        user = None if wait else get_user_by_email(session=session, email=email)
    if wait:
        services.record_anomaly("login_rate_limited", current_request_id(), {"address": address})
        raise _too_many(wait, "too many failed logins")
    if user is None:
        services.passwords.burn_time(body.password)
        ok = False
    else:
        ok = services.passwords.verify(user.password_hash, body.password)
    now = services.clock.now()
    if not ok:  # the reserved attempt stays counted as a failure
        raise ApiError(
            401, "invalid_credentials", _BAD_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"}
        )
    assert user is not None
    token = new_token()
    expires_at = now + timedelta(seconds=settings.token_ttl_seconds)
    rehash = services.passwords.needs_rehash(user.password_hash)
    new_hash = services.passwords.hash(body.password) if rehash else None
    with services.db.transaction() as session:
        release_login_attempt(session=session, reservation=reservation)
        create_token(
            session=session,
            user_id=user.id,
            token_hash=hash_token(token),
            now=now,
            expires_at=expires_at,
        )
        if new_hash is not None:
            fresh = session.merge(user)
            fresh.password_hash = new_hash
    return TokenPublic(access_token=token, expires_at_utc=expires_at)


@router.post("/logout", status_code=204, responses=errors(401))
def logout(_user: CurrentUser, token: BearerToken, services: ServicesDep) -> Response:
    """Revoke the token this request carries (other sessions stay signed in)."""
    with services.db.transaction() as session:
        revoke_token(session=session, token_hash=hash_token(token))
    return Response(status_code=204)
