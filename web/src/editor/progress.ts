/**
 * How far a chapter, or the manuscript, has come: its status in words and its word count against
 * an optional target. Statuses and their order are the contract's (Chapter.status).
 */
import type { Chapter, StoryBlueprint } from "../service/types";
import { wordCount } from "./draft";

export type ChapterStatus = NonNullable<Chapter["status"]>;

/** In the order a chapter goes through them. */
export const STATUSES: readonly ChapterStatus[] = ["idea", "outlined", "drafted", "revised", "done"];

export const STATUS_LABEL: Record<ChapterStatus, string> = {
  idea: "Idea",
  outlined: "Outlined",
  drafted: "Drafted",
  revised: "Revised",
  done: "Done",
};

/** "1,204 words", or "1,204 of 3,000 words" with a target. */
export function wordsLabel(count: number, target?: number | null): string {
  if (target) return `${count.toLocaleString("en")} of ${target.toLocaleString("en")} words`;
  return `${count.toLocaleString("en")} ${count === 1 ? "word" : "words"}`;
}

/** 0..100, the share of the target written (capped), or null without a target. */
export function percentOf(count: number, target?: number | null): number | null {
  if (!target) return null;
  return Math.min(100, Math.round((count / target) * 100));
}

/** "3 done, 2 drafted, 1 idea": status counts, most advanced first, for a library card. */
export function statusSummary(counts: { readonly [status: string]: number | undefined } | undefined): string {
  if (!counts) return "";
  return [...STATUSES]
    .reverse()
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${STATUS_LABEL[s].toLowerCase()}`)
    .join(", ");
}

/**
 * A library row's progress fields for a story as the UI holds it (what the service stores in the
 * summary on its next save, by the same rules: core.progress).
 */
export function progressOf(blueprint: StoryBlueprint): { status_counts: { [status: string]: number }; word_count: number } {
  const status_counts: { [status: string]: number } = {};
  for (const s of STATUSES) {
    const n = blueprint.chapters.filter((c) => c.status === s).length;
    if (n > 0) status_counts[s] = n;
  }
  return { status_counts, word_count: blueprint.chapters.reduce((n, c) => n + wordCount(c.draft_text), 0) };
}
