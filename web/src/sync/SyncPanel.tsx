/**
 * The sync chip wired to the studio service: the status from `sync.status` (then its pushes),
 * the account calls, and the triggers that ask for a sync (focus, online, visible, every
 * minute). It sits in the shell's top bar, so it is always visible. It needs only the small
 * `SyncHost` surface, which the studio's controller has.
 */
import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import type { Conflict, SyncStatus } from "../generated/facade";
import type { ArgsOf, MethodName, ResultOf } from "../service/types";
import { defaultApiUrl } from "../account/api-url";
import { SyncChip, type SyncActions } from "./SyncChip";
import { startSyncTriggers } from "./triggers";
import { deviceName } from "./device-name";
import { LOCAL_STATUS, publishStatus } from "./status-store";
import "./sync.css";

export interface SyncHost {
  whenReady(): Promise<void>;
  readonly client: { onPush(name: "sync.status", listener: (status: SyncStatus) => void): () => void } | null;
  call<N extends MethodName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>>;
  readonly library: {
    get(): { readonly summaries: readonly { readonly deleted_at_utc?: string | null }[] };
    subscribe(listener: () => void): () => void;
  };
  readonly open: {
    get(): { readonly storyId: string; readonly story: { readonly title: string; readonly conflicts?: readonly Conflict[] } | null } | null;
    subscribe(listener: () => void): () => void;
  };
}

export function SyncPanel(props: { host: SyncHost; origin: string }): ReactNode {
  const { host } = props;
  const [status, setLocalStatus] = useState<SyncStatus>(LOCAL_STATUS);
  // The library's badges and the editor's side labels read it too.
  const setStatus = useCallback((next: SyncStatus) => {
    setLocalStatus(next);
    publishStatus(next);
  }, []);
  const library = useSyncExternalStore(host.library.subscribe, () => host.library.get());
  const localStories = library.summaries.filter((s) => !s.deleted_at_utc).length;
  const open = useSyncExternalStore(host.open.subscribe, () => host.open.get());
  const openStory =
    open && open.story ? { storyId: open.storyId, title: open.story.title, conflicts: open.story.conflicts ?? [] } : null;

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void host.whenReady().then(async () => {
      if (cancelled || !host.client) return;
      const off = host.client.onPush("sync.status", setStatus);
      const stopTriggers = startSyncTriggers(() => void host.call("sync.now", {}).then(setStatus), window, document);
      stop = () => {
        off();
        stopTriggers();
      };
      setStatus(await host.call("sync.status", {}));
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [host, setStatus]);

  const actions: SyncActions = {
    // The history says which device made a revision (ADR 0109).
    signIn: (args) => host.call("account.sign_in", { ...args, device: deviceName(navigator.userAgent) }),
    signUp: (args) => host.call("account.sign_up", { ...args, device: deviceName(navigator.userAgent) }),
    signOut: () => host.call("account.sign_out", {}),
    syncNow: () => host.call("sync.now", {}),
    resolve: async (storyId, conflictId, choice, value) => {
      await host.call("sync.resolve_conflict", { story_id: storyId, conflict_id: conflictId, choice, value: value as never });
    },
    revisions: (storyId) => host.call("history.revisions", { story_id: storyId }),
    revision: (storyId, revision) => host.call("history.revision", { story_id: storyId, revision }),
    restore: (storyId, revision) => host.call("history.restore", { story_id: storyId, revision }),
  };
  return (
    <SyncChip
      status={status}
      apiUrl={defaultApiUrl(props.origin)}
      localStories={localStories}
      openStory={openStory}
      actions={actions}
      onStatus={setStatus}
    />
  );
}
