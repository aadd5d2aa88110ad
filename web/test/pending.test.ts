import assert from "node:assert/strict";
import { test } from "node:test";
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { createHost, readPending } from "../../browser/js/host.mjs";
import { EarlyEdits } from "../src/pending/early";
import { editableEarly } from "../src/pending/editable";
import { RULES } from "../src/generated/rules";
import { applyPendingOp, isPendingOp, withPending } from "../src/pending/ops";
import { PendingWriter } from "../src/pending/queue";
import type { EditOp, Story } from "../src/service/types";

const story: Story = {
  story_id: "00000000-0000-4000-8000-000000000000",
  title: "T",
  schema_version: 1,
  created_at_utc: "2026-01-01T00:00:00Z",
  updated_at_utc: "2026-01-01T00:00:00Z",
  conflicts: [],
  blueprint: {
    premise: "",
    canon_rules: ["No magic.", "One moon."],
    themes: [{ key: "hope", statement: "", priority: 5 }],
    characters: [
      { key: "ann", role: "", motivation: "", voice_markers: ["Terse."], relationships: {} },
      { key: "bo", role: "", motivation: "", voice_markers: [], relationships: {} },
    ],
    chapters: [{ key: "one", title: "", objective: "", required_themes: [], participating_characters: [], prerequisites: [], draft_text: null }],
  },
};

test("every text field of the core's tables is accepted before the core is ready", () => {
  for (const [kind, fields] of Object.entries(RULES.text_fields)) {
    for (const field of fields) {
      const op = { op: "set_field", kind, key: "k", field, value: "x" } as EditOp;
      assert.ok(isPendingOp(op), `${kind}.${field}`);
    }
  }
  assert.ok(isPendingOp({ op: "set_premise", value: "x" }));
  assert.ok(isPendingOp({ op: "set_relationship", character: "ann", other: "bo", description: "x" }));
});

test("structural edits and non-text values wait for the core", () => {
  const waiting: EditOp[] = [
    { op: "rename_key", kind: "chapter", old_key: "one", new_key: "two" },
    { op: "remove_entity", kind: "theme", key: "hope" },
    { op: "add_entity", kind: "theme", entity: { key: "fear" } },
    { op: "move_entity", kind: "chapter", key: "one", to_index: 0 },
    { op: "set_list", kind: "chapter", key: "one", field: "prerequisites", value: [] },
    { op: "set_field", kind: "theme", key: "hope", field: "priority", value: 9 },
    { op: "set_field", kind: "chapter", key: "one", field: "status", value: "done" },
    { op: "add_canon_rule", value: "x" },
  ];
  for (const op of waiting) {
    assert.equal(isPendingOp(op), false, op.op);
    assert.equal(applyPendingOp(story, op), null, op.op);
  }
});

test("a kept edit shows as the core will store it", () => {
  const titled = applyPendingOp(story, { op: "set_field", kind: "chapter", key: "one", field: "title", value: " Storm " });
  assert.equal(titled!.blueprint.chapters[0]!.title, "Storm");
  const rule = applyPendingOp(story, { op: "set_canon_rule", index: 1, value: " Two moons. " });
  assert.deepEqual(rule!.blueprint.canon_rules, ["No magic.", "Two moons."]);
  const voice = applyPendingOp(story, { op: "set_voice_marker", character: "ann", index: 0, value: "Curt." });
  assert.deepEqual(voice!.blueprint.characters[0]!.voice_markers, ["Curt."]);
  const rel = applyPendingOp(story, { op: "set_relationship", character: "ann", other: "bo", description: " Sister " });
  assert.deepEqual(rel!.blueprint.characters[0]!.relationships, { bo: "Sister" });
});

test("an edit the core would refuse is not kept", () => {
  assert.equal(applyPendingOp(story, { op: "set_field", kind: "chapter", key: "nope", field: "title", value: "x" }), null);
  assert.equal(applyPendingOp(story, { op: "set_canon_rule", index: 5, value: "x" }), null);
  assert.equal(applyPendingOp(story, { op: "set_canon_rule", index: 0, value: "One moon." }), null);
  assert.equal(applyPendingOp(story, { op: "set_canon_rule", index: 0, value: "  " }), null);
  assert.equal(applyPendingOp(story, { op: "set_relationship", character: "ann", other: "zed", description: "x" }), null);
});

test("pending edits are shown in typing order, the last text winning", () => {
  const shown = withPending(story, [
    { op: "set_premise", value: "A" },
    { op: "set_field", kind: "chapter", key: "nope", field: "title", value: "skipped" },
    { op: "set_premise", value: "AB" },
  ]);
  assert.equal(shown.blueprint.premise, "AB");
});

test("the writer keeps each edit durably, in order, and drains before the core takes over", async () => {
  const options = { indexedDB: new IDBFactory(), dbName: "pending-writer-test" };
  const writer = new PendingWriter(options);
  const ops: EditOp[] = [
    { op: "set_premise", value: "A" },
    { op: "set_field", kind: "chapter", key: "one", field: "draft_text", value: "Once" },
    { op: "set_premise", value: "AB" },
  ];
  const ids = ops.map((op) => writer.add(story.story_id, op));
  assert.ok(writer.busy);
  await writer.drain();
  assert.equal(writer.busy, false);
  const written = await Promise.all(ids);
  assert.deepEqual(written, [...written].sort((a, b) => a - b));
  const stored = await readPending(story.story_id, options);
  assert.deepEqual(stored.map((r) => r.op), ops);
  assert.deepEqual(stored.map((r) => r.id), written);
  assert.ok(stored.every((r) => r.story_id === story.story_id && !Number.isNaN(Date.parse(r.at_utc))));
  assert.deepEqual(await readPending("00000000-0000-4000-8000-0000000000ff", options), []);
  writer.close();
});

test("a write that fails rejects, and drain still settles", async () => {
  const writer = new PendingWriter({}, () => ({
    add: () => Promise.reject(new Error("disk full")),
    close: () => undefined,
  }));
  await assert.rejects(writer.add(story.story_id, { op: "set_premise", value: "x" }), /disk full/);
  await writer.drain();
  assert.equal(writer.busy, false);
});

test("early edits are painted over the stored story and handed to the core after the last write", async () => {
  const options = { indexedDB: new IDBFactory(), dbName: "early-edits-test" };
  const host = createHost({ ...options, storage: null, channelName: "early-edits-test" });
  await host.open();
  const summary = {
    story_id: story.story_id,
    revision: 1,
    title: story.title,
    chapter_count: 1,
    problem_counts: { error: 0, warning: 0, info: 1 },
    status_counts: {},
    word_count: 0,
    created_at_utc: story.created_at_utc,
    updated_at_utc: story.updated_at_utc,
    deleted_at_utc: null,
  };
  await host.putStoryIfRevision(story.story_id, 0, JSON.stringify(summary), JSON.stringify(story));
  const early = new EarlyEdits(options);
  const painted = await early.paint(story.story_id);
  assert.equal(painted!.kept, 0);

  const typed = early.accept(story.story_id, painted!.story, { op: "set_premise", value: "Kept " });
  assert.equal(typed!.story.blueprint.premise, "Kept");
  assert.equal(early.accept(story.story_id, story, { op: "add_canon_rule", value: "x" }), null);
  const id = await typed!.written;

  // A reload before the core is ready: the stored story shows the kept edit.
  const again = await new EarlyEdits(options).paint(story.story_id);
  assert.equal(again!.story.blueprint.premise, "Kept");
  assert.equal(again!.kept, 1);
  assert.equal(await new EarlyEdits(options).paint("00000000-0000-4000-8000-0000000000ff"), null);

  // Stored with the edit (what the core does): it is no longer shown as kept.
  const applied = { ...story, blueprint: { ...story.blueprint, premise: "Kept" } };
  await host.putStoryIfRevision(story.story_id, 1, JSON.stringify({ ...summary, revision: 2 }), JSON.stringify(applied), id);
  const stored = await new EarlyEdits(options).paint(story.story_id);
  assert.equal(stored!.kept, 0);
  assert.equal(stored!.story.blueprint.premise, "Kept");

  const last = early.accept(story.story_id, painted!.story, { op: "set_premise", value: "Later" });
  let appliedAfterWrite = false;
  const result = await early.handOver(async () => {
    appliedAfterWrite = (await readPending(story.story_id, options)).some((p) => p.op.op === "set_premise");
    return "applied";
  });
  assert.equal(result, "applied");
  assert.ok(appliedAfterWrite);
  await last!.written;
  assert.equal(early.accept(story.story_id, story, { op: "set_premise", value: "Too late" }), null);
  host.close();
});

test("a field takes early typing when the edit it sends is kept", () => {
  for (const path of ["premise", "canon_rules[0]", "chapters[3].objective", "chapters[0].draft_text", "chapters[12].title", "themes[1].statement", "characters[0].role", "characters[2].voice_markers[1]", "characters[0].relationships.bo", 'characters[0].relationships["odd key"]']) {
    assert.ok(editableEarly(path), path);
  }
  for (const path of ["themes[0].name", "themes[0].priority", "chapters[0].status", "chapters[0].word_target", "chapters[0].prerequisites", "chapters[0].key", "word_target", "characters[0].voice_markers"]) {
    assert.equal(editableEarly(path), false, path);
  }
});

test("a page that kept nothing does not ask the core again (start() applied the rest)", async () => {
  let asked = false;
  const early = new EarlyEdits({ indexedDB: new IDBFactory(), dbName: "early-nothing-kept" });
  const result = await early.handOver(async () => {
    asked = true;
    return "applied";
  });
  assert.equal(result, null);
  assert.equal(asked, false);
});
