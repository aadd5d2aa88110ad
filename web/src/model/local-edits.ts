/**
 * The few edit ops the UI may apply to its own copy of the story: plain text fields set while
 * typing. For these the editor asks the service not to send the whole story back
 * (`include_story: false`; on a 1,000-chapter story that reply is large) and applies the op
 * here, normalised by the core's own text rule and field tables (service/text-rules.ts, from
 * the generated RULES). Every other op, and every merged reply, takes the service's story as
 * the truth. Returns null for an op it does not handle.
 */
import { COLLECTION, isDraftField, isTextField, normalizeDraft, trimText } from "../service/text-rules";
import type { EditOp, Story } from "../service/types";

export function applyTextEditLocally(story: Story, op: EditOp): Story | null {
  const bp = story.blueprint;
  switch (op.op) {
    case "set_premise":
      return { ...story, blueprint: { ...bp, premise: trimText(op.value) } };
    case "set_field": {
      if (typeof op.value !== "string" && op.value !== null) return null;
      if (!isTextField(op.kind, op.field)) return null;
      const name = COLLECTION[op.kind];
      const list = bp[name] as readonly { key: string }[];
      const index = list.findIndex((e) => e.key === op.key);
      if (index < 0) return null;
      const text = op.value ?? "";
      const value = isDraftField(op.kind, op.field) ? normalizeDraft(text) : trimText(text);
      const next = list.map((e, i) => (i === index ? { ...e, [op.field]: value } : e));
      return { ...story, blueprint: { ...bp, [name]: next } };
    }
    default:
      return null;
  }
}
