/**
 * One story: its title, save status, undo/redo, the editor or a plan view, and the problems.
 * Plan views are loaded lazily (their code is not in the first bundle).
 */
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { StudioController } from "../model/controller";
import { messageOf, type OpenStory } from "../model/state";
import { downloadText } from "../shell/files";
import { href, navigate, type PlanViewName, type Route } from "../shell/route";
import { useObservable } from "../model/store";
import type { EditOp } from "../service/types";
import { RedoIcon, UndoIcon } from "../ui/icons";
import { useDraft } from "./draft";
import { Editor } from "./Editor";
import { ConflictsPanel } from "./ConflictsPanel";
import { ProblemsPanel } from "./ProblemsPanel";
import { isBlank } from "../service/text-rules";
import { conflictDiagnostics } from "../sync/conflict-marks";
import { useMySides } from "../sync/status-store";

const PlanScreen = lazy(() => import("../plan/PlanScreen"));
const HOLD_BLANK_TITLE = { hold: isBlank };

/** Memoised: it follows the open story itself; the shell re-rendering (library counts) is not its business. */
export const StoryScreen = memo(function StoryScreen({ controller, route }: { controller: StudioController; route: Extract<Route, { storyId: string }> }): ReactNode {
  const open = useObservable(controller.open);
  const boot = useObservable(controller.boot);
  const ready = boot.phase === "ready";
  const storyId = route.storyId;

  useEffect(() => {
    void controller.openStory(storyId);
  }, [controller, storyId, ready]);

  const mySide = useMySides();
  const conflicts = open?.story?.conflicts;
  const blueprint = open?.story?.blueprint;
  const diagnostics = open?.diagnostics;
  // A conflict is marked on its field like a problem: the editor already shows those there.
  const marked = useMemo(
    () => (conflicts && conflicts.length > 0 && diagnostics ? [...diagnostics, ...conflictDiagnostics(conflicts, blueprint, mySide)] : diagnostics),
    [conflicts, blueprint, diagnostics, mySide],
  );
  const send = useCallback((op: EditOp, continuesTyping = false) => controller.edit(op, { continuesTyping }), [controller]);
  const findReferences = useCallback((kind: Parameters<StudioController["findReferences"]>[0], key: string) => controller.findReferences(kind, key), [controller]);

  if (!open || open.storyId !== storyId || (open.loading && !open.story)) {
    return (
      <div className="page" data-testid="story-loading">
        <p className="muted">Opening the story…</p>
      </div>
    );
  }
  if (!open.story) {
    return (
      <div className="page">
        <div className="banner error" role="alert">
          <span className="grow">{open.error ?? "This story could not be opened."}</span>
          <a className="btn" href={href({ screen: "library" })}>
            Back to the library
          </a>
        </div>
      </div>
    );
  }
  const readOnly = !ready || open.deleted;
  // Before the core is ready the story's texts take typing (kept in IndexedDB; pending/).
  const starting = !ready && !open.deleted;
  return (
    <div className="page" data-testid="story-screen">
      <StoryHeader controller={controller} open={open} readOnly={readOnly} route={route} />
      {starting ? (
        <div className="banner info" role="status" data-testid="starting-banner">
          <span className="grow">The studio is starting: type away, what you write is kept in this browser. Adding, removing, renaming and reordering wait until it is ready.</span>
        </div>
      ) : null}
      {open.save.state === "unsaved" ? (
        // Fixed, so the writer sees it where they are typing, not only in the header above.
        <div className="save-alert" role="alert" data-testid="save-alert">
          <span className="grow">
            <strong>Not saved:</strong> {(open.save.reason ?? "the browser refused to store the edit").replace(/[.\s]+$/, "")}. Your edits are kept in this tab and
            retried every few seconds; keep this tab open.
          </span>
          <button type="button" className="btn small" onClick={() => void controller.saveNow()}>
            Retry now
          </button>
        </div>
      ) : null}
      <ConflictsPanel conflicts={open.story.conflicts} mySide={mySide} readOnly={readOnly} onResolve={(id, choice) => void controller.resolveConflict(id, choice)} />
      {route.screen === "plan" ? (
        <Suspense fallback={<p className="muted">Loading the plan view…</p>}>
          <PlanScreen
            controller={controller}
            storyId={storyId}
            view={route.view}
            revision={open.revision}
            blueprint={open.story.blueprint}
            onOpenChapter={(key) => {
              const index = open.story?.blueprint.chapters.findIndex((c) => c.key === key) ?? -1;
              navigate({ screen: "editor", storyId });
              if (index >= 0) controller.requests.focusPath(`chapters[${index}].title`);
            }}
          />
        </Suspense>
      ) : (
        <div className="editor-layout">
          <Editor
            key={storyId}
            blueprint={open.story.blueprint}
            diagnostics={marked ?? open.diagnostics}
            readOnly={readOnly}
            starting={starting}
            send={send}
            findReferences={findReferences}
          />
          <ProblemsPanel diagnostics={marked ?? open.diagnostics} blueprint={open.story.blueprint} diagnosed={open.diagnosed} onFix={readOnly ? undefined : send} />
        </div>
      )}
    </div>
  );
});

function StoryHeader({ controller, open, readOnly, route }: { controller: StudioController; open: OpenStory; readOnly: boolean; route: Route }): ReactNode {
  const story = open.story;
  const [exporting, setExporting] = useState(false);
  const rename = useCallback((title: string) => controller.renameStory(title), [controller]);
  // A title is never blank: an emptied title waits for more typing (or is dropped on blur).
  const title = useDraft(story?.title ?? "", rename, HOLD_BLANK_TITLE);
  const exportAs = async (format: "story" | "md"): Promise<void> => {
    setExporting(true);
    try {
      const file = await controller.call("story.export", { story_id: open.storyId, format });
      downloadText(file.filename, file.media_type, file.content);
    } catch (e) {
      controller.toast({ message: messageOf(e), tone: "error" });
    } finally {
      setExporting(false);
    }
  };
  const tab = (label: string, target: Route, selected: boolean): ReactNode => (
    <a href={href(target)} aria-current={selected ? "page" : undefined}>
      {label}
    </a>
  );
  const planView: PlanViewName = route.screen === "plan" ? route.view : "order";
  return (
    <>
      <div className="page-head story-head">
        <div className="story-head-title">
          <label htmlFor="story-title" className="visually-hidden">
            Story title
          </label>
          <textarea
            id="story-title"
            className="title-input serif"
            rows={1}
            value={title.value}
            readOnly={readOnly}
            onChange={(e) => title.onChange(e.target.value.replace(/\n/g, " "))}
            onKeyDown={(e) => {
              // A title is one line: Enter commits it.
              if (e.key === "Enter") {
                e.preventDefault();
                e.currentTarget.blur();
              }
            }}
            onFocus={title.onFocus}
            onBlur={title.onBlur}
            data-testid="story-title"
          />
          <div className="story-sub">
            <SaveStatusChip open={open} ready={controller.ready} />
            {open.save.state === "unsaved" ? (
              <button type="button" className="btn small" onClick={() => void controller.saveNow()} data-testid="save-retry">
                Retry now
              </button>
            ) : null}
            <span className="muted">
              {story?.blueprint.chapters.length ?? 0} chapters · {story?.blueprint.characters.length ?? 0} characters · {story?.blueprint.themes.length ?? 0} themes
            </span>
            <div className="actions story-actions">
              <button
                type="button"
                className="btn"
                disabled={readOnly || !open.canUndo}
                onClick={() => void controller.history("undo")}
                title={`${historyLabel("Undo", open.undoLabel)} (Ctrl+Z)`}
                aria-label={historyLabel("Undo", open.undoLabel)}
                data-testid="undo"
              >
                <UndoIcon /> <span className="label-wide">Undo</span>
              </button>
              <button
                type="button"
                className="btn"
                disabled={readOnly || !open.canRedo}
                onClick={() => void controller.history("redo")}
                title={`${historyLabel("Redo", open.redoLabel)} (Ctrl+Shift+Z)`}
                aria-label={historyLabel("Redo", open.redoLabel)}
                data-testid="redo"
              >
                <RedoIcon /> <span className="label-wide">Redo</span>
              </button>
              <button type="button" className="btn" disabled={!ready(controller) || exporting} onClick={() => void exportAs("story")}>
                Export JSON
              </button>
              <button type="button" className="btn" disabled={!ready(controller) || exporting} onClick={() => void exportAs("md")}>
                Story bible (.md)
              </button>
            </div>
          </div>
        </div>
      </div>
      <nav className="tabs" aria-label="Story views">
        {tab("Blueprint", { screen: "editor", storyId: open.storyId }, route.screen === "editor")}
        {tab("Writing order", { screen: "plan", storyId: open.storyId, view: "order" }, route.screen === "plan" && planView === "order")}
        {tab("Chapter graph", { screen: "plan", storyId: open.storyId, view: "graph" }, route.screen === "plan" && planView === "graph")}
        {tab("Theme coverage", { screen: "plan", storyId: open.storyId, view: "themes" }, route.screen === "plan" && planView === "themes")}
        {tab("Character coverage", { screen: "plan", storyId: open.storyId, view: "characters" }, route.screen === "plan" && planView === "characters")}
      </nav>
    </>
  );
}

/** "Undo: draft of 'The Storm'": the step's label comes from the service, in story terms. */
function historyLabel(action: "Undo" | "Redo", label: string | null): string {
  return label ? `${action}: ${label}` : action;
}

function ready(controller: StudioController): boolean {
  return controller.ready;
}

export function SaveStatusChip({ open, ready }: { open: OpenStory; ready: boolean }): ReactNode {
  const { state, reason } = open.save;
  const view =
    state === "readonly" && ready && !open.deleted
      ? { cls: "busy", text: "Opening…" }
      : state === "saved"
      ? { cls: "ok", text: "Saved" }
      : state === "saving"
        ? { cls: "busy", text: "Saving…" }
        : state === "unsaved"
          ? { cls: "bad", text: `Not saved: ${reason ?? "unknown reason"} — retrying` }
          : state === "kept"
            ? { cls: "ok", text: "Kept in this browser" }
            : state === "starting"
              ? { cls: "busy", text: "Starting…" }
              : { cls: "", text: "Read-only" };
  return (
    <span className={`chip ${view.cls}`} role="status" aria-live="polite" data-testid="save-status" data-state={state}>
      <span className="dot" aria-hidden="true" />
      {view.text}
    </span>
  );
}
