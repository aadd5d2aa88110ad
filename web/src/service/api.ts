/**
 * Names for the service's result shapes the controller reads.
 * PROVISIONAL until src/generated/facade.ts exists: then these become re-exports.
 */
import type { Diagnostic } from "./facade-map";
import type { ProblemCounts } from "../../../browser/js/host.mjs";
import type { Story } from "../generated/story";

export interface StoryStateView {
  story_id: string;
  revision: number;
  story: Story;
  diagnostics: Diagnostic[];
  problem_counts: ProblemCounts;
  history: { can_undo: boolean; can_redo: boolean; undo_label: string | null; redo_label: string | null };
  saved: boolean;
  unsaved_reason: string | null;
  merged: boolean;
  deleted_at_utc: string | null;
}

export interface StartResultView {
  first_run: boolean;
  last_opened_story_id: string | null;
  seeded_story_ids: string[];
  purged_story_ids: string[];
}

export type StateWithStory = StoryStateView;

export interface ImportResultView {
  stored: boolean;
  story_id: string | null;
  diagnostics: Diagnostic[];
  state: StoryStateView | null;
}

export interface DemoInfoView {
  key: string;
  title: string;
}

/** PROVISIONAL: the core's Plan as the plan views read it (replaced by the generated type). */
export interface PlanView {
  writing_order: string[];
  chapters: { key: string; depth: number }[];
}
