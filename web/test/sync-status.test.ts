import assert from "node:assert/strict";
import { test } from "node:test";
import { apiUrlProblem, defaultApiUrl } from "../src/account/api-url";
import { describeStatus } from "../src/sync/status-text";
import { startSyncTriggers } from "../src/sync/triggers";

const NOW = new Date("2026-12-06T10:45:00Z");

test("the chip says where the stories are, in the writer's words", () => {
  assert.equal(describeStatus({ phase: "local" }, NOW).label, "Saved on this device");
  assert.equal(describeStatus({ phase: "syncing" }, NOW).label, "Syncing…");
  const synced = describeStatus({ phase: "synced", last_synced_at_utc: "2026-12-06T10:42:00Z", email: "a@b.c" }, NOW, "en-GB");
  assert.match(synced.label, /^Synced at \d\d:42$/);
  assert.equal(synced.tone, "ok");
  assert.equal(describeStatus({ phase: "offline", waiting: 3 }, NOW).label, "Offline, 3 changes waiting");
  assert.equal(describeStatus({ phase: "offline", waiting: 1 }, NOW).label, "Offline, 1 change waiting");
  const expired = describeStatus({ phase: "signed_out", waiting: 2, message: "Your sign-in has expired: sign in again." }, NOW);
  assert.equal(expired.label, "Sign in to sync 2 changes");
  assert.match(expired.detail, /sign in again/);
  const problem = describeStatus({ phase: "problem", message: "The account refused a change." }, NOW);
  assert.equal(problem.tone, "error");
  assert.equal(problem.detail, "The account refused a change.");
  const conflicted = describeStatus({ phase: "synced", conflicted_story_ids: ["x"] }, NOW);
  assert.equal(conflicted.tone, "warning");
  assert.match(conflicted.detail, /1 story has a conflict/);
  const revived = describeStatus({ phase: "synced", revived_story_ids: ["x", "y"] }, NOW);
  assert.match(revived.detail, /2 stories deleted on one device and edited on another came back/);
});

test("the sync server defaults to the build's API, else the studio's own origin", () => {
  assert.equal(defaultApiUrl("https://studio.example.org", ""), "https://studio.example.org");
  assert.equal(defaultApiUrl("https://studio.example.org", "https://api.example.org/"), "https://api.example.org");
  assert.equal(apiUrlProblem("https://api.example.org"), null);
  assert.match(apiUrlProblem("api.example.org") ?? "", /full address/);
  assert.match(apiUrlProblem("ftp://api.example.org") ?? "", /https/);
});

test("sync is asked for on focus, online, becoming visible and every minute while visible", () => {
  const listeners = new Map<string, () => void>();
  const target = {
    addEventListener: (type: string, listener: () => void) => void listeners.set(type, listener),
    removeEventListener: (type: string) => void listeners.delete(type),
  };
  let tick: (() => void) | null = null;
  const win = { ...target, setInterval: (fn: () => void) => ((tick = fn), 7), clearInterval: () => void (tick = null) };
  const doc = { ...target, visibilityState: "visible" };
  let asked = 0;
  const stop = startSyncTriggers(() => void asked++, win, doc);
  listeners.get("focus")?.();
  listeners.get("online")?.();
  listeners.get("visibilitychange")?.();
  (tick as (() => void) | null)?.();
  assert.equal(asked, 4);
  doc.visibilityState = "hidden";
  (tick as (() => void) | null)?.();
  assert.equal(asked, 4);
  stop();
  assert.equal(listeners.size, 0);
  assert.equal(tick, null);
});

test("a text conflict is shown as a word diff", async () => {
  const { wordDiff } = await import("../src/sync/word-diff");
  assert.deepEqual(wordDiff("the white rabbit runs", "the black rabbit runs"), [
    { kind: "same", text: "the " },
    { kind: "removed", text: "white" },
    { kind: "added", text: "black" },
    { kind: "same", text: " rabbit runs" },
  ]);
  assert.deepEqual(wordDiff("", "new"), [{ kind: "added", text: "new" }]);
  const long = "word ".repeat(5000);
  assert.deepEqual(wordDiff(long, "x"), [
    { kind: "removed", text: long },
    { kind: "added", text: "x" },
  ]);
  // Every part of each side is kept: joining them gives the two texts back.
  const parts = wordDiff("a b c d", "a x c y d");
  assert.equal(parts.filter((p) => p.kind !== "added").map((p) => p.text).join(""), "a b c d");
  assert.equal(parts.filter((p) => p.kind !== "removed").map((p) => p.text).join(""), "a x c y d");
});
