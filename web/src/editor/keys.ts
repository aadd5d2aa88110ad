/**
 * Key checks for the dialogs, so a bad key is explained before anything is sent. The service
 * re-checks with the core's rules (story_gen.core.keys) and its answer is the one that counts;
 * these mirror them for instant feedback only.
 */
const KEY_RE = /^[a-z][a-z0-9_-]{0,119}$/;

export function keyProblem(key: string, existing: readonly string[]): string | null {
  if (!key) return "The key is empty.";
  if (key.length > 120) return `The key is ${key.length} characters long; the limit is 120.`;
  if (!/^[a-z]/.test(key)) return "A key must start with a letter a-z.";
  if (!KEY_RE.test(key)) return "A key may hold only letters a-z, digits, '-' and '_'.";
  if (existing.includes(key)) return `The key "${key}" is already used; keys must be unique.`;
  return null;
}

/** "Mad Tea-Party!" -> "mad-tea-party" (the same rule as the core's suggest_key). */
export function suggestKey(raw: string): string {
  let text = raw.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|[-_]+$/g, "").replace(/-{2,}/g, "-");
  if (!text || !/^[a-z]/.test(text)) text = text ? `k-${text}` : "untitled";
  return text.slice(0, 120).replace(/[-_]+$/, "") || "untitled";
}
