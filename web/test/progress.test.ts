import assert from "node:assert/strict";
import { test } from "node:test";
import { applyTextEditLocally } from "../src/model/local-edits";
import { manuscriptWords, progressOf } from "../src/model/progress";
import type { Chapter, Story } from "../src/service/types";

const chapter = (key: string, draft: string | null, status: Chapter["status"] = null): Chapter =>
  ({ key, title: key, objective: "", status, word_target: null, required_themes: [], participating_characters: [], prerequisites: [], draft_text: draft }) as unknown as Chapter;

test("the manuscript's count follows a typed edit (the edited chapter is counted again, the others are not stale)", () => {
  const story = { blueprint: { premise: "", canon_rules: [], themes: [], characters: [], chapters: [chapter("a", "one two"), chapter("b", null), chapter("c", "three")], word_target: null } } as unknown as Story;
  assert.equal(manuscriptWords(story.blueprint.chapters), 3);
  const typed = applyTextEditLocally(story, { op: "set_field", kind: "chapter", key: "b", field: "draft_text", value: "four five six" })!;
  assert.equal(typed.blueprint.chapters[0], story.blueprint.chapters[0], "the other chapters keep their objects");
  assert.equal(manuscriptWords(typed.blueprint.chapters), 6);
  assert.equal(manuscriptWords(story.blueprint.chapters), 3, "the old copy still counts as it was");
});

test("a library row's progress: statuses in the contract's order, words of every draft", () => {
  const progress = progressOf({ chapters: [chapter("a", "one", "done"), chapter("b", "two three", "idea"), chapter("c", null, "done"), chapter("d", null)] } as never);
  assert.deepEqual(Object.entries(progress.status_counts), [["idea", 1], ["done", 2]]);
  assert.equal(progress.word_count, 3);
});
