/**
 * The editor's field widgets. Each carries `data-path` (the core's JSON path) so a problem can
 * jump to it, a real <label>, and its own inline problem markers.
 */
import { memo, useId, useState, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { worstSeverity } from "./diagnostics";
import { useDraft, type CommitText } from "./draft";
import { STATUSES, wordCount, type ChapterStatus } from "../model/progress";
import { isBlank } from "../service/text-rules";
import { percentOf, STATUS_LABEL, wordsLabel } from "./progress";
import { named, ReorderItem, ReorderList } from "./reorder";
import { useTextReadOnly } from "../pending/editable";

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

function severityClass(problems: readonly Diagnostic[]): string {
  const worst = worstSeverity(problems);
  return worst === "error" ? " has-error" : worst === "warning" ? " has-warning" : "";
}

interface TextProps {
  label: string;
  path: string;
  value: string;
  /** Called as the writer types (at most one call in flight per field; see draft.ts). */
  onCommit: CommitText;
  problems: readonly Diagnostic[];
  readOnly: boolean;
  multiline?: boolean;
  /** A text box that grows with its text (a chapter's objective): short, but never hides any. */
  grow?: boolean;
  prose?: boolean;
  placeholder?: string;
  hint?: string;
  showWords?: boolean;
  /** With showWords: the words the text should reach (a progress bar shows how far it is). */
  wordTarget?: number | null | undefined;
  testId?: string;
}

export const TextField = memo(function TextField(props: TextProps): ReactNode {
  const id = useId();
  const markersId = `${id}-problems`;
  const draft = useDraft(props.value, props.onCommit);
  const common = {
    id,
    value: draft.value,
    // Typing may start before the core is ready (the edit is kept: pending/).
    readOnly: useTextReadOnly(props.readOnly, props.path),
    placeholder: props.placeholder,
    "data-path": props.path,
    "data-testid": props.testId,
    "aria-invalid": props.problems.some((d) => d.severity === "error") || undefined,
    "aria-describedby": props.problems.length > 0 ? markersId : undefined,
    onFocus: draft.onFocus,
    onBlur: draft.onBlur,
  };
  return (
    <div className={`field${severityClass(props.problems)}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline || props.grow ? (
        <textarea
          {...common}
          className={`textarea${props.prose ? " prose serif" : ""}${props.grow ? " grow" : ""}`}
          rows={props.grow ? 1 : props.prose ? 8 : 3}
          onChange={(e) => draft.onChange(e.target.value)}
        />
      ) : (
        <input {...common} className="input" type="text" onChange={(e) => draft.onChange(e.target.value)} />
      )}
      {props.showWords ? <WordCount count={wordCount(draft.value)} target={props.wordTarget} /> : null}
      {props.hint ? <div className="hint-line">{props.hint}</div> : null}
      <Markers problems={props.problems} id={markersId} />
    </div>
  );
});

/** "1,204 of 3,000 words" and, with a target, a bar showing the share written. */
export function WordCount(props: { count: number; target?: number | null | undefined; label?: string }): ReactNode {
  const percent = percentOf(props.count, props.target);
  const text = wordsLabel(props.count, props.target);
  return (
    <div className="word-count" aria-live="off" data-testid="word-count">
      {props.label ? `${props.label}: ` : null}
      {text}
      {percent !== null ? (
        <progress className="word-progress" max={100} value={percent} aria-label={`${props.label ?? "Words"}: ${percent}% of the target`}>
          {percent}%
        </progress>
      ) : null}
    </div>
  );
}

/** A chapter's status: a select with "not set" first (the field is optional in the contract). */
export function StatusField(props: {
  path: string;
  value: ChapterStatus | null | undefined;
  onCommit(value: ChapterStatus | null): void;
  problems: readonly Diagnostic[];
  readOnly: boolean;
}): ReactNode {
  const id = useId();
  return (
    <div className={`field${severityClass(props.problems)}`}>
      <label htmlFor={id}>Status</label>
      <select
        id={id}
        className="select"
        value={props.value ?? ""}
        disabled={props.readOnly}
        data-path={props.path}
        onChange={(e) => props.onCommit(e.target.value ? (e.target.value as ChapterStatus) : null)}
      >
        <option value="">Not set</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <Markers problems={props.problems} />
    </div>
  );
}

/** An optional word target: a whole number, or empty for none. Sent when the writer leaves it. */
export function WordTargetField(props: {
  label: string;
  path: string;
  value: number | null | undefined;
  onCommit(value: number | null): void;
  problems: readonly Diagnostic[];
  readOnly: boolean;
}): ReactNode {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (props.value ? String(props.value) : "");
  const parsed = shown.trim() === "" ? null : Number(shown.replace(/[\s,]/g, ""));
  const invalid = parsed !== null && !(Number.isInteger(parsed) && parsed >= 1 && parsed <= 10_000_000);
  const commit = (): void => {
    if (text === null) return;
    setText(null);
    if (!invalid && parsed !== (props.value ?? null)) props.onCommit(parsed);
  };
  return (
    <div className={`field${invalid ? " has-error" : severityClass(props.problems)}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className="input"
        inputMode="numeric"
        value={shown}
        placeholder="none"
        readOnly={props.readOnly}
        data-path={props.path}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-bad` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
      {invalid ? (
        <div id={`${id}-bad`} className="marker error">
          Write a whole number of words from 1 to 10,000,000, or leave it empty for no target.
        </div>
      ) : null}
      <Markers problems={props.problems} />
    </div>
  );
}

export function PriorityField(props: {
  label: string;
  path: string;
  value: number;
  onCommit(value: number): void;
  problems: readonly Diagnostic[];
  readOnly: boolean;
}): ReactNode {
  const id = useId();
  return (
    <div className={`field${severityClass(props.problems)}`}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        className="select"
        value={props.value}
        disabled={props.readOnly}
        data-path={props.path}
        onChange={(e) => props.onCommit(Number(e.target.value))}
      >
        {Array.from({ length: 10 }, (_, i) => 10 - i).map((n) => (
          <option key={n} value={n}>
            {n}
            {n === 10 ? " (highest)" : n === 1 ? " (lowest)" : ""}
          </option>
        ))}
      </select>
      <Markers problems={props.problems} />
    </div>
  );
}

/** Pick keys from the keys that exist; an unknown key already there stays visible and removable. */
export const KeyPicker = memo(function KeyPicker(props: {
  label: string;
  path: string;
  value: readonly string[];
  options: readonly { key: string; label: string }[];
  onCommit(value: string[]): void;
  problems: readonly Diagnostic[];
  readOnly: boolean;
  exclude?: string;
}): ReactNode {
  const id = useId();
  const known = new Set(props.options.map((o) => o.key));
  const free = props.options.filter((o) => !props.value.includes(o.key) && o.key !== props.exclude);
  const labelOf = (key: string): string => props.options.find((o) => o.key === key)?.label ?? key;
  return (
    <div className={`field${severityClass(props.problems)}`} role="group" aria-labelledby={`${id}-label`}>
      <span className="field-label" id={`${id}-label`}>
        {props.label}
      </span>
      <div className="chips" data-path={props.path} tabIndex={-1}>
        {props.value.length === 0 && props.readOnly ? <span className="muted">none</span> : null}
        {props.value.map((key, index) => (
          <span
            key={key}
            className={`chip-item${known.has(key) ? "" : " unknown"}`}
            data-path={`${props.path}[${index}]`}
            tabIndex={-1}
            title={known.has(key) ? key : `${key}: no such key`}
          >
            {labelOf(key)}
            {props.readOnly ? null : (
              <button
                type="button"
                aria-label={`Remove ${labelOf(key)} from ${props.label}`}
                onClick={() => props.onCommit(props.value.filter((k) => k !== key))}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {props.readOnly || free.length === 0 ? null : (
          <select
            className="select"
            aria-label={`Add to ${props.label}`}
            value=""
            onChange={(e) => {
              if (e.target.value) props.onCommit([...props.value, e.target.value]);
            }}
          >
            <option value="">+ add…</option>
            {free.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </div>
      <Markers problems={props.problems} />
    </div>
  );
});

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
