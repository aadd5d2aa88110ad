#!/usr/bin/env node
// @ts-check
// Runs studio_service_bench.py's measurement INSIDE Pyodide under Node, with the studio's real
// JS host (browser/js/host.mjs) over fake-indexeddb: `node bench/studio_service_pyodide.mjs
// [chapters] [edits] [opens]`. Prints one JSON line (the last line of stdout).
import { bootStoryGen, manifestWheels, REPO, runMain } from "../pyodide/lib/boot.mjs";

const [chapters = "1000", edits = "40", opens = "8"] = process.argv.slice(2);

await runMain(async () => {
  await import("fake-indexeddb/auto");
  const { createHost } = await import("../browser/js/host.mjs");
  const { IDBFactory } = await import("fake-indexeddb");
  const factory = new IDBFactory();
  const profile = {
    tab: () => createHost({ indexedDB: factory, dbName: "story-gen-bench", channelName: "bench" }),
  };
  const mounts = [REPO];
  const pyodide = await bootStoryGen({
    wheels: manifestWheels(["runtime", "app"]),
    mounts,
  });
  pyodide.registerJsModule("story_gen_bench_profile", profile);
  const out = await pyodide.runPythonAsync(
    `
import sys
sys.path.insert(0, ${JSON.stringify(REPO)})
from bench import studio_service_bench
await studio_service_bench.measure_in_pyodide(${Number(chapters)}, ${Number(edits)}, ${Number(opens)})
`,
  );
  process.stdout.write(`${out}\n`);
  return 0;
});
