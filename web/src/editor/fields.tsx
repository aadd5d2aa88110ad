/**
 * The editor's text fields. Each field widget (here, value-fields.tsx, key-picker.tsx,
 * text-list.tsx) carries `data-path` (the core's JSON path) so a problem can jump to it, a real
 * <label>, and its own inline problem markers (field-markers.tsx).
 */
import { memo, useId, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { useDraft, type CommitText } from "./draft";
import { wordCount } from "../model/progress";
import { percentOf, wordsLabel } from "./progress";
import { useTextReadOnly } from "../pending/editable";
import { Markers, severityClass } from "./field-markers";

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

