/**
 * Key checks and suggestions for the dialogs, so a bad key is explained before anything is sent.
 * The service re-checks with the core's rules (story_gen.core.keys) and its answer is the one that
 * counts; these mirror them for instant feedback. The suggestion rule is checked against the same
 * examples as the core's (web/test/key-suggestions.json, web/test/keys.test.ts and
 * tests/core/test_key_suggestions.py).
 */
import { trimText } from "../service/text-rules";

const KEY_RE = /^[a-z][a-z0-9_-]{0,119}$/;
const KEY_MAX_LENGTH = 120;
/** What a key may hold, said as what to do (the core's KEY_RULE). */
export const KEY_RULE = "use lowercase letters, digits, - or _, starting with a letter";

const CHAR_NAMES: Record<string, string> = { " ": "a space", "\t": "a tab", "\n": "a line break" };
const charName = (c: string): string => CHAR_NAMES[c] ?? `'${c}'`;

/** Why a key is not valid and what to write instead (the core's key_problem), or null. */
export function keyProblem(key: string, existing: readonly string[]): string | null {
  const problem = shapeProblem(key);
  if (problem) return `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
  if (existing.includes(key)) return `The key "${key}" is already used; keys must be unique.`;
  return null;
}

function shapeProblem(key: string): string | null {
  if (!key) return `the key is empty; ${KEY_RULE}, e.g. inspector-vale`;
  if (key.length > KEY_MAX_LENGTH) return `the key is ${key.length} characters long; use at most ${KEY_MAX_LENGTH}`;
  const bad = [...new Set([...key].filter((c) => !/^[a-z0-9_-]$/i.test(c)))].sort();
  let found: string;
  if (bad.length > 0) {
    const names = bad.map(charName);
    found = `it holds ${names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0]}`;
  } else if (!/^[a-z]/.test(key)) {
    found = `it starts with ${charName(key[0] ?? "")}`;
  } else if (!KEY_RE.test(key)) {
    found = "it holds capital letters";
  } else {
    return null;
  }
  return `${found}; ${KEY_RULE}, e.g. ${suggestKey(key)}`;
}

/**
 * A name or any free text as the closest valid key: "Inspector Vale" -> "inspector-vale",
 * "Zoë" -> "zoe" (the core's suggest_key: accents dropped, other runs become one "-", "k-" before
 * a key that would not start with a letter, "untitled" for nothing).
 */
export function suggestKey(raw: string): string {
  const folded = raw.normalize("NFKD").replace(/\p{M}/gu, "");
  let text = trimText(folded).toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|[-_]+$/g, "").replace(/-{2,}/g, "-");
  if (!text || !/^[a-z]/.test(text)) text = text ? `k-${text}` : "untitled";
  return text.slice(0, KEY_MAX_LENGTH).replace(/[-_]+$/, "") || "untitled";
}
