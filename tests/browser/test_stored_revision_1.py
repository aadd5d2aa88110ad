"""A story stored by a studio from before contract revision 2 opens, edits and saves.

Its stored summary has no ``status_counts`` / ``word_count`` and its story JSON says
``schema_version: 1``; the core's migrate() brings it to revision 2 on the way in, its blueprint
unchanged, and the next save writes revision 2 with the new summary fields.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from story_gen.core import to_canonical_json
from story_gen.core.loading import load_blueprint

if TYPE_CHECKING:
    from tests.browser.conftest import World

STORY_ID = "0b6f4a4e-6a57-4c1e-9d43-1f6f5e1a2b3c"
BLUEPRINT = {
    "premise": "A lighthouse keeper finds a letter.",
    "canon_rules": [],
    "themes": [{"key": "solitude", "statement": "Alone is not lonely.", "priority": 7}],
    "characters": [
        {
            "key": "keeper",
            "role": "lighthouse keeper",
            "motivation": "",
            "voice_markers": [],
            "relationships": {},
        }
    ],
    "chapters": [
        {
            "key": "letter",
            "title": "The Letter",
            "objective": "The keeper reads it.",
            "required_themes": ["solitude"],
            "participating_characters": ["keeper"],
            "prerequisites": [],
            "draft_text": "The wind had not stopped for three days.",
        }
    ],
}
OLD_STORY = {
    "story_id": STORY_ID,
    "title": "The Keeper",
    "blueprint": BLUEPRINT,
    "schema_version": 1,
    "created_at_utc": "2025-01-01T00:00:00Z",
    "updated_at_utc": "2025-01-01T00:00:00Z",
    "conflicts": [],
}
OLD_SUMMARY = {
    "story_id": STORY_ID,
    "revision": 1,
    "title": "The Keeper",
    "chapter_count": 1,
    "problem_counts": {"error": 0, "warning": 0, "info": 0},
    "created_at_utc": "2025-01-01T00:00:00Z",
    "updated_at_utc": "2025-01-01T00:00:00Z",
    "deleted_at_utc": None,
}


def test_a_revision_1_story_loads_and_saves_as_revision_2(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        host = world.new_host()
        await host.open()
        stored = await host.put_story_if_revision(
            STORY_ID, 0, json.dumps(OLD_SUMMARY), json.dumps(OLD_STORY, indent=2)
        )
        assert json.loads(stored)["ok"]

        listed = await tab.call("library.list")
        [old] = [s for s in listed["stories"] if s["story_id"] == STORY_ID]
        assert old["chapter_count"] == 1

        opened = await tab.call("story.open", story_id=STORY_ID)
        story = opened["state"]["story"]
        assert story["schema_version"] == 2
        assert to_canonical_json(load_blueprint(story["blueprint"])) == to_canonical_json(
            load_blueprint(BLUEPRINT)
        )

        await tab.call(
            "story.apply_edit",
            story_id=STORY_ID,
            base_revision=opened["state"]["revision"],
            op={
                "op": "set_field",
                "kind": "character",
                "key": "keeper",
                "field": "name",
                "value": "Ada Wren",
            },
        )
        await tab.call("story.save", story_id=STORY_ID)
        await tab.studio.idle()
        saved = await world.stored_story(STORY_ID)
        assert saved is not None
        written = json.loads(saved["story_json"]) if "story_json" in saved else saved
        assert written["schema_version"] == 2
        assert written["blueprint"]["characters"][0]["name"] == "Ada Wren"
        listed = await tab.call("library.list")
        [new] = [s for s in listed["stories"] if s["story_id"] == STORY_ID]
        assert new["word_count"] == 8
        assert new["status_counts"] == {}
        # The name is searched, and the hit is placed by it.
        found = await tab.call("library.search", query="wren")
        [hit] = [h for h in found["hits"] if h["story_id"] == STORY_ID]
        assert hit["path"] == "characters[0].name"
        assert "Ada Wren" in hit["where"]

    world.run(body())
