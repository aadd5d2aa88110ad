/**
 * Layered layout of the chapter graph, computed from the plan's depth data (pure, testable).
 *
 * Layer = the chapter's depth (0: needs nothing first). Within a layer, chapters are ordered by
 * the barycentre of their prerequisites' positions (a few down/up sweeps), which keeps edges
 * short and mostly uncrossed; ties keep the writing order. Layers run left to right, so a
 * 200-chapter story becomes a wide, shallow band the viewer pans along.
 */

export interface GraphInput {
  readonly key: string;
  readonly title: string;
  readonly depth: number;
  /** Keys of existing chapters this one needs first. */
  readonly prerequisites: readonly string[];
}

export interface PlacedNode {
  readonly key: string;
  readonly title: string;
  /** The title wrapped to the node's width, every word of it (never cut with an ellipsis). */
  readonly lines: readonly string[];
  readonly layer: number;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  /** Prerequisite (drawn first, on the left). */
  readonly from: string;
  /** Dependant. */
  readonly to: string;
  readonly path: string;
}

export interface GraphLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
  readonly nodeWidth: number;
  readonly nodeHeight: number;
}

export const NODE_WIDTH = 184;
/** Height of a node with a one-line title; every node grows to the longest title's line count. */
export const NODE_HEIGHT = 40;
/** Label metrics (12px text): a generous average glyph width, so a wrapped line never overflows. */
export const LABEL_PADDING = 10;
export const LINE_HEIGHT = 15;
const CHAR_WIDTH = 7.4;
export const LINE_CHARS = Math.floor((NODE_WIDTH - 2 * LABEL_PADDING) / CHAR_WIDTH);
const LAYER_GAP = 84;
const ROW_GAP = 16;
const MARGIN = 24;
const SWEEPS = 4;

/** `text` broken at spaces into lines of at most `width` characters; a longer word is split. */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      line = "";
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * The lines as drawn, each ending in the space the title had at its break: a line's `<tspan>`s
 * then read as the title (screen readers, and axe's "visible text is part of the name" rule),
 * where bare lines would run the words together ("The Stormat sea").
 */
export function spokenLines(text: string, lines: readonly string[]): string[] {
  const whole = text.split(/\s+/).filter(Boolean).join(" ");
  let at = 0;
  return lines.map((line) => {
    at += line.length;
    if (whole[at] !== " ") return line;
    at += 1;
    return `${line} `;
  });
}

export function layoutGraph(input: readonly GraphInput[]): GraphLayout {
  const wrapped = new Map(input.map((n) => [n.key, wrapLabel(n.title, LINE_CHARS)]));
  const mostLines = Math.max(1, ...[...wrapped.values()].map((l) => l.length));
  const nodeHeight = Math.max(NODE_HEIGHT, mostLines * LINE_HEIGHT + 2 * LABEL_PADDING + 2);
  const byKey = new Map(input.map((n) => [n.key, n]));
  const layers: GraphInput[][] = [];
  for (const node of input) {
    const layer = Math.max(0, Math.floor(node.depth));
    (layers[layer] ??= []).push(node);
  }
  for (let i = 0; i < layers.length; i++) layers[i] ??= [];

  const dependants = new Map<string, string[]>();
  for (const node of input) {
    for (const p of node.prerequisites) if (byKey.has(p)) (dependants.get(p) ?? dependants.set(p, []).get(p)!).push(node.key);
  }

  const position = new Map<string, number>();
  const writingOrder = new Map(input.map((n, i) => [n.key, i]));
  const setPositions = (layer: GraphInput[]): void => layer.forEach((n, i) => position.set(n.key, i));
  layers.forEach(setPositions);

  const reorder = (layer: GraphInput[], neighbours: (n: GraphInput) => readonly string[]): void => {
    const score = new Map<string, number>();
    for (const n of layer) {
      const around = neighbours(n).filter((k) => position.has(k));
      score.set(n.key, around.length ? around.reduce((s, k) => s + position.get(k)!, 0) / around.length : position.get(n.key)!);
    }
    layer.sort((a, b) => score.get(a.key)! - score.get(b.key)! || writingOrder.get(a.key)! - writingOrder.get(b.key)!);
    setPositions(layer);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let i = 1; i < layers.length; i++) reorder(layers[i]!, (n) => n.prerequisites);
    for (let i = layers.length - 2; i >= 0; i--) reorder(layers[i]!, (n) => dependants.get(n.key) ?? []);
  }

  const tallest = Math.max(1, ...layers.map((l) => l.length));
  const height = MARGIN * 2 + tallest * nodeHeight + (tallest - 1) * ROW_GAP;
  const nodes: PlacedNode[] = [];
  const placed = new Map<string, PlacedNode>();
  layers.forEach((layer, li) => {
    // Centre each layer vertically so short layers sit in the middle of the band.
    const layerHeight = layer.length * nodeHeight + Math.max(0, layer.length - 1) * ROW_GAP;
    const top = (height - layerHeight) / 2;
    layer.forEach((n, i) => {
      const node = { key: n.key, title: n.title, lines: wrapped.get(n.key)!, layer: li, x: MARGIN + li * (NODE_WIDTH + LAYER_GAP), y: top + i * (nodeHeight + ROW_GAP) };
      nodes.push(node);
      placed.set(n.key, node);
    });
  });

  const edges: PlacedEdge[] = [];
  for (const node of input) {
    const to = placed.get(node.key)!;
    for (const p of node.prerequisites) {
      const from = placed.get(p);
      if (!from) continue;
      const x1 = from.x + NODE_WIDTH;
      const y1 = from.y + nodeHeight / 2;
      const x2 = to.x;
      const y2 = to.y + nodeHeight / 2;
      const bend = Math.max(30, (x2 - x1) / 2);
      edges.push({ from: p, to: node.key, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` });
    }
  }
  const width = MARGIN * 2 + layers.length * NODE_WIDTH + Math.max(0, layers.length - 1) * LAYER_GAP;
  return { nodes, edges, width, height, nodeWidth: NODE_WIDTH, nodeHeight };
}

/** Every chapter reachable along prerequisites (`up`) or dependants (`down`) from `start`. */
export function reachable(start: string, next: (key: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...next(start)];
  while (stack.length) {
    const key = stack.pop()!;
    if (seen.has(key) || key === start) continue;
    seen.add(key);
    stack.push(...next(key));
  }
  return seen;
}
