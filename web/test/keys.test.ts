import assert from "node:assert/strict";
import { test } from "node:test";
import { keyProblem, suggestKey } from "../src/editor/keys";
import vectors from "./key-suggestions.json";

test("a name suggests the key the core suggests (shared examples)", () => {
  for (const [name, key] of vectors.examples as [string, string][]) assert.equal(suggestKey(name), key, name);
});

test("a bad key is told what to write instead", () => {
  assert.equal(keyProblem("inspector vale", []), "It holds a space; use lowercase letters, digits, - or _, starting with a letter, e.g. inspector-vale.");
  assert.equal(keyProblem("9lives", []), "It starts with '9'; use lowercase letters, digits, - or _, starting with a letter, e.g. k-9lives.");
  assert.equal(keyProblem("", []), "The key is empty; use lowercase letters, digits, - or _, starting with a letter, e.g. inspector-vale.");
  assert.equal(keyProblem("vale", ["vale"]), 'The key "vale" is already used; keys must be unique.');
  assert.equal(keyProblem("inspector-vale", ["vale"]), null);
});
