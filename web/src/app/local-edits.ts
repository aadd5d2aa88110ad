/**
 * The few edit ops the UI may apply to its own copy of the story: plain text fields set while
 * typing. For these the editor asks the service not to send the whole story back
 * (`include_story: false`; on a 1,000-chapter story that reply is large) and applies the op
 * here, normalised the way the core normalises text (stripped; a draft keeps its inner
 * whitespace, and an all-blank draft is "no draft"). Every other op, and every merged reply,
 * takes the service's story as the truth. Returns null for an op it does not handle.
 */
import type { EditOp, Story } from "../service/types";

type Entities = "themes" | "characters" | "chapters";
const COLLECTION = { theme: "themes", character: "characters", chapter: "chapters" } as const satisfies Record<string, Entities>;
const TEXT_FIELDS: Record<string, readonly string[]> = {
  theme: ["statement"],
  character: ["role", "motivation"],
  chapter: ["title", "objective", "draft_text"],
};

export function applyTextEditLocally(story: Story, op: EditOp): Story | null {
  const bp = story.blueprint;
  switch (op.op) {
    case "set_premise":
      return { ...story, blueprint: { ...bp, premise: op.value.trim() } };
    case "set_field": {
      if (typeof op.value !== "string" && op.value !== null) return null;
      if (!TEXT_FIELDS[op.kind]?.includes(op.field)) return null;
      const name = COLLECTION[op.kind];
      const list = bp[name] as readonly { key: string }[];
      const index = list.findIndex((e) => e.key === op.key);
      if (index < 0) return null;
      const value = op.field === "draft_text" ? (op.value ?? "").trimEnd() || null : (op.value ?? "").trim();
      const next = list.map((e, i) => (i === index ? { ...e, [op.field]: value } : e));
      return { ...story, blueprint: { ...bp, [name]: next } };
    }
    default:
      return null;
  }
}
