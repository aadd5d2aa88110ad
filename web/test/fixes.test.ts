import assert from "node:assert/strict";
import { test } from "node:test";
import { fixesOf } from "../src/editor/fixes";
import type { Diagnostic } from "../src/service/types";

const problem = (code: string, hint: string | null): Diagnostic =>
  ({ severity: "error", code, path: "chapters[0].required_themes[0]", message: "m", hint }) as Diagnostic;

test("an unknown reference with a suggestion offers replace and remove", () => {
  const fixes = fixesOf(problem("chapter.unknown_theme", 'Did you mean "hope"?'));
  assert.deepEqual(
    fixes.map((f) => f.label),
    ["Replace with hope", "Remove this theme"],
  );
  assert.deepEqual(fixes[0]?.op, { op: "fix_reference", code: "chapter.unknown_theme", path: "chapters[0].required_themes[0]", action: "replace", replacement: "hope" });
});

test("without a suggestion only remove; other problems offer nothing", () => {
  assert.deepEqual(
    fixesOf(problem("chapter.unknown_character", 'Add a character with the key "x", or remove "x".')).map((f) => f.label),
    ["Remove this character"],
  );
  assert.deepEqual(fixesOf(problem("chapter.cycle", null)), []);
});
