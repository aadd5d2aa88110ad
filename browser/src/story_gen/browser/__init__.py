"""story_gen studio service: the Python that runs inside Pyodide, in the studio's Web Worker.

Entry points for the worker: :mod:`story_gen.browser.app` (``start``, ``handle``,
``set_push_sink``). The facade's contract (handlers, pushes, the JS host, the IndexedDB
schema) is written down in docs/studio-service.md; ``python -m story_gen.browser.schema``
writes its JSON Schema for web/'s generated TypeScript.

Everything here but ``story_gen.browser._js`` is plain Python over the :class:`Host` seam, so
it runs on CPython with :class:`~story_gen.browser.memory_host.MemoryHost` too.
"""

from story_gen.browser._edits import EditOp, Reference, apply_edit, references
from story_gen.browser._errors import (
    BadRequestError,
    EditRejectedError,
    HistoryError,
    InvalidArgsError,
    NotFoundError,
    StorageError,
    StudioError,
    UnknownHandlerError,
)
from story_gen.browser._host import Host
from story_gen.browser._records import ProblemCounts, StoredStory, StorySummary
from story_gen.browser._views import HistoryState, StoryState

__all__ = [
    "BadRequestError",
    "EditOp",
    "EditRejectedError",
    "HistoryError",
    "HistoryState",
    "Host",
    "InvalidArgsError",
    "NotFoundError",
    "ProblemCounts",
    "Reference",
    "StorageError",
    "StoredStory",
    "StoryState",
    "StorySummary",
    "StudioError",
    "UnknownHandlerError",
    "apply_edit",
    "references",
]
