/**
 * A story's history on the account: each revision's time, how it was made and what changed
 * (the core's describe). One can be read (nothing changes) or restored, which is a new edit
 * here, synced like any other: the account's next revision.
 */
import { useEffect, useState, type ReactNode } from "react";
import type { HistoryRevisionsResult, Story } from "../generated/facade";
import { Dialog } from "../ui/Dialog";
import { clockTime } from "./status-text";

export interface HistoryActions {
  revisions(storyId: string): Promise<HistoryRevisionsResult>;
  revision(storyId: string, revision: number): Promise<{ revision: number; story: Story }>;
  restore(storyId: string, revision: number): Promise<unknown>;
}

const HOW: Record<string, string> = {
  sync: "synced from a device",
  create: "created",
  update: "saved through the API",
  restore: "restored",
};

export function HistoryDialog(props: { storyId: string; title: string; actions: HistoryActions; onClose(): void }): ReactNode {
  const [lines, setLines] = useState<HistoryRevisionsResult["revisions"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<{ revision: number; story: Story } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    props.actions.revisions(props.storyId).then(
      (result) => setLines(result.revisions),
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    );
  }, [props.actions, props.storyId]);
  const now = new Date();
  return (
    <Dialog title={`History of “${props.title}”`} onClose={props.onClose} testId="history-dialog" wide>
      {error ? <p className="account-error" role="alert">{error}</p> : null}
      {done ? <p role="status">{done}</p> : null}
      {lines === null && !error ? <p>Loading the revisions on your account…</p> : null}
      {lines ? (
        <ol className="sync-history" data-testid="history-list">
          {lines.map((line) => (
            <li key={line.revision} data-testid="history-revision">
              <strong>Revision {line.revision}</strong> · {clockTime(line.created_at_utc, now)} · {HOW[line.origin] ?? line.origin}
              {line.device ? <span data-testid="history-device"> · {line.device}</span> : null}
              <ul>
                {line.changes.map((change, index) => (
                  <li key={index}>{change}</li>
                ))}
              </ul>
              <div className="account-buttons">
                <button type="button" className="btn small ghost" onClick={() => void props.actions.revision(props.storyId, line.revision).then(setViewing)}>
                  View
                </button>
                <button
                  type="button"
                  className="btn small"
                  onClick={() =>
                    void props.actions.restore(props.storyId, line.revision).then(() => setDone(`Revision ${line.revision} restored as a new edit.`))
                  }
                >
                  Restore this revision
                </button>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {viewing ? (
        <section className="sync-revision" aria-label={`Revision ${viewing.revision}, read-only`} data-testid="history-view">
          <h3>
            Revision {viewing.revision}: {viewing.story.title}
          </h3>
          <p className="serif">{viewing.story.blueprint.premise}</p>
          <ol>
            {viewing.story.blueprint.chapters.map((chapter) => (
              <li key={chapter.key}>{chapter.title}</li>
            ))}
          </ol>
        </section>
      ) : null}
    </Dialog>
  );
}
