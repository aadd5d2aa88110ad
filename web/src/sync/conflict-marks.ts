/**
 * Conflicts as the editor shows them: who wrote each side (this tab, this device, the other
 * device) and a mark on the field the conflict is about. Pure, unit-tested
 * (web/test/conflict-marks.test.ts).
 *
 * A conflict's `ours` / `theirs` say where a merge found a value, not who wrote it. A sync
 * conflict's side this device wrote comes from the sync status (`my_side`, ADR 0107); a
 * conflict without one there was merged between two tabs of this browser (whose `ours` is
 * this tab's value), so it keeps the tab wording.
 */
import type { Conflict, Diagnostic, SyncStatus } from "../generated/facade";

export type Side = "ours" | "theirs";

export interface SideLabels {
  /** The side shown first (the writer's own). */
  readonly first: Side;
  readonly labels: Readonly<Record<Side, string>>;
  readonly fromSync: boolean;
}

export function sideLabels(conflictId: string, mySide: SyncStatus["my_side"]): SideLabels {
  const mine = mySide?.[conflictId];
  if (mine === undefined) return { first: "ours", labels: { ours: "This tab", theirs: "The other edit" }, fromSync: false };
  const other: Side = mine === "ours" ? "theirs" : "ours";
  return { first: mine, labels: { [mine]: "This device", [other]: "Other device" } as Record<Side, string>, fromSync: true };
}

/** Stories with a conflict: the sync status's list and the stories whose summary counts one. */
export function conflictedStories(status: SyncStatus, summaries: readonly { story_id: string; conflict_count?: number }[]): ReadonlySet<string> {
  const ids = new Set<string>(status.conflicted_story_ids ?? []);
  for (const s of summaries) if ((s.conflict_count ?? 0) > 0) ids.add(s.story_id);
  return ids;
}

const STEP = /^([a-z_][a-z0-9_]*)(?:\[([^\]]+)\])?$/;

/**
 * The editor's path (`chapters[3].objective`, list positions) for a conflict's key-addressed
 * one (`chapters[mad-tea-party].objective`): as deep as the blueprint resolves it, so a
 * conflict about an entity that is gone here still marks its list.
 */
export function editorPath(path: string, blueprint: unknown): string {
  const steps = path.replace(/^blueprint\.?/, "").split(".").filter(Boolean);
  let node: unknown = blueprint;
  let out = "";
  for (const step of steps) {
    const m = STEP.exec(step);
    if (!m) break;
    const [, name, key] = m as unknown as [string, string, string | undefined];
    const container: unknown = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[name] : undefined;
    const here = out ? `${out}.${name}` : name;
    if (key === undefined) {
      out = here;
      node = container;
      continue;
    }
    if (Array.isArray(container)) {
      const index = container.findIndex((e: unknown) => e === key || (e !== null && typeof e === "object" && (e as { key?: unknown }).key === key));
      if (index < 0) return here;
      out = `${here}[${index}]`;
      node = container[index];
    } else {
      // A map (relationships): the editor shows it as one field.
      return here;
    }
  }
  return out;
}

export const CONFLICT_CODE = "sync.conflict";

/** One warning per conflict, at its field: the editor's problem markers show it there. */
export function conflictDiagnostics(conflicts: readonly Conflict[], blueprint: unknown, mySide: SyncStatus["my_side"]): Diagnostic[] {
  return conflicts.map((c) => {
    const { fromSync } = sideLabels(c.conflict_id, mySide);
    return {
      severity: "warning",
      code: CONFLICT_CODE,
      path: editorPath(c.path, blueprint),
      message: fromSync ? "Changed on this device and on another: both values are kept." : "Changed in two places at once: both values are kept.",
      hint: "Pick the one to keep in the conflicts panel at the top of the story.",
    };
  });
}
