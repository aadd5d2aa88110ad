/**
 * What the plan views draw, read from the core's Plan (story.plan): writing order, each
 * chapter's depth and existing prerequisites, and the two coverage grids with their gaps.
 */
import type { Plan } from "../service/types";
import type { GraphInput } from "./layout";

export interface CoverageRow {
  readonly key: string;
  readonly label: string;
  /** Chapter keys that cover this row. */
  readonly covered: ReadonlySet<string>;
}

export interface CoverageModel {
  readonly rows: readonly CoverageRow[];
  /** Chapter keys in writing order. */
  readonly columns: readonly string[];
  /** Rows no chapter uses. */
  readonly unused: ReadonlySet<string>;
  /** Chapters that use no row. */
  readonly uncovered: ReadonlySet<string>;
}

export interface PlanModel {
  /** Chapter keys in the order to write them (blocked ones excluded). */
  readonly order: readonly string[];
  /** Chapters in or behind a prerequisite cycle. */
  readonly blocked: readonly string[];
  readonly cycles: readonly (readonly string[])[];
  readonly longestChain: readonly string[];
  readonly graph: readonly GraphInput[];
  readonly titles: ReadonlyMap<string, string>;
  readonly themes: CoverageModel;
  readonly characters: CoverageModel;
}

export function planModel(plan: Plan): PlanModel {
  const blocked = new Set(plan.blocked);
  const titleOf = (key: string): string => plan.titles[key] || key;
  const deepest = Math.max(0, ...Object.values(plan.depth).map((d) => d ?? 0));
  const graph: GraphInput[] = plan.writing_order.map((key) => ({
    key,
    title: titleOf(key),
    // Blocked chapters have no depth: they go in one column after the deepest placed one.
    depth: plan.depth[key] ?? deepest + 1,
    prerequisites: plan.prerequisites[key] ?? [],
  }));
  const coverage = (grid: Plan["theme_coverage"]): CoverageModel => ({
    columns: grid.columns,
    rows: grid.rows.map((key, r) => ({
      key,
      label: key,
      covered: new Set((grid.cells[r] ?? []).map((c) => grid.columns[c]).filter((k): k is string => k !== undefined)),
    })),
    unused: new Set(grid.unused),
    uncovered: new Set(grid.uncovered),
  });
  return {
    order: plan.writing_order.filter((k) => !blocked.has(k)),
    blocked: plan.blocked,
    cycles: plan.cycles,
    longestChain: plan.longest_chain,
    graph,
    titles: new Map(plan.writing_order.map((k) => [k, titleOf(k)])),
    themes: coverage(plan.theme_coverage),
    characters: coverage(plan.character_coverage),
  };
}
