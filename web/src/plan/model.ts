/**
 * What the plan views draw, read from the core's Plan (story.plan): writing order, each
 * chapter's depth and existing prerequisites, and the two coverage grids with their gaps.
 */
import type { Plan, StoryBlueprint } from "../service/types";
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
  /** Chapter -> its status, for the chapters that have one. */
  readonly status: ReadonlyMap<string, NonNullable<StoryBlueprint["chapters"][number]["status"]>>;
  /** Chapter -> words in its draft (the core's count). */
  readonly words: ReadonlyMap<string, number>;
  readonly totalWords: number;
  readonly themes: CoverageModel;
  readonly characters: CoverageModel;
}

/**
 * `blueprint` (the story the plan was made from) gives the names writers read: a theme's or a
 * character's name where it has one (coverage rows), and each chapter's status.
 */
export function planModel(plan: Plan, blueprint?: StoryBlueprint): PlanModel {
  const themeNames = new Map((blueprint?.themes ?? []).map((t) => [t.key, t.name || t.key]));
  const characterNames = new Map((blueprint?.characters ?? []).map((c) => [c.key, c.name || c.key]));
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
  const coverage = (grid: Plan["theme_coverage"], names: ReadonlyMap<string, string>): CoverageModel => ({
    columns: grid.columns,
    rows: grid.rows.map((key, r) => ({
      key,
      label: names.get(key) ?? key,
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
    status: new Map((blueprint?.chapters ?? []).flatMap((c) => (c.status ? [[c.key, c.status] as const] : []))),
    words: new Map(Object.entries(plan.words).map(([k, n]) => [k, n ?? 0])),
    totalWords: plan.total_words,
    themes: coverage(plan.theme_coverage, themeNames),
    characters: coverage(plan.character_coverage, characterNames),
  };
}
