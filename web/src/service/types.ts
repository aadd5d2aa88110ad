/**
 * The contract types the views use, in one place. Every type here comes from the generated
 * modules (src/generated/, produced from the pydantic models); this file only re-exports and
 * names a few unions for readability.
 */
export type { Chapter, Character, Conflict, Story, StoryBlueprint, Theme } from "../generated/story";
export type { StorySummary, StoredStory, ProblemCounts } from "../../../browser/js/host.mjs";
export type {
  Diagnostic,
  EditOp,
  EntityKind,
  Reference,
  Severity,
} from "./facade-map";
