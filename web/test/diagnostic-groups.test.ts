import assert from "node:assert/strict";
import { test } from "node:test";
import { DiagnosticGroups, ownerOf, problemsAt } from "../src/editor/diagnostics";
import type { Diagnostic } from "../src/service/types";

const d = (path: string, code = "x.y", severity: Diagnostic["severity"] = "info"): Diagnostic => ({ path, code, severity, message: `about ${path}`, hint: null });

test("a diagnostic belongs to its entity, else to its top-level field", () => {
  assert.equal(ownerOf("chapters[3].prerequisites[0]"), "chapters[3]");
  assert.equal(ownerOf("characters[1].relationships.alice"), "characters[1]");
  assert.equal(ownerOf("premise"), "premise");
  assert.equal(ownerOf("canon_rules[2]"), "canon_rules");
  assert.equal(ownerOf(""), "");
});

test("groups whose problems did not change keep their arrays (memoised cards skip rendering)", () => {
  const first = DiagnosticGroups.of([d("chapters[0].draft_text"), d("chapters[1].draft_text"), d("premise", "p", "warning")]);
  // The next reply: new objects, one problem gone from chapter 1, the rest equal by value.
  const next = DiagnosticGroups.of([d("chapters[0].draft_text"), d("premise", "p", "warning")], first);
  assert.equal(next.of("chapters[0]"), first.of("chapters[0]"));
  assert.equal(next.of("premise"), first.of("premise"));
  assert.equal(next.of("chapters[1]"), DiagnosticGroups.EMPTY);
  assert.notEqual(first.of("chapters[1]"), DiagnosticGroups.EMPTY);
  // A changed problem gives a new array.
  const changed = DiagnosticGroups.of([d("chapters[0].draft_text", "other"), d("premise", "p", "warning")], next);
  assert.notEqual(changed.of("chapters[0]"), next.of("chapters[0]"));
  assert.equal(changed.of("premise"), next.of("premise"));
});

test("a field's problems are its own and its elements', own first; none is the shared empty array", () => {
  const list = [d("chapters[2].prerequisites[1]", "a"), d("chapters[2].prerequisites", "b"), d("chapters[2].title", "c"), d("chapters[2].prerequisites_x", "d")];
  assert.deepEqual(
    problemsAt(list, "chapters[2].prerequisites").map((x) => x.code),
    ["b", "a"],
  );
  assert.equal(problemsAt(list, "chapters[2].objective"), DiagnosticGroups.EMPTY);
});
