/**
 * What one part of the studio asks of another it does not hold: the shell's Ctrl+Alt+N asks the
 * editor for a new chapter, a problem or a search hit asks the editor to focus a field, Ctrl+S
 * and "before unload" ask every text field to send its typed text, the palette asks the library
 * to focus its search. The asking side calls a method; the screen that can answer listens while
 * it is mounted (the returned function stops listening: a React effect's cleanup).
 */
import { createContext, useContext } from "react";

type Listener<T> = (value: T) => void;
export type StopListening = () => void;

/** Everyone listening to one kind of request, called in the order they started listening. */
class Listeners<T> {
  private readonly listeners = new Set<Listener<T>>();

  add(listener: Listener<T>): StopListening {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  notify(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export class ScreenRequests {
  private readonly newChapter = new Listeners<void>();
  private readonly focus = new Listeners<string>();
  private readonly flush = new Listeners<void>();
  private readonly search = new Listeners<void>();
  private pendingPath: string | null = null;

  /** Open the "new chapter" dialog (the editor answers when it is on screen and writable). */
  requestNewChapter(): void {
    this.newChapter.notify();
  }

  onNewChapter(listener: () => void): StopListening {
    return this.newChapter.add(listener);
  }

  /**
   * Reveal and focus the field a path is about (the nearest one that exists). An editor that
   * mounts later (after a route change) picks the request up with takePendingPath.
   */
  focusPath(path: string): void {
    this.pendingPath = path;
    this.focus.notify(path);
  }

  /** Focus a field of a story about to open: its editor, when it mounts, takes the path. */
  focusPathOnOpen(path: string): void {
    this.pendingPath = path;
  }

  takePendingPath(): string | null {
    const path = this.pendingPath;
    this.pendingPath = null;
    return path;
  }

  onFocusPath(listener: (path: string) => void): StopListening {
    return this.focus.add(listener);
  }

  /** Ask every text field holding typed text to send it now. */
  flushDrafts(): void {
    this.flush.notify();
  }

  onFlushDrafts(listener: () => void): StopListening {
    return this.flush.add(listener);
  }

  /** Put the caret in the library's search box. */
  focusSearch(): void {
    this.search.notify();
  }

  onFocusSearch(listener: () => void): StopListening {
    return this.search.add(listener);
  }
}

/**
 * The controller's requests, for components deep in the editor (text fields, cards) that are
 * not handed the controller. The shell provides it; a component outside it is a programming error.
 */
export const ScreenRequestsContext = createContext<ScreenRequests | null>(null);

export function useScreenRequests(): ScreenRequests {
  const requests = useContext(ScreenRequestsContext);
  if (!requests) throw new Error("useScreenRequests: no ScreenRequestsContext above this component (the shell provides it)");
  return requests;
}
