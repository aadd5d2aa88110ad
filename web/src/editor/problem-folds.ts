/**
 * The problems panel's lines: notes of one kind fold into one line ("18 chapters have no draft
 * yet", the list behind it), so a few real problems are not lost among dozens of notes.
 * Errors and warnings are never folded: each one is a thing to fix.
 */
import type { Diagnostic, Severity } from "../service/types";

export type PanelLine =
  | { readonly kind: "one"; readonly diagnostic: Diagnostic }
  | { readonly kind: "fold"; readonly code: string; readonly label: string; readonly items: readonly Diagnostic[] };

/** How a fold of notes of one code reads, in the writer's words. */
const FOLD_LABELS: Readonly<Record<string, (n: number) => string>> = {
  "chapter.no_draft": (n) => `${n} chapters have no draft yet`,
  "theme.unused": (n) => `${n} themes no chapter needs yet`,
  "character.unused": (n) => `${n} characters no chapter has yet`,
};

export function foldLabel(code: string, count: number): string {
  return FOLD_LABELS[code]?.(count) ?? `${count} notes of one kind`;
}

/** Notes of one code, two or more, become one fold at the place of the first; the rest stay. */
export function panelLines(list: readonly Diagnostic[], severity: Severity): PanelLine[] {
  if (severity !== "info") return list.map((diagnostic) => ({ kind: "one", diagnostic }));
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of list) {
    const same = byCode.get(d.code);
    if (same) same.push(d);
    else byCode.set(d.code, [d]);
  }
  const lines: PanelLine[] = [];
  const placed = new Set<string>();
  for (const d of list) {
    const same = byCode.get(d.code)!;
    if (same.length < 2) lines.push({ kind: "one", diagnostic: d });
    else if (!placed.has(d.code)) {
      placed.add(d.code);
      lines.push({ kind: "fold", code: d.code, label: foldLabel(d.code, same.length), items: same });
    }
  }
  return lines;
}
