/**
 * A word diff of two texts (longest common subsequence over words and the spaces between
 * them), for the conflict view: what this device wrote beside what the other one wrote.
 * Pure, unit-tested (web/test/sync-status.test.ts). Past LIMIT tokens a side it gives up and
 * shows the two texts whole (one removed, one added part): a conflict view must not freeze.
 */
export type DiffPart = { readonly kind: "same" | "removed" | "added"; readonly text: string };

export const LIMIT = 4000;

export function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

function push(parts: DiffPart[], kind: DiffPart["kind"], text: string): void {
  const last = parts[parts.length - 1];
  if (last && last.kind === kind) parts[parts.length - 1] = { kind, text: last.text + text };
  else parts.push({ kind, text });
}

/** Parts turning `mine` into `theirs`: "removed" is only in mine, "added" only in theirs. */
export function wordDiff(mine: string, theirs: string): DiffPart[] {
  const a = tokens(mine);
  const b = tokens(theirs);
  const parts: DiffPart[] = [];
  if (a.length > LIMIT || b.length > LIMIT) {
    if (mine) push(parts, "removed", mine);
    if (theirs) push(parts, "added", theirs);
    return parts;
  }
  // lengths[i][j]: the LCS of a[i:] and b[j:].
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push(parts, "same", a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
      push(parts, "removed", a[i++]!);
    } else {
      push(parts, "added", b[j++]!);
    }
  }
  while (i < a.length) push(parts, "removed", a[i++]!);
  while (j < b.length) push(parts, "added", b[j++]!);
  return parts;
}
