/**
 * Where a problem is, in story terms: `chapters[0].draft_text` -> Chapter “The Storm” › Draft.
 * The path itself stays on screen too, small, for those who use the command line.
 */
import { fieldLabel } from "../service/field-labels";
import type { StoryBlueprint } from "../service/types";

const SEP = " › ";

function quoted(kind: string, name: string | undefined, index: number): string {
  return name ? `${kind} “${name}”` : `${kind} ${index + 1}`;
}

export function placeOf(path: string, blueprint: StoryBlueprint | null | undefined): string {
  if (path === "") return "The whole story";
  const top = /^(premise|canon_rules)(?:\[(\d+)\])?/.exec(path);
  if (path === "word_target") return fieldLabel("story", "word_target");
  if (top) return top[2] === undefined ? fieldLabel("story", top[1]!) : `${fieldLabel("story", top[1]!)}${SEP}${Number(top[2]) + 1}`;
  const entity = /^(themes|characters|chapters)\[(\d+)\](?:\.([a-z_]+))?(?:\[(\d+)\]|\.(.+))?/.exec(path);
  if (!entity) return path;
  const [, kind, at, field, item, relation] = entity;
  const index = Number(at);
  let place: string;
  if (kind === "chapters") {
    const chapter = blueprint?.chapters[index];
    place = quoted("Chapter", chapter?.title || chapter?.key, index);
  } else if (kind === "themes") {
    const theme = blueprint?.themes[index];
    place = quoted("Theme", theme?.name || theme?.key, index);
  } else {
    const character = blueprint?.characters[index];
    place = quoted("Character", character?.name || character?.key, index);
  }
  if (!field) return place;
  if (field === "relationships" && relation) {
    const other = blueprint?.characters.find((c) => c.key === relation);
    return `${place}${SEP}Relationship with ${other?.name || relation}`;
  }
  const label = fieldLabel(kind === "chapters" ? "chapter" : kind === "themes" ? "theme" : "character", field);
  return item === undefined ? `${place}${SEP}${label}` : `${place}${SEP}${label}${SEP}${Number(item) + 1}`;
}
