/**
 * The contract types the views use, in one place: all generated from the pydantic models
 * (src/generated/facade.ts), re-exported here under the names the views read.
 */
export type {
  Chapter,
  Character,
  Conflict,
  DemoInfo,
  Diagnostic,
  DiagnosticsDelta,
  LibraryListResult,
  PendingApplyResult,
  Plan,
  ProblemCounts,
  Reference,
  SearchHit,
  Severity,
  Splice,
  StartResult,
  Story,
  StoryBlueprint,
  StoryDiagnosed,
  StoryImportResult,
  StoryState,
  StorySummary,
  Theme,
} from "../generated/facade";
export type { ArgsOf, EditOp, EntityKind, MethodName, ResultOf } from "./facade-map";
