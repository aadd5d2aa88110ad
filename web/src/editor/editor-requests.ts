/**
 * What the rest of the studio asks of the editor (model/screen-requests.ts): reveal and focus a
 * field (a problem, a conflict or a search hit clicked), and open the "new chapter" dialog.
 */
import { useEffect, useRef, type RefObject } from "react";
import { useScreenRequests } from "../model/screen-requests";
import { entityOf, findFieldElement } from "./diagnostics";

export function useEditorRequests(options: {
  root: RefObject<HTMLDivElement | null>;
  /** Open or close the card at an entity path. */
  toggle(entityPath: string, open: boolean): void;
  readOnly: boolean;
  newChapter(): void;
}): void {
  const requests = useScreenRequests();
  const { root, toggle, readOnly, newChapter } = options;
  const pendingFocus = useRef<string | null>(null);

  // A problem clicked in the panel: open its entity, then focus the nearest field.
  useEffect(() => {
    const revealPending = (): void => {
      const path = pendingFocus.current;
      if (path === null || !root.current) return;
      pendingFocus.current = null;
      const el = findFieldElement(root.current, path);
      if (!el) return;
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      const focusable = el.matches("input, textarea, select, [tabindex]") ? el : el.querySelector<HTMLElement>("input, textarea, select, button");
      (focusable ?? el).focus({ preventScroll: true });
    };
    const request = (path: string): void => {
      requests.takePendingPath();
      const entity = entityOf(path);
      pendingFocus.current = path;
      if (entity) toggle(entity, true);
      requestAnimationFrame(() => requestAnimationFrame(revealPending));
    };
    const stop = requests.onFocusPath(request);
    const waiting = requests.takePendingPath();
    if (waiting !== null) request(waiting);
    return stop;
  }, [requests, root, toggle]);

  useEffect(
    () =>
      requests.onNewChapter(() => {
        if (!readOnly) newChapter();
      }),
    [requests, readOnly, newChapter],
  );
}
