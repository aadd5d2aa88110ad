import assert from "node:assert/strict";
import { test } from "node:test";
// The same cases tests/core/test_text_rules.py checks against the core.
import table from "../../tests/core/text_cases.json";
import { COLLECTION, isBlank, isDraftField, isTextField, normalizeDraft, trimText } from "../src/service/text-rules";

for (const { why, text, trimmed, draft } of table.cases) {
  test(`the core's text rule: ${why}`, () => {
    assert.equal(trimText(text), trimmed);
    assert.equal(normalizeDraft(text), draft);
    assert.equal(isBlank(text), trimmed === "");
  });
}

test("String#trim is not the rule (why the web reads it from the core)", () => {
  assert.notEqual("\u0085x".trim(), trimText("\u0085x"));
  assert.notEqual("\ufeffx".trim(), trimText("\ufeffx"));
});

test("the kind tables come from the core", () => {
  assert.equal(COLLECTION.chapter, "chapters");
  assert.ok(isTextField("chapter", "draft_text"));
  assert.ok(isTextField("theme", "statement"));
  assert.ok(!isTextField("theme", "priority"));
  assert.ok(isDraftField("chapter", "draft_text"));
  assert.ok(!isDraftField("chapter", "title"));
});
