/**
 * The one-click fixes a problem offers: for an unknown reference, replace it with the key the
 * core suggested ("Did you mean "hope"?") or remove it. The fix itself is the core's
 * (story_gen.core.edits.fix_reference, through the `fix_reference` op): it finds the reference
 * again, recomputes the suggestion and refuses if the story changed, so a button never does
 * something other than what it says.
 */
import type { Diagnostic, EditOp } from "../service/types";

/** The codes story_gen.core.edits.FIXABLE_CODES fixes, and what the reference is called. */
const FIXABLE: Readonly<Record<string, string>> = {
  "chapter.unknown_theme": "theme",
  "chapter.unknown_character": "character",
  "chapter.unknown_prerequisite": "prerequisite",
  "character.unknown_relationship": "relationship",
};

const SUGGESTION = /^Did you mean "([^"]+)"\?$/;

export interface Fix {
  readonly label: string;
  readonly op: EditOp;
}

export function fixesOf(d: Diagnostic): Fix[] {
  const noun = FIXABLE[d.code];
  if (!noun) return [];
  const fixes: Fix[] = [];
  const suggested = d.hint ? SUGGESTION.exec(d.hint)?.[1] : undefined;
  if (suggested) {
    fixes.push({ label: `Replace with ${suggested}`, op: { op: "fix_reference", code: d.code, path: d.path, action: "replace", replacement: suggested } });
  }
  fixes.push({ label: `Remove this ${noun}`, op: { op: "fix_reference", code: d.code, path: d.path, action: "remove", replacement: null } });
  return fixes;
}
