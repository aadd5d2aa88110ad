import assert from "node:assert/strict";
import { test } from "node:test";
import { worstSeverity } from "../src/editor/diagnostics";
import { panelLines } from "../src/editor/problem-folds";
import type { Diagnostic } from "../src/service/types";

const d = (path: string, code: string, severity: Diagnostic["severity"] = "info"): Diagnostic => ({ path, code, severity, message: `about ${path}`, hint: null });

test("notes of one kind fold into one line at the first one's place; a lone note stays", () => {
  const notes = [d("premise", "premise.empty"), d("chapters[0].draft_text", "chapter.no_draft"), d("themes[0]", "theme.unused"), d("chapters[2].draft_text", "chapter.no_draft"), d("chapters[5].draft_text", "chapter.no_draft")];
  const lines = panelLines(notes, "info");
  assert.deepEqual(
    lines.map((l) => (l.kind === "one" ? l.diagnostic.code : `${l.label} [${l.items.map((i) => i.path).join(", ")}]`)),
    ["premise.empty", "3 chapters have no draft yet [chapters[0].draft_text, chapters[2].draft_text, chapters[5].draft_text]", "theme.unused"],
  );
  // Every note is still behind a line: none lost, none twice.
  const behind = lines.flatMap((l) => (l.kind === "one" ? [l.diagnostic] : l.items));
  assert.equal(behind.length, notes.length);
  assert.deepEqual(new Set(behind), new Set(notes));
});

test("errors and warnings are never folded", () => {
  const errors = [d("chapters[0].required_themes[0]", "chapter.unknown_theme", "error"), d("chapters[1].required_themes[0]", "chapter.unknown_theme", "error")];
  assert.deepEqual(
    panelLines(errors, "error").map((l) => l.kind),
    ["one", "one"],
  );
});

test("the badge follows the worst severity present", () => {
  assert.equal(worstSeverity([]), null);
  assert.equal(worstSeverity([d("a", "x")]), "info");
  assert.equal(worstSeverity([d("a", "x"), d("b", "y", "warning"), d("c", "z")]), "warning");
  assert.equal(worstSeverity([d("a", "x"), d("b", "y", "error"), d("c", "z", "warning")]), "error");
});
