/**
 * Every field's label as the editor shows it, from the core's shape table (the generated
 * RULES): the places in the problems panel, the dialogs and the core's hints use the same words
 * the writer sees above the field, and nobody keeps a copy of them.
 */
import { RULES } from "../generated/rules";

/** `story` for the blueprint's own fields (premise, canon rules, word target), or an entity kind. */
export type LabelOwner = keyof typeof RULES.field_labels;

/** The editor's label of `field` of `owner`; the field's own name when the core has none. */
export function fieldLabel(owner: LabelOwner, field: string): string {
  const labels: Readonly<Record<string, string>> = RULES.field_labels[owner];
  return labels[field] ?? field;
}
