/**
 * The conflicts of one story, in story terms: where (the field), this device's value beside the
 * other device's (a text as a word diff), and keep mine / keep theirs / write a merged value.
 * Resolving is an edit (`conflicts.resolve`), saved and synced like any other.
 */
import { useState, type ReactNode } from "react";
import type { Conflict } from "../generated/facade";
import { wordDiff } from "./word-diff";

export type Resolve = (conflictId: string, choice: "ours" | "theirs" | "custom", value?: unknown) => Promise<void>;

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** "chapters[rabbit-hole].draft_text" -> "chapter rabbit-hole, draft text". */
export function placeOf(path: string): string {
  return path
    .replace(/^blueprint\./, "")
    .split(".")
    .map((part) => {
      const m = /^(\w+?)s?\[([^\]]+)\]$/.exec(part);
      return m ? `${m[1]} ${m[2]}` : part.replace(/_/g, " ");
    })
    .join(", ");
}

/** The side this device wrote (from `sync.status`'s `my_side`); "ours" when not known. */
export type MySide = (conflictId: string) => "ours" | "theirs" | undefined;

function OneConflict(props: { conflict: Conflict; mySide: MySide; onResolve: Resolve }): ReactNode {
  const { conflict } = props;
  const mineSide = props.mySide(conflict.conflict_id);
  const known = mineSide !== undefined;
  const mySide = mineSide ?? "ours";
  const otherSide = mySide === "ours" ? "theirs" : "ours";
  const mine = text(conflict[mySide]);
  const theirs = text(conflict[otherSide]);
  const [merged, setMerged] = useState<string | null>(null);
  const isText = typeof conflict.ours === "string" && typeof conflict.theirs === "string";
  return (
    <li className="sync-conflict" data-testid="sync-conflict">
      <h3>{placeOf(conflict.path)}</h3>
      {conflict.message ? <p className="account-note">{conflict.message}</p> : null}
      <div className="sync-conflict-sides">
        <div>
          <span className="field-label">{known ? "This device" : "One edit"}</span>
          <p className="serif sync-value" data-testid="sync-conflict-mine">{mine || "(nothing)"}</p>
        </div>
        <div>
          <span className="field-label">{known ? "The other device" : "The other edit"}</span>
          <p className="serif sync-value" data-testid="sync-conflict-theirs">{theirs || "(nothing)"}</p>
        </div>
      </div>
      {isText && mine && theirs ? (
        <p className="serif sync-diff" aria-label="What changes from this device's text to the other's" data-testid="sync-conflict-diff">
          {wordDiff(mine, theirs).map((part, index) =>
            part.kind === "same" ? (
              <span key={index}>{part.text}</span>
            ) : part.kind === "removed" ? (
              <del key={index}>{part.text}</del>
            ) : (
              <ins key={index}>{part.text}</ins>
            ),
          )}
        </p>
      ) : null}
      {merged !== null ? (
        <>
          <label className="field-label" htmlFor={`merged-${conflict.conflict_id}`}>
            Merged value
          </label>
          <textarea id={`merged-${conflict.conflict_id}`} rows={4} value={merged} onChange={(e) => setMerged(e.target.value)} />
        </>
      ) : null}
      <div className="account-buttons">
        <button type="button" className="btn small" onClick={() => void props.onResolve(conflict.conflict_id, mySide)}>
          Keep mine
        </button>
        <button type="button" className="btn small" onClick={() => void props.onResolve(conflict.conflict_id, otherSide)}>
          Keep theirs
        </button>
        {merged === null ? (
          <button type="button" className="btn small ghost" onClick={() => setMerged(isText ? `${mine}\n${theirs}` : mine)}>
            Write a merged value
          </button>
        ) : (
          <button
            type="button"
            className="btn small primary"
            onClick={() => void props.onResolve(conflict.conflict_id, "custom", isText ? merged : (JSON.parse(merged) as unknown))}
          >
            Keep the merged value
          </button>
        )}
      </div>
    </li>
  );
}

export function ConflictView(props: { conflicts: readonly Conflict[]; mySide: MySide; onResolve: Resolve }): ReactNode {
  if (props.conflicts.length === 0) return <p>No conflicts left in this story.</p>;
  return (
    <ul className="sync-conflicts">
      {props.conflicts.map((c) => (
        <OneConflict key={c.conflict_id} conflict={c} mySide={props.mySide} onResolve={props.onResolve} />
      ))}
    </ul>
  );
}
