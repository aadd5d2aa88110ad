"""DiagnosisSession.follow: after any sequence of writer's edits applied as patches (renames,
removals, cycles made and broken), the session's findings equal a fresh diagnose()."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import DiagnosisSession, StoryBlueprint, diagnose, edits, load_blueprint
from story_gen.core.patch import Applied, apply_tracked
from tests.core.edit_strategies import blueprints
from tests.core.samples import base
from tests.core.writer_edits import run, writer_edits


def _dump(bp: StoryBlueprint) -> object:
    return bp.model_dump(mode="json")


@given(blueprints(), st.data())
def test_the_session_following_patches_equals_a_full_diagnose(
    bp: StoryBlueprint, data: st.DataObject
) -> None:
    session = DiagnosisSession(_dump(bp))
    for step in range(data.draw(st.integers(1, 8), label="steps")):
        edit = data.draw(writer_edits(bp), label=f"edit {step}")
        try:
            result = run(bp, edit)
        except edits.EditRejectedError:
            continue
        # Half the time as the studio does (the edit's own result), half as a patch from
        # elsewhere (undo, another tab, the server) applied with apply_tracked.
        applied = result if data.draw(st.booleans()) else apply_tracked(bp, result.patch)
        session.follow(applied)
        bp = applied.document
        assert session.diagnostics() == diagnose(_dump(bp)), str(edit)
    assert session.blueprint() == bp


def _codes(session: DiagnosisSession) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in session.diagnostics()]


def test_renaming_a_theme_then_removing_it_with_its_references() -> None:
    bp = load_blueprint(base())
    session = DiagnosisSession(_dump(bp))
    for patch in (
        lambda bp: edits.rename_key(bp, "theme", "hope", "faith"),
        lambda bp: edits.remove_entity(bp, "theme", "faith", remove_references=True),
    ):
        applied = apply_tracked(bp, patch(bp).patch)
        session.follow(applied)
        bp = applied.document
        assert session.diagnostics() == diagnose(_dump(bp))
    assert _codes(session) == []


def test_a_cycle_made_and_broken_through_patches() -> None:
    bp = load_blueprint(base())
    session = DiagnosisSession(_dump(bp))
    applied: Applied[StoryBlueprint]
    applied = edits.add_item(bp, "prerequisites", "ending", owner=("chapter", "opening"))
    session.follow(applied)
    assert _codes(session) == [
        ("chapter.cycle", "chapters[0].prerequisites[0]"),
    ]
    bp = applied.document
    applied = edits.rename_key(bp, "chapter", "ending", "finale")
    session.follow(applied)
    assert session.diagnostics() == diagnose(_dump(applied.document))
    bp = applied.document
    applied = apply_tracked(bp, edits.remove_entity(bp, "chapter", "finale").patch)
    session.follow(applied)
    assert _codes(session) == [("chapter.unknown_prerequisite", "chapters[0].prerequisites[0]")]
    assert session.diagnostics() == diagnose(_dump(applied.document))
