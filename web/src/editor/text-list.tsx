/** Lists of short texts (canon rules, voice markers), each item typed into like a text field. */
import { useId, useState, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { useDraft, type CommitText } from "./draft";
import { isBlank } from "../service/text-rules";
import { named, ReorderItem, ReorderList } from "./reorder";
import { useTextReadOnly } from "../pending/editable";
import { Markers, severityClass } from "./field-markers";

/** An ordered list of short texts (canon rules, voice markers): edit, add, remove, reorder. */
export function TextListEditor(props: {
  label: string;
  itemLabel: string;
  path: string;
  items: readonly string[];
  problemsAt(path: string): readonly Diagnostic[];
  readOnly: boolean;
  onSet(index: number, value: string, continuesTyping: boolean): Promise<unknown> | void;
  onAdd(value: string): void;
  onRemove(index: number): void;
  onMove(from: number, to: number): void;
  testId?: string;
}): ReactNode {
  const [adding, setAdding] = useState("");
  const addId = useId();
  return (
    <div className="list-editor" data-path={props.path} data-testid={props.testId}>
      {props.items.length === 0 ? <p className="muted">No {props.label.toLowerCase()} yet.</p> : null}
      <ReorderList
        count={props.items.length}
        readOnly={props.readOnly}
        nameOf={(i) => named(props.itemLabel.toLowerCase(), props.items[i] ?? "")}
        onMove={props.onMove}
        testId={`reorder-announcement-${props.path}`}
      >
      {props.items.map((item, index) => (
        <ReorderItem key={index} id={String(index)} index={index}>
        <ListItem
          // By position: the item's text changes as the writer types, and a new key would
          // remount the input under their fingers. A moved or removed item's field adopts the
          // stored text as soon as it is not being edited (draft.ts).
          key={index}
          label={`${props.itemLabel} ${index + 1}`}
          path={`${props.path}[${index}]`}
          value={item}
          problems={props.problemsAt(`${props.path}[${index}]`)}
          readOnly={props.readOnly}
          first={index === 0}
          last={index === props.items.length - 1}
          onCommit={(value, continuesTyping) => (isBlank(value) ? props.onRemove(index) : props.onSet(index, value, continuesTyping))}
          onRemove={() => props.onRemove(index)}
          onUp={() => props.onMove(index, index - 1)}
          onDown={() => props.onMove(index, index + 1)}
        />
        </ReorderItem>
      ))}
      </ReorderList>
      {props.readOnly ? null : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!isBlank(adding)) {
              props.onAdd(adding);
              setAdding("");
            }
          }}
        >
          <label htmlFor={addId} className="visually-hidden">
            New {props.itemLabel.toLowerCase()}
          </label>
          <input
            id={addId}
            className="input"
            value={adding}
            placeholder={`Add a ${props.itemLabel.toLowerCase()}…`}
            onChange={(e) => setAdding(e.target.value)}
          />
          <button type="submit" className="btn small" disabled={isBlank(adding)}>
            Add
          </button>
        </form>
      )}
    </div>
  );
}

const HOLD_BLANK = { hold: isBlank };

function ListItem(props: {
  label: string;
  path: string;
  value: string;
  problems: readonly Diagnostic[];
  readOnly: boolean;
  first: boolean;
  last: boolean;
  onCommit: CommitText;
  onRemove(): void;
  onUp(): void;
  onDown(): void;
}): ReactNode {
  // An item emptied while typing is not removed mid-word: only when the writer leaves it.
  const draft = useDraft(props.value, props.onCommit, HOLD_BLANK);
  const textReadOnly = useTextReadOnly(props.readOnly, props.path);
  return (
    <div>
      <div className={`row${severityClass(props.problems)}`}>
        <input
          className="input"
          aria-label={props.label}
          data-path={props.path}
          value={draft.value}
          readOnly={textReadOnly}
          onChange={(e) => draft.onChange(e.target.value)}
          onFocus={draft.onFocus}
          onBlur={draft.onBlur}
        />
        {props.readOnly ? null : (
          <>
            <button type="button" className="btn ghost small icon" aria-label={`Move ${props.label} up`} disabled={props.first} onClick={props.onUp}>
              ↑
            </button>
            <button type="button" className="btn ghost small icon" aria-label={`Move ${props.label} down`} disabled={props.last} onClick={props.onDown}>
              ↓
            </button>
            <button type="button" className="btn ghost small icon danger" aria-label={`Remove ${props.label}`} onClick={props.onRemove}>
              ×
            </button>
          </>
        )}
      </div>
      <Markers problems={props.problems} />
    </div>
  );
}

