"""``replay``: a chain of patches applied in one pass gives what applying them one by one gives
(the sync API stores revisions as such chains, ADR 0081)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import StoryBlueprint, apply_patch, diff, to_canonical_json
from story_gen.core.patch import replay
from tests.core.edit_strategies import Edit, blueprints, edit_blueprint, edits


@given(blueprints(), st.lists(edits(max_size=4), min_size=1, max_size=6))
def test_replaying_a_chain_of_diffs_gives_the_last_version_exactly(
    base: StoryBlueprint, steps: list[list[Edit]]
) -> None:
    versions = [base]
    for number, sequence in enumerate(steps):
        versions.append(edit_blueprint(versions[-1], sequence, f"v{number}-"))
    patches = [diff(a, b) for a, b in itertools.pairwise(versions)]
    one_by_one = base
    for patch in patches:
        one_by_one = apply_patch(one_by_one, patch)
    replayed = replay(base, patches)
    assert to_canonical_json(replayed) == to_canonical_json(versions[-1])
    assert to_canonical_json(replayed) == to_canonical_json(one_by_one)


def test_replaying_no_patch_is_the_document() -> None:
    base = StoryBlueprint(premise="A premise.")
    assert replay(base, []) == base
