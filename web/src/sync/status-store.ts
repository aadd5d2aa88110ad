/**
 * The last sync status, for the parts of the studio outside the chip: the library's conflict
 * badges and the editor's "this device / the other device" labels. The chip (SyncPanel) owns
 * the subscription to `sync.status` and publishes here, so there is one subscription per tab.
 */
import type { SyncStatus } from "../generated/facade";
import { Observable, useObservable } from "../model/store";

export const LOCAL_STATUS: SyncStatus = { phase: "local" };

export const syncStatus = new Observable<SyncStatus>(LOCAL_STATUS);

type MySide = NonNullable<SyncStatus["my_side"]>;
const NO_SIDES: MySide = {};

/**
 * Only the conflict sides, kept as the same object while they do not change: the story screen
 * reads them, and a status push per sync cycle must not re-render a 1,000-chapter editor.
 */
export const mySides = new Observable<MySide>(NO_SIDES);

export function publishStatus(next: SyncStatus): void {
  syncStatus.set(next);
  const sides = next.my_side ?? NO_SIDES;
  if (JSON.stringify(sides) !== JSON.stringify(mySides.get())) mySides.set(sides);
}

export function useSyncStatus(): SyncStatus {
  return useObservable(syncStatus);
}

export function useMySides(): MySide {
  return useObservable(mySides);
}
