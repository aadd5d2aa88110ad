/**
 * How progress reads: a status in words, a word count against an optional target. The figures
 * themselves (statuses, word counts) are model/progress.ts's.
 */
import { STATUSES, type ChapterStatus } from "../model/progress";

/** Numbers as the studio writes them ("1,204"); one formatter, not one per call. */
const NUMBER = new Intl.NumberFormat("en");

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

export const STATUS_LABEL: Record<ChapterStatus, string> = {
  idea: "Idea",
  outlined: "Outlined",
  drafted: "Drafted",
  revised: "Revised",
  done: "Done",
};

/** "1,204 words", or "1,204 of 3,000 words" with a target. */
export function wordsLabel(count: number, target?: number | null): string {
  if (target) return `${formatCount(count)} of ${formatCount(target)} words`;
  return `${formatCount(count)} ${count === 1 ? "word" : "words"}`;
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
