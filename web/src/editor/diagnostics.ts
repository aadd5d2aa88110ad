/**
 * Diagnostics as the editor uses them: grouped by severity, looked up by field path, and
 * turned into a "jump to the field" action. Paths are the core's (`chapters[3].prerequisites[0]`).
 */
import { sameDiagnostics } from "../model/diagnostic-list";
import type { Diagnostic, Severity } from "../service/types";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export function bySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, Diagnostic[]> {
  const out: Record<Severity, Diagnostic[]> = { error: [], warning: [], info: [] };
  for (const d of diagnostics) out[d.severity].push(d);
  return out;
}

/**
 * Diagnostics by the entity they are about (`chapters[3]`), or the top-level field (`premise`,
 * `canon_rules`). A group whose problems did not change keeps the previous array, so a
 * memoised chapter card sees the same prop and skips rendering: a keystroke in one chapter of
 * a 1,000-chapter story re-renders that chapter and the problems panel, not a thousand cards.
 */
export class DiagnosticGroups {
  static readonly EMPTY: readonly Diagnostic[] = [];
  private constructor(private readonly groups: ReadonlyMap<string, readonly Diagnostic[]>) {}

  static of(all: readonly Diagnostic[], previous?: DiagnosticGroups): DiagnosticGroups {
    const fresh = new Map<string, Diagnostic[]>();
    for (const d of all) push(fresh, ownerOfDiagnostic(d), d);
    const groups = new Map<string, readonly Diagnostic[]>();
    for (const [owner, list] of fresh) {
      const before = previous?.groups.get(owner);
      groups.set(owner, before && sameDiagnostics(before, list) ? before : list);
    }
    return new DiagnosticGroups(groups);
  }

  /** Every problem about one entity (`chapters[3]`) or top-level field (`premise`). */
  of(owner: string): readonly Diagnostic[] {
    return this.groups.get(owner) ?? DiagnosticGroups.EMPTY;
  }
}

/**
 * Per diagnostic object: a patched list (model/diagnostic-list.ts) keeps the objects of the
 * problems a keystroke did not change, so grouping 3,000 notes looks up, not parses, their paths.
 */
const owners = new WeakMap<Diagnostic, string>();

function ownerOfDiagnostic(d: Diagnostic): string {
  let owner = owners.get(d);
  if (owner === undefined) {
    owner = ownerOf(d.path);
    owners.set(d, owner);
  }
  return owner;
}

/** The group a path belongs to: its entity, else its top-level field (`""`: the whole story). */
export function ownerOf(path: string): string {
  return entityOf(path) ?? /^[^.[]*/.exec(path)![0];
}

/**
 * Problems about a field itself or any element of it (a list field owns `field[i]`), from the
 * problems of its entity; the shared empty array when there are none (a memo-friendly prop).
 */
export function problemsAt(problems: readonly Diagnostic[], path: string): readonly Diagnostic[] {
  let found: Diagnostic[] | null = null;
  for (const d of problems) {
    if (d.path === path || d.path.startsWith(`${path}[`)) (found ??= []).push(d);
  }
  if (found === null) return DiagnosticGroups.EMPTY;
  // Its own problems first, then its elements', as a field lists them.
  return found.sort((a, b) => Number(b.path === path) - Number(a.path === path));
}

function push(map: Map<string, Diagnostic[]>, key: string, d: Diagnostic): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

/** `chapters[3].prerequisites[0]` -> `chapters`, `chapters[3]`, `chapters[3].prerequisites`, itself. */
export function prefixes(path: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= path.length; i++) {
    const next = path[i];
    if (i === path.length || next === "." || next === "[") out.push(path.slice(0, i));
  }
  return out;
}

export function worstSeverity(diagnostics: readonly Diagnostic[]): Severity | null {
  for (const severity of SEVERITIES) if (diagnostics.some((d) => d.severity === severity)) return severity;
  return null;
}

/** The entity path of a field path (`chapters[3].title` -> `chapters[3]`), or null at top level. */
export function entityOf(path: string): string | null {
  const match = /^(themes|characters|chapters)\[\d+\]/.exec(path);
  return match ? match[0] : null;
}

/** Find the element for a path, falling back to its nearest ancestor path that has one. */
export function findFieldElement(root: ParentNode, path: string): HTMLElement | null {
  const candidates = [...prefixes(path)].reverse();
  for (const candidate of candidates) {
    const el = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(candidate)}"]`);
    if (el) return el;
  }
  return root.querySelector<HTMLElement>('[data-path=""]');
}
