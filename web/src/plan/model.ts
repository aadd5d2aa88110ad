/**
 * What the plan views draw, read from the core's Plan (story.plan) and the blueprint it is of.
 * The Plan supplies the writing order and each chapter's depth; the blueprint supplies titles,
 * prerequisites and the theme/character references the coverage grids show.
 */
import type { StoryBlueprint } from "../service/types";
import type { PlanView } from "../service/api";
import type { GraphInput } from "./layout";

export interface CoverageRow {
  readonly key: string;
  readonly label: string;
  /** Chapter keys (in writing order) that cover this row. */
  readonly covered: ReadonlySet<string>;
}

export interface PlanModel {
  /** Chapter keys in the order to write them. */
  readonly order: readonly string[];
  /** Chapters the order could not place (they sit on a prerequisite cycle). */
  readonly blocked: readonly string[];
  readonly graph: readonly GraphInput[];
  readonly titles: ReadonlyMap<string, string>;
  readonly themes: readonly CoverageRow[];
  readonly characters: readonly CoverageRow[];
}

export function planModel(plan: PlanView, blueprint: StoryBlueprint): PlanModel {
  const known = new Set(blueprint.chapters.map((c) => c.key));
  const titles = new Map(blueprint.chapters.map((c) => [c.key, c.title || c.key]));
  const depth = new Map(plan.chapters.map((c) => [c.key, c.depth]));
  const order = plan.writing_order.filter((k) => known.has(k));
  const placed = new Set(order);
  const blocked = blueprint.chapters.map((c) => c.key).filter((k) => !placed.has(k));
  const graph: GraphInput[] = blueprint.chapters.map((c) => ({
    key: c.key,
    title: c.title || c.key,
    depth: depth.get(c.key) ?? 0,
    prerequisites: c.prerequisites.filter((p) => known.has(p) && p !== c.key),
  }));
  const coverage = (keys: readonly string[], field: "required_themes" | "participating_characters"): CoverageRow[] =>
    keys.map((key) => ({
      key,
      label: key,
      covered: new Set(blueprint.chapters.filter((c) => c[field].includes(key)).map((c) => c.key)),
    }));
  return {
    order,
    blocked,
    graph,
    titles,
    themes: coverage(
      blueprint.themes.map((t) => t.key),
      "required_themes",
    ),
    characters: coverage(
      blueprint.characters.map((c) => c.key),
      "participating_characters",
    ),
  };
}
