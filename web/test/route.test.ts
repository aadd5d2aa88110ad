import assert from "node:assert/strict";
import { test } from "node:test";
import { href, parseRoute, type Route } from "../src/shell/route";
import { prefixes } from "../src/editor/diagnostics";
import { keyProblem, suggestKey } from "../src/editor/keys";

test("every route survives href -> parseRoute", () => {
  const routes: Route[] = [
    { screen: "library" },
    { screen: "help" },
    { screen: "editor", storyId: "abc" },
    { screen: "plan", storyId: "abc", view: "graph" },
    { screen: "plan", storyId: "a b/c", view: "characters" },
  ];
  for (const route of routes) assert.deepEqual(parseRoute(href(route)), route);
  assert.deepEqual(parseRoute(""), { screen: "library" });
  assert.deepEqual(parseRoute("#/help"), { screen: "help" });
  assert.deepEqual(parseRoute("#/story/x/plan/nonsense"), { screen: "plan", storyId: "x", view: "order" });
});

test("a diagnostic path's prefixes lead from the collection down to the field", () => {
  assert.deepEqual(prefixes("chapters[3].prerequisites[0]"), ["chapters", "chapters[3]", "chapters[3].prerequisites", "chapters[3].prerequisites[0]"]);
  assert.deepEqual(prefixes("premise"), ["premise"]);
});

test("keys are suggested and checked like the core does", () => {
  assert.equal(suggestKey("Mad Tea-Party!"), "mad-tea-party");
  assert.equal(suggestKey("42 ways"), "k-42-ways");
  assert.equal(suggestKey("!!!"), "untitled");
  assert.equal(keyProblem("alice", []), null);
  assert.match(keyProblem("alice", ["alice"]) ?? "", /already used/);
  assert.match(keyProblem("9lives", []) ?? "", /starts with '9'.*e\.g\. k-9lives/);
  assert.match(keyProblem("a b", []) ?? "", /holds a space; use lowercase letters/);
});
