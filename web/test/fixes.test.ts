import assert from "node:assert/strict";
import { test } from "node:test";
import { fixesOf } from "../src/editor/fixes";
import type { Diagnostic } from "../src/service/types";

const problem = (code: string, hint: string | null, path = "chapters[0].required_themes[0]"): Diagnostic =>
  ({ severity: "error", code, path, message: "m", hint }) as Diagnostic;

test("an unknown reference with a suggestion offers replace, create and remove", () => {
  const fixes = fixesOf(problem("chapter.unknown_theme", 'Did you mean "hope"?'));
  assert.deepEqual(
    fixes.map((f) => f.label),
    ["Replace with hope", "Create this theme", "Remove this theme"],
  );
  assert.deepEqual(fixes[0]?.op, { op: "fix_reference", code: "chapter.unknown_theme", path: "chapters[0].required_themes[0]", action: "replace", replacement: "hope" });
  assert.deepEqual(fixes[1]?.op, { op: "fix_reference", code: "chapter.unknown_theme", path: "chapters[0].required_themes[0]", action: "create", replacement: null });
});

test("without a suggestion create and remove; an unknown prerequisite creates a chapter", () => {
  assert.deepEqual(
    fixesOf(problem("chapter.unknown_character", 'Add a character with the key "x", or remove "x".')).map((f) => f.label),
    ["Create this character", "Remove this character"],
  );
  assert.deepEqual(
    fixesOf(problem("chapter.unknown_prerequisite", null, "chapters[1].prerequisites[0]")).map((f) => f.label),
    ["Create this chapter", "Remove this prerequisite"],
  );
});

test("a cycle placed at a prerequisite offers to remove it; other problems offer nothing", () => {
  const [fix, ...rest] = fixesOf(problem("chapter.cycle", null, "chapters[2].prerequisites[1]"));
  assert.equal(rest.length, 0);
  assert.equal(fix?.label, "Remove this prerequisite");
  assert.deepEqual(fix?.op, { op: "fix_reference", code: "chapter.cycle", path: "chapters[2].prerequisites[1]", action: "remove", replacement: null });
  assert.deepEqual(fixesOf(problem("chapter.cycle", null, "chapters[2]")), []);
  assert.deepEqual(fixesOf(problem("chapter.unreachable", null, "chapters[2].prerequisites[0]")), []);
});
