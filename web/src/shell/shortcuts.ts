/**
 * Keyboard shortcuts, one table: the help dialog lists exactly what the handler handles.
 * Ctrl on Linux/Windows, Cmd on macOS.
 */
export type ShortcutAction = "undo" | "redo" | "search" | "flush" | "new-chapter" | "help" | "library" | "theme";

export interface Shortcut {
  readonly action: ShortcutAction;
  readonly keys: string;
  readonly label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: "undo", keys: "Ctrl+Z", label: "Undo the last edit" },
  { action: "redo", keys: "Ctrl+Shift+Z / Ctrl+Y", label: "Redo" },
  { action: "search", keys: "Ctrl+K", label: "Search stories and this story's parts" },
  { action: "flush", keys: "Ctrl+S", label: "Save now (commit what you are typing)" },
  { action: "new-chapter", keys: "N", label: "New chapter (outside a text field)" },
  { action: "library", keys: "G then L", label: "Go to the library" },
  { action: "theme", keys: "Shift+T", label: "Switch dark / light theme (outside a text field)" },
  { action: "help", keys: "?", label: "Show these shortcuts" },
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

let pendingG = 0;

/** Which action a keydown means, or null. Text-field typing only triggers modifier shortcuts. */
export function actionFor(event: KeyboardEvent): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && !event.altKey) {
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    if (key === "k") return "search";
    if (key === "s") return "flush";
    return null;
  }
  if (event.altKey || typingIn(event.target)) return null;
  if (event.key === "?") return "help";
  if (key === "n" && !event.shiftKey) return "new-chapter";
  if (event.key === "T" && event.shiftKey) return "theme";
  if (key === "g") {
    pendingG = Date.now();
    return null;
  }
  if (key === "l" && Date.now() - pendingG < 1200) {
    pendingG = 0;
    return "library";
  }
  return null;
}

/** Undo/redo inside a text field with typed-but-unsent text is the field's own undo. */
export function isNativeUndo(event: KeyboardEvent, dirtyField: boolean): boolean {
  return dirtyField && typingIn(event.target);
}
