/**
 * The snapshot maker: a short-lived worker the service worker starts after a boot that restored
 * nothing (docs/adr/0027-pyodide-snapshot-with-extensions.md). It boots its own Pyodide with the
 * wheels' shared libraries as startup libraries, installs the wheels, imports the app, takes the
 * snapshot and keeps it in Cache Storage; then it is terminated. The studio's own interpreter
 * never waits for it: it runs on its own thread.
 *
 * In: one JSON message `{options: BootOptions, key}`. Out: one JSON `MakerResult`.
 */
/// <reference lib="webworker" />
import { makeSnapshot } from "../../../pyodide/lib/snapshot.mjs";
import { sharedLibraries } from "../../../pyodide/lib/wheel-libraries.mjs";
import type { BootOptions } from "../service/boot-options";
import { snapshotPrepare, storeSnapshot } from "./snapshot-store";
import { importModuleFactory, importPyodide, loadWheels } from "./stages";

declare const self: DedicatedWorkerGlobalScope;

export type MakerResult =
  | { readonly ok: true; readonly rawBytes: number; readonly storedBytes: number; readonly steps: Record<string, number> }
  | { readonly ok: false; readonly message: string };

async function make(options: BootOptions, key: string): Promise<MakerResult> {
  const { indexURL } = options.runtime;
  const steps: Record<string, number> = {};
  const started = performance.now();
  const mod = await importPyodide(indexURL);
  // Only wheels built for the platform can hold a shared library.
  const platform = options.packages.wheels.filter((w) => !w.file.endsWith("-none-any.whl"));
  const wheels = await Promise.all(
    platform.map(async (w) => {
      const response = await fetch(w.url);
      if (!response.ok) throw new Error(`${w.file}: HTTP ${response.status}`);
      return { file: w.file, bytes: new Uint8Array(await response.arrayBuffer()) };
    }),
  );
  const libraries = sharedLibraries(wheels);
  const urls: string[] = [];
  try {
    const { bundle } = await makeSnapshot({
      loadPyodide: (config) => mod.loadPyodide(config),
      createModule: await importModuleFactory(indexURL),
      config: { indexURL },
      libraries,
      libraryURL: (_path, bytes) => {
        const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
        urls.push(url);
        return url;
      },
      install: (pyodide) => loadWheels(pyodide, [...options.packages.wheels, ...options.app.wheels], () => {}),
      prepare: snapshotPrepare(options),
      key,
      pyodideVersion: mod.version,
      onStep: (name, ms) => {
        steps[name] = Math.round(ms);
      },
    });
    const t0 = performance.now();
    const storedBytes = await storeSnapshot(indexURL, key, bundle, performance.now() - started);
    steps["store"] = Math.round(performance.now() - t0);
    steps["total"] = Math.round(performance.now() - started);
    return { ok: true, rawBytes: bundle.byteLength, storedBytes, steps };
  } finally {
    for (const url of urls) URL.revokeObjectURL(url);
  }
}

self.addEventListener("message", (event: MessageEvent<unknown>) => {
  const { options, key } = JSON.parse(String(event.data)) as { options: BootOptions; key: string };
  make(options, key).then(
    (result) => self.postMessage(JSON.stringify(result)),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      self.postMessage(JSON.stringify({ ok: false, message } satisfies MakerResult));
    },
  );
});
