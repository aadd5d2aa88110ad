"""The studio's error types: every failure a handler can report, as ``{type, message}``.

Exception tree (``type`` strings are stable, the UI switches on them)::

    StudioError                      type given per instance
    ├── BadRequestError              "request.invalid"   the envelope itself is malformed
    ├── UnknownHandlerError          "handler.unknown"   no handler has that name
    ├── InvalidArgsError             "args.invalid"      args do not match the handler's model
    ├── NotFoundError                "story.not_found"   no (live) story with that id
    ├── EditRejectedError            "edit.invalid"      the edit cannot apply; nothing changed
    ├── HistoryError                 "history.empty" / "history.diverged"
    ├── (StudioError)                "conflict.invalid"  no such conflict / value does not fit
    └── StorageError                 "storage.quota" (the browser's storage is full)
                                     "storage.error" (any other IndexedDB failure)

Anything else a handler raises is reported as ``"internal"`` with the exception's class and
message, never a traceback (the traceback goes to the worker console).
"""

from __future__ import annotations

__all__ = [
    "BadRequestError",
    "EditRejectedError",
    "HistoryError",
    "InvalidArgsError",
    "NotFoundError",
    "StorageError",
    "StudioError",
    "UnknownHandlerError",
]

STORAGE_QUOTA = "storage.quota"
STORAGE_ERROR = "storage.error"


class StudioError(Exception):
    """A failure the UI is told about: ``type`` is a stable code, ``message`` a sentence."""

    type: str = "internal"

    def __init__(self, message: str, *, type: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if type is not None:
            self.type = type


class BadRequestError(StudioError):
    type = "request.invalid"


class UnknownHandlerError(StudioError):
    type = "handler.unknown"


class InvalidArgsError(StudioError):
    type = "args.invalid"


class NotFoundError(StudioError):
    type = "story.not_found"


class EditRejectedError(StudioError):
    type = "edit.invalid"


class HistoryError(StudioError):
    type = "history.empty"


class StorageError(StudioError):
    """IndexedDB refused or failed; ``type`` is ``storage.quota`` when the disk quota is hit."""

    type = STORAGE_ERROR

    @property
    def is_quota(self) -> bool:
        return self.type == STORAGE_QUOTA
