"""Diagnostic messages name things as the writer reads them: a chapter by its title, a theme or
character by its name (by key when it has none); hints name the editor's fields, not JSON's."""

from __future__ import annotations

from story_gen.core import DiagnosisSession, diagnose

DOC = {
    "themes": [{"key": "sea"}],
    "characters": [{"key": "vale", "name": "Inspector Vale", "relationships": {"vale": "self"}}],
    "chapters": [
        {"key": "storm", "title": "The Storm", "required_themes": ["ghost"]},
        {"key": "calm", "required_themes": ["sea"], "participating_characters": ["vale"]},
    ],
}


def messages(doc: object) -> dict[tuple[str, str], str]:
    return {(d.code, d.path): d.message for d in diagnose(doc)}


def test_titles_and_names_not_keys() -> None:
    found = messages(DOC)
    unknown = found[("chapter.unknown_theme", "chapters[0].required_themes[0]")]
    assert unknown == 'Chapter "The Storm" requires the theme "ghost", but no theme has that key.'
    assert found[("chapter.no_draft", "chapters[0].draft_text")] == (
        'Chapter "The Storm" has no draft yet.'
    )
    # Untitled: the key is what the writer has to go by.
    assert (
        found[("chapter.no_draft", "chapters[1].draft_text")] == 'Chapter "calm" has no draft yet.'
    )
    self_link = found[("character.self_relationship", "characters[0].relationships.vale")]
    assert self_link.startswith('Character "Inspector Vale" lists a relationship with itself')


def test_hints_name_the_editor_s_fields() -> None:
    hints = {d.code: d.hint for d in diagnose(DOC)}
    hint = hints["chapter.unknown_theme"]
    assert hint is not None
    assert "required_themes" not in hint
    assert "the chapter's required themes" in hint


def test_a_retitled_chapter_is_named_anew_by_the_session() -> None:
    session = DiagnosisSession(DOC)
    session.set_field("chapters[0].title", "The Great Storm")
    assert session.diagnostics() == diagnose(session.document())
    assert any('Chapter "The Great Storm" requires' in d.message for d in session.diagnostics())
