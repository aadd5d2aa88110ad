import assert from "node:assert/strict";
import { test } from "node:test";
import { layout, renderedRows, rowAt, sameWindow, totalHeight, visibleWindow } from "../src/editor/virtual-window";

const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);

test("rows are placed by their measured heights, the others by the estimate", () => {
  const l = layout(keys(4), new Map([["c1", 200]]), 50);
  assert.deepEqual([...l.tops], [0, 50, 250, 300, 350]);
  assert.equal(totalHeight(l), 350);
  assert.equal(rowAt(l, 0), 0);
  assert.equal(rowAt(l, 49.9), 0);
  assert.equal(rowAt(l, 50), 1);
  assert.equal(rowAt(l, 249), 1);
  assert.equal(rowAt(l, 10_000), 3);
  assert.equal(rowAt(l, -5), 0);
});

test("a measurement follows its row through a reorder", () => {
  const measured = new Map([["c2", 300]]);
  const moved = layout(["c2", "c0", "c1"], measured, 50);
  assert.deepEqual([...moved.tops], [0, 300, 350, 400]);
});

test("the window covers the viewport and its margin, nothing more", () => {
  const l = layout(keys(1000), new Map(), 60);
  const w = visibleWindow(l, 6000, 800, 400);
  // rows 93..113 meet [5600, 7200)
  assert.equal(w.start, 93);
  assert.equal(w.end, 121);
  assert.deepEqual(w.pinned, []);
  for (let i = w.start; i < w.end; i++) {
    const top = l.tops[i]!;
    const bottom = l.tops[i + 1]!;
    assert.ok(bottom > 5600 && top < 7200 + 60, `row ${i} [${top}, ${bottom})`);
  }
  // every row meeting the viewport itself is in
  for (let i = 0; i < 1000; i++) {
    const meets = l.tops[i + 1]! > 6000 && l.tops[i]! < 6800;
    if (meets) assert.ok(i >= w.start && i < w.end, `row ${i} meets the viewport`);
  }
});

test("pinned rows are rendered wherever they are, once, in order", () => {
  const l = layout(keys(1000), new Map(), 60);
  const w = visibleWindow(l, 0, 600, 0, [999, 5, 3, 999, -1, 2000]);
  assert.deepEqual(w.pinned, [999]);
  const rows = renderedRows(w);
  assert.deepEqual(rows, [...Array.from({ length: w.end }, (_, i) => i), 999]);
  const middle = visibleWindow(l, 30_000, 600, 0, [10, 990]);
  assert.deepEqual(renderedRows(middle)[0], 10);
  assert.deepEqual(renderedRows(middle).at(-1), 990);
});

test("an empty list renders nothing; a scroll inside the margin keeps the window", () => {
  assert.deepEqual(renderedRows(visibleWindow(layout([], new Map(), 60), 0, 800, 400)), []);
  const l = layout(keys(100), new Map(), 60);
  assert.ok(sameWindow(visibleWindow(l, 1000, 600, 300), visibleWindow(l, 1010, 600, 300)));
  assert.ok(!sameWindow(visibleWindow(l, 1000, 600, 300), visibleWindow(l, 2000, 600, 300)));
});
