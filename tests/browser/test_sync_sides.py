"""Which side of a conflict a device wrote, from its own copy before the merge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from story_gen.browser._demos import DEMOS, demo_blueprint
from story_gen.browser.sync._sides import my_side
from story_gen.core import Story, merge

BASE = Story.new(
    story_id=uuid.UUID(int=7),
    title="Alice",
    blueprint=demo_blueprint(DEMOS[0].key),
    now=datetime(2026, 12, 6, tzinfo=UTC),
)


def _with_premise(premise: str) -> Story:
    return BASE.model_copy(
        update={"blueprint": BASE.blueprint.model_copy(update={"premise": premise})}
    )


# Texts as the editor stores them (the core trims and folds spaces).
words = st.from_regex(r"[a-f]{1,4}( [a-f]{1,4}){0,3}", fullmatch=True)


@given(server=words, device=words)
def test_each_device_finds_the_side_it_wrote(server: str, device: str) -> None:
    server_copy, device_copy = _with_premise("S " + server), _with_premise("D " + device)
    # As on the server: the account's copy is ours, the incoming change theirs.
    merged = merge(BASE, server_copy, device_copy).merged
    [conflict] = merged.conflicts
    assert my_side(merged, conflict, device_copy) == "theirs"
    assert my_side(merged, conflict, server_copy) == "ours"


def test_a_device_that_wrote_neither_side_claims_none() -> None:
    merged = merge(BASE, _with_premise("one"), _with_premise("two")).merged
    [conflict] = merged.conflicts
    assert my_side(merged, conflict, _with_premise("a third")) is None
