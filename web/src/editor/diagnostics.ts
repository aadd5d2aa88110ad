/**
 * Diagnostics as the editor uses them: grouped by severity, looked up by field path, and
 * turned into a "jump to the field" action. Paths are the core's (`chapters[3].prerequisites[0]`).
 */
import type { Diagnostic, Severity } from "../service/types";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export function bySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, Diagnostic[]> {
  const out: Record<Severity, Diagnostic[]> = { error: [], warning: [], info: [] };
  for (const d of diagnostics) out[d.severity].push(d);
  return out;
}

/** Index diagnostics by every path prefix, so a field finds its own and an entity all of its. */
export class DiagnosticIndex {
  private readonly exact = new Map<string, Diagnostic[]>();
  private readonly under = new Map<string, Diagnostic[]>();
  static readonly EMPTY: readonly Diagnostic[] = [];

  constructor(readonly all: readonly Diagnostic[]) {
    for (const d of all) {
      push(this.exact, d.path, d);
      for (const prefix of prefixes(d.path)) push(this.under, prefix, d);
    }
  }

  /** Problems about this field itself or any element of it (a list field owns `field[i]`). */
  at(path: string): readonly Diagnostic[] {
    const own = this.exact.get(path) ?? DiagnosticIndex.EMPTY;
    const items = (this.under.get(path) ?? DiagnosticIndex.EMPTY).filter((d) => d.path.startsWith(`${path}[`));
    return items.length === 0 ? own : [...own, ...items];
  }

  /** Every problem inside an entity (`chapters[3]`), for its collapsed header. */
  within(path: string): readonly Diagnostic[] {
    return this.under.get(path) ?? DiagnosticIndex.EMPTY;
  }
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

export const FOCUS_PATH_EVENT = "story-gen:focus-path";

let pendingPath: string | null = null;

/**
 * Ask the editor to reveal and focus the field a path is about (the nearest one that exists).
 * An editor that mounts later (after a route change) picks the request up with takePendingPath.
 */
export function focusPath(path: string): void {
  pendingPath = path;
  window.dispatchEvent(new CustomEvent<string>(FOCUS_PATH_EVENT, { detail: path }));
}

export function takePendingPath(): string | null {
  const path = pendingPath;
  pendingPath = null;
  return path;
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
