/**
 * How far a story has come, as the UI computes it from its copy: chapter statuses and word
 * counts (the core's rules: Chapter.status, story_gen.core.words). Shared by the editor and
 * the library row the model keeps up to date.
 */
import type { Chapter, StoryBlueprint } from "../service/types";

export type ChapterStatus = NonNullable<Chapter["status"]>;

/** In the order a chapter goes through them. */
export const STATUSES: readonly ChapterStatus[] = ["idea", "outlined", "drafted", "revised", "done"];

/**
 * A word is a run of letters or digits (any script) that may hold an apostrophe or a hyphen
 * between two runs, counted in NFC form: the core's rule (story_gen.core.words), mirrored for the live count while
 * typing and checked against the same examples (web/test/word-counts.json).
 */
const WORD = /[\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*/gu;

export function wordCount(text: string | null | undefined): number {
  if (!text) return 0;
  let count = 0;
  for (const _ of text.normalize("NFC").matchAll(WORD)) count++;
  return count;
}

/**
 * Per chapter object: a keystroke replaces one chapter (model/local-edits.ts keeps the others),
 * so the manuscript's count re-counts one draft, not five thousand.
 */
const counted = new WeakMap<Chapter, number>();

export function chapterWords(chapter: Chapter): number {
  let words = counted.get(chapter);
  if (words === undefined) {
    words = wordCount(chapter.draft_text);
    counted.set(chapter, words);
  }
  return words;
}

export function manuscriptWords(chapters: readonly Chapter[]): number {
  let total = 0;
  for (const chapter of chapters) total += chapterWords(chapter);
  return total;
}

/**
 * A library row's progress fields for a story as the UI holds it (what the service stores in the
 * summary on its next save, by the same rules: core.progress).
 */
export function progressOf(blueprint: StoryBlueprint): { status_counts: { [status: string]: number }; word_count: number } {
  const tally = new Map<string, number>();
  for (const chapter of blueprint.chapters) if (chapter.status) tally.set(chapter.status, (tally.get(chapter.status) ?? 0) + 1);
  const status_counts: { [status: string]: number } = {};
  for (const s of STATUSES) {
    const n = tally.get(s);
    if (n) status_counts[s] = n;
  }
  return { status_counts, word_count: manuscriptWords(blueprint.chapters) };
}
