import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutGraph, LINE_CHARS, NODE_HEIGHT, NODE_WIDTH, reachable, spokenLines, wrapLabel, type GraphInput } from "../src/plan/layout";

const chain = (n: number): GraphInput[] =>
  Array.from({ length: n }, (_, i) => ({ key: `c${i}`, title: `Chapter ${i}`, depth: i, prerequisites: i ? [`c${i - 1}`] : [] }));

test("a chapter sits in the column of its depth, right of its prerequisites", () => {
  const input: GraphInput[] = [
    { key: "a", title: "A", depth: 0, prerequisites: [] },
    { key: "b", title: "B", depth: 0, prerequisites: [] },
    { key: "c", title: "C", depth: 1, prerequisites: ["a", "b"] },
    { key: "d", title: "D", depth: 2, prerequisites: ["c"] },
  ];
  const layout = layoutGraph(input);
  const at = new Map(layout.nodes.map((n) => [n.key, n]));
  assert.equal(at.get("a")!.layer, 0);
  assert.equal(at.get("c")!.layer, 1);
  assert.equal(at.get("d")!.layer, 2);
  for (const node of input) for (const p of node.prerequisites) assert.ok(at.get(p)!.x + NODE_WIDTH < at.get(node.key)!.x);
  assert.equal(layout.edges.length, 3);
  assert.ok(layout.width >= at.get("d")!.x + NODE_WIDTH);
});

test("nodes of one column never overlap, even at 200 chapters", () => {
  const input: GraphInput[] = Array.from({ length: 200 }, (_, i) => ({
    key: `c${i}`,
    title: `C${i}`,
    depth: i % 7,
    prerequisites: i % 7 ? [`c${i - 1}`] : [],
  }));
  const layout = layoutGraph(input);
  assert.equal(layout.nodes.length, 200);
  const byLayer = new Map<number, number[]>();
  for (const n of layout.nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n.y]);
  for (const ys of byLayer.values()) {
    ys.sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) assert.ok(ys[i]! - ys[i - 1]! >= layout.nodeHeight);
  }
});

test("edges to chapters that do not exist are not drawn", () => {
  const layout = layoutGraph([{ key: "a", title: "A", depth: 0, prerequisites: ["ghost"] }]);
  assert.equal(layout.edges.length, 0);
});

test("reachable follows links transitively and stops at cycles", () => {
  const next = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
  ]);
  assert.deepEqual([...reachable("a", (k) => next.get(k) ?? [])].sort(), ["b", "c"]);
  assert.deepEqual([...reachable("c4", (k) => chain(6).find((n) => n.key === k)?.prerequisites ?? [])].sort(), ["c0", "c1", "c2", "c3"]);
});

test("a label keeps every word of its title, each line within the width", () => {
  const titles = ["", "Short", "The Sirens, Scylla and Charybdis, the Cattle of the Sun", "Averyveryveryveryverylongunbrokenwordthatmustsplit and more"];
  for (const title of titles) {
    for (const width of [5, 12, LINE_CHARS]) {
      const lines = wrapLabel(title, width);
      assert.ok(lines.length >= 1);
      for (const line of lines) assert.ok(line.length <= width, `${JSON.stringify(line)} is wider than ${width}`);
      assert.equal(lines.join("").replace(/\s+/g, ""), title.replace(/\s+/g, ""));
    }
  }
});

test("nodes grow to the longest title's lines, one line keeps the base height", () => {
  assert.equal(layoutGraph([{ key: "a", title: "A", depth: 0, prerequisites: [] }]).nodeHeight, NODE_HEIGHT);
  const long = layoutGraph([
    { key: "a", title: "A", depth: 0, prerequisites: [] },
    { key: "b", title: "The Sirens, Scylla and Charybdis, the Cattle of the Sun", depth: 0, prerequisites: [] },
  ]);
  assert.ok(long.nodeHeight > NODE_HEIGHT);
  assert.deepEqual(long.nodes.find((n) => n.key === "b")!.lines.join(" "), "The Sirens, Scylla and Charybdis, the Cattle of the Sun");
});

test("drawn lines read as the title: a space where the title broke, none inside a split word", () => {
  const title = "The Storm  at sea beyond Polyphemusandhisbrothers";
  const lines = wrapLabel(title, 10);
  const spoken = spokenLines(title, lines);
  assert.equal(spoken.join(""), "The Storm at sea beyond Polyphemusandhisbrothers");
  assert.deepEqual(spoken.map((l) => l.trimEnd()), lines);
});
