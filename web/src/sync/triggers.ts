/**
 * When the UI asks the worker to sync: on focus, when the browser is back online, when the tab
 * becomes visible, and every minute while it is visible (a hidden tab does not poll). The
 * worker debounces and backs off itself; these only say "now is a good time".
 */
export const PERIOD_MS = 60_000;

export interface TriggerTarget {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export function startSyncTriggers(
  syncNow: () => void,
  win: TriggerTarget & { setInterval(fn: () => void, ms: number): number; clearInterval(id: number): void },
  doc: TriggerTarget & { readonly visibilityState: string },
): () => void {
  const whenVisible = (): void => {
    if (doc.visibilityState === "visible") syncNow();
  };
  win.addEventListener("focus", syncNow);
  win.addEventListener("online", syncNow);
  doc.addEventListener("visibilitychange", whenVisible);
  const timer = win.setInterval(whenVisible, PERIOD_MS);
  return () => {
    win.removeEventListener("focus", syncNow);
    win.removeEventListener("online", syncNow);
    doc.removeEventListener("visibilitychange", whenVisible);
    win.clearInterval(timer);
  };
}
