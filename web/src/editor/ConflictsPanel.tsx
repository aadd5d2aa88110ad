/**
 * Merge conflicts from two tabs (or devices) editing the same field: both values are kept with
 * the story; the writer picks one. The story already shows the provisional value. A conflict a
 * sync brought says "This device" / "Other device" (from the sync status's `my_side`).
 */
import type { ReactNode } from "react";
import type { Conflict } from "../service/types";
import type { SyncStatus } from "../generated/facade";
import { sideLabels, type Side } from "../sync/conflict-marks";
import { useScreenRequests } from "../model/screen-requests";

function show(value: unknown): string {
  if (value === null || value === undefined) return "(nothing)";
  if (typeof value === "string") return value || "(empty)";
  return JSON.stringify(value);
}

function shown(c: Conflict, side: Side): boolean {
  return side === "theirs" ? c.provisional === "theirs" : c.provisional !== "theirs";
}

function sidesInOrder(c: Conflict, mySide: SyncStatus["my_side"]): { side: Side; label: string }[] {
  const { first, labels } = sideLabels(c.conflict_id, mySide);
  const second: Side = first === "ours" ? "theirs" : "ours";
  return [first, second].map((side) => ({ side, label: labels[side] }));
}

export function ConflictsPanel(props: { conflicts: readonly Conflict[]; readOnly: boolean; mySide?: SyncStatus["my_side"]; onResolve(conflictId: string, choice: "ours" | "theirs"): void }): ReactNode {
  const requests = useScreenRequests();
  if (props.conflicts.length === 0) return null;
  return (
    <section className="banner info conflicts" aria-labelledby="conflicts-h" data-testid="conflicts-panel">
      <div className="grow">
        <h2 id="conflicts-h" style={{ fontSize: 15, marginBottom: 6 }}>
          {props.conflicts.length} edit{props.conflicts.length === 1 ? "" : "s"} made in two places at once
        </h2>
        <p className="muted" style={{ margin: "0 0 8px" }}>
          Both versions are kept with the story. The one marked “shown” is in the editor now; pick the one to keep.
        </p>
        <ul className="conflict-list">
          {props.conflicts.map((c) => (
            <li key={c.conflict_id} data-testid="conflict">
              <button type="button" className="btn ghost small mono" onClick={() => requests.focusPath(c.path)}>
                {c.path}
              </button>
              {c.message ? <span className="muted"> {c.message}</span> : null}
              <div className="conflict-sides">
                {sidesInOrder(c, props.mySide).map(({ side, label }) => (
                  <div key={side} data-testid={`conflict-${side}`}>
                    <span className="field-label">
                      {label}
                      {shown(c, side) ? " (shown)" : ""}
                    </span>
                    <p className="serif">{show(c[side])}</p>
                    <button type="button" className="btn small" disabled={props.readOnly} onClick={() => props.onResolve(c.conflict_id, side)}>
                      Keep this
                    </button>
                  </div>
                ))}
              </div>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
