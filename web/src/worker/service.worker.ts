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
import { appStage, keepSnapshot, packagesStage, runtimeStage, type PythonApp, type Report } from "./stages";

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

async function stage<T>(name: StageName, run: (report: Report) => Promise<T>, stageMs: Record<StageName, number>): Promise<T> {
  const t0 = performance.now();
  progress(name, "running", 0, "Starting");
  try {
    const value = await run((fraction, detail) => progress(name, "running", fraction, detail));
    stageMs[name] = Math.round(performance.now() - t0);
    progress(name, "done", 1, "Done");
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
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

async function boot(id: number, options: BootOptions): Promise<void> {
  const stageMs: Record<StageName, number> = { runtime: 0, packages: 0, app: 0 };
  try {
    const pyodide = await stage("runtime", (report) => runtimeStage(options, report), stageMs);
    await stage("packages", (report) => packagesStage(pyodide, options, report), stageMs);
    app = await stage(
      "app",
      (report) => appStage(pyodide, options, report, createHost(options.app.host), post),
      stageMs,
    );
    const pythonVersion = String(pyodide.runPython("import sys; sys.version.split()[0]"));
    const result: BootResult = { stageMs, pythonVersion, start: JSON.parse(app.startJson) as unknown };
    post(encodeReply({ type: "reply", id, result }));
    void keepSnapshot();
  } catch (error) {
    const type = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    post(encodeReply({ type: "reply", id, error: { type, message } }));
  }
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
