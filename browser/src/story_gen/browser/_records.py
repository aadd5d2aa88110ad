"""What one stored story looks like: a small summary for the library list beside the story.

The summary is stored apart from the canonical Story JSON (IndexedDB stores ``summaries`` and
``bodies``) so the library, and the UI's first paint before Python has booted, never read a
1,000-chapter story to show one row.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from story_gen.core import Diagnostic, Severity, Story
from story_gen.core.stored import OpenedStory, open_story, read_story

__all__ = ["CasOutcome", "ProblemCounts", "StoredStory", "StorySummary", "count_problems"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ProblemCounts(_Record):
    error: int = 0
    warning: int = 0
    info: int = 0


def count_problems(diagnostics: list[Diagnostic]) -> ProblemCounts:
    return ProblemCounts(
        error=sum(1 for d in diagnostics if d.severity is Severity.ERROR),
        warning=sum(1 for d in diagnostics if d.severity is Severity.WARNING),
        info=sum(1 for d in diagnostics if d.severity is Severity.INFO),
    )


class StorySummary(_Record):
    """One row of the library (IndexedDB store ``summaries``, keyPath ``story_id``)."""

    story_id: UUID
    revision: int = Field(ge=1, description="+1 on every committed write; the CAS token.")
    title: str
    chapter_count: int = Field(ge=0)
    problem_counts: ProblemCounts
    status_counts: dict[str, int] = Field(
        default_factory=dict,
        description="Chapter status -> how many chapters have it (chapters without one left "
        "out); absent in summaries stored before contract revision 2.",
    )
    word_count: int = Field(default=0, ge=0, description="Words in every draft (core.words).")
    conflict_count: int = Field(
        default=0,
        ge=0,
        description="Conflicts kept with the story (two tabs or two devices changed one field); "
        "absent in summaries stored before it existed.",
    )
    created_at_utc: AwareDatetime
    updated_at_utc: AwareDatetime
    deleted_at_utc: AwareDatetime | None = Field(
        default=None, description="Set while the story is in the trash."
    )
    story_digest: str | None = Field(
        default=None,
        description="The digest of the stored story text (story_gen.core.stored.story_digest); "
        "while it matches, opening the story skips validating it again. Absent in summaries "
        "stored before it existed (those stories are validated when opened).",
    )

    @property
    def deleted(self) -> bool:
        return self.deleted_at_utc is not None


class StoredStory(_Record):
    """A summary and the canonical JSON of the Story it summarises, as the host stores them."""

    summary: StorySummary
    story_json: str
    pending_through: int = Field(
        default=0,
        ge=0,
        description="The last pending edit (typed before the core was ready) "
        "this story holds; 0 when none. Stored with the story, so none is applied twice.",
    )

    def story(self) -> Story:
        # Validated unless the digest proves the text is what the core wrote; through
        # migrate(): a story stored by an older studio loads in today's schema.
        return read_story(self.story_json, self.summary.story_digest)

    def opened(self) -> OpenedStory:
        """The story and a diagnosis session on it, by the same rule as :meth:`story`."""
        return open_story(self.story_json, self.summary.story_digest)


class CasOutcome(_Record):
    ok: bool
    current: StoredStory | None = None
