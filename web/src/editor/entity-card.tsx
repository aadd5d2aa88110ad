/**
 * The frame every entity shares: its section (heading, count, "+ Add"), the collapsible card
 * (key, title, problem badge, move / rename / delete), and long lists drawn in chunks.
 */
import { useContext, type ReactNode } from "react";
import { EarlyTyping } from "../pending/editable";
import type { Diagnostic, EditOp, EntityKind } from "../service/types";
import { COLLECTION } from "../service/text-rules";
import { problemsAt, worstSeverity } from "./diagnostics";
import { Markers } from "./field-markers";

/**
 * Send one edit; resolves when the service answered. `continuesTyping`: a later keystroke of
 * one burst of typing in one text (the service keeps the burst as one undo step).
 */
export type Send = (op: EditOp, continuesTyping?: boolean) => Promise<void>;

export function EntitySection(props: {
  kind: EntityKind;
  title: string;
  count: number;
  readOnly: boolean;
  onAdd(): void;
  children: ReactNode;
}): ReactNode {
  const id = COLLECTION[props.kind];
  const starting = useContext(EarlyTyping);
  return (
    <section className="section" id={id} data-testid={`section-${id}`} aria-labelledby={`${id}-h`} data-path={id}>
      <header>
        <h2 id={`${id}-h`}>
          {props.title} <span className="count muted">{props.count}</span>
        </h2>
        {props.readOnly && starting ? (
          // Adding needs the core: shown, waiting for it.
          <span className="row">
            <button type="button" className="btn small" disabled aria-describedby={`${id}-starting`}>
              + Add {props.kind}
            </button>
            <span id={`${id}-starting`} className="muted" data-testid="starting-note">
              starting…
            </span>
          </span>
        ) : props.readOnly ? null : (
          <button type="button" className="btn small" onClick={props.onAdd}>
            + Add {props.kind}
          </button>
        )}
      </header>
      <div className="body">
        {props.count === 0 ? <p className="muted">No {id} yet.</p> : null}
        {props.children}
      </div>
    </section>
  );
}

/** Cards per chunk, and the smallest list that is chunked. */
const CHUNK = 40;

/**
 * A long list of cards in chunks the browser skips while off screen (CSS `.entity-chunk`:
 * `content-visibility: auto`): a 1,000-chapter story lays out and paints the 2-3 chunks in
 * view, not 1,000 cards, and tracks 25 chunks' visibility instead of 1,000 cards'. Every card
 * stays in the DOM (find in page, the accessibility tree, a jump to any problem, tests).
 */
export function inChunks(cards: ReactNode[]): ReactNode {
  if (cards.length <= CHUNK) return cards;
  const chunks: ReactNode[] = [];
  for (let start = 0; start < cards.length; start += CHUNK) {
    const slice = cards.slice(start, start + CHUNK);
    chunks.push(
      <div key={`chunk-${start}`} className="entity-chunk" style={{ containIntrinsicSize: `auto ${slice.length * 60}px` }}>
        {slice}
      </div>,
    );
  }
  return chunks;
}

export interface EntityActions {
  onRename(kind: EntityKind, key: string): void;
  onDelete(kind: EntityKind, key: string): void;
  onMove(kind: EntityKind, key: string, to: number): void;
}

export interface CardProps {
  position: number;
  total: number;
  open: boolean;
  onToggle(path: string, open: boolean): void;
  /** This entity's problems only (a stable array while they do not change). */
  problems: readonly Diagnostic[];
  readOnly: boolean;
  send: Send;
  actions: EntityActions;
}

export function EntityCard(props: {
  kind: EntityKind;
  entityKey: string;
  title: string;
  path: string;
  card: CardProps;
  aside?: ReactNode;
  children: () => ReactNode;
}): ReactNode {
  const { card, kind, entityKey } = props;
  const worst = worstSeverity(card.problems);
  return (
    <details
      className="entity"
      open={card.open}
      data-path={props.path}
      data-testid={`${kind}-${entityKey}`}
      onToggle={(e) => card.onToggle(props.path, (e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        <span className="caret" aria-hidden="true">
          ▸
        </span>
        <span className="entity-key mono">{entityKey}</span>
        <span className="entity-title">{props.title}</span>
        {props.aside}
        {worst ? (
          <span className={`badge ${worst}`} title={`${card.problems.length} problem(s)`}>
            {card.problems.length}
            <span className="visually-hidden"> problem{card.problems.length === 1 ? "" : "s"}</span>
          </span>
        ) : null}
      </summary>
      {card.open ? (
        <div className="entity-body">
          {props.children()}
          <Markers problems={problemsAt(card.problems, props.path)} />
          {card.readOnly ? null : (
            <div className="entity-actions">
              <button type="button" className="btn small ghost" disabled={card.position === 0} onClick={() => card.actions.onMove(kind, entityKey, card.position - 1)}>
                ↑ Move up
              </button>
              <button
                type="button"
                className="btn small ghost"
                disabled={card.position === card.total - 1}
                onClick={() => card.actions.onMove(kind, entityKey, card.position + 1)}
              >
                ↓ Move down
              </button>
              <button type="button" className="btn small" onClick={() => card.actions.onRename(kind, entityKey)}>
                Rename key…
              </button>
              <button type="button" className="btn small danger" onClick={() => card.actions.onDelete(kind, entityKey)}>
                Delete…
              </button>
            </div>
          )}
        </div>
      ) : null}
    </details>
  );
}
