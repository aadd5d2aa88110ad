import assert from "node:assert/strict";
import { test } from "node:test";
import { wordCount } from "../src/model/progress";
import vectors from "./word-counts.json";

test("the live word count follows the core's rule (shared examples)", () => {
  for (const [text, words] of vectors.examples as [string, number][]) assert.equal(wordCount(text), words, text);
  assert.equal(wordCount(null), 0);
});
