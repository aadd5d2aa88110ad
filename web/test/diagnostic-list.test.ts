import assert from "node:assert/strict";
import { test } from "node:test";
import { patchDiagnostics, withPush, withWhole, type HeldDiagnostics } from "../src/model/diagnostic-list";
import type { Diagnostic } from "../src/service/types";

const d = (n: number, severity: Diagnostic["severity"] = "info"): Diagnostic => ({ path: `chapters[${n}].draft_text`, code: "chapter.no_draft", severity, message: `note ${n}`, hint: null });
const list = [d(0), d(1), d(2), d(3), d(4)];

test("splices patch the list in place order; unchanged entries keep their objects", () => {
  const patched = patchDiagnostics(list, [
    { at: 1, remove: 1, insert: [] },
    { at: 3, remove: 0, insert: [d(9, "error"), d(10)] },
    { at: 4, remove: 1, insert: [d(44)] },
  ]);
  assert.deepEqual(patched, [d(0), d(2), d(9, "error"), d(10), d(3), d(44)]);
  assert.equal(patched[0], list[0]);
  assert.equal(patched[4], list[3]);
  assert.equal(patchDiagnostics(list, []), list, "no change: the same array (memoised views skip work)");
  assert.throws(() => patchDiagnostics(list, [{ at: 4, remove: 2, insert: [] }]), RangeError);
});

test("a push's delta applies only to the version it builds on; an older push changes nothing", () => {
  const held: HeldDiagnostics = { list, version: 7 };
  const delta = { base: 7, splices: [{ at: 0, remove: 1, insert: [] }] };
  assert.deepEqual(withPush(held, { diagnostics_version: 8, diagnostics: null, delta }), { list: list.slice(1), version: 8 });
  assert.equal(withPush(held, { diagnostics_version: 9, diagnostics: null, delta: { ...delta, base: 6 } }), null, "another base: ask for the whole list");
  assert.equal(withPush({ list: [], version: null }, { diagnostics_version: 9, diagnostics: null, delta }), null);
  assert.equal(withPush(held, { diagnostics_version: 7, diagnostics: null, delta }), held);
  const whole = [d(3)];
  assert.deepEqual(withPush(held, { diagnostics_version: 8, diagnostics: whole, delta: null }), { list: whole, version: 8 });
});

test("a whole list replaces an older one, keeps the held array when equal, and never goes back", () => {
  const held: HeldDiagnostics = { list, version: 7 };
  assert.equal(withWhole(held, [d(1)], 6), held);
  assert.equal(withWhole(held, [d(1)], 7), held);
  assert.deepEqual(withWhole(held, [d(1)], 8), { list: [d(1)], version: 8 });
  const same = withWhole(held, list.map((x) => ({ ...x })), 8);
  assert.equal(same.list, list);
  assert.equal(same.version, 8);
  assert.deepEqual(withWhole({ list: [], version: null }, [d(1)], 1), { list: [d(1)], version: 1 });
});
