/**
 * The three boot stages, each a function of the one options object.
 *
 * runtime  -> load the Pyodide interpreter (pyodide.mjs + wasm + stdlib) from the build
 * packages -> install the pinned third-party wheels (pydantic, pydantic_core, ...)
 * app      -> install our wheels, register the JS host helper, import the facade, `await start()`
 *
 * A stage reports progress through `report`; a throw fails that stage (the caller names it).
 */
import type { PyodideAPI } from "pyodide";
import type { BootOptions, StageName, WheelRef } from "../service/boot-options";
import { parseIncoming } from "../service/envelope";

export type Report = (fraction: number | null, detail: string) => void;

/** What the app stage hands back: the three Python entry points, as plain JS functions. */
export interface PythonApp {
  handle(requestJson: string): Promise<string>;
  /** What `start()` returned (StartResult JSON): first run, last opened story, seeded demos. */
  readonly startJson: string;
}

interface PyodideModule {
  loadPyodide(config: { indexURL: string; _makeSnapshot?: boolean; _loadSnapshot?: Uint8Array }): Promise<PyodideAPI>;
}

interface SnapshotMaker {
  makeMemorySnapshot(): Uint8Array;
}

export async function runtimeStage(options: BootOptions, report: Report): Promise<PyodideAPI> {
  report(null, "Loading the Python runtime");
  // The runtime is a build artefact copied beside the app, not a bundled module: its
  // pyodide.asm.mjs must come from the same folder as pyodide.mjs, and a URL import keeps it so.
  const { indexURL } = options.runtime;
  const mod = (await import(/* @vite-ignore */ new URL("pyodide.mjs", indexURL).href)) as PyodideModule;
  if (!options.runtime.snapshot) return await mod.loadPyodide({ indexURL });

  const saved = await loadSnapshot(indexURL);
  if (saved) {
    try {
      report(0.3, "Restoring Python from its snapshot");
      const pyodide = await mod.loadPyodide({ indexURL, _loadSnapshot: saved });
      report(1, `Python ${pythonVersion(pyodide)} restored`);
      return pyodide;
    } catch (error) {
      // A snapshot this runtime cannot restore is dropped, never retried: boot the slow way.
      console.warn("the Python snapshot did not restore; booting without it", error);
      await dropSnapshots();
    }
  }
  const pyodide = await mod.loadPyodide({ indexURL, _makeSnapshot: true });
  // The bare interpreter plus the standard modules the core imports; no extension module may
  // be loaded yet (a snapshot holding pydantic_core does not restore on Pyodide 314).
  pyodide.runPython(SNAPSHOT_PREIMPORTS);
  const snapshot = (pyodide as unknown as SnapshotMaker).makeMemorySnapshot();
  // Compressing and storing 30 MB would compete with the rest of the boot: done after it.
  pendingSnapshot = { indexURL, snapshot };
  report(1, `Python ${pythonVersion(pyodide)} ready`);
  return pyodide;
}

const SNAPSHOT_CACHE = "story-gen-pyodide-snapshot";
let pendingSnapshot: { indexURL: string; snapshot: Uint8Array } | null = null;

/** Store the snapshot made during this boot, if any (call once the studio is ready). */
export async function keepSnapshot(): Promise<void> {
  const pending = pendingSnapshot;
  pendingSnapshot = null;
  if (pending) await saveSnapshot(pending.indexURL, pending.snapshot);
}
/**
 * Pure-Python standard modules imported into the snapshot, so a warm start does not compile and
 * run them again (Pyodide's standard library zip holds sources only): what the core and the
 * service import, and what pydantic and Pyodide's package loader (its first loadPackage: email,
 * tarfile, importlib.metadata) import. No extension module may be among them.
 */
const SNAPSHOT_PREIMPORTS =
  "import abc, asyncio, base64, collections.abc, copy, dataclasses, datetime, decimal, difflib, email, " +
  "encodings.cp437, enum, fractions, functools, hashlib, hmac, importlib.metadata, importlib.resources, " +
  "inspect, io, ipaddress, json, re, secrets, sysconfig, tarfile, types, typing, uuid, warnings, weakref, " +
  "zipfile, zoneinfo";

function snapshotKey(indexURL: string): string {
  return new URL("memory-snapshot.bin.gz", indexURL).href;
}

/** The gzip'd snapshot for this runtime (the key holds the runtime's versioned folder), or null. */
async function loadSnapshot(indexURL: string): Promise<Uint8Array | null> {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(snapshotKey(indexURL));
    if (!hit?.body) return null;
    const plain = hit.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(plain).arrayBuffer());
  } catch {
    return null;
  }
}

async function saveSnapshot(indexURL: string, snapshot: Uint8Array): Promise<void> {
  try {
    await dropSnapshots();
    const packed = new Blob([snapshot as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(snapshotKey(indexURL), new Response(packed, { headers: { "content-type": "application/octet-stream" } }));
  } catch (error) {
    console.warn("could not keep the Python snapshot (the next start is slower)", error);
  }
}

async function dropSnapshots(): Promise<void> {
  try {
    await caches.delete(SNAPSHOT_CACHE);
  } catch {
    // Cache Storage unavailable: nothing to drop.
  }
}

export async function packagesStage(pyodide: PyodideAPI, options: BootOptions, report: Report): Promise<void> {
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
): Promise<PythonApp> {
  await loadWheels(pyodide, options.app.wheels, report);
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

async function loadWheels(pyodide: PyodideAPI, wheels: readonly WheelRef[], report: Report): Promise<void> {
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
