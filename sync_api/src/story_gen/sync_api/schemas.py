"""Request and response models of the HTTP API (``*Create`` / ``*Update`` in, ``*Public`` out).

Blueprints arrive as raw JSON objects and are validated by the core (``load_blueprint``), so a
bad blueprint is reported with the core's diagnostics rather than pydantic's; the OpenAPI
schema still describes them as the core's ``StoryBlueprint``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from story_gen.core import Conflict, StoryBlueprint

__all__ = [
    "ApiIndexPublic",
    "HealthPublic",
    "LoginCreate",
    "RawBlueprint",
    "RevisionPublic",
    "StoryCreate",
    "StoryPublic",
    "StoryUpdate",
    "TokenPublic",
    "UserCreate",
    "UserPublic",
]

RawBlueprint = Annotated[
    dict[str, Any],
    WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/StoryBlueprint"}]}),
]
"""A blueprint as sent: checked by the core, described in OpenAPI as ``StoryBlueprint``."""


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


NO_NUL = r"^[^\x00]*$"
"""Text the database stores: PostgreSQL text cannot hold NUL characters."""

EMAIL_PATTERN = r"^[!-?A-~]{1,64}@[!-?A-~]+\.[!-?A-~]+$"
"""Printable ASCII without spaces (internationalised domains in their punycode form)."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


Email = Annotated[
    str,
    BeforeValidator(_strip),
    Field(
        max_length=320,
        pattern=EMAIL_PATTERN,
        examples=["ada@example.org"],
        # pydantic drops `pattern` from the JSON schema behind a BeforeValidator.
        json_schema_extra={"pattern": EMAIL_PATTERN},
    ),
]


class UserCreate(_In):
    email: Email
    password: str = Field(
        min_length=12, max_length=1024, description="At least 12 characters; any characters."
    )
    display_name: Annotated[str, BeforeValidator(_strip)] = Field(min_length=1, max_length=200)


class LoginCreate(_In):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class UserPublic(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    created_at_utc: datetime


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at_utc: datetime


class StoryCreate(_In):
    title: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    blueprint: RawBlueprint


class StoryUpdate(_In):
    title: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    blueprint: RawBlueprint


class StoryPublic(BaseModel):
    story_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    blueprint: StoryBlueprint
    created_at_utc: datetime
    updated_at_utc: datetime
    revision: int = Field(description="Revision this document is (the head, unless asked).")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Unresolved merge conflicts stored with the story."
    )
    deleted_at_utc: datetime | None = Field(
        default=None, description="Set when the story is in the bin (restorable)."
    )


class RevisionPublic(BaseModel):
    revision: int
    created_at_utc: datetime
    origin: str = Field(description="create, update, push, merge, restore, delete or undelete.")
    change_id: uuid.UUID | None = None
    byte_size: int
    sha256: str


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"]
    service: str
    checks: dict[str, str] = Field(default_factory=dict)


class ApiIndexPublic(BaseModel):
    name: str
    stage: str
    auth: str
    persistence: str
    sync_protocol: int
    endpoints: list[str]
