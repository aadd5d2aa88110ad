"""What every handler's arguments and results are made of."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["TITLE_MAX_LENGTH", "Args", "NoArgs", "Result", "StoryIdArgs", "Title"]

TITLE_MAX_LENGTH = 300
"""The longest story title a handler accepts; made-up titles ("... (copy)") are cut to it."""
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH)
]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoArgs(Args):
    pass


class StoryIdArgs(Args):
    story_id: UUID
