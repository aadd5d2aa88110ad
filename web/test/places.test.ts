import assert from "node:assert/strict";
import { test } from "node:test";
import { placeOf } from "../src/editor/places";
import type { StoryBlueprint } from "../src/service/types";

const blueprint = {
  premise: "p",
  canon_rules: ["a"],
  themes: [{ key: "hope", statement: "", priority: 5 }],
  characters: [{ key: "vale", role: "", motivation: "", voice_markers: [], relationships: {} }],
  chapters: [
    { key: "storm", title: "The Storm", objective: "", required_themes: [], participating_characters: [], prerequisites: [], draft_text: null },
    { key: "calm", title: "", objective: "", required_themes: [], participating_characters: [], prerequisites: [], draft_text: null },
  ],
} as unknown as StoryBlueprint;

test("a path reads in story terms", () => {
  assert.equal(placeOf("chapters[0].draft_text", blueprint), "Chapter “The Storm” › Draft text");
  assert.equal(placeOf("chapters[1].required_themes[0]", blueprint), "Chapter “calm” › Required themes › 1");
  assert.equal(placeOf("chapters[0]", blueprint), "Chapter “The Storm”");
  assert.equal(placeOf("themes[0].statement", blueprint), "Theme “hope” › Statement");
  assert.equal(placeOf("characters[0].relationships.alice", blueprint), "Character “vale” › Relationship with alice");
  assert.equal(placeOf("premise", blueprint), "Premise");
  assert.equal(placeOf("canon_rules[0]", blueprint), "Canon rules › 1");
  assert.equal(placeOf("", blueprint), "The whole story");
});

test("an entity the blueprint no longer has is named by its position", () => {
  assert.equal(placeOf("chapters[7].title", blueprint), "Chapter 8 › Title");
  assert.equal(placeOf("chapters[0].title", null), "Chapter 1 › Title");
});

test("themes and characters are called by their names where they have one", () => {
  const named = {
    ...blueprint,
    themes: [{ key: "hope", name: "Hope against hope", statement: "", priority: 5 }],
    characters: [
      { key: "vale", name: "Inspector Vale", role: "", motivation: "", voice_markers: [], relationships: {} },
      { key: "mara", name: "Mara", role: "", motivation: "", voice_markers: [], relationships: {} },
    ],
  } as unknown as StoryBlueprint;
  assert.equal(placeOf("themes[0].statement", named), "Theme “Hope against hope” › Statement");
  assert.equal(placeOf("characters[0].relationships.mara", named), "Character “Inspector Vale” › Relationship with Mara");
  assert.equal(placeOf("chapters[0].status", named), "Chapter “The Storm” › Status");
});
