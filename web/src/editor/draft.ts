/**
 * Local state for a text input that the service normalises (strips, dedupes) on save.
 *
 * While the writer types, the input shows exactly what they typed: the stored value coming back
 * (stripped, or changed by another tab) must not move the caret or eat a trailing space. The
 * stored value is adopted only when the field is not being edited (not focused and nothing
 * pending); a pending change is committed after a pause and on blur.
 */
import { useCallback, useEffect, useRef, useState } from "react";

export const TYPING_PAUSE_MS = 450;

/** How many fields hold typed text not yet handed to the service (for Ctrl+Z and unload). */
let pendingDrafts = 0;
export function hasPendingDrafts(): boolean {
  return pendingDrafts > 0;
}

export interface Draft {
  readonly value: string;
  onChange(next: string): void;
  onFocus(): void;
  onBlur(): void;
  /** Commit now (Ctrl+S, unmount). */
  flush(): void;
}

export function useDraft(stored: string, commit: (value: string) => void, pauseMs = TYPING_PAUSE_MS): Draft {
  const [value, setValue] = useState(stored);
  const focused = useRef(false);
  const pending = useRef<string | null>(null);
  const timer = useRef<number | null>(null);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const storedRef = useRef(stored);
  storedRef.current = stored;

  const flush = useCallback((): void => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    if (pending.current !== null) {
      const next = pending.current;
      pending.current = null;
      pendingDrafts--;
      commitRef.current(next);
    }
  }, []);

  // Adopt the stored value only while the writer is not in this field.
  useEffect(() => {
    if (!focused.current && pending.current === null) setValue(stored);
  }, [stored]);

  // A field that goes away (entity deleted, view changed) still commits what was typed.
  useEffect(() => flush, [flush]);

  // Ctrl+S and "before unload" ask every field to commit.
  useEffect(() => {
    const onFlush = (): void => flush();
    window.addEventListener(FLUSH_EVENT, onFlush);
    return () => window.removeEventListener(FLUSH_EVENT, onFlush);
  }, [flush]);

  return {
    value,
    onChange(next: string): void {
      setValue(next);
      if (pending.current === null) pendingDrafts++;
      pending.current = next;
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(flush, pauseMs);
    },
    onFocus(): void {
      focused.current = true;
    },
    onBlur(): void {
      focused.current = false;
      // Nothing typed: show what is stored now (another tab may have changed it meanwhile).
      if (pending.current === null) setValue(storedRef.current);
      else flush();
    },
    flush,
  };
}

export const FLUSH_EVENT = "story-gen:flush";

/** Ask every text field with typed-but-uncommitted text to commit it now. */
export function flushAllDrafts(): void {
  window.dispatchEvent(new Event(FLUSH_EVENT));
}

export function wordCount(text: string | null): number {
  if (!text) return 0;
  const words = text.trim().match(/\S+/g);
  return words ? words.length : 0;
}
