"""Properties of ``story_gen.core.edits``: each edit's patch does what a plain JSON edit does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import StoryBlueprint, apply_patch, edits
from story_gen.core.patch import Patch, touched_by
from tests.core.edit_strategies import blueprints
from tests.core.writer_edits import COLLECTION, REFERRING, oracle, run, writer_edits


@given(blueprints(), st.data())
def test_every_edit_gives_what_the_oracle_gives_or_is_refused_by_both(
    bp: StoryBlueprint, data: st.DataObject
) -> None:
    for step in range(data.draw(st.integers(1, 6), label="steps")):
        edit = data.draw(writer_edits(bp), label=f"edit {step}")
        expected = oracle(bp, edit)
        if expected is None:
            with pytest.raises(edits.EditRejectedError, match=r"\S"):
                run(bp, edit)
            continue
        result = run(bp, edit)
        after = apply_patch(bp, result.patch)
        assert after.model_dump_json() == expected.model_dump_json()
        assert result.document.model_dump_json() == expected.model_dump_json()
        assert result.touched == touched_by(result.patch)
        assert Patch.model_validate_json(result.patch.model_dump_json()) == result.patch
        bp = after


@given(blueprints(), st.data())
def test_a_rename_leaves_no_reference_to_the_old_key(
    bp: StoryBlueprint, data: st.DataObject
) -> None:
    kind: edits.EntityKind = data.draw(st.sampled_from(("theme", "character", "chapter")))
    present = [e.key for e in getattr(bp, COLLECTION[kind])]
    if not present:
        return
    old = data.draw(st.sampled_from(present))
    new = data.draw(st.sampled_from(["renamed", "alpha", *present]))
    if new in present and new != old:
        with pytest.raises(edits.EditRejectedError, match="already exists"):
            edits.rename_key(bp, kind, old, new)
        return
    renaming = edits.rename_key(bp, kind, old, new)
    after = apply_patch(bp, renaming.patch)
    keys = [e.key for e in getattr(after, COLLECTION[kind])]
    assert len(keys) == len(present)
    assert keys[present.index(old)] == new
    if new != old:
        assert old not in keys
        assert edits.references(after, kind, old) == []
        for collection, field in REFERRING[kind]:
            for owner in getattr(after, collection):
                assert old not in getattr(owner, field)
    # every reference the rename reported now names the new key
    for reference in renaming.references:
        owner_key = (
            new
            if (reference.owner_kind == kind and reference.owner_key == old)
            else (reference.owner_key)
        )
        owners = {e.key: e for e in getattr(after, COLLECTION[reference.owner_kind])}
        assert new in getattr(owners[owner_key], reference.field)
