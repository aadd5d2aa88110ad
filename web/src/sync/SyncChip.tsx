/**
 * The sync status, always visible: a chip saying where the stories are ("Saved on this
 * device", "Syncing…", "Synced at 10:42", "Offline, 3 changes waiting", a problem). Pressing
 * it opens the account panel: sign in, sync now, sign out.
 */
import { useEffect, useState, type ReactNode } from "react";
import type { Conflict, SyncStatus } from "../generated/facade";
import { AccountDialog, type AccountActions } from "../account/AccountDialog";
import { Dialog } from "../ui/Dialog";
import { ConflictView } from "./ConflictView";
import { HistoryDialog, type HistoryActions } from "./HistoryDialog";
import { describeStatus } from "./status-text";

export interface SyncActions extends AccountActions {
  signOut(): Promise<SyncStatus>;
  syncNow(): Promise<SyncStatus>;
  resolve(storyId: string, conflictId: string, choice: "ours" | "theirs" | "custom", value?: unknown): Promise<void>;
  revisions: HistoryActions["revisions"];
  revision: HistoryActions["revision"];
  restore: HistoryActions["restore"];
}

export interface OpenStoryRef {
  readonly storyId: string;
  readonly title: string;
  readonly conflicts: readonly Conflict[];
}

export function SyncChip(props: {
  status: SyncStatus;
  apiUrl: string;
  localStories: number;
  openStory: OpenStoryRef | null;
  actions: SyncActions;
  onStatus(status: SyncStatus): void;
}): ReactNode {
  const [panel, setPanel] = useState(false);
  const [view, setView] = useState<"conflicts" | "history" | null>(null);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const text = describeStatus(props.status, now);
  const account = props.status.phase !== "local";
  const needsSignIn = props.status.phase === "local" || props.status.phase === "signed_out";
  return (
    <>
      <button
        type="button"
        className={`sync-chip tone-${text.tone}`}
        data-testid="sync-chip"
        data-phase={props.status.phase}
        data-synced-at={props.status.last_synced_at_utc ?? ""}
        title={text.detail}
        aria-label={`Sync: ${text.label}. ${text.detail}`}
        onClick={() => setPanel(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-label">{text.label}</span>
        {props.openStory?.conflicts.length ? (
          <span className="sync-badge" data-testid="sync-conflict-badge">
            {props.openStory.conflicts.length} conflict{props.openStory.conflicts.length === 1 ? "" : "s"}
          </span>
        ) : null}
      </button>
      {panel && needsSignIn ? (
        <AccountDialog
          apiUrl={props.status.api_url ?? props.apiUrl}
          email={props.status.email ?? null}
          localStories={props.status.phase === "local" ? props.localStories : 0}
          actions={props.actions}
          onDone={(status) => {
            props.onStatus(status);
            setPanel(false);
          }}
          onClose={() => setPanel(false)}
        />
      ) : null}
      {panel && account && !needsSignIn ? (
        <Dialog title="Account and sync" onClose={() => setPanel(false)} testId="sync-panel">
          <p data-testid="sync-detail">{text.detail}</p>
          <p>
            Signed in as <strong>{props.status.email}</strong> on {props.status.api_url}.
          </p>
          <div className="account-buttons">
            <button type="button" className="btn primary" onClick={() => void props.actions.syncNow().then(props.onStatus)}>
              Sync now
            </button>
            {props.openStory ? (
              <button type="button" className="btn ghost" onClick={() => setView("history")}>
                History of this story
              </button>
            ) : null}
            {props.openStory?.conflicts.length ? (
              <button type="button" className="btn ghost" onClick={() => setView("conflicts")}>
                Settle {props.openStory.conflicts.length} conflict{props.openStory.conflicts.length === 1 ? "" : "s"}
              </button>
            ) : null}
            <button
              type="button"
              className="btn ghost"
              onClick={() =>
                void props.actions.signOut().then((status) => {
                  props.onStatus(status);
                  setPanel(false);
                })
              }
            >
              Sign out
            </button>
          </div>
          {props.status.waiting ? (
            <p className="account-note">
              {props.status.waiting} {props.status.waiting === 1 ? "story has" : "stories have"} changes not yet on the
              account: signing out now keeps them on this device only.
            </p>
          ) : null}
        </Dialog>
      ) : null}
      {view === "history" && props.openStory ? (
        <HistoryDialog storyId={props.openStory.storyId} title={props.openStory.title} actions={props.actions} onClose={() => setView(null)} />
      ) : null}
      {view === "conflicts" && props.openStory ? (
        <Dialog title={`Conflicts in “${props.openStory.title}”`} onClose={() => setView(null)} testId="conflict-view" wide>
          <ConflictView
            conflicts={props.openStory.conflicts}
            mySide={(conflictId) => props.status.my_side?.[conflictId]}
            onResolve={(conflictId, choice, value) => props.actions.resolve(props.openStory?.storyId ?? "", conflictId, choice, value)}
          />
        </Dialog>
      ) : null}
    </>
  );
}
