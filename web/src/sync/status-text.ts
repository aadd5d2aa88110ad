/**
 * The sync chip's words: what a writer reads about where their stories are. Pure, so the
 * wording is unit-tested (web/test/sync-status.test.ts).
 */
import type { SyncStatus } from "../generated/facade";

export type Tone = "neutral" | "busy" | "ok" | "warning" | "error";

export interface StatusText {
  /** The chip itself: short. */
  readonly label: string;
  /** The sentence under it (the chip's title and the account panel): what to do, if anything. */
  readonly detail: string;
  readonly tone: Tone;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "10:42" in the writer's own clock (and the date when it was not today). */
export function clockTime(iso: string, now: Date, locale?: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  if (at.toDateString() === now.toDateString()) return time;
  return `${at.toLocaleDateString(locale, { month: "short", day: "numeric" })} ${time}`;
}

export function describeStatus(status: SyncStatus, now: Date, locale?: string): StatusText {
  const waiting = status.waiting ?? 0;
  const changes = plural(waiting, "change", "changes");
  const conflicts = status.conflicted_story_ids?.length ?? 0;
  const revived = status.revived_story_ids?.length ?? 0;
  const conflictNote =
    (conflicts ? ` ${plural(conflicts, "story has", "stories have")} a conflict to settle.` : "") +
    (revived
      ? ` ${plural(revived, "story", "stories")} deleted on one device and edited on another came back (edits win over deletes).`
      : "");
  switch (status.phase) {
    case "local":
      return {
        label: "Saved on this device",
        detail: "Your stories are saved in this browser only. Sign in to keep them on every device.",
        tone: "neutral",
      };
    case "syncing":
      return { label: "Syncing…", detail: `Sending and fetching changes for ${status.email ?? "your account"}.`, tone: "busy" };
    case "synced": {
      const at = status.last_synced_at_utc ? clockTime(status.last_synced_at_utc, now, locale) : null;
      return {
        label: at ? `Synced at ${at}` : "Synced",
        detail: `Every change is on your account (${status.email ?? ""}).${conflictNote}`,
        tone: conflicts ? "warning" : "ok",
      };
    }
    case "offline":
      return {
        label: waiting ? `Offline, ${changes} waiting` : "Offline",
        detail:
          "The sync server cannot be reached. Keep writing: everything is saved on this device " +
          "and syncs by itself when the connection is back.",
        tone: "warning",
      };
    case "signed_out":
      return {
        label: waiting ? `Sign in to sync ${changes}` : "Sign in to sync",
        detail: status.message ?? "Your sign-in has expired. Sign in again; your changes are kept on this device.",
        tone: "error",
      };
    case "problem":
      return {
        label: "Sync problem",
        detail: status.message ?? "The sync server refused a change. Your changes are kept on this device.",
        tone: "error",
      };
  }
}
