/** A modal on the native <dialog>: focus is trapped and restored by the browser, Esc closes. */
import { useEffect, useId, useRef, type ReactNode } from "react";

export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first focusable element (the Close button); a dialog with a field
      // starts in its field instead.
      dialog.querySelector<HTMLElement>(".dialog-body input:not([type=checkbox]), .dialog-body textarea, .dialog-body select")?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={props.testId}
      style={props.wide ? { width: "min(860px, calc(100vw - 24px))" } : undefined}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="btn ghost icon" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div className="dialog-body">{props.children}</div>
      {props.footer ? <div className="dialog-foot">{props.footer}</div> : null}
    </dialog>
  );
}
