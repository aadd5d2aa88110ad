import assert from "node:assert/strict";
import { test } from "node:test";
import { hasPendingDrafts, LiveDraft } from "../src/editor/draft";

/** A service stand-in whose replies the test releases one at a time. */
function service() {
  const sent: { value: string; continues: boolean }[] = [];
  const replies: (() => void)[] = [];
  const commit = (value: string, continues: boolean): Promise<void> => {
    sent.push({ value, continues });
    return new Promise<void>((resolve) => replies.push(resolve));
  };
  const reply = async (): Promise<void> => {
    replies.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sent, commit, reply, get waiting() { return replies.length; } };
}

test("the first keystroke is sent at once; while it is in flight only the latest text waits", async () => {
  const s = service();
  let idle = 0;
  const draft = new LiveDraft(() => s.commit, undefined, () => idle++);
  draft.startBurst();
  draft.type("h");
  assert.deepEqual(s.sent, [{ value: "h", continues: false }]);
  draft.type("he");
  draft.type("hel");
  draft.type("hell");
  assert.equal(s.sent.length, 1, "never two requests in flight for one field");
  assert.equal(draft.busy, true);
  assert.equal(hasPendingDrafts(), true);
  await s.reply();
  assert.deepEqual(s.sent[1], { value: "hell", continues: true }, "the latest text goes next, as part of the burst");
  assert.equal(s.waiting, 1);
  await s.reply();
  assert.equal(s.sent.length, 2, "nothing new typed: nothing more sent");
  assert.equal(draft.busy, false);
  assert.equal(hasPendingDrafts(), false);
  assert.equal(idle, 1, "idle once everything typed was answered");
});

test("a failed send frees the field for the next text (the caller reports the failure)", async () => {
  const sent: string[] = [];
  let fail = true;
  const draft = new LiveDraft(() => (value: string) => {
    sent.push(value);
    if (fail) {
      fail = false;
      return Promise.reject(new Error("edit.invalid"));
    }
    return Promise.resolve();
  });
  draft.type("a");
  draft.type("ab");
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(sent, ["a", "ab"]);
  assert.equal(draft.busy, false);
});

test("a held text (an emptied list item) waits for more typing or a flush", async () => {
  const s = service();
  const draft = new LiveDraft(() => s.commit, (v) => !v.trim());
  draft.type("x");
  await s.reply();
  draft.type("");
  assert.equal(s.sent.length, 1, "not removed mid-word");
  assert.equal(draft.busy, true, "but not forgotten either");
  draft.type("y");
  assert.deepEqual(s.sent.map((x) => x.value), ["x", "y"]);
  await s.reply();
  draft.type(" ");
  draft.flush();
  assert.deepEqual(s.sent.map((x) => x.value), ["x", "y", " "], "leaving the field sends it anyway");
  await s.reply();
  assert.equal(draft.busy, false);
});

test("a flush while a send is in flight sends the rest as soon as it returns", async () => {
  const s = service();
  const draft = new LiveDraft(() => s.commit, (v) => !v.trim());
  draft.type("a");
  draft.type("");
  draft.flush();
  assert.equal(s.sent.length, 1);
  await s.reply();
  assert.deepEqual(s.sent.map((x) => x.value), ["a", ""]);
});

test("a burst ends on blur: typing after the next focus starts a new undo step", async () => {
  const s = service();
  const draft = new LiveDraft(() => s.commit);
  draft.startBurst();
  draft.type("a");
  draft.type("ab");
  draft.endBurst(); // blur while "a" is in flight: "ab" still belongs to the burst
  await s.reply();
  await s.reply();
  draft.startBurst();
  draft.type("abc");
  assert.deepEqual(
    s.sent.map((x) => x.continues),
    [false, true, false],
  );
});
