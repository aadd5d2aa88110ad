"""Request and response models of the HTTP API (``*Create`` / ``*Update`` in, ``*Public`` out).

Blueprints arrive as raw JSON objects and are validated by the core (``load_blueprint``), so a
bad blueprint is reported with the core's diagnostics rather than pydantic's; the OpenAPI
schema still describes them as the core's ``StoryBlueprint``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

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
    "StoryV1Public",
    "Title",
    "TokenPublic",
    "UserCreate",
    "UserPublic",
    "lone_surrogate_at",
]

RawBlueprint = Annotated[
    dict[str, Any],
    WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/StoryBlueprint"}]}),
]
"""A blueprint as sent: checked by the core, described in OpenAPI as ``StoryBlueprint``."""


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


NO_NUL = r"^[^\x00]*$"
"""Text the database stores or looks up: PostgreSQL text cannot hold NUL characters."""

SPACE_CLASS = r"\t\n\x0b\x0c\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Exactly the characters pydantic's ``strip_whitespace`` removes (Unicode ``White_Space``),
which is how the core strips a story title. Spelled out so the pattern means the same in
Python's ``re``, pydantic's Rust regex and a JSON Schema (ECMA-262) client, whose ``\\s``
classes all differ. A test checks the class against pydantic's stripping."""

NAME_PATTERN = rf"^[^\x00]*[^\x00{SPACE_CLASS}][^\x00]*$"
"""A stored name (story title, display name): no NUL, and something left after stripping."""

EMAIL_PATTERN = r"^[!-?A-~]{1,64}@[!-?A-~]+\.[!-?A-~]+$"
"""Printable ASCII without spaces (internationalised domains in their punycode form)."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(value: object, path: str = "") -> str | None:
    """Where a JSON-like ``value`` holds a lone UTF-16 surrogate (``"\\ud800"``), or None.

    ``json.loads`` (which FastAPI uses for bodies) accepts such escapes, but they are not
    text: no UTF-8 document, database column or JSON response can hold them. Fields typed
    ``str`` are checked by pydantic; free-form JSON values (patch values, conflict sides)
    are checked with this.
    """
    if isinstance(value, BaseModel):
        return lone_surrogate_at(value.model_dump(), path)
    if isinstance(value, str):
        return path or "(value)" if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found = lone_surrogate_at(key, where) or lone_surrogate_at(item, where)
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = lone_surrogate_at(item, f"{path}[{index}]")
            if found:
                return found
    return None


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


Title = Annotated[
    str,
    Field(min_length=1, max_length=300, pattern=NAME_PATTERN, examples=["Alice in Wonderland"]),
]


class UserCreate(_In):
    email: Email
    password: str = Field(
        min_length=12, max_length=1024, description="At least 12 characters; any characters."
    )
    display_name: Annotated[
        str,
        StringConstraints(strip_whitespace=True),
        Field(min_length=1, max_length=200, pattern=NAME_PATTERN),
    ]


class LoginCreate(_In):
    # Lenient on purpose (any registered address logs in, a typo is just wrong credentials),
    # but never text the database cannot be asked about.
    email: str = Field(max_length=320, pattern=NO_NUL)
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
    title: Title
    blueprint: RawBlueprint


class StoryUpdate(_In):
    title: Title
    blueprint: RawBlueprint


class StoryV1Public(BaseModel):
    """A story as the story API answers it by default: exactly the documented v1 fields, so a
    client whose models forbid unknown fields keeps working. The revision is in the
    ``X-Story-Revision`` and ``ETag`` headers; ``?view=full`` answers :class:`StoryPublic`."""

    story_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    blueprint: StoryBlueprint
    created_at_utc: datetime
    updated_at_utc: datetime


class StoryPublic(StoryV1Public):
    """The full representation (``?view=full`` on the story API; the sync protocol)."""

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
    device: str | None = Field(
        default=None, description="The device that pushed it, when it said (ADR 0109)."
    )


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
