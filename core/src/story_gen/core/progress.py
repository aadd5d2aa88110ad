"""How far a story has come: its chapters by status and the words of its manuscript.

What the studio's library card shows for each story (stored beside it in its summary).
"""

from __future__ import annotations

from story_gen.core.blueprint import CHAPTER_STATUSES, StoryBlueprint
from story_gen.core.words import count_words

__all__ = ["manuscript_words", "status_counts"]


def status_counts(bp: StoryBlueprint) -> dict[str, int]:
    """Status -> chapters with it, in the statuses' own order; unused statuses left out."""
    counts = dict.fromkeys(CHAPTER_STATUSES, 0)
    for chapter in bp.chapters:
        if chapter.status is not None:
            counts[chapter.status] += 1
    return {status: n for status, n in counts.items() if n}


def manuscript_words(bp: StoryBlueprint) -> int:
    """Words in every chapter's draft (:func:`story_gen.core.words.count_words`)."""
    return sum(count_words(chapter.draft_text) for chapter in bp.chapters)
