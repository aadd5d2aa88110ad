import assert from "node:assert/strict";
import { test } from "node:test";
import { ScreenRequests } from "../src/model/screen-requests";

test("a request reaches every screen listening, and none that stopped", () => {
  const requests = new ScreenRequests();
  const heard: string[] = [];
  const stopA = requests.onFlushDrafts(() => heard.push("a"));
  requests.onFlushDrafts(() => heard.push("b"));
  requests.flushDrafts();
  assert.deepEqual(heard, ["a", "b"]);
  stopA();
  requests.flushDrafts();
  assert.deepEqual(heard, ["a", "b", "b"]);
});

test("each kind of request goes only to its own listeners", () => {
  const requests = new ScreenRequests();
  const heard: string[] = [];
  requests.onNewChapter(() => heard.push("new chapter"));
  requests.onFocusSearch(() => heard.push("search"));
  requests.onFlushDrafts(() => heard.push("flush"));
  requests.onFocusPath((path) => heard.push(`focus ${path}`));
  requests.focusSearch();
  requests.requestNewChapter();
  requests.focusPath("chapters[2].title");
  requests.flushDrafts();
  assert.deepEqual(heard, ["search", "new chapter", "focus chapters[2].title", "flush"]);
});

test("a field to focus waits for the editor that mounts later, and is taken once", () => {
  const requests = new ScreenRequests();
  requests.focusPathOnOpen("themes[0].name");
  assert.equal(requests.takePendingPath(), "themes[0].name");
  assert.equal(requests.takePendingPath(), null);
  // Nobody listening yet (the editor is not on screen): the request is kept for it.
  requests.focusPath("premise");
  assert.equal(requests.takePendingPath(), "premise");
});

test("a listener that stops listening while a request is delivered does not break the others", () => {
  const requests = new ScreenRequests();
  const heard: string[] = [];
  const stop = requests.onFocusSearch(() => {
    heard.push("first");
    stop();
  });
  requests.onFocusSearch(() => heard.push("second"));
  requests.focusSearch();
  requests.focusSearch();
  assert.deepEqual(heard, ["first", "second", "second"]);
});
