/**
 * The Pyodide Web Worker: boots in named stages, then forwards envelopes to the Python facade.
 *
 * Messages in both directions are JSON strings in the one envelope (src/service/envelope.ts).
 * The `boot` request is the only name handled here in TypeScript; every other name goes to
 * `story_gen.browser.app.handle` untouched, and its reply string comes back untouched.
 */
/// <reference lib="webworker" />
import { createHost } from "../../../browser/js/host.mjs";
import {
  BOOT_PROGRESS_PUSH,
  BOOT_REQUEST,
  type BootOptions,
  type BootResult,
  type StageName,
  type StageProgress,
} from "../service/boot-options";
import { encodePush, encodeReply, type RequestEnvelope } from "../service/envelope";
import { countFailure, dropSnapshot, failureCount, findSnapshot, MAX_FAILURES } from "./snapshot-store";
import type { MakerResult } from "./snapshot.worker";
import { appStage, packagesStage, runtimeStage, type PythonApp, type Report, type Runtime } from "./stages";

declare const self: DedicatedWorkerGlobalScope;

let app: PythonApp | null = null;
let booting: Promise<void> | null = null;
const started = performance.now();

function post(text: string): void {
  self.postMessage(text);
}

function progress(stage: StageName, state: StageProgress["state"], fraction: number | null, detail: string): void {
  const args: StageProgress = { stage, state, fraction, detail, elapsedMs: Math.round(performance.now() - started) };
  post(encodePush({ type: "push", name: BOOT_PROGRESS_PUSH, args }));
}

/**
 * Run one stage, reporting it. `retryable`: a failure is reported as still running (the caller
 * starts again without the snapshot) instead of failing the boot.
 */
async function stage<T>(
  name: StageName,
  run: (report: Report) => Promise<T>,
  stageMs: Record<StageName, number>,
  retryable = false,
): Promise<T> {
  const t0 = performance.now();
  progress(name, "running", 0, "Starting");
  try {
    const value = await run((fraction, detail) => progress(name, "running", fraction, detail));
    stageMs[name] = Math.round(performance.now() - t0);
    progress(name, "done", 1, "Done");
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (retryable) {
      progress(name, "running", null, `Starting again without the snapshot (${message})`);
      throw error;
    }
    progress(name, "failed", null, message);
    throw new BootStageError(name, message);
  }
}

class BootStageError extends Error {
  constructor(readonly stage: StageName, message: string) {
    super(`${stage} stage failed: ${message}`);
    this.name = "BootStageError";
  }
}

/** The stages after the runtime one; after a restore they only do what a snapshot cannot hold. */
async function startApp(runtime: Runtime, options: BootOptions, stageMs: Record<StageName, number>): Promise<PythonApp> {
  const restored = runtime.snapshot.path === "restored";
  await stage("packages", (report) => packagesStage(runtime.pyodide, options, report, restored), stageMs, restored);
  const host = createHost(options.app.host);
  try {
    return await stage("app", (report) => appStage(runtime.pyodide, options, report, host, post, restored), stageMs, restored);
  } catch (error) {
    // The interpreter is abandoned: its host must not keep listening to other tabs.
    (host as { close?: () => void }).close?.();
    throw error;
  }
}

async function boot(id: number, options: BootOptions): Promise<void> {
  const stageMs: Record<StageName, number> = { runtime: 0, packages: 0, app: 0 };
  try {
    let runtime = await stage("runtime", (report) => runtimeStage(options, report), stageMs);
    try {
      app = await startApp(runtime, options, stageMs);
    } catch (error) {
      if (runtime.snapshot.path !== "restored" || runtime.key === null) throw error;
      // A restored interpreter that fails later is not trusted either: drop the snapshot and
      // boot again, the ordinary way, in a fresh interpreter.
      console.warn("the studio restored from its snapshot failed to start; starting again without it", error);
      await dropSnapshot(options.runtime.indexURL, runtime.key);
      const why = `the studio restored from the snapshot failed to start (${error instanceof Error ? error.message : String(error)}); started again without it`;
      runtime = await stage("runtime", (report) => runtimeStage(options, report, why), stageMs);
      app = await startApp(runtime, options, stageMs);
    }
    const pythonVersion = String(runtime.pyodide.runPython("import sys; sys.version.split()[0]"));
    exposeMemory(runtime);
    const result: BootResult = {
      stageMs,
      snapshot: runtime.snapshot,
      pythonVersion,
      start: JSON.parse(app.startJson) as unknown,
    };
    post(encodeReply({ type: "reply", id, result }));
    if (runtime.snapshot.path !== "restored" && runtime.key !== null) scheduleSnapshot(options, runtime.key);
  } catch (error) {
    const type = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    post(encodeReply({ type: "reply", id, error: { type, message } }));
  }
}

/** For the benchmark (bench/studio_bench.py evaluates it in this worker): the wasm memory's size. */
function exposeMemory(runtime: Runtime): void {
  const module = (runtime.pyodide as unknown as { _module: { HEAP8: Int8Array } })._module;
  Object.defineProperty(self, "storyGenWasmMemoryBytes", { value: () => module.HEAP8.byteLength, configurable: true });
}

// ---------------------------------------------------------------- making the snapshot

/** Wait this long after ready before making a snapshot: the first moments belong to the writer. */
const SNAPSHOT_DELAY_MS = 2_000;
/** A maker that takes longer than this is stopped (it is retried on a later visit). */
const SNAPSHOT_TIMEOUT_MS = 300_000;

/**
 * After a boot that restored nothing, make the snapshot in a worker of its own, unless one is
 * kept already, another tab is making it (a Web Lock), or it failed too often for this build.
 */
function scheduleSnapshot(options: BootOptions, key: string): void {
  const { indexURL } = options.runtime;
  const make = async (): Promise<void> => {
    if ((await findSnapshot(indexURL, key)) !== null) return;
    if ((await failureCount(indexURL, key)) >= MAX_FAILURES) return;
    const result = await runMaker(options, key);
    if (result.ok) {
      console.info(`Python snapshot kept: ${result.rawBytes} bytes (${result.storedBytes} stored)`, result.steps);
    } else {
      console.warn(`the Python snapshot could not be made: ${result.message}`);
      await countFailure(indexURL, key);
    }
  };
  // Nothing here may throw out of the timer: an uncaught error in this worker is reported to the
  // page as the worker's failure. Without Web Locks, every tab makes its own.
  setTimeout(() => {
    const locks = (navigator as Partial<WorkerNavigator>).locks;
    const done = locks
      ? locks.request("story-gen-pyodide-snapshot", { ifAvailable: true }, (lock) => (lock === null ? undefined : make()))
      : make();
    done.catch((error: unknown) => console.warn("the Python snapshot could not be made", error));
  }, SNAPSHOT_DELAY_MS);
}

function runMaker(options: BootOptions, key: string): Promise<MakerResult> {
  const maker = new Worker(new URL("./snapshot.worker.ts", import.meta.url), { type: "module", name: "story-gen-snapshot" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<MakerResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, message: `no snapshot after ${SNAPSHOT_TIMEOUT_MS} ms` }), SNAPSHOT_TIMEOUT_MS);
    maker.addEventListener("message", (event: MessageEvent<unknown>) => resolve(JSON.parse(String(event.data)) as MakerResult));
    maker.addEventListener("error", (event) => resolve({ ok: false, message: event.message || "the snapshot worker failed" }));
    maker.postMessage(JSON.stringify({ options, key }));
  }).finally(() => {
    clearTimeout(timer);
    maker.terminate();
  });
}

self.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (typeof event.data !== "string") return;
  let request: RequestEnvelope;
  try {
    request = JSON.parse(event.data) as RequestEnvelope;
  } catch {
    return;
  }
  if (request.name === BOOT_REQUEST) {
    // A second boot on the same worker is a programming error: retry means a new worker.
    if (booting) {
      post(encodeReply({ type: "reply", id: request.id, error: { type: "BootError", message: "already booting" } }));
      return;
    }
    booting = boot(request.id, request.args as BootOptions);
    return;
  }
  if (app === null) {
    post(
      encodeReply({
        type: "reply",
        id: request.id,
        error: { type: "NotReady", message: "the studio service is still starting" },
      }),
    );
    return;
  }
  const current = app;
  current.handle(event.data).then(post, (error: unknown) => {
    // handle() reduces every Python error to an error reply itself; reaching here means the
    // FFI call failed (for example the interpreter died), which the UI must hear about too.
    const message = error instanceof Error ? error.message : String(error);
    post(encodeReply({ type: "reply", id: request.id, error: { type: "WorkerError", message } }));
  });
});
