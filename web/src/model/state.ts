/** The shapes of the studio's state as the screens see it (each held in an Observable). */
import type { BootResult } from "../service/boot-options";
import type { BootView } from "../service/boot";
import type { Diagnostic, Story, StorySummary } from "../service/types";

export type Phase = "booting" | "ready" | "failed";

export interface BootState {
  readonly phase: Phase;
  readonly view: BootView;
  readonly error: string | null;
  readonly result: BootResult | null;
  readonly attempt: number;
}

export interface LibraryState {
  readonly loaded: boolean;
  readonly source: "indexeddb" | "service";
  readonly summaries: readonly StorySummary[];
  readonly error: string | null;
}

/** `starting`: the core is not ready, text edits are taken; `kept`: one is on disk, the core applies it when ready. */
export type SaveState = "saved" | "saving" | "unsaved" | "readonly" | "starting" | "kept";

export interface SaveStatus {
  readonly state: SaveState;
  readonly reason: string | null;
}

export interface OpenStory {
  readonly storyId: string;
  readonly revision: number;
  readonly story: Story | null;
  readonly diagnostics: readonly Diagnostic[];
  /** The version of `diagnostics` (model/diagnostic-list.ts); null until the service sent one. */
  readonly diagnosticsVersion: number | null;
  readonly diagnosed: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  readonly save: SaveStatus;
  readonly loading: boolean;
  readonly error: string | null;
  /** Bumped when another tab's change (or a merge) replaced the story under the editor. */
  readonly externalChange: number;
  readonly deleted: boolean;
}

export interface Toast {
  readonly id: number;
  readonly message: string;
  readonly tone: "info" | "error";
  readonly action?: { readonly label: string; run(): void };
  readonly sticky?: boolean;
}

/** A story being opened: nothing known yet, read-only until the service answers. */
export function emptyOpen(storyId: string): OpenStory {
  return {
    storyId,
    revision: 0,
    story: null,
    diagnostics: [],
    diagnosticsVersion: null,
    diagnosed: false,
    canUndo: false,
    canRedo: false,
    undoLabel: null,
    redoLabel: null,
    save: { state: "readonly", reason: null },
    loading: true,
    error: null,
    externalChange: 0,
    deleted: false,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
