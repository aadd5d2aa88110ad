/**
 * The one-click fixes a problem offers: for an unknown reference, replace it with the key the
 * core suggested ("Did you mean "hope"?"), create what it names, or remove it; for a circle of
 * prerequisites, remove the prerequisite the problem points at. The fix itself is the core's
 * (story_gen.core.edits.fix_reference, through the `fix_reference` op): it finds the reference
 * again, checks the problem is still there (recomputing the suggestion) and refuses if the story
 * changed, so a button never does something other than what it says.
 */
import type { Diagnostic, EditOp } from "../service/types";

/**
 * The codes story_gen.core.edits.FIXABLE_CODES fixes: what the reference is called, and the
 * kind of thing "create" adds under its key.
 */
const FIXABLE: Readonly<Record<string, { noun: string; creates: string }>> = {
  "chapter.unknown_theme": { noun: "theme", creates: "theme" },
  "chapter.unknown_character": { noun: "character", creates: "character" },
  "chapter.unknown_prerequisite": { noun: "prerequisite", creates: "chapter" },
  "character.unknown_relationship": { noun: "relationship", creates: "character" },
};

/** story_gen.core.edits.CYCLE_CODE: placed at the prerequisite whose removal breaks the circle. */
const CYCLE = "chapter.cycle";

const SUGGESTION = /^Did you mean "([^"]+)"\?$/;

export interface Fix {
  readonly label: string;
  readonly op: EditOp;
}

export function fixesOf(d: Diagnostic): Fix[] {
  const fix = (action: "replace" | "remove" | "create", replacement: string | null = null): EditOp => ({
    op: "fix_reference",
    code: d.code,
    path: d.path,
    action,
    replacement,
  });
  if (d.code === CYCLE) return /\.prerequisites\[\d+\]$/.test(d.path) ? [{ label: "Remove this prerequisite", op: fix("remove") }] : [];
  const known = FIXABLE[d.code];
  if (!known) return [];
  const fixes: Fix[] = [];
  const suggested = d.hint ? SUGGESTION.exec(d.hint)?.[1] : undefined;
  if (suggested) fixes.push({ label: `Replace with ${suggested}`, op: fix("replace", suggested) });
  fixes.push({ label: `Create this ${known.creates}`, op: fix("create") });
  fixes.push({ label: `Remove this ${known.noun}`, op: fix("remove") });
  return fixes;
}
