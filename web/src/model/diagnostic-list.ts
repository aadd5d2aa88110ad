/**
 * The open story's diagnostics as the UI holds them: a list and its version. A typed edit's
 * `story.diagnosed` push carries only what changed since a version (splices), which the list is
 * patched with; replies carry the whole list (docs/adr/0133-diagnostics-delta.md). Versions
 * only grow, so an older list arriving late is ignored, and a delta that does not build on the
 * held version is refused (the caller then asks for the whole list).
 */
import type { Diagnostic, DiagnosticsDelta, Splice } from "../service/types";

export interface HeldDiagnostics {
  readonly list: readonly Diagnostic[];
  /** null: nothing from the service yet (a story painted before the core was ready). */
  readonly version: number | null;
}

/** Two lists hold the same problems in the same order (compared by value). */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue; // a patched list keeps the objects of what did not change
    if (x.code !== y.code || x.path !== y.path || x.message !== y.message || x.severity !== y.severity || x.hint !== y.hint) return false;
  }
  return true;
}

/** `list` with the splices applied (in order, not overlapping, `at` indexing `list`); the same array when there are none. */
export function patchDiagnostics(list: readonly Diagnostic[], splices: readonly Splice[]): readonly Diagnostic[] {
  if (splices.length === 0) return list;
  const out: Diagnostic[] = [];
  let done = 0;
  for (const splice of splices) {
    if (splice.at < done || splice.at + splice.remove > list.length) throw new RangeError(`a splice at ${splice.at} (remove ${splice.remove}) does not fit a list of ${list.length}`);
    for (let i = done; i < splice.at; i++) out.push(list[i]!);
    for (const d of splice.insert) out.push(d);
    done = splice.at + splice.remove;
  }
  for (let i = done; i < list.length; i++) out.push(list[i]!);
  return out;
}

/**
 * What is held after a whole list of `version`: it, unless what is held is as new (then the
 * held list, also when equal by value, so memoised views skip work).
 */
export function withWhole(held: HeldDiagnostics, list: readonly Diagnostic[], version: number): HeldDiagnostics {
  if (held.version !== null && version <= held.version) return held;
  return { list: sameDiagnostics(held.list, list) ? held.list : list, version };
}

/**
 * What is held after a push: patched by its delta, replaced by its whole list, or unchanged
 * when it is not newer; null when its delta builds on another version than the held one.
 */
export function withPush(held: HeldDiagnostics, push: { readonly diagnostics_version: number; readonly diagnostics: readonly Diagnostic[] | null; readonly delta: DiagnosticsDelta | null }): HeldDiagnostics | null {
  if (held.version !== null && push.diagnostics_version <= held.version) return held;
  if (push.diagnostics) return withWhole(held, push.diagnostics, push.diagnostics_version);
  if (!push.delta || push.delta.base !== held.version) return null;
  return { list: patchDiagnostics(held.list, push.delta.splices), version: push.diagnostics_version };
}
