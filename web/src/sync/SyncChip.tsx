/**
 * The sync status, always visible: a chip saying where the stories are ("Saved on this
 * device", "Syncing…", "Synced at 10:42", "Offline, 3 changes waiting", a problem). Pressing
 * it opens the account panel: sign in, sync now, sign out.
 */
import { useEffect, useState, type ReactNode } from "react";
import type { SyncStatus } from "../generated/facade";
import { AccountDialog, type AccountActions } from "../account/AccountDialog";
import { Dialog } from "../ui/Dialog";
import { describeStatus } from "./status-text";

export interface SyncActions extends AccountActions {
  signOut(): Promise<SyncStatus>;
  syncNow(): Promise<SyncStatus>;
}

export function SyncChip(props: {
  status: SyncStatus;
  apiUrl: string;
  localStories: number;
  actions: SyncActions;
  onStatus(status: SyncStatus): void;
}): ReactNode {
  const [panel, setPanel] = useState(false);
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
        title={text.detail}
        aria-label={`Sync: ${text.label}. ${text.detail}`}
        onClick={() => setPanel(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {text.label}
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
    </>
  );
}
