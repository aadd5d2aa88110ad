import assert from "node:assert/strict";
import { test } from "node:test";
import type { Conflict } from "../src/generated/facade";
import { CONFLICT_CODE, conflictDiagnostics, conflictedStories, editorPath, sideLabels } from "../src/sync/conflict-marks";
import { mySides, publishStatus, syncStatus } from "../src/sync/status-store";

const BLUEPRINT = {
  premise: "p",
  chapters: [{ key: "opening", objective: "o" }, { key: "mad-tea-party", objective: "t", prerequisites: ["opening"] }],
  characters: [{ key: "alice", relationships: { hatter: "friend" } }],
};

test("a sync conflict names the devices, this device's side first; a two-tab one keeps the tab wording", () => {
  const tabs = sideLabels("c1", {});
  assert.equal(tabs.fromSync, false);
  assert.equal(tabs.first, "ours");
  assert.deepEqual(tabs.labels, { ours: "This tab", theirs: "The other edit" });
  const mineTheirs = sideLabels("c1", { c1: "theirs" });
  assert.equal(mineTheirs.fromSync, true);
  assert.equal(mineTheirs.first, "theirs");
  assert.deepEqual(mineTheirs.labels, { theirs: "This device", ours: "Other device" });
  const mineOurs = sideLabels("c2", { c1: "theirs", c2: "ours" });
  assert.deepEqual(mineOurs.labels, { ours: "This device", theirs: "Other device" });
  assert.equal(sideLabels("c3", undefined).fromSync, false);
});

test("a conflict's key-addressed path becomes the editor's field path, as deep as it resolves", () => {
  assert.equal(editorPath("chapters[mad-tea-party].objective", BLUEPRINT), "chapters[1].objective");
  assert.equal(editorPath("blueprint.chapters[opening].objective", BLUEPRINT), "chapters[0].objective");
  assert.equal(editorPath("chapters[mad-tea-party].prerequisites[opening]", BLUEPRINT), "chapters[1].prerequisites[0]");
  assert.equal(editorPath("premise", BLUEPRINT), "premise");
  // Gone here (deleted on this device): its list is marked.
  assert.equal(editorPath("chapters[gone].objective", BLUEPRINT), "chapters");
  // A map is one field in the editor.
  assert.equal(editorPath("characters[alice].relationships[hatter]", BLUEPRINT), "characters[0].relationships");
});

test("every conflict is one warning at its field, worded by where it came from", () => {
  const conflicts: Conflict[] = [
    { conflict_id: "a", kind: "value", path: "chapters[opening].objective", ours: "x", theirs: "y" },
    { conflict_id: "b", kind: "text", path: "premise", ours: "x", theirs: "y" },
  ];
  const marks = conflictDiagnostics(conflicts, BLUEPRINT, { a: "ours" });
  assert.deepEqual(
    marks.map((d) => [d.code, d.severity, d.path]),
    [
      [CONFLICT_CODE, "warning", "chapters[0].objective"],
      [CONFLICT_CODE, "warning", "premise"],
    ],
  );
  assert.match(marks[0]!.message, /this device and on another/);
  assert.match(marks[1]!.message, /two places at once/);
  assert.deepEqual(conflictDiagnostics([], BLUEPRINT, {}), []);
});

test("a story is badged when the sync status lists it or its summary counts a conflict", () => {
  const ids = conflictedStories({ phase: "synced", conflicted_story_ids: ["s1"] }, [
    { story_id: "s1" },
    { story_id: "s2", conflict_count: 2 },
    { story_id: "s3", conflict_count: 0 },
  ]);
  assert.deepEqual([...ids].sort(), ["s1", "s2"]);
  assert.equal(conflictedStories({ phase: "local" }, [{ story_id: "s3" }]).size, 0);
});

test("a status push with the same conflict sides keeps the same object (no editor re-render)", () => {
  publishStatus({ phase: "syncing", my_side: { a: "ours" } });
  const first = mySides.get();
  publishStatus({ phase: "synced", my_side: { a: "ours" } });
  assert.equal(mySides.get(), first);
  assert.equal(syncStatus.get().phase, "synced");
  publishStatus({ phase: "synced", my_side: { a: "theirs" } });
  assert.notEqual(mySides.get(), first);
  assert.deepEqual(mySides.get(), { a: "theirs" });
});
