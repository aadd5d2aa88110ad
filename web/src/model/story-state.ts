/**
 * A service reply (StoryState) turned into what the screens show: the open story and its row
 * in the library. Pure: the seq bookkeeping that decides whose diagnostics win is open-story.ts's.
 */
import { progressOf } from "./progress";
import type { Story, StoryState, StorySummary } from "../service/types";
import { withWhole } from "./diagnostic-list";
import type { OpenStory } from "./state";

export interface Applied {
  /** Requests still in flight: "saved" only once none is. */
  readonly inFlight: number;
  /** Another tab, an undo, a reopen or a merge replaced the story under the editor. */
  readonly external: boolean;
}

export function openFromState(prev: OpenStory, state: StoryState, story: Story, applied: Applied): OpenStory {
  // None in a typed edit's reply: its story.diagnosed push (handled first) carried them. A list
  // older than the one held (a newer edit's push came first) is ignored.
  const held = { list: prev.diagnostics, version: prev.diagnosticsVersion };
  const diagnostics = state.diagnostics == null ? held : withWhole(held, state.diagnostics, state.diagnostics_version);
  return {
    storyId: state.story_id,
    revision: state.revision,
    story,
    diagnostics: diagnostics.list,
    diagnosticsVersion: diagnostics.version,
    diagnosed: true,
    canUndo: state.history.can_undo,
    canRedo: state.history.can_redo,
    undoLabel: state.history.undo_label,
    redoLabel: state.history.redo_label,
    save: state.saved
      ? applied.inFlight > 0
        ? { state: "saving", reason: null }
        : { state: "saved", reason: null }
      : { state: "unsaved", reason: state.unsaved_reason ?? "not saved yet" },
    loading: false,
    error: null,
    externalChange: prev.externalChange + (applied.external || state.merged ? 1 : 0),
    deleted: state.deleted_at_utc != null,
  };
}

/** The library rows with the open story's row brought up to date (no re-listing). */
export function summariesWith(summaries: readonly StorySummary[], state: StoryState, story: Story): readonly StorySummary[] {
  return summaries.map((s) =>
    s.story_id === state.story_id
      ? {
          ...s,
          title: story.title,
          chapter_count: story.blueprint.chapters.length,
          problem_counts: state.problem_counts,
          ...progressOf(story.blueprint),
          updated_at_utc: story.updated_at_utc,
          revision: state.revision,
        }
      : s,
  );
}
