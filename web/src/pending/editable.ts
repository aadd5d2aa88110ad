/**
 * Which fields take typing while the core starts: a field is editable early when the edit it
 * sends is one the pending store keeps (ops.ts). Fields are known by their `data-path`, the
 * core's JSON path of the text they edit (`premise`, `canon_rules[2]`, `chapters[3].objective`,
 * `characters[0].voice_markers[1]`, `characters[0].relationships.bo`), read against the
 * generated RULES, so a text field the core adds becomes editable early without a change here.
 *
 * `EarlyTyping` is true while the studio is starting on an editable story; a field that is
 * read-only only because the core is not ready reads it through `useTextReadOnly`.
 */
import { createContext, useContext } from "react";
import { RULES } from "../generated/rules";
import type { EntityKind } from "../service/types";

export const EarlyTyping = createContext(false);

const TEXT_OPS: readonly string[] = RULES.text_ops;
const KIND_OF: Readonly<Record<string, EntityKind>> = Object.fromEntries(
  Object.entries(RULES.collections).map(([kind, collection]) => [collection, kind as EntityKind]),
);
const ENTITY_FIELD = /^(\w+)\[\d+\]\.(\w+)$/;
const LIST_ITEM = /^(?:canon_rules|characters\[\d+\]\.voice_markers)\[\d+\]$/;
const RELATIONSHIP = /^characters\[\d+\]\.relationships(?:\.[A-Za-z_][\w-]*|\[".*"\])$/;

/** The edit op a text field at `path` sends, when it is one that writes one text. */
function opAt(path: string): string | null {
  if (path === "premise") return "set_premise";
  if (RELATIONSHIP.test(path)) return "set_relationship";
  if (LIST_ITEM.test(path)) return path.startsWith("canon_rules") ? "set_canon_rule" : "set_voice_marker";
  const field = ENTITY_FIELD.exec(path);
  if (field === null) return null;
  const kind = KIND_OF[field[1] ?? ""];
  if (kind === undefined) return null;
  return (RULES.text_fields[kind] as readonly string[]).includes(field[2] ?? "") ? "set_field" : null;
}

/** Whether the text at `path` may be typed into before the core is ready. */
export function editableEarly(path: string): boolean {
  const op = opAt(path);
  return op !== null && TEXT_OPS.includes(op);
}

/** A text field's read-only flag: `readOnly`, unless the studio is starting and `path` takes early typing. */
export function useTextReadOnly(readOnly: boolean, path: string): boolean {
  const early = useContext(EarlyTyping);
  return readOnly && !(early && editableEarly(path));
}
