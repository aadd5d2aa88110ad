/**
 * The three boot stages, each a function of the one options object.
 *
 * runtime  -> load the Pyodide interpreter (pyodide.mjs + wasm + stdlib) from the build, or restore
 *             it from the memory snapshot kept in Cache Storage (wheels installed, app imported)
 * packages -> install the pinned third-party wheels (pydantic, pydantic_core, ...), `import pydantic`
 * app      -> install our wheels, register the JS host helper, import the facade, `await start()`
 *
 * After a restore the wheels are already installed and imported: packages and app only do what
 * a snapshot cannot hold (the JS host, the push sink, `start()`).
 *
 * A stage reports progress through `report`; a throw fails that stage (the caller names it).
 */
import type { PyodideAPI, PyodideConfig } from "pyodide";
import { restoreSnapshot, type CreateModule } from "../../../pyodide/lib/snapshot.mjs";
import type { BootOptions, SnapshotReport, StageName, WheelRef } from "../service/boot-options";
import { parseIncoming } from "../service/envelope";
import { dropSnapshot, findSnapshot, snapshotSource, studioSnapshotKey } from "./snapshot-store";

export type Report = (fraction: number | null, detail: string) => void;

/** What the app stage hands back: the three Python entry points, as plain JS functions. */
export interface PythonApp {
  handle(requestJson: string): Promise<string>;
  /** What `start()` returned (StartResult JSON): first run, last opened story, seeded demos. */
  readonly startJson: string;
}

/** pyodide.mjs, imported by URL from the runtime folder. */
export interface PyodideModule {
  readonly version: string;
  loadPyodide(config: PyodideConfig): Promise<PyodideAPI>;
}

/** The runtime stage's outcome: the interpreter and which way it came up. */
export interface Runtime {
  readonly pyodide: PyodideAPI;
  readonly snapshot: SnapshotReport;
  /** The snapshot key for these options (made after the boot when nothing was restored). */
  readonly key: string | null;
}

export async function importPyodide(indexURL: string): Promise<PyodideModule> {
  // The runtime is a build artefact copied beside the app, not a bundled module: its
  // pyodide.asm.mjs must come from the same folder as pyodide.mjs, and a URL import keeps it so.
  return (await import(/* @vite-ignore */ new URL("pyodide.mjs", indexURL).href)) as PyodideModule;
}

/** Emscripten's module factory, which the snapshot code wraps (pyodide/lib/snapshot.mjs). */
export async function importModuleFactory(indexURL: string): Promise<CreateModule> {
  const asm = (await import(/* @vite-ignore */ new URL("pyodide.asm.mjs", indexURL).href)) as { default: CreateModule };
  return asm.default;
}

/**
 * Restore Python from the snapshot kept for these options, or start it the ordinary way. A
 * snapshot that cannot be used is dropped (and reported); the stage then boots without it.
 * `notAgain`: why the snapshot must not be used this time (the interpreter restored from it
 * failed a later stage), reported as a fallback.
 */
export async function runtimeStage(options: BootOptions, report: Report, notAgain?: string): Promise<Runtime> {
  report(null, "Loading the Python runtime");
  const { indexURL } = options.runtime;
  const mod = await importPyodide(indexURL);
  let key: string | null = null;
  let outcome: Runtime | SnapshotReport = snapshotReport("disabled", "snapshots are off (?snapshot=0)");
  if (options.runtime.snapshot) {
    key = await studioSnapshotKey(options, mod.version);
    outcome = notAgain === undefined ? await restore(mod, options, key, report) : snapshotReport("fallback", notAgain);
  }
  if ("pyodide" in outcome) return outcome;
  const pyodide = await mod.loadPyodide({ indexURL });
  report(1, `Python ${pythonVersion(pyodide)} ready`);
  return { pyodide, key, snapshot: outcome };
}

function snapshotReport(
  path: SnapshotReport["path"],
  detail: string,
  steps: Record<string, number> = {},
  kept?: { rawBytes: number; storedBytes: number },
): SnapshotReport {
  return { path, detail, steps, storedBytes: kept?.storedBytes ?? 0, rawBytes: kept?.rawBytes ?? 0 };
}

/** The interpreter restored from the snapshot kept under `key`, or why there is none. */
async function restore(mod: PyodideModule, options: BootOptions, key: string, report: Report): Promise<Runtime | SnapshotReport> {
  const { indexURL } = options.runtime;
  const steps: Record<string, number> = {};
  let mark = performance.now();
  const step = (name: string): void => {
    const now = performance.now();
    steps[name] = Math.round(now - mark);
    mark = now;
  };
  let found: Response | null;
  try {
    found = await findSnapshot(indexURL, key);
  } catch (error) {
    return snapshotReport("fallback", `the snapshot could not be read: ${message(error)}`, steps);
  }
  step("find");
  if (found === null) return snapshotReport("cold", "no snapshot kept yet: one is made after this start", steps);
  report(0.2, "Restoring Python from its snapshot");
  const kept = snapshotSource(found);
  const urls: string[] = [];
  try {
    const pyodide = await restoreSnapshot({
      loadPyodide: (config) => mod.loadPyodide(config),
      createModule: await importModuleFactory(indexURL),
      config: { indexURL },
      snapshot: kept.source,
      key,
      pyodideVersion: mod.version,
      libraryURL: (_path, bytes) => {
        const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
        urls.push(url);
        return url;
      },
      onStep: step,
    });
    report(1, `Python ${pythonVersion(pyodide)} restored with its packages and the studio`);
    const header = await kept.source.header;
    return { pyodide, key, snapshot: snapshotReport("restored", `${header.modules} modules, ${header.files.length} files`, steps, kept) };
  } catch (error) {
    // Never tried again as it is: dropped, counted, and the stage boots the ordinary way.
    console.warn("the Python snapshot could not be restored; starting without it", error);
    await dropSnapshot(indexURL, key);
    return snapshotReport("fallback", message(error), steps, kept);
  } finally {
    for (const url of urls) URL.revokeObjectURL(url);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function packagesStage(pyodide: PyodideAPI, options: BootOptions, report: Report, restored = false): Promise<void> {
  if (restored) {
    report(1, "Packages restored with the runtime");
    return;
  }
  await loadWheels(pyodide, options.packages.wheels, report);
  report(0.95, "Importing pydantic");
  await pyodide.runPythonAsync("import pydantic");
  report(1, "Packages ready");
}

export async function appStage(
  pyodide: PyodideAPI,
  options: BootOptions,
  report: Report,
  host: object,
  pushSink: (pushJson: string) => void,
  restored = false,
): Promise<PythonApp> {
  if (!restored) await loadWheels(pyodide, options.app.wheels, report);
  report(0.6, "Starting the studio service");
  pyodide.registerJsModule("story_gen_host", host);
  const app = pyodide.pyimport(options.app.module) as unknown as PyApp;
  app.set_push_sink(pushSink);
  // start() answers with a reply envelope (id null): a StartResult, or why storage could not open.
  const startReply = parseIncoming(await app.start());
  if (startReply.type !== "reply") throw new Error("start() did not answer with a reply envelope");
  if ("error" in startReply) throw new Error(`${startReply.error.message} (${startReply.error.type})`);
  const startJson = JSON.stringify(startReply.result);
  report(1, "Studio service ready");
  return {
    startJson,
    async handle(requestJson: string): Promise<string> {
      return await app.handle(requestJson);
    },
  };
}

/** The facade module as seen through the FFI; only strings and one callback cross it. */
interface PyApp {
  set_push_sink(sink: (pushJson: string) => void): void;
  start(): PromiseLike<string>;
  handle(requestJson: string): PromiseLike<string>;
}

export async function loadWheels(pyodide: PyodideAPI, wheels: readonly WheelRef[], report: Report): Promise<void> {
  if (wheels.length === 0) return;
  const total = wheels.reduce((sum, w) => sum + w.size, 0);
  let loaded = 0;
  report(0, `Loading ${wheels.length} package${wheels.length === 1 ? "" : "s"}`);
  const errors: string[] = [];
  await pyodide.loadPackage(
    wheels.map((w) => w.url),
    {
      messageCallback: (message: string) => {
        const wheel = wheels.find((w) => message.includes(w.name) || message.includes(w.file));
        if (wheel && message.startsWith("Loaded")) loaded += wheel.size;
        report(total > 0 ? Math.min(0.9, (0.9 * loaded) / total) : null, message);
      },
      errorCallback: (message: string) => {
        errors.push(message);
      },
      checkIntegrity: false,
    },
  );
  // loadPackage logs a failed download instead of throwing; a missing wheel must fail the stage.
  const failed = errors.filter((e) => !/already loaded/i.test(e));
  if (failed.length > 0) throw new Error(failed.join("; "));
}

function pythonVersion(pyodide: PyodideAPI): string {
  return String(pyodide.runPython("import sys; '.'.join(map(str, sys.version_info[:3]))"));
}

export function stageLabel(stage: StageName): string {
  switch (stage) {
    case "runtime":
      return "Python runtime";
    case "packages":
      return "Packages";
    case "app":
      return "Studio service";
  }
}
