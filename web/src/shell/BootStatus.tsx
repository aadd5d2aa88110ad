/** The boot progress by stage (runtime -> packages -> app); on failure, why, and a retry. */
import type { ReactNode } from "react";
import { STAGES } from "../service/boot-options";
import type { BootState } from "../model/state";

const LABEL = { runtime: "Engine", packages: "Checker", app: "Studio" } as const;

export function BootStatus({ boot, onRetry }: { boot: BootState; onRetry(): void }): ReactNode {
  if (boot.phase === "ready") {
    return (
      <span className="chip ok" data-testid="boot-status" data-state="ready" title={boot.result ? `Python ${boot.result.pythonVersion}` : undefined}>
        <span className="dot" aria-hidden="true" />
        <span className="hide-narrow">Ready</span>
        <span className="visually-hidden"> studio ready</span>
      </span>
    );
  }
  const running = STAGES.find((s) => boot.view[s].state === "running");
  return (
    <div className="boot" data-testid="boot-status" data-state={boot.phase} role="status" aria-live="polite">
      <ol className="boot-stages hide-narrow" aria-label="Starting the studio">
        {STAGES.map((stage) => {
          const s = boot.view[stage];
          const pct = s.state === "done" ? 100 : s.state === "running" ? Math.round((s.fraction ?? 0.15) * 100) : 0;
          return (
            <li key={stage} className="boot-stage" data-state={s.state} data-testid={`boot-stage-${stage}`}>
              {LABEL[stage]}
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${pct}%` }} />
              </span>
              <span className="visually-hidden">{s.state}</span>
            </li>
          );
        })}
      </ol>
      {boot.phase === "failed" ? null : (
        <span className="chip busy">
          <span className="dot" aria-hidden="true" />
          {running ? `Starting: ${boot.view[running].detail || LABEL[running]}` : "Starting…"}
        </span>
      )}
      {boot.phase === "failed" ? (
        <span className="chip bad" role="alert" data-testid="boot-error">
          Could not start: {boot.error}
          <button type="button" className="btn small" onClick={onRetry} style={{ marginLeft: 8 }}>
            Retry
          </button>
        </span>
      ) : null}
    </div>
  );
}
