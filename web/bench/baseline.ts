/**
 * Bench baseline page: boot a bare worker with Pyodide + the runtime wheels and report when
 * pydantic imports. Marks `core-ready` (performance.mark) exactly as the studio does, and
 * exposes `window.baselineResult` for bench/ to read.
 */
import { bootOptionsFor, type BootManifest } from "../src/service/boot-options";

interface BaselineResult {
  readonly ok: boolean;
  readonly coreReadyMs: number;
  readonly detail: string;
}

declare global {
  interface Window {
    baselineResult?: BaselineResult;
  }
}

const status = document.getElementById("status");

async function run(): Promise<BaselineResult> {
  const base = new URL("../", document.baseURI).href;
  const manifest = (await (await fetch(new URL("boot-manifest.json", base))).json()) as BootManifest;
  const options = bootOptionsFor(base, manifest);
  const worker = new Worker(new URL("./baseline.worker.ts", import.meta.url), { type: "module" });
  return await new Promise<BaselineResult>((resolve) => {
    worker.addEventListener("message", (event: MessageEvent<unknown>) => {
      const reply = JSON.parse(String(event.data)) as { ok: boolean; detail: string };
      performance.mark("core-ready");
      resolve({ ok: reply.ok, detail: reply.detail, coreReadyMs: Math.round(performance.now()) });
    });
    worker.addEventListener("error", (event) => resolve({ ok: false, detail: event.message, coreReadyMs: -1 }));
    worker.postMessage(JSON.stringify(options));
  });
}

void run().then((result) => {
  window.baselineResult = result;
  if (status) {
    status.textContent = result.ok ? `ready in ${result.coreReadyMs} ms` : `failed: ${result.detail}`;
    status.dataset["state"] = result.ok ? "ready" : "failed";
  }
});
