/**
 * Which rows of a long list to render: the rows that meet the viewport plus a margin, placed by
 * their measured heights (an estimate for a row not measured yet), and always the rows that must
 * stay mounted (the one holding focus, one the writer was just sent to). Pure: the list component
 * measures the rows, reads the scroll position and renders what this module says
 * (docs/adr/0126-virtualised-chapter-list.md).
 *
 * Heights are kept by row key, not index, so a reorder or an insertion keeps every measurement.
 */

/** Where each row starts: `tops[i]` is row i's top, `tops[count]` the list's whole height. */
export interface Layout {
  readonly keys: readonly string[];
  readonly tops: Float64Array;
}

export function layout(keys: readonly string[], measured: ReadonlyMap<string, number>, estimate: number): Layout {
  const tops = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) tops[i + 1] = tops[i]! + (measured.get(keys[i]!) ?? estimate);
  return { keys, tops };
}

export function totalHeight(l: Layout): number {
  return l.tops[l.keys.length]!;
}

/** The row at `offset` (clamped into the list): the last row whose top is at or above it. */
export function rowAt(l: Layout, offset: number): number {
  const count = l.keys.length;
  if (count === 0) return 0;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (l.tops[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A contiguous run of rows [start, end), and the rows outside it that are rendered anyway. */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly pinned: readonly number[];
}

/**
 * The rows to render for a viewport showing [`top`, `top + height`) of the list (in the list's
 * own coordinates), with `margin` pixels more on each side; `pinned` rows are rendered wherever
 * they are (sorted, without those already in the run).
 */
export function visibleWindow(l: Layout, top: number, height: number, margin: number, pinned: Iterable<number> = []): Window {
  const count = l.keys.length;
  if (count === 0) return { start: 0, end: 0, pinned: [] };
  const start = rowAt(l, Math.max(0, top - margin));
  const end = Math.min(count, rowAt(l, top + height + margin) + 1);
  const outside = [...new Set(pinned)].filter((i) => i >= 0 && i < count && (i < start || i >= end)).sort((a, b) => a - b);
  return { start, end, pinned: outside };
}

/** Every index a window renders, in order. */
export function renderedRows(w: Window): number[] {
  const rows: number[] = [];
  for (const i of w.pinned) if (i < w.start) rows.push(i);
  for (let i = w.start; i < w.end; i++) rows.push(i);
  for (const i of w.pinned) if (i >= w.end) rows.push(i);
  return rows;
}

/** Two windows render the same rows (a scroll inside the margin changes nothing). */
export function sameWindow(a: Window, b: Window): boolean {
  return a.start === b.start && a.end === b.end && a.pinned.length === b.pinned.length && a.pinned.every((i, n) => b.pinned[n] === i);
}
