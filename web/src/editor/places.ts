/**
 * Where a problem is, in story terms: `chapters[0].draft_text` -> Chapter “The Storm” › Draft.
 * The path itself stays on screen too, small, for those who use the command line.
 */
import type { StoryBlueprint } from "../service/types";

const FIELDS: Readonly<Record<string, string>> = {
  key: "Key",
  title: "Title",
  objective: "Objective",
  draft_text: "Draft",
  required_themes: "Themes it needs",
  participating_characters: "Characters in it",
  prerequisites: "Chapters it waits for",
  statement: "Statement",
  priority: "Priority",
  role: "Role",
  motivation: "Motivation",
  voice_markers: "Voice markers",
  relationships: "Relationships",
  name: "Name",
  status: "Status",
  word_target: "Word target",
};

const SEP = " › ";

function quoted(kind: string, name: string | undefined, index: number): string {
  return name ? `${kind} “${name}”` : `${kind} ${index + 1}`;
}

export function placeOf(path: string, blueprint: StoryBlueprint | null | undefined): string {
  if (path === "") return "The whole story";
  const top = /^(premise|canon_rules)(?:\[(\d+)\])?/.exec(path);
  if (path === "word_target") return "Manuscript word target";
  if (top) return top[1] === "premise" ? "Premise" : top[2] === undefined ? "Canon rules" : `Canon rule ${Number(top[2]) + 1}`;
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
  const label = FIELDS[field] ?? field;
  return item === undefined ? `${place}${SEP}${label}` : `${place}${SEP}${label}${SEP}${Number(item) + 1}`;
}
