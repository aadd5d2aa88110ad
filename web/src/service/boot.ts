/**
 * Start the studio service: one worker, one client, one options object, staged progress.
 *
 * `startService()` returns at once; its `ready` promise resolves when every stage is done and
 * rejects (naming the failed stage) otherwise. Retrying means a fresh worker: a half-booted
 * interpreter is never reused.
 */
import type { FacadeMethods, FacadePushes } from "./facade-map";
import { bootOptionsFor, STAGES, type BootManifest, type BootResult, type HostOptions, type StageName, type StageProgress } from "./boot-options";
import { ServiceClient } from "./client";

export type Client = ServiceClient<FacadeMethods, FacadePushes>;

export type StageView = { readonly state: "waiting" | StageProgress["state"]; readonly fraction: number | null; readonly detail: string };
export type BootView = Readonly<Record<StageName, StageView>>;

export interface ServiceHandle {
  readonly client: Client;
  readonly ready: Promise<BootResult>;
}

export function initialBootView(): BootView {
  const view = {} as Record<StageName, StageView>;
  for (const stage of STAGES) view[stage] = { state: "waiting", fraction: null, detail: "" };
  return view;
}

export function applyProgress(view: BootView, progress: StageProgress): BootView {
  return { ...view, [progress.stage]: { state: progress.state, fraction: progress.fraction, detail: progress.detail } };
}

/** Read ?db=NAME (tests isolate their IndexedDB); everything else uses the host's default. */
export function hostOptionsFromLocation(search: string): HostOptions {
  const params = new URLSearchParams(search);
  const db = params.get("db");
  return db ? { dbName: db, channelName: db } : {};
}

export function startService(onProgress: (progress: StageProgress) => void): ServiceHandle {
  const worker = new Worker(new URL("../worker/service.worker.ts", import.meta.url), {
    type: "module",
    name: "story-gen-service",
  });
  const client: Client = new ServiceClient(worker);
  const ready = (async (): Promise<BootResult> => {
    const response = await fetch(new URL("boot-manifest.json", document.baseURI));
    if (!response.ok) throw new Error(`boot-manifest.json: HTTP ${response.status}; the build is incomplete`);
    const manifest = (await response.json()) as BootManifest;
    const params = new URLSearchParams(location.search);
    const snapshot = params.get("snapshot") !== "0";
    // Test hook: `?hold-core=MS` holds the boot back, so a test can type before the core is ready.
    const hold = Number(params.get("hold-core") ?? 0);
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
    const options = bootOptionsFor(document.baseURI, manifest, hostOptionsFromLocation(location.search), snapshot);
    const result = await client.boot(options, onProgress);
    performance.mark("core-ready");
    return result;
  })();
  return { client, ready };
}
