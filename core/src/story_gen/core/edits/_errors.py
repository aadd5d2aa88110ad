"""The one error an edit raises: what is wrong, in a writer's words; nothing was changed."""

from __future__ import annotations

from pydantic import ValidationError

__all__ = ["EditRejectedError", "first_problem"]


class EditRejectedError(ValueError):
    """An edit the blueprint cannot take (unknown key, taken key, invalid value); no patch."""


def first_problem(error: ValidationError) -> str:
    """The first thing the contract refused, as ``field: message``."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])
