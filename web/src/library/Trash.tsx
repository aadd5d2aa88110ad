/**
 * The Trash: deleted stories, kept TRASH_DAYS days (the service empties older ones when it
 * starts), restorable until then, or removed for good now on the writer's word.
 */
import { useEffect, useState, type ReactNode } from "react";
import type { StudioController } from "../model/controller";
import { messageOf } from "../model/state";
import { formatWhen } from "../shell/files";
import { useObservable } from "../model/store";
import type { StorySummary } from "../service/types";
import { Dialog } from "../ui/Dialog";

/** The service's TRASH_DAYS (browser/_service.py). */
export const TRASH_DAYS = 30;

function removedOn(deletedAt: string): string {
  const when = new Date(Date.parse(deletedAt) + TRASH_DAYS * 86_400_000);
  return when.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function Trash({ controller, ready }: { controller: StudioController; ready: boolean }): ReactNode {
  const library = useObservable(controller.library);
  const [trashed, setTrashed] = useState<readonly StorySummary[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  // Re-read whenever the library changes (a delete, a restore, another tab).
  useEffect(() => {
    if (!ready) return;
    let live = true;
    controller
      .call("library.list", { include_deleted: true })
      .then((r) => {
        if (live) setTrashed(r.stories.filter((s) => s.deleted_at_utc !== null));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [controller, ready, library.summaries]);

  const act = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await action();
      await controller.refreshLibrary();
    } catch (error) {
      controller.toast({ message: messageOf(error), tone: "error" });
    } finally {
      setBusy(false);
    }
  };

  const restore = (summary: StorySummary): Promise<void> =>
    act(async () => {
      await controller.call("story.undelete", { story_id: summary.story_id });
      controller.toast({ message: `Restored “${summary.title}” from the Trash.`, tone: "info" });
    });

  const empty = (): Promise<void> =>
    act(async () => {
      const result = await controller.call("trash.empty", {});
      setConfirming(false);
      const n = result.purged_story_ids.length;
      controller.toast({ message: `Removed ${n} ${n === 1 ? "story" : "stories"} for good.`, tone: "info" });
    });

  if (trashed.length === 0) return null;
  const sorted = [...trashed].sort((a, b) => (b.deleted_at_utc ?? "").localeCompare(a.deleted_at_utc ?? ""));
  return (
    <section className="trash card" data-testid="trash" aria-label="Trash">
      <details>
        <summary>
          <strong>Trash</strong> <span className="muted">({trashed.length})</span>
        </summary>
        <p className="muted">Deleted stories stay here for {TRASH_DAYS} days, then they are removed for good.</p>
        <ul className="trash-list">
          {sorted.map((summary) => (
            <li key={summary.story_id} className="trash-row" data-testid="trash-row" data-story-id={summary.story_id}>
              <span className="grow">
                <span className="serif">{summary.title}</span>
                <span className="story-meta row-sub">
                  deleted {formatWhen(summary.deleted_at_utc ?? summary.updated_at_utc)} · kept until {removedOn(summary.deleted_at_utc ?? summary.updated_at_utc)}
                </span>
              </span>
              <button type="button" className="btn small" disabled={!ready || busy} onClick={() => void restore(summary)} aria-label={`Restore ${summary.title}`}>
                Restore
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="btn small danger" disabled={!ready || busy} onClick={() => setConfirming(true)}>
          Empty the Trash…
        </button>
      </details>
      {confirming ? (
        <Dialog
          title={`Remove ${trashed.length} ${trashed.length === 1 ? "story" : "stories"} for good?`}
          onClose={() => setConfirming(false)}
          testId="trash-empty-dialog"
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="btn danger" disabled={busy} onClick={() => void empty()}>
                Remove for good
              </button>
            </>
          }
        >
          <p style={{ marginTop: 0 }}>These stories cannot be restored afterwards:</p>
          <ul className="change-list">
            {sorted.map((s) => (
              <li key={s.story_id}>{s.title}</li>
            ))}
          </ul>
        </Dialog>
      ) : null}
    </section>
  );
}
