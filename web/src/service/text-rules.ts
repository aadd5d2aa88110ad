/**
 * The core's one text rule (story_gen.core.text_rules), from the generated RULES: a text is
 * stored without Unicode White_Space at either end, a draft without it at the end (blank: no
 * draft). Not String#trim: that strips U+FEFF and keeps U+0085, which the core does not.
 * The kind tables (collections, text and draft fields) come from the same generated module.
 */
import { RULES } from "../generated/rules";
import type { EntityKind } from "./types";

const EDGES = new RegExp(`^${RULES.whitespace_class}+|${RULES.whitespace_class}+$`, "gu");
const END = new RegExp(`${RULES.whitespace_class}+$`, "u");

/** `text` as the core stores a text field. */
export function trimText(text: string): string {
  return text.replace(EDGES, "");
}

/** `text` without whitespace at its end. */
export function trimTextEnd(text: string): string {
  return text.replace(END, "");
}

/** Whether the core would store `text` as empty (or, for a draft, as no draft). */
export function isBlank(text: string): boolean {
  return trimText(text) === "";
}

/** A draft as the core stores it: trailing whitespace dropped, blank is no draft. */
export function normalizeDraft(text: string): string | null {
  return trimTextEnd(text) || null;
}

export type Collection = (typeof RULES.collections)[EntityKind];

/** Entity kind -> the blueprint list holding it ("chapter" -> "chapters"). */
export const COLLECTION: Readonly<Record<EntityKind, Collection>> = RULES.collections;

/** Whether `field` of `kind` is a plain text the writer types (drafts included). */
export function isTextField(kind: EntityKind, field: string): boolean {
  return (RULES.text_fields[kind] as readonly string[]).includes(field);
}

/** Whether `field` of `kind` is a draft (trimmed at the end only). */
export function isDraftField(kind: EntityKind, field: string): boolean {
  return (RULES.draft_fields[kind] as readonly string[]).includes(field);
}
