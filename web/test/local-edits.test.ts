import assert from "node:assert/strict";
import { test } from "node:test";
import { applyTextEditLocally } from "../src/model/local-edits";
import type { Story } from "../src/service/types";

const story: Story = {
  story_id: "00000000-0000-4000-8000-000000000000",
  title: "T",
  schema_version: 1,
  created_at_utc: "2026-01-01T00:00:00Z",
  updated_at_utc: "2026-01-01T00:00:00Z",
  conflicts: [],
  blueprint: {
    premise: "",
    canon_rules: [],
    themes: [{ key: "hope", statement: "", priority: 5 }],
    characters: [],
    chapters: [
      { key: "one", title: "", objective: "", required_themes: [], participating_characters: [], prerequisites: [], draft_text: null },
    ],
  },
};

test("text fields are stripped the way the core strips them", () => {
  assert.equal(applyTextEditLocally(story, { op: "set_premise", value: "  A premise. " })!.blueprint.premise, "A premise.");
  const titled = applyTextEditLocally(story, { op: "set_field", kind: "chapter", key: "one", field: "title", value: " Start " });
  assert.equal(titled!.blueprint.chapters[0]!.title, "Start");
});

test("a draft keeps its inner whitespace; a blank draft is no draft", () => {
  const drafted = applyTextEditLocally(story, { op: "set_field", kind: "chapter", key: "one", field: "draft_text", value: "  Once.\n\nThen.  \n" });
  assert.equal(drafted!.blueprint.chapters[0]!.draft_text, "  Once.\n\nThen.");
  const blank = applyTextEditLocally(story, { op: "set_field", kind: "chapter", key: "one", field: "draft_text", value: "   " });
  assert.equal(blank!.blueprint.chapters[0]!.draft_text, null);
});

test("anything but a plain text field is left to the service", () => {
  assert.equal(applyTextEditLocally(story, { op: "set_field", kind: "theme", key: "hope", field: "priority", value: 9 }), null);
  assert.equal(applyTextEditLocally(story, { op: "set_field", kind: "chapter", key: "missing", field: "title", value: "x" }), null);
  assert.equal(applyTextEditLocally(story, { op: "add_canon_rule", value: "x" }), null);
  assert.equal(story.blueprint.premise, "", "the input story is not mutated");
});

test("the core's rule, not String#trim: U+0085 goes, U+FEFF stays", () => {
  const typed = applyTextEditLocally(story, { op: "set_premise", value: "\u0085\ufeffA premise.\u0085" });
  assert.equal(typed!.blueprint.premise, "\ufeffA premise.");
});
