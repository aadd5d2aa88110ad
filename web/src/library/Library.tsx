/**
 * The library: every story with title, chapters, problems and last edit; search; create blank
 * or from a demo; import; duplicate; export; delete with undo; download everything as a zip.
 * Painted from IndexedDB before Python is ready (read-only until then).
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { StudioController } from "../model/controller";
import { messageOf } from "../model/state";
import { downloadBase64, downloadText, formatWhen } from "../shell/files";
import { href, navigate } from "../shell/route";
import { useObservable } from "../model/store";
import type { DemoInfo, StorySummary } from "../service/types";
import { Dialog } from "../ui/Dialog";
import { SearchIcon } from "../ui/icons";
import { importable, ImportReviewDialog, type ImportReview, type ReviewItem } from "./ImportReview";
import { readImportFile } from "./importing";
import { Trash, TRASH_DAYS } from "./Trash";
import { statusSummary, wordsLabel } from "../editor/progress";
import { conflictedStories } from "../sync/conflict-marks";
import { useSyncStatus } from "../sync/status-store";

/** story: the whole story (title and identity: it imports back as itself); json: the bare blueprint. */
type ExportFormat = "story" | "json" | "md";

export function Library({ controller }: { controller: StudioController }): ReactNode {
  const library = useObservable(controller.library);
  const boot = useObservable(controller.boot);
  const ready = boot.phase === "ready";
  const [query, setQuery] = useState("");
  const [demos, setDemos] = useState<readonly DemoInfo[]>([]);
  const [showDemos, setShowDemos] = useState(false);
  const [importReport, setImportReport] = useState<ImportReview | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  useEffect(() => controller.requests.onFocusSearch(() => searchInput.current?.focus()), [controller]);

  useEffect(() => {
    if (!ready) return;
    controller
      .call("library.demos", {})
      .then((r) => setDemos(r.demos))
      .catch(() => setDemos([]));
  }, [controller, ready]);

  const live = useMemo(() => library.summaries.filter((s) => s.deleted_at_utc === null), [library.summaries]);
  const sync = useSyncStatus();
  const conflicted = useMemo(() => conflictedStories(sync, library.summaries), [sync, library.summaries]);
  const shown = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase();
    const list = needle ? live.filter((s) => s.title.toLocaleLowerCase().includes(needle)) : live;
    return [...list].sort((a, b) => b.updated_at_utc.localeCompare(a.updated_at_utc));
  }, [live, query]);

  const run = async (label: string, action: () => Promise<void>): Promise<void> => {
    setBusy(label);
    try {
      await action();
    } catch (error) {
      controller.toast({ message: messageOf(error), tone: "error" });
    } finally {
      setBusy(null);
    }
  };

  const create = (demo: string | null): Promise<void> =>
    run("create", async () => {
      const state = await controller.call("story.create", demo ? { demo } : {});
      await controller.refreshLibrary();
      setShowDemos(false);
      navigate({ screen: "editor", storyId: state.story_id });
    });

  const remove = (summary: StorySummary): Promise<void> =>
    run("delete", async () => {
      await controller.call("story.delete", { story_id: summary.story_id });
      await controller.refreshLibrary();
      controller.toast(
        {
          message: `Moved “${summary.title}” to the Trash (kept ${TRASH_DAYS} days).`,
          tone: "info",
          action: {
            label: "Undo",
            run: () =>
              void controller
                .call("story.undelete", { story_id: summary.story_id })
                .then(() => controller.refreshLibrary())
                .catch((e: unknown) => controller.toast({ message: messageOf(e), tone: "error" })),
          },
        },
        10_000,
      );
    });

  const duplicate = (summary: StorySummary): Promise<void> =>
    run("duplicate", async () => {
      const state = await controller.call("story.duplicate", { story_id: summary.story_id });
      await controller.refreshLibrary();
      controller.toast({ message: `Duplicated as “${state.story?.title ?? summary.title}”.`, tone: "info" });
    });

  const exportStory = (summary: StorySummary, format: ExportFormat): Promise<void> =>
    run("export", async () => {
      const file = await controller.call("story.export", { story_id: summary.story_id, format });
      downloadText(file.filename, file.media_type, file.content);
    });

  const exportAll = (): Promise<void> =>
    run("archive", async () => {
      const file = await controller.call("library.export_all", {});
      downloadBase64(file.filename, file.media_type ?? "application/zip", file.base64);
      controller.toast({ message: `Downloaded ${file.story_count} stories as ${file.filename}.`, tone: "info" });
    });

  // Import in two steps: the service diagnoses each file and stores nothing (dry run); the
  // writer reads what the core found, chooses what to do with stories already there, and
  // only "Import" stores.
  const importFile = (file: File): Promise<void> =>
    run("import", async () => {
      const items: ReviewItem[] = [];
      for (const source of await readImportFile(file)) {
        const result = source.content === undefined ? null : await controller.call("story.import", { content: source.content, filename: source.file, dry_run: true });
        items.push({ source, result, choice: "skip" });
      }
      setImportReport({ file: file.name, items });
    });

  const confirmImport = (review: ImportReview): Promise<void> =>
    run("import", async () => {
      const counts = { created: 0, replaced: 0, skipped: 0 };
      let opened: string | null = null;
      for (const item of review.items.filter(importable)) {
        const result = await controller.call("story.import", { content: item.source.content, filename: item.source.file, on_existing: item.choice });
        if (result.outcome) counts[result.outcome] += 1;
        if (result.stored && result.story_id) opened = result.story_id;
      }
      await controller.refreshLibrary();
      setImportReport(null);
      const done = counts.created + counts.replaced;
      const parts = [counts.replaced ? `${counts.replaced} replaced` : "", counts.skipped ? `${counts.skipped} skipped (already in your library)` : ""].filter(Boolean);
      const message =
        done === 0
          ? `Nothing imported from ${review.file}: ${parts.join(", ") || "no story could be read"}.`
          : `Imported ${done} ${done === 1 ? "story" : "stories"} from ${review.file}${parts.length ? ` (${parts.join(", ")})` : ""}.`;
      controller.toast({ message, tone: "info" });
      // One story: open it, so its problems are in front of the writer; an archive: the library.
      if (review.items.length === 1 && done === 1 && opened) navigate({ screen: "editor", storyId: opened });
    });

  const choose = (index: number, choice: ReviewItem["choice"]): void =>
    setImportReport((review) => (review ? { ...review, items: review.items.map((item, i) => (i === index ? { ...item, choice } : item)) } : review));

  return (
    <div className="page" data-testid="library">
      <div className="page-head">
        <div>
          <h1>Library</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            {library.loaded ? `${live.length} ${live.length === 1 ? "story" : "stories"}, kept in this browser` : "Reading your stories…"}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="btn primary" disabled={!ready || busy !== null} onClick={() => void create(null)}>
            + New story
          </button>
          <button type="button" className="btn" disabled={!ready || busy !== null} onClick={() => setShowDemos(true)}>
            From a demo…
          </button>
          <button type="button" className="btn" disabled={!ready || busy !== null} onClick={() => fileInput.current?.click()}>
            Import…
          </button>
          <button type="button" className="btn" disabled={!ready || busy !== null || live.length === 0} onClick={() => void exportAll()}>
            Download all (.zip)
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,.zip,application/json,application/zip"
            hidden
            aria-label="Story, blueprint or library archive to import"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void importFile(file);
            }}
          />
        </div>
      </div>

      <div className="library-tools">
        <div className="search" role="search">
          <SearchIcon />
          <label htmlFor="library-search" className="visually-hidden">
            Search stories
          </label>
          <input
            ref={searchInput}
            id="library-search"
            className="input"
            type="search"
            placeholder="Search stories…  (Ctrl+K)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        {library.source === "indexeddb" && library.loaded ? (
          <span className="chip busy" data-testid="library-readonly">
            <span className="dot" aria-hidden="true" /> Read-only while the studio starts
          </span>
        ) : null}
      </div>

      {library.error ? (
        <div className="banner error" role="alert">
          <span className="grow">Could not read the library: {library.error}</span>
        </div>
      ) : null}

      {library.loaded && live.length === 0 ? (
        <div className="card empty" data-testid="library-empty">
          {ready ? (
            <>
              <h2>No stories yet</h2>
              <p>Start from a blank page, or open one of the demo stories to see how a blueprint fits together.</p>
            </>
          ) : (
            <>
              <h2>Setting up your studio</h2>
              <p>The studio is starting in the background; on a first visit the demo stories appear here in a moment.</p>
            </>
          )}
        </div>
      ) : (
        <ul className="story-list" data-testid="library-list" aria-label="Stories">
          <li className="story-row list-head" aria-hidden="true">
            <span>Title</span>
            <span className="col-chapters">Chapters</span>
            <span className="col-problems">Problems</span>
            <span className="col-edited">Last edited</span>
            <span />
          </li>
          {shown.map((summary) => (
            <StoryRow
              key={summary.story_id}
              summary={summary}
              conflicted={conflicted.has(summary.story_id)}
              ready={ready}
              busy={busy !== null}
              onDuplicate={() => void duplicate(summary)}
              onDelete={() => void remove(summary)}
              onExport={(format) => void exportStory(summary, format)}
            />
          ))}
          {shown.length === 0 && live.length > 0 ? (
            <li className="story-row">
              <span className="muted">No story title contains “{query}”.</span>
            </li>
          ) : null}
        </ul>
      )}

      <Trash controller={controller} ready={ready} />

      {showDemos ? (
        <Dialog title="Start from a demo story" onClose={() => setShowDemos(false)} testId="demo-dialog">
          <p className="muted" style={{ marginTop: 0 }}>
            A copy is added to your library; the demo itself stays as it is.
          </p>
          <div className="demo-grid">
            {demos.map((demo) => (
              <div key={demo.key} className="card">
                <h3 className="serif" style={{ fontSize: 17, marginBottom: 10 }}>
                  {demo.title}
                </h3>
                <button type="button" className="btn primary small" disabled={busy !== null} onClick={() => void create(demo.key)}>
                  Use this demo
                </button>
              </div>
            ))}
          </div>
        </Dialog>
      ) : null}

      {importReport ? (
        <ImportReviewDialog
          review={importReport}
          busy={busy !== null}
          onClose={() => setImportReport(null)}
          onImport={() => void confirmImport(importReport)}
          onChoose={choose}
        />
      ) : null}
    </div>
  );
}

function StoryRow(props: {
  summary: StorySummary;
  conflicted: boolean;
  ready: boolean;
  busy: boolean;
  onDuplicate(): void;
  onDelete(): void;
  onExport(format: ExportFormat): void;
}): ReactNode {
  const { summary } = props;
  const counts = { error: summary.problem_counts.error ?? 0, warning: summary.problem_counts.warning ?? 0, info: summary.problem_counts.info ?? 0 };
  const disabled = !props.ready || props.busy;
  return (
    <li className="story-row" data-testid="story-row" data-story-id={summary.story_id}>
      <div style={{ minWidth: 0 }}>
        <a className="story-title serif" href={href({ screen: "editor", storyId: summary.story_id })}>
          {summary.title}
        </a>
        {props.conflicted ? (
          <span className="badge warning conflict-badge" data-testid="story-conflict-badge" title="Changed in two places at once: open the story to pick the value to keep">
            ⇄ conflict
          </span>
        ) : null}
        <span className="story-meta row-sub">
          {summary.chapter_count} {summary.chapter_count === 1 ? "chapter" : "chapters"} · {formatWhen(summary.updated_at_utc)}
        </span>
        <StoryProgress summary={summary} />
      </div>
      <span className="story-meta col-chapters">
        {summary.chapter_count} {summary.chapter_count === 1 ? "chapter" : "chapters"}
      </span>
      <span className="problem-badges col-problems" aria-label={`${counts.error} errors, ${counts.warning} warnings`}>
        {counts.error + counts.warning + counts.info === 0 ? (
          <span className="badge clean">✓ clean</span>
        ) : (
          <>
            {counts.error > 0 ? <span className="badge error">● {counts.error}</span> : null}
            {counts.warning > 0 ? <span className="badge warning">▲ {counts.warning}</span> : null}
            {counts.info > 0 && counts.error + counts.warning === 0 ? <span className="badge info">ℹ {counts.info}</span> : null}
          </>
        )}
      </span>
      <span className="story-meta col-edited" title={summary.updated_at_utc}>
        {formatWhen(summary.updated_at_utc)}
      </span>
      <span className="row-actions">
        <RowMenu title={summary.title} disabled={disabled} onDuplicate={props.onDuplicate} onDelete={props.onDelete} onExport={props.onExport} />
      </span>
    </li>
  );
}

/**
 * Chapters by status and the manuscript's words, as the core counted them when the story was
 * last saved (a summary stored by an older studio has neither: nothing is shown).
 */
function StoryProgress({ summary }: { summary: StorySummary }): ReactNode {
  const statuses = statusSummary(summary.status_counts);
  const words = summary.word_count ?? 0;
  if (!statuses && words === 0) return null;
  return (
    <span className="story-meta library-progress" data-testid="story-progress">
      {[statuses, words > 0 ? wordsLabel(words) : ""].filter(Boolean).join(" · ")}
    </span>
  );
}

/** The row's actions behind one "More" button (a native <details> disclosure menu). */
function RowMenu(props: { title: string; disabled: boolean; onDuplicate(): void; onDelete(): void; onExport(format: ExportFormat): void }): ReactNode {
  const ref = useRef<HTMLDetailsElement>(null);
  const close = (): void => {
    if (ref.current) ref.current.open = false;
  };
  const item = (label: string, action: () => void, danger = false): ReactNode => (
    <button
      type="button"
      className={`btn ghost small${danger ? " danger" : ""}`}
      disabled={props.disabled}
      onClick={() => {
        close();
        action();
      }}
    >
      {label}
    </button>
  );
  return (
    <details ref={ref} className="row-menu">
      <summary className="btn ghost small" aria-label={`Actions for ${props.title}`}>
        ⋯
      </summary>
      <div className="menu-pop" role="group" aria-label={`Actions for ${props.title}`}>
        {item("Duplicate", props.onDuplicate)}
        {item("Export JSON", () => props.onExport("story"))}
        {item("Export blueprint only (.json)", () => props.onExport("json"))}
        {item("Export Markdown bible", () => props.onExport("md"))}
        {item("Delete", props.onDelete, true)}
      </div>
    </details>
  );
}
