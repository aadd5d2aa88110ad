/**
 * The last sync status, for the parts of the studio outside the chip: the library's conflict
 * badges and the editor's "this device / the other device" labels. The chip (SyncPanel) owns
 * the subscription to `sync.status` and publishes here, so there is one subscription per tab.
 */
import type { SyncStatus } from "../generated/facade";
import { Observable, useObservable } from "../model/store";

export const LOCAL_STATUS: SyncStatus = { phase: "local" };

export const syncStatus = new Observable<SyncStatus>(LOCAL_STATUS);

export function useSyncStatus(): SyncStatus {
  return useObservable(syncStatus);
}
