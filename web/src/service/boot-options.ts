/**
 * The ONE typed options object the worker boots from, and the stage vocabulary it reports in.
 *
 * The UI thread builds it (it knows the page's base URL, so the studio works under any
 * sub-path) and sends it as the args of the `boot` request; the worker never computes a URL.
 */

export const STAGES = ["runtime", "packages", "app"] as const;
export type StageName = (typeof STAGES)[number];

/** One wheel as listed by the build's wheels/manifest.json (generated from build/pyodide/manifest.json). */
export interface WheelRef {
  readonly name: string;
  readonly file: string;
  /** Absolute, same-origin URL. */
  readonly url: string;
  readonly sha256: string;
  readonly size: number;
}

export interface BootOptions {
  readonly runtime: {
    /** Absolute URL of the folder holding pyodide.mjs, pyodide.asm.* and python_stdlib.zip. */
    readonly indexURL: string;
    /**
     * Start from a memory snapshot kept in Cache Storage (interpreter, wheels installed, app
     * imported), made in the background after a start without one:
     * docs/adr/0027-pyodide-snapshot-with-extensions.md. `?snapshot=0` turns it off.
     */
    readonly snapshot: boolean;
  };
  readonly packages: {
    /** Third-party runtime wheels (pydantic, pydantic_core, ...), loaded in this order. */
    readonly wheels: readonly WheelRef[];
  };
  readonly app: {
    /** Our own wheels (story-gen-core, story-gen-client, story-gen-browser). */
    readonly wheels: readonly WheelRef[];
    /** The Python module exposing `start()`, `handle(request_json)` and `set_push_sink(fn)`. */
    readonly module: string;
    /** JSON-serialisable options handed to the JS host helper's `createHost(options)`. */
    readonly host: HostOptions;
  };
}

export interface HostOptions {
  /** IndexedDB database name; tests use their own to stay isolated. */
  readonly dbName?: string;
  /** BroadcastChannel name shared by the tabs of one origin. */
  readonly channelName?: string;
}

export interface StageProgress {
  readonly stage: StageName;
  readonly state: "running" | "done" | "failed";
  /** 0..1 within the stage, when known. */
  readonly fraction: number | null;
  /** One short human sentence: what is happening now, or why the stage failed. */
  readonly detail: string;
  /** Milliseconds since the boot request arrived in the worker. */
  readonly elapsedMs: number;
}

export const BOOT_REQUEST = "boot";
export const BOOT_PROGRESS_PUSH = "boot.progress";

/**
 * Which way the runtime stage came up:
 * - `restored`: from the memory snapshot (the packages and app stages then have almost nothing to do);
 * - `fallback`: a snapshot was kept but could not be used (`detail` says why); it was dropped and
 *   the studio booted without it (a new one is made after this start);
 * - `cold`: no snapshot kept for this build yet (one is made after this start);
 * - `disabled`: `?snapshot=0`.
 */
export interface SnapshotReport {
  readonly path: "restored" | "fallback" | "cold" | "disabled";
  readonly detail: string;
  /**
   * Milliseconds per step of the restore, each from the end of the previous one: find (the
   * Cache Storage entry), libraries (its header and startup libraries read), module (the wasm
   * module compiled with them), verified (the rest read, its checksum), heap (copied in,
   * Python's bootstrap), files (site-packages written back), reseed, check.
   */
  readonly steps: Readonly<Record<string, number>>;
  /** The snapshot's size as kept in Cache Storage and as restored (0 when none was read). */
  readonly storedBytes: number;
  readonly rawBytes: number;
}

/** What the worker replies to `boot` once every stage is done. */
export interface BootResult {
  readonly stageMs: Readonly<Record<StageName, number>>;
  readonly snapshot: SnapshotReport;
  readonly pythonVersion: string;
  /** The service's StartResult (story_gen.browser.app.start()). */
  readonly start: unknown;
}

/**
 * build/web/boot-manifest.json, written by scripts/build.mjs (generated, never edited): where the
 * runtime and the wheels are, relative to the page. Content-addressed folders let the service
 * worker precache them without cache-busting (docs/adr/0022-service-worker-offered-updates.md).
 */
export interface BootManifest {
  readonly format: 1;
  readonly runtime: { readonly path: string; readonly version: string };
  readonly wheels: readonly {
    readonly name: string;
    readonly version: string;
    readonly file: string;
    readonly path: string;
    readonly group: "runtime" | "app";
    readonly sha256: string;
    readonly size: number;
  }[];
}

/** Build the options from the page's base URL and the boot manifest (pure: testable). */
export function bootOptionsFor(baseURI: string, manifest: BootManifest, host: HostOptions = {}, snapshot = true): BootOptions {
  const ref = (group: "runtime" | "app"): WheelRef[] =>
    manifest.wheels
      .filter((w) => w.group === group)
      .map((w) => ({ name: w.name, file: w.file, url: new URL(w.path, baseURI).href, sha256: w.sha256, size: w.size }));
  return {
    runtime: { indexURL: new URL(manifest.runtime.path, baseURI).href, snapshot },
    packages: { wheels: ref("runtime") },
    app: { wheels: ref("app"), module: "story_gen.browser.app", host },
  };
}
