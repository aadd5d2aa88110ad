/**
 * The editor's confirmations: add an entity (pick its key), rename a key (show every reference
 * that will follow), delete an entity (show what still refers to it).
 */
import { useEffect, useId, useState, type ReactNode } from "react";
import type { EntityKind, Reference } from "../service/types";
import { Dialog } from "../ui/Dialog";
import { keyProblem, suggestKey } from "./keys";
import { fieldLabel } from "../service/field-labels";
import { isBlank, trimText } from "../service/text-rules";

function useReferences(find: (kind: EntityKind, key: string) => Promise<Reference[]>, kind: EntityKind, key: string): Reference[] | null | Error {
  const [refs, setRefs] = useState<Reference[] | null | Error>(null);
  useEffect(() => {
    let live = true;
    find(kind, key).then(
      (r) => live && setRefs(r),
      (e: unknown) => live && setRefs(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
  }, [find, kind, key]);
  return refs;
}

function ReferenceList({ refs, empty }: { refs: Reference[] | null | Error; empty: string }): ReactNode {
  if (refs === null) return <p className="muted">Looking for references…</p>;
  if (refs instanceof Error) return <p className="marker error">Could not list the references: {refs.message}</p>;
  if (refs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="change-list" data-testid="reference-list">
      {refs.map((r) => (
        <li key={r.path}>
          {r.owner_kind} <span className="mono entity-key">{r.owner_key}</span> — {fieldLabel(r.owner_kind, r.field).toLowerCase()}
        </li>
      ))}
    </ul>
  );
}

/**
 * Add a theme, character or chapter: the writer gives its name (a chapter's title) and the key is
 * suggested from it (the core's rule, keys.ts); the key can be typed over.
 */
export function AddEntityDialog(props: {
  kind: EntityKind;
  existing: readonly string[];
  onCancel(): void;
  onAdd(entity: { [k: string]: unknown }): void;
}): ReactNode {
  const [label, setLabel] = useState("");
  const [key, setKey] = useState("");
  const [touchedKey, setTouchedKey] = useState(false);
  const labelId = useId();
  const keyId = useId();
  const effectiveKey = touchedKey ? trimText(key).toLowerCase() : isBlank(label) ? "" : suggestKey(label);
  const problem = effectiveKey ? keyProblem(effectiveKey, props.existing) : touchedKey ? keyProblem("", props.existing) : "Choose a key.";
  const showProblem = problem !== null && (effectiveKey !== "" || touchedKey);
  const labelField = props.kind === "chapter" ? "title" : "name";
  const labelName = props.kind === "chapter" ? "Title" : "Name";
  const example = props.kind === "chapter" ? "The Storm" : props.kind === "theme" ? "Hope against hope" : "Inspector Vale";
  const submit = (): void => {
    if (problem) return;
    const text = trimText(label);
    props.onAdd(text ? { key: effectiveKey, [labelField]: text } : { key: effectiveKey });
  };
  return (
    <Dialog
      title={`New ${props.kind}`}
      onClose={props.onCancel}
      testId="add-entity-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" form={`${keyId}-form`} className="btn primary" disabled={problem !== null}>
            Add {props.kind}
          </button>
        </>
      }
    >
      <form
        id={`${keyId}-form`}
        style={{ display: "grid", gap: 12 }}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="field">
          <label htmlFor={labelId}>{labelName}</label>
          <input id={labelId} className="input" autoFocus value={label} placeholder={`e.g. ${example}`} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <div className={`field${showProblem ? " has-error" : ""}`}>
          <label htmlFor={keyId}>Key</label>
          <input
            id={keyId}
            className="input mono"
            value={touchedKey ? key : effectiveKey}
            aria-describedby={`${keyId}-help`}
            aria-invalid={showProblem || undefined}
            onChange={(e) => {
              setTouchedKey(true);
              setKey(e.target.value);
            }}
          />
          <div id={`${keyId}-help`} className={showProblem ? "marker error" : "hint-line"} data-testid="key-help">
            {showProblem ? problem : `Suggested from the ${labelName.toLowerCase()}; the rest of the story refers to this ${props.kind} by it. Lowercase letters, digits, - and _.`}
          </div>
        </div>
      </form>
    </Dialog>
  );
}

export function RenameKeyDialog(props: {
  kind: EntityKind;
  oldKey: string;
  existing: readonly string[];
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
  onCancel(): void;
  onRename(newKey: string): void;
}): ReactNode {
  const [value, setValue] = useState(props.oldKey);
  const id = useId();
  const refs = useReferences(props.findReferences, props.kind, props.oldKey);
  const normalised = trimText(value).toLowerCase();
  const problem = normalised === props.oldKey ? "Type a different key." : keyProblem(normalised, props.existing);
  const count = Array.isArray(refs) ? refs.length : 0;
  return (
    <Dialog
      title={`Rename ${props.kind} key`}
      onClose={props.onCancel}
      testId="rename-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" form={`${id}-form`} className="btn primary" disabled={problem !== null || refs === null}>
            Rename{count > 0 ? ` and update ${count} reference${count === 1 ? "" : "s"}` : ""}
          </button>
        </>
      }
    >
      <form
        id={`${id}-form`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) props.onRename(normalised);
        }}
      >
        <div className={`field${problem && normalised !== props.oldKey ? " has-error" : ""}`}>
          <label htmlFor={id}>
            New key for <span className="mono">{props.oldKey}</span>
          </label>
          <input id={id} className="input mono" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
          {problem && normalised !== props.oldKey ? <div className="marker error">{problem}</div> : null}
        </div>
      </form>
      <h3 style={{ fontSize: 14, marginTop: 16 }}>What will change</h3>
      <ReferenceList refs={refs} empty="Nothing else refers to this key; only the key itself changes." />
    </Dialog>
  );
}

export function DeleteEntityDialog(props: {
  kind: EntityKind;
  entityKey: string;
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
  onCancel(): void;
  onDelete(removeReferences: boolean): void;
}): ReactNode {
  const refs = useReferences(props.findReferences, props.kind, props.entityKey);
  const [removeRefs, setRemoveRefs] = useState(true);
  const count = Array.isArray(refs) ? refs.length : 0;
  const checkId = useId();
  return (
    <Dialog
      title={`Delete ${props.kind} ${props.entityKey}?`}
      onClose={props.onCancel}
      testId="delete-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className="btn primary" disabled={refs === null} onClick={() => props.onDelete(count > 0 && removeRefs)}>
            Delete {props.kind}
          </button>
        </>
      }
    >
      <h3 style={{ fontSize: 14 }}>What refers to it</h3>
      <ReferenceList refs={refs} empty="Nothing refers to it." />
      {count > 0 ? (
        <p style={{ marginTop: 12 }}>
          <input id={checkId} type="checkbox" checked={removeRefs} onChange={(e) => setRemoveRefs(e.target.checked)} />{" "}
          <label htmlFor={checkId}>Also remove these {count} reference{count === 1 ? "" : "s"} (otherwise they are reported as problems)</label>
        </p>
      ) : null}
      <p className="muted" style={{ marginTop: 12 }}>
        You can undo this with Ctrl+Z.
      </p>
    </Dialog>
  );
}
