"""What the service tells the UI unasked (pushes) and the other tabs (notices), as typed models.

Pushes go to the UI through the sink the worker sets (``set_sink``), each one
``_envelope.push_message(name, args)``. Notices go to this story database's other tabs over
the host's BroadcastChannel (``Notices.tell``); :mod:`._tabs` receives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from story_gen.browser._diagnostics_delta import DiagnosticsDelta
from story_gen.browser._envelope import push_message
from story_gen.browser._errors import StudioError
from story_gen.browser._host import Host
from story_gen.browser._records import ProblemCounts
from story_gen.core import Diagnostic

__all__ = [
    "LibraryChanged",
    "Notice",
    "Notices",
    "PushSink",
    "Pushes",
    "StorageErrorPush",
    "StoryDiagnosed",
]

PushSink = Callable[[str], None]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class StorageErrorPush(_Message):
    """Push ``storage.error``: a save failed; the edit is kept in this tab (``saved: false``)."""

    story_id: UUID | None
    type: str
    message: str


class StoryDiagnosed(_Message):
    """Push ``story.diagnosed``: an edit asked for it (``diagnosed_push_tag``) is applied and
    diagnosed, and is being stored; the reply, after the commit, says ``saved``.

    Carries what changed since the last diagnostics this service gave the UI for the story
    (``delta``), or, when it gave none, the whole list (``diagnostics``); exactly one is set."""

    story_id: UUID
    tag: int = Field(description="The request's diagnosed_push_tag, echoed.")
    diagnostics_version: int = Field(description="The version of the list after this edit.")
    diagnostics: list[Diagnostic] | None = Field(
        description="The whole list; null when delta says what changed."
    )
    delta: DiagnosticsDelta | None = Field(
        description="The changes since the list of version delta.base. A UI holding another "
        "version asks story.diagnose for the whole list."
    )
    problem_counts: ProblemCounts


class LibraryChanged(_Message):
    """Push ``library.changed``: another tab changed the library; re-list it."""

    story_id: UUID | None = None


class Pushes:
    """The UI's side of the pushes: dropped while no sink is set (tests, before boot)."""

    def __init__(self) -> None:
        self._sink: PushSink | None = None

    def set_sink(self, sink: PushSink | None) -> None:
        self._sink = sink

    def push(self, name: str, args: BaseModel) -> None:
        if self._sink is not None:
            self._sink(push_message(name, args.model_dump_json()))

    def storage_error(self, story_id: UUID | None, error: StudioError, doing: str = "") -> None:
        """Push ``storage.error`` for ``error`` (``doing``: what failed, leading the message)."""
        message = f"{doing}: {error.message}" if doing else error.message
        self.push(
            "storage.error", StorageErrorPush(story_id=story_id, type=error.type, message=message)
        )


NoticeType = Literal["story.saved", "library.changed", "sync.account"]
"""``sync.account``: a tab signed in or out (no story: ``story_id`` is the nil UUID); the tab
that syncs takes the stored account before its next cycle."""


class Notice(_Message):
    """What one tab tells the others on the BroadcastChannel."""

    type: NoticeType
    story_id: UUID
    revision: int


class Notices:
    """The sending side of the other-tab notices."""

    def __init__(self, host: Host) -> None:
        self._host = host
        self.on_tell: Callable[[], None] | None = None
        """Called on every notice: this tab stored something (sync pushes it soon)."""

    def account_changed(self) -> None:
        """Tell the other tabs (the one that syncs) this tab signed in or out."""
        self._host.broadcast(
            Notice(type="sync.account", story_id=UUID(int=0), revision=0).model_dump_json()
        )

    def tell(self, kind: NoticeType, story_id: UUID, revision: int) -> None:
        if self.on_tell is not None:
            self.on_tell()
        self._host.broadcast(
            Notice(type=kind, story_id=story_id, revision=revision).model_dump_json()
        )
