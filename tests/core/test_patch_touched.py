"""touched_by / apply_tracked: a patch says which entities it touched, from its operations."""

from __future__ import annotations

from story_gen.core import apply_patch, diff, edits, load_blueprint
from story_gen.core.patch import Touched, apply_tracked, touched_by
from tests.core.samples import base


def test_a_field_edit_touches_its_entity_only() -> None:
    bp = load_blueprint(base())
    patch = edits.set_field(bp, "chapter", "middle", "objective", "Run.").patch
    assert touched_by(patch) == Touched(entities={"chapters": frozenset({"middle"})})


def test_a_rename_touches_old_and_new_key_and_the_referrers_and_reorders_the_list() -> None:
    bp = load_blueprint(base())
    touched = touched_by(edits.rename_key(bp, "character", "bob", "robert").patch)
    assert touched.entities == {
        "characters": frozenset({"alice", "bob", "robert"}),
        "chapters": frozenset({"middle", "ending"}),
    }
    assert touched.reordered == frozenset({"characters"})
    assert not touched.top


def test_premise_and_canon_rules_are_the_documents_own_fields() -> None:
    bp = load_blueprint(base())
    after = bp.model_copy(update={"premise": "New.", "canon_rules": []})
    touched = touched_by(diff(bp, after))
    assert touched == Touched(top=True)


def test_apply_tracked_is_apply_patch_plus_what_it_touched() -> None:
    bp = load_blueprint(base())
    patch = edits.remove_entity(bp, "theme", "loss", remove_references=True).patch
    applied = apply_tracked(bp, patch)
    assert applied.document == apply_patch(bp, patch)
    assert applied.touched == touched_by(patch)
    assert applied.touched.entities["themes"] == frozenset({"loss"})
    assert applied.touched.entities["chapters"] == frozenset({"middle", "ending"})
