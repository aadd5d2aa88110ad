/**
 * The facade's name -> {args, result} map and push map, as the client is typed with.
 * PROVISIONAL: until browser/'s schema command lands, these mirror browser/src/story_gen/browser
 * (_edits.py, core diagnostic.py) by hand; they are replaced by re-exports of src/generated/facade.ts.
 */
export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: Severity;
  code: string;
  path: string;
  message: string;
  hint: string | null;
}

export type EntityKind = "theme" | "character" | "chapter";

export type EditOp =
  | { op: "set_premise"; value: string }
  | { op: "set_field"; kind: EntityKind; key: string; field: string; value: string | number | null }
  | { op: "add_canon_rule"; value: string; index?: number | null }
  | { op: "set_canon_rule"; index: number; value: string }
  | { op: "remove_canon_rule"; index: number }
  | { op: "move_canon_rule"; from_index: number; to_index: number }
  | { op: "add_voice_marker"; character: string; value: string; index?: number | null }
  | { op: "set_voice_marker"; character: string; index: number; value: string }
  | { op: "remove_voice_marker"; character: string; index: number }
  | { op: "move_voice_marker"; character: string; from_index: number; to_index: number }
  | { op: "add_entity"; kind: EntityKind; entity: { [k: string]: unknown }; index?: number | null }
  | { op: "remove_entity"; kind: EntityKind; key: string; remove_references?: boolean }
  | { op: "move_entity"; kind: EntityKind; key: string; to_index: number }
  | { op: "set_list"; kind: "character" | "chapter"; key: string; field: string; value: string[] }
  | { op: "set_relationship"; character: string; other: string; description: string }
  | { op: "remove_relationship"; character: string; other: string }
  | { op: "rename_key"; kind: EntityKind; old_key: string; new_key: string };

export interface Reference {
  path: string;
  owner_kind: "character" | "chapter";
  owner_key: string;
  field: "required_themes" | "participating_characters" | "prerequisites" | "relationships";
}

export type FacadeMethods = { readonly [name: string]: { readonly args: unknown; readonly result: unknown } };
export type FacadePushes = { readonly [name: string]: unknown };
