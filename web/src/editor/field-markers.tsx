/** A field's inline problem markers and the frame class its worst problem gives it. */
import type { ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { worstSeverity } from "./diagnostics";

export function Markers({ problems, id }: { problems: readonly Diagnostic[]; id?: string }): ReactNode {
  if (problems.length === 0) return null;
  return (
    <div id={id} className="markers" data-testid="field-problems">
      {problems.map((d, i) => (
        <div key={`${d.code}-${d.path}-${i}`} className={`marker ${d.severity}`}>
          <span aria-hidden="true">{d.severity === "error" ? "●" : d.severity === "warning" ? "▲" : "ℹ"}</span>
          <span>
            <span className="visually-hidden">{d.severity}: </span>
            {d.message}
            {d.hint ? <span className="muted"> {d.hint}</span> : null}
          </span>
        </div>
      ))}
    </div>
  );
}

/** The field's frame class for its worst problem. */
export function severityClass(problems: readonly Diagnostic[]): string {
  const worst = worstSeverity(problems);
  return worst === "error" ? " has-error" : worst === "warning" ? " has-warning" : "";
}
