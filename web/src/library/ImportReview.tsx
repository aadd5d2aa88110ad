/**
 * The import review: what the core found in each file before anything is stored. A file the
 * studio cannot read is listed with why; a readable one is imported on the writer's word,
 * problems included (the editor lists them to fix); a story already in the library is offered
 * as replace / keep both / skip.
 */
import { useId, type ReactNode } from "react";
import type { Diagnostic, StoryImportResult } from "../service/types";
import { Dialog } from "../ui/Dialog";
import { bySeverity, SEVERITIES } from "../editor/diagnostics";
import { panelLines } from "../editor/problem-folds";
import type { ImportSource } from "./importing";

export type OnExisting = "replace" | "keep_both" | "skip";

export interface ReviewItem {
  readonly source: ImportSource;
  /** The dry run's answer; null when the file could not even be read. */
  readonly result: StoryImportResult | null;
  readonly choice: OnExisting;
}

export interface ImportReview {
  /** The picked file's name (an archive's, for its stories). */
  readonly file: string;
  readonly items: readonly ReviewItem[];
}

export function importable(item: ReviewItem): item is ReviewItem & { result: StoryImportResult; source: { content: string } } {
  return item.result !== null && item.result.importable && item.source.content !== undefined;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function problemSummary(diagnostics: readonly Diagnostic[]): string {
  const g = bySeverity(diagnostics);
  const parts = [
    g.error.length ? plural(g.error.length, "error", "errors") : "",
    g.warning.length ? plural(g.warning.length, "warning", "warnings") : "",
    g.info.length ? plural(g.info.length, "note", "notes") : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no problems";
}

export function ImportReviewDialog(props: {
  review: ImportReview;
  busy: boolean;
  onClose(): void;
  onImport(): void;
  onChoose(index: number, choice: OnExisting): void;
}): ReactNode {
  const { review } = props;
  const readable = review.items.filter(importable);
  const single = review.items.length === 1 ? review.items[0]! : null;
  const title = readable.length > 0 ? `Import ${review.file}?` : `${review.file} was not imported`;
  return (
    <Dialog
      title={title}
      onClose={props.onClose}
      testId="import-report"
      wide
      footer={
        readable.length > 0 ? (
          <>
            <button type="button" className="btn" onClick={props.onClose}>
              Cancel
            </button>
            <button type="button" className="btn primary" disabled={props.busy} onClick={props.onImport} data-testid="import-confirm">
              Import
            </button>
          </>
        ) : (
          <button type="button" className="btn" onClick={props.onClose}>
            Close
          </button>
        )
      }
    >
      {readable.length === 0 ? (
        <div className="banner error" role="alert">
          <span className="grow">
            The studio cannot read {review.items.length === 1 ? "this file" : "any story in this archive"}, so nothing was stored and your library is
            unchanged. Fix what is listed below and import again:
          </span>
        </div>
      ) : (
        <div className="banner info" role="status">
          <span className="grow">{summary(review, readable.length, single)}</span>
        </div>
      )}
      {single ? (
        <>
          {single.result?.existing ? <ExistingChoice item={single} index={0} onChoose={props.onChoose} /> : null}
          <DiagnosticList diagnostics={diagnosticsOf(single)} />
        </>
      ) : (
        <ul className="import-items" aria-label="Stories in the archive">
          {review.items.map((item, index) => (
            <li key={item.source.file} className="import-item" data-testid="import-item">
              <div>
                <strong className="serif">{item.result?.title ?? item.source.file}</strong>{" "}
                <span className="muted">
                  {importable(item) ? `${plural(item.result.chapter_count ?? 0, "chapter", "chapters")} · ${problemSummary(item.result.diagnostics)}` : "cannot be read"}
                </span>
              </div>
              {importable(item) && item.result.existing ? <ExistingChoice item={item} index={index} onChoose={props.onChoose} /> : null}
              {diagnosticsOf(item).length > 0 ? (
                <details open={!importable(item)}>
                  <summary className="muted">
                    {item.source.file}: {importable(item) ? problemSummary(item.result.diagnostics) : "why it cannot be read"}
                  </summary>
                  <DiagnosticList diagnostics={diagnosticsOf(item)} />
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

function summary(review: ImportReview, readable: number, single: ReviewItem | null): string {
  if (single && importable(single)) {
    const { result } = single;
    const chapters = result.chapter_count === null ? "" : `, ${plural(result.chapter_count, "chapter", "chapters")},`;
    const errors = bySeverity(result.diagnostics).error.length;
    const found =
      result.diagnostics.length === 0
        ? "has no problems."
        : errors > 0
          ? `has ${problemSummary(result.diagnostics)}, listed below. You can import it as it is and fix them in the editor, which lists every problem.`
          : `can be imported; the points below can be fixed in the editor afterwards.`;
    return `Nothing is stored yet. “${result.title ?? review.file}”${chapters} ${found} Import adds it to your library.`;
  }
  const unreadable = review.items.length - readable;
  return `Nothing is stored yet. ${review.file} holds ${plural(review.items.length, "story file", "story files")}: ${plural(readable, "story", "stories")} can be imported${
    unreadable > 0 ? `, ${unreadable} cannot be read and will be left out` : ""
  }. Import adds them to your library.`;
}

function diagnosticsOf(item: ReviewItem): Diagnostic[] {
  if (item.result) return item.result.diagnostics;
  return [{ severity: "error", code: "import.unreadable", path: "", message: item.source.refusal ?? "The file cannot be read.", hint: null }];
}

function ExistingChoice({ item, index, onChoose }: { item: ReviewItem; index: number; onChoose(index: number, choice: OnExisting): void }): ReactNode {
  const name = useId();
  const existing = item.result?.existing;
  if (!existing) return null;
  const options: [OnExisting, string][] = [
    ["replace", "Replace it with the file's version (one step you can undo in the editor)"],
    ["keep_both", `Keep both (the file's version is added as “${item.result?.title ?? existing.title} (copy)”)`],
    ["skip", "Skip this story"],
  ];
  return (
    <fieldset className="import-existing" data-testid="import-existing">
      <legend>
        “{existing.title}” is already in your library{existing.in_trash ? " (in the Trash)" : ""}.
      </legend>
      {options.map(([value, label]) => (
        <label key={value} className="radio">
          <input type="radio" name={name} value={value} checked={item.choice === value} onChange={() => onChoose(index, value)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

function DiagnosticList({ diagnostics }: { diagnostics: readonly Diagnostic[] }): ReactNode {
  const groups = bySeverity(diagnostics);
  return (
    <div data-testid="import-diagnostics">
      {SEVERITIES.filter((s) => groups[s].length > 0).map((severity) => (
        <section key={severity}>
          <h3 className={`marker ${severity}`} style={{ fontSize: 13, textTransform: "uppercase", letterSpacing: "0.06em", margin: "12px 0 4px" }}>
            {severity === "error" ? "Errors" : severity === "warning" ? "Warnings" : "Notes"} ({groups[severity].length})
          </h3>
          <ul className="change-list">
            {panelLines(groups[severity], severity).map((line, i) =>
              line.kind === "one" ? (
                <DiagnosticItem key={i} d={line.diagnostic} />
              ) : (
                <li key={i}>
                  <details>
                    <summary>{line.label}</summary>
                    <ul className="change-list">
                      {line.items.map((d, j) => (
                        <DiagnosticItem key={j} d={d} />
                      ))}
                    </ul>
                  </details>
                </li>
              ),
            )}
          </ul>
        </section>
      ))}
    </div>
  );
}

function DiagnosticItem({ d }: { d: Diagnostic }): ReactNode {
  return (
    <li>
      <span className="mono muted">{d.path || "(whole file)"}</span> — {d.message}
      {d.hint ? <span className="muted"> {d.hint}</span> : null}
    </li>
  );
}
