/** The keys an entity uses (themes, characters, prerequisites), picked from those that exist. */
import { memo, useId, type ReactNode } from "react";
import type { Diagnostic } from "../service/types";
import { Markers, severityClass } from "./field-markers";

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

