/**
 * The core's diagnostics, grouped by severity; each one jumps to (and focuses) its field.
 * Notes of one kind fold into one line, a filter hides the notes, and the count's colour is
 * the worst severity present.
 */
import { memo, useMemo, useState, type ReactNode } from "react";
import type { Diagnostic, EditOp, Severity, StoryBlueprint } from "../service/types";
import { fixesOf } from "./fixes";
import { placeOf } from "./places";
import { useScreenRequests } from "../model/screen-requests";
import { sameDiagnostics } from "../model/diagnostic-list";
import { bySeverity, SEVERITIES } from "./diagnostics";
import { panelLines, type PanelLine } from "./problem-folds";

const HEADINGS = { error: "Errors", warning: "Warnings", info: "Notes" } as const;
const GLYPH = { error: "●", warning: "▲", info: "ℹ" } as const;
/** Problems shown per group before "Show all": a 1,000-chapter draft has 1,000 notes. */
const PAGE = 100;
const CHIP = { error: "bad", warning: "warn", info: "note" } as const;
/** The "Hide notes" choice, kept per browser like the theme. */
const HIDE_NOTES_KEY = "story-gen.hide-notes";

function readHideNotes(): boolean {
  try {
    return localStorage.getItem(HIDE_NOTES_KEY) === "1";
  } catch {
    return false; // storage blocked: notes shown
  }
}

function keepHideNotes(hide: boolean): void {
  try {
    localStorage.setItem(HIDE_NOTES_KEY, hide ? "1" : "0");
  } catch {
    // storage blocked: the choice lasts until the page is closed
  }
}

export const ProblemsPanel = memo(function ProblemsPanel(props: {
  diagnostics: readonly Diagnostic[];
  /** To name each problem's place in story terms (a chapter by its title). */
  blueprint?: StoryBlueprint | null;
  diagnosed: boolean;
  onJump?(path: string): void;
  /** Apply a one-click fix (absent while read-only: no fix buttons). */
  onFix?: ((op: EditOp) => void) | undefined;
}): ReactNode {
  const groups = useMemo(() => bySeverity(props.diagnostics), [props.diagnostics]);
  const total = props.diagnostics.length;
  const worst = SEVERITIES.find((s) => groups[s].length > 0) ?? null;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [hideNotes, setHideNotes] = useState(readHideNotes);
  const shown = SEVERITIES.filter((s) => groups[s].length > 0 && !(hideNotes && s === "info"));
  const more = (id: string, count: number): ReactNode =>
    !expanded.has(id) && count > PAGE ? (
      <button type="button" className="btn small ghost" style={{ margin: "0 14px 10px" }} onClick={() => setExpanded((e) => new Set([...e, id]))}>
        Show all {count}
      </button>
    ) : null;
  const rows = (id: string, list: readonly Diagnostic[]): ReactNode =>
    keyed(expanded.has(id) ? list : list.slice(0, PAGE)).map(([key, d]) => <ProblemRow key={key} diagnostic={d} place={placeOf(d.path, props.blueprint)} onJump={props.onJump} onFix={props.onFix} />);
  const lines = useMemo(() => ({ error: panelLines(groups.error, "error"), warning: panelLines(groups.warning, "warning"), info: panelLines(groups.info, "info") }), [groups]);
  // Keys for the lines shown only (at most PAGE): they need to be unique among siblings.
  const visibleLines = (severity: Severity): [string, PanelLine][] => {
    const shownLines = expanded.has(severity) ? lines[severity] : lines[severity].slice(0, PAGE);
    const keys = new Map(keyed(shownLines.flatMap((line) => (line.kind === "one" ? [line.diagnostic] : []))).map(([key, d]) => [d, key]));
    return shownLines.map((line) => [line.kind === "one" ? keys.get(line.diagnostic)! : `fold|${line.code}`, line]);
  };
  return (
    <aside className="problems" aria-labelledby="problems-h" data-testid="problems-panel">
      <header>
        <h2 id="problems-h">Problems</h2>
        <span className={`chip ${worst === null ? "ok" : CHIP[worst]}`} aria-live="polite" data-testid="problem-count" data-worst={worst ?? "none"}>
          {props.diagnosed ? (total === 0 ? "none" : `${total}`) : "…"}
        </span>
        {groups.info.length > 0 ? (
          <label className="notes-filter">
            <input
              type="checkbox"
              checked={hideNotes}
              onChange={(e) => {
                setHideNotes(e.target.checked);
                keepHideNotes(e.target.checked);
              }}
            />{" "}
            Hide notes
          </label>
        ) : null}
      </header>
      {!props.diagnosed ? (
        <p className="clean muted">Diagnostics appear once the studio has started.</p>
      ) : total === 0 ? (
        <p className="clean">✓ No problems: the blueprint is consistent.</p>
      ) : (
        <>
          {shown.map((severity: Severity) => (
            <section key={severity} aria-label={HEADINGS[severity]} data-testid={`problems-${severity}`}>
              <h3 className={severity}>
                <span aria-hidden="true">{GLYPH[severity]}</span> {HEADINGS[severity]} ({groups[severity].length})
              </h3>
              <ul>
                {visibleLines(severity).map(([key, line]) =>
                  line.kind === "one" ? (
                    <ProblemRow key={key} diagnostic={line.diagnostic} place={placeOf(line.diagnostic.path, props.blueprint)} onJump={props.onJump} onFix={props.onFix} />
                  ) : (
                    <li key={key} className="problem-fold" data-testid="problem-fold" data-code={line.code}>
                      <details>
                        <summary>
                          <span aria-hidden="true">{GLYPH[severity]}</span> {line.label}
                        </summary>
                        <ul>{rows(`fold|${line.code}`, line.items)}</ul>
                        {more(`fold|${line.code}`, line.items.length)}
                      </details>
                    </li>
                  ),
                )}
              </ul>
              {more(severity, lines[severity].length)}
            </section>
          ))}
          {hideNotes && groups.info.length > 0 ? (
            <p className="clean muted" data-testid="notes-hidden">
              {groups.info.length} {groups.info.length === 1 ? "note" : "notes"} hidden.
            </p>
          ) : null}
        </>
      )}
    </aside>
  );
});

/**
 * Keys by what a problem is (code and place), not by its position: when one problem goes
 * (a keystroke filled an empty draft) the rows after it keep their DOM instead of all changing.
 */
function keyed(list: readonly Diagnostic[]): [string, Diagnostic][] {
  const seen = new Map<string, number>();
  return list.map((d) => {
    const base = `${d.code}|${d.path}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return [n === 0 ? base : `${base}|${n}`, d];
  });
}

const ProblemRow = memo(function ProblemRow({
  diagnostic: d,
  place,
  onJump,
  onFix,
}: {
  diagnostic: Diagnostic;
  place: string;
  onJump: ((path: string) => void) | undefined;
  onFix: ((op: EditOp) => void) | undefined;
}): ReactNode {
  const requests = useScreenRequests();
  const fixes = onFix ? fixesOf(d) : [];
  return (
    <li>
      <button
        type="button"
        className="problem"
        data-code={d.code}
        onClick={() => {
          onJump?.(d.path);
          requests.focusPath(d.path);
        }}
      >
        <span className="place">{place}</span>
        {d.message}
        {d.hint ? <span className="hint">{d.hint}</span> : null}
        <span className="path mono">{d.path || "whole story"}</span>
      </button>
      {fixes.length > 0 && onFix ? (
        <div className="problem-fixes" role="group" aria-label={`Fixes for: ${d.message}`}>
          {fixes.map((fix) => (
            <button key={fix.label} type="button" className="btn small" data-testid="problem-fix" onClick={() => onFix(fix.op)}>
              {fix.label}
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}, (a, b) => a.onJump === b.onJump && a.onFix === b.onFix && a.place === b.place && sameDiagnostics([a.diagnostic], [b.diagnostic]));
