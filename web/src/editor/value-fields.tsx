/** Fields that hold a value, not prose: a chapter's status, a word target, a theme's priority. */
import { useId, useState, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { STATUSES, type ChapterStatus } from "../model/progress";
import { STATUS_LABEL } from "./progress";
import { Markers, severityClass } from "./field-markers";

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

