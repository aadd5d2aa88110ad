/// <reference lib="webworker" />
/**
 * The baseline's worker: loadPyodide + loadPackage(runtime wheels) + `import pydantic`, nothing
 * else. Kept deliberately plain (no stage reporting, no host) so it is the floor to compare with.
 */
import type { PyodideAPI } from "pyodide";
import type { BootOptions } from "../src/service/boot-options";

declare const self: DedicatedWorkerGlobalScope;

interface PyodideModule {
  loadPyodide(config: { indexURL: string }): Promise<PyodideAPI>;
}

self.addEventListener("message", (event: MessageEvent<unknown>) => {
  const options = JSON.parse(String(event.data)) as BootOptions;
  void (async () => {
    try {
      const url = new URL("pyodide.mjs", options.runtime.indexURL).href;
      const mod = (await import(/* @vite-ignore */ url)) as PyodideModule;
      const pyodide = await mod.loadPyodide({ indexURL: options.runtime.indexURL });
      await pyodide.loadPackage(options.packages.wheels.map((w) => w.url));
      await pyodide.runPythonAsync("import pydantic");
      // For the benchmark's memory figures (bench/studio_bench.py), as the studio's worker has it.
      const module = (pyodide as unknown as { _module: { HEAP8: Int8Array } })._module;
      Object.defineProperty(self, "storyGenWasmMemoryBytes", { value: () => module.HEAP8.byteLength, configurable: true });
      self.postMessage(JSON.stringify({ ok: true, detail: String(pyodide.runPython("import pydantic; pydantic.VERSION")) }));
    } catch (error) {
      self.postMessage(JSON.stringify({ ok: false, detail: error instanceof Error ? error.message : String(error) }));
    }
  })();
});
