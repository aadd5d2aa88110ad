/** Transient messages (deleted — undo; errors; "new version — reload"), announced politely. */
import type { ReactNode } from "react";
import type { StudioController } from "../model/controller";
import { useObservable } from "../model/store";

export function Toasts({ controller }: { controller: StudioController }): ReactNode {
  const toasts = useObservable(controller.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} data-testid="toast">
          <span className="grow">{t.message}</span>
          {t.action ? (
            <button
              type="button"
              className="btn small primary"
              onClick={() => {
                controller.dismiss(t.id);
                t.action?.run();
              }}
            >
              {t.action.label}
            </button>
          ) : null}
          <button type="button" className="btn ghost small icon" aria-label="Dismiss" onClick={() => controller.dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
