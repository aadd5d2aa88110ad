/**
 * Which edits the studio accepts before the core is ready, and how they show at once.
 *
 * They are the core's own edit records (the generated `EditOp`) that write one text: the op
 * kinds in the generated `RULES.text_ops`, and for `set_field` only the fields in
 * `RULES.text_fields`. Each is kept in IndexedDB as it is and applied by the core once it is
 * ready (browser/_pending.py); meanwhile the view shows it applied to its copy of the story,
 * normalised by the core's text rule (service/text-rules.ts). Anything structural (add,
 * remove, move, rename, lists, numbers) is not accepted here: it waits for the core.
 */
import { RULES } from "../generated/rules";
import { applyTextEditLocally } from "../model/local-edits";
import { isBlank, trimText } from "../service/text-rules";
import type { Character, EditOp, Story } from "../service/types";

/** An edit that writes one text: accepted before the core is ready. */
export type PendingOp = Extract<EditOp, { op: (typeof RULES.text_ops)[number] }>;

const TEXT_OPS: readonly string[] = RULES.text_ops;

/** Whether `op` may be kept before the core is ready (a text op with a text value). */
export function isPendingOp(op: EditOp): op is PendingOp {
  if (!TEXT_OPS.includes(op.op)) return false;
  if (op.op !== "set_field") return true;
  return (typeof op.value === "string" || op.value === null) && (RULES.text_fields[op.kind] as readonly string[]).includes(op.field);
}

/**
 * The story with `op` applied as the core would apply it, or null when the core would refuse
 * it (an unknown key, an index out of range, a blank or repeated list item): such an edit is
 * not kept, the field holds the text until the core can answer.
 */
export function applyPendingOp(story: Story, op: EditOp): Story | null {
  if (!isPendingOp(op)) return null;
  const bp = story.blueprint;
  switch (op.op) {
    case "set_premise":
    case "set_field":
      return applyTextEditLocally(story, op);
    case "set_canon_rule": {
      const rules = setItem(bp.canon_rules, op.index, op.value);
      return rules === null ? null : { ...story, blueprint: { ...bp, canon_rules: rules } };
    }
    case "set_voice_marker":
      return withCharacter(story, op.character, (c) => {
        const markers = setItem(c.voice_markers, op.index, op.value);
        return markers === null ? null : { ...c, voice_markers: markers };
      });
    case "set_relationship":
      if (!bp.characters.some((c) => c.key === op.other) || op.other === op.character) return null;
      return withCharacter(story, op.character, (c) => ({ ...c, relationships: { ...c.relationships, [op.other]: trimText(op.description) } }));
  }
}

/** A story painted from IndexedDB with its pending edits shown, in typing order. */
export function withPending(story: Story, ops: readonly EditOp[]): Story {
  let shown = story;
  for (const op of ops) shown = applyPendingOp(shown, op) ?? shown;
  return shown;
}

function setItem(items: readonly string[], index: number, value: string): string[] | null {
  const text = trimText(value);
  if (index < 0 || index >= items.length || isBlank(text)) return null;
  if (items.some((item, i) => i !== index && item === text)) return null;
  return items.map((item, i) => (i === index ? text : item));
}

function withCharacter(story: Story, key: string, change: (c: Character) => Character | null): Story | null {
  const bp = story.blueprint;
  const index = bp.characters.findIndex((c) => c.key === key);
  const found = bp.characters[index];
  if (found === undefined) return null;
  const changed = change(found);
  if (changed === null) return null;
  return { ...story, blueprint: { ...bp, characters: bp.characters.map((c, i) => (i === index ? changed : c)) } };
}
