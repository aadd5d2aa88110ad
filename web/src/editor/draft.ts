/**
 * Local state for a text input whose text the service stores (and normalises: strips, dedupes).
 *
 * Edits are sent AS THE WRITER TYPES, so the diagnostics follow each keystroke, but never more
 * than one request per field at a time: while one is in flight, keystrokes only update the
 * latest text, and when the reply comes the latest text (if it changed) goes next
 * (`LiveDraft`). "Saved" still means what it always meant: the service committed it.
 *
 * While the writer types, the input shows exactly what they typed: the stored value coming back
 * (stripped, or changed by another tab) must not move the caret or eat a trailing space. The
 * stored value is adopted only when the field is not being edited (not focused and nothing
 * unsent or in flight).
 */
import { useEffect, useRef, useState } from "react";
import { useScreenRequests } from "../model/screen-requests";

/**
 * Hand one text to the service; resolve when it answered (committed or refused: the caller
 * reports errors). `continuesTyping` is false for the first send of a burst of typing in this
 * field and true after, so the service keeps the burst as one undo step.
 */
export type CommitText = (value: string, continuesTyping: boolean) => Promise<unknown> | void;

/** How many fields hold typed text the service has not answered yet (for unload). */
let busyDrafts = 0;
export function hasPendingDrafts(): boolean {
  return busyDrafts > 0;
}

/** The draft the writer has typed into since it got focus (its Ctrl+Z is the field's own). */
let typingIn: LiveDraft | null = null;
export function isTypingInField(): boolean {
  return typingIn !== null;
}

/**
 * The sending side of a draft, without React: at most one commit in flight, the latest text
 * sent when it returns. `hold(text)` keeps a text back while typing (an emptied list item would
 * be removed mid-word); `flush()` sends it anyway (blur, Ctrl+S, unmount).
 */
export class LiveDraft {
  private pending: string | null = null;
  private inFlight = false;
  private forced = false;
  private sentInBurst = false;
  private endBurstWhenIdle = false;

  constructor(
    private readonly commit: () => CommitText,
    private readonly hold: (value: string) => boolean = () => false,
    private readonly onIdle: () => void = () => undefined,
  ) {}

  /** Typed text not yet answered by the service (unsent, held, or in flight). */
  get busy(): boolean {
    return this.pending !== null || this.inFlight;
  }

  /** The writer typed: send now if nothing is in flight, else remember it as the latest. */
  type(value: string): void {
    const wasBusy = this.busy;
    this.pending = value;
    if (!wasBusy) busyDrafts++;
    this.pump();
  }

  /** Send what is held or waiting now (or as soon as the request in flight returns). */
  flush(): void {
    this.forced = true;
    this.pump();
  }

  /** A new burst of typing begins (focus); one that was going on ends (blur). */
  startBurst(): void {
    if (!this.busy) this.sentInBurst = false;
  }

  endBurst(): void {
    if (this.busy) this.endBurstWhenIdle = true;
    else this.sentInBurst = false;
  }

  private pump(): void {
    if (this.inFlight || this.pending === null) return;
    if (!this.forced && this.hold(this.pending)) return;
    const value = this.pending;
    const continues = this.sentInBurst;
    this.pending = null;
    this.forced = false;
    this.inFlight = true;
    this.sentInBurst = true;
    let answered: Promise<unknown>;
    try {
      answered = Promise.resolve(this.commit()(value, continues));
    } catch (error) {
      answered = Promise.reject(error);
    }
    // The caller reports a failed commit; here it only frees the field for the next text.
    void answered
      .catch(() => undefined)
      .then(() => {
        this.inFlight = false;
        if (this.pending !== null && (this.forced || !this.hold(this.pending))) {
          this.pump();
          return;
        }
        if (this.busy) return; // a held text waits for more typing or a flush
        busyDrafts--;
        if (this.endBurstWhenIdle) {
          this.endBurstWhenIdle = false;
          this.sentInBurst = false;
        }
        this.onIdle();
      });
  }
}

export interface Draft {
  readonly value: string;
  onChange(next: string): void;
  onFocus(): void;
  onBlur(): void;
  /** Send now (Ctrl+S, unmount). */
  flush(): void;
}

export interface DraftOptions {
  /** Keep this text back while typing; it is sent on blur/flush (e.g. blank list items). */
  hold?(value: string): boolean;
}

export function useDraft(stored: string, commit: CommitText, options: DraftOptions = {}): Draft {
  const [value, setValue] = useState(stored);
  // Bumped when the last reply for this field arrived: time to show the stored value again.
  const [idleTick, setIdleTick] = useState(0);
  const focused = useRef(false);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const holdRef = useRef(options.hold);
  holdRef.current = options.hold;
  const storedRef = useRef(stored);
  storedRef.current = stored;
  const live = useRef<LiveDraft | null>(null);
  live.current ??= new LiveDraft(
    () => commitRef.current,
    (text) => holdRef.current?.(text) ?? false,
    // While focused the stored value is not adopted (the blur does it): no render needed then.
    () => {
      if (!focused.current) setIdleTick((n) => n + 1);
    },
  );
  const draft = live.current;

  // Adopt the stored value only while the writer is not in this field and nothing is unsent.
  useEffect(() => {
    if (!focused.current && !draft.busy) setValue(stored);
  }, [stored, idleTick, draft]);

  // A field that goes away (entity deleted, view changed) still sends what was typed.
  useEffect(
    () => () => {
      draft.flush();
      if (typingIn === draft) typingIn = null;
    },
    [draft],
  );

  // Ctrl+S and "before unload" ask every field to send what it holds.
  const requests = useScreenRequests();
  useEffect(() => requests.onFlushDrafts(() => draft.flush()), [requests, draft]);

  return {
    value,
    onChange(next: string): void {
      setValue(next);
      if (focused.current) typingIn = draft;
      draft.type(next);
    },
    onFocus(): void {
      focused.current = true;
      draft.startBurst();
    },
    onBlur(): void {
      focused.current = false;
      if (typingIn === draft) typingIn = null;
      draft.flush();
      draft.endBurst();
      // Nothing unsent: show what is stored now (another tab may have changed it meanwhile).
      if (!draft.busy) setValue(storedRef.current);
    },
    flush: () => draft.flush(),
  };
}
