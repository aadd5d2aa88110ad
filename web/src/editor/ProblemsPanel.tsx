/** The core's diagnostics, grouped by severity; each one jumps to (and focuses) its field. */
import { memo, useState, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { bySeverity, focusPath, sameDiagnostics, SEVERITIES } from "./diagnostics";

const HEADINGS = { error: "Errors", warning: "Warnings", info: "Notes" } as const;
const GLYPH = { error: "●", warning: "▲", info: "ℹ" } as const;
/** Problems shown per group before "Show all": a 1,000-chapter draft has 1,000 notes. */
const PAGE = 100;

export const ProblemsPanel = memo(function ProblemsPanel(props: {
  diagnostics: readonly Diagnostic[];
  diagnosed: boolean;
  onJump?(path: string): void;
}): ReactNode {
  const groups = bySeverity(props.diagnostics);
  const total = props.diagnostics.length;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  return (
    <aside className="problems" aria-labelledby="problems-h" data-testid="problems-panel">
      <header>
        <h2 id="problems-h">Problems</h2>
        <span className={`chip ${total === 0 ? "ok" : groups.error.length > 0 ? "bad" : "warn"}`} aria-live="polite" data-testid="problem-count">
          {props.diagnosed ? (total === 0 ? "none" : `${total}`) : "…"}
        </span>
      </header>
      {!props.diagnosed ? (
        <p className="clean muted">Diagnostics appear once the studio has started.</p>
      ) : total === 0 ? (
        <p className="clean">✓ No problems: the blueprint is consistent.</p>
      ) : (
        SEVERITIES.filter((s) => groups[s].length > 0).map((severity) => (
          <section key={severity} aria-label={HEADINGS[severity]} data-testid={`problems-${severity}`}>
            <h3 className={severity}>
              <span aria-hidden="true">{GLYPH[severity]}</span> {HEADINGS[severity]} ({groups[severity].length})
            </h3>
            <ul>
              {keyed(expanded.has(severity) ? groups[severity] : groups[severity].slice(0, PAGE)).map(([key, d]) => (
                <ProblemRow key={key} diagnostic={d} onJump={props.onJump} />
              ))}
            </ul>
            {!expanded.has(severity) && groups[severity].length > PAGE ? (
              <button type="button" className="btn small ghost" style={{ margin: "0 14px 10px" }} onClick={() => setExpanded((e) => new Set([...e, severity]))}>
                Show all {groups[severity].length}
              </button>
            ) : null}
          </section>
        ))
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

const ProblemRow = memo(function ProblemRow({ diagnostic: d, onJump }: { diagnostic: Diagnostic; onJump: ((path: string) => void) | undefined }): ReactNode {
  return (
    <li>
      <button
        type="button"
        className="problem"
        data-code={d.code}
        onClick={() => {
          onJump?.(d.path);
          focusPath(d.path);
        }}
      >
        {d.message}
        {d.hint ? <span className="hint">{d.hint}</span> : null}
        <span className="path mono">{d.path || "whole story"}</span>
      </button>
    </li>
  );
}, (a, b) => a.onJump === b.onJump && sameDiagnostics([a.diagnostic], [b.diagnostic]));
