#!/usr/bin/env node
// @ts-check
// Makes a memory snapshot of Pyodide with story_gen's runtime + app wheels installed and the app
// imported (lib/snapshot.mjs), or boots from one and probes the result:
//
//   node pyodide/run-snapshot.mjs make OUT.bin
//   node pyodide/run-snapshot.mjs boot IN.bin [--restore-only]
//
// `boot` prints one JSON line: {snapshot: {path, detail, steps}, stages, probe}. `probe` is what
// Python saw (a model validated, random numbers, installed-package metadata, a module imported
// from the files put back); a restore that fails falls back to the ordinary boot, unless
// `--restore-only`, which then prints the refusal and exits 3. Used by pyodide/test/snapshot.test.mjs,
// the check to run on every Pyodide upgrade (docs/adr/0027-pyodide-snapshot-with-extensions.md).
import { readFileSync, writeFileSync } from "node:fs";
import { bootStoryGen, makeSnapshotOf, manifestWheels, runForExitCode, runMain } from "./lib/boot.mjs";

const PROBE = `
import importlib.metadata, json, random, sys, uuid
from story_gen.core import StoryBlueprint

# What the studio's first request does: validate a blueprint with the restored pydantic_core.
blueprint = StoryBlueprint.model_validate_json(ARGS["blueprint"])
lazily_imported = "story_gen.browser.memory_host" not in sys.modules
import story_gen.browser.memory_host  # only importable if site-packages was put back
import pyodide_js
from pyodide import _package_loader
print(json.dumps({
    "premise": blueprint.premise,
    "random": random.random(),
    "uuid": str(uuid.uuid4()),
    "pydantic_version": importlib.metadata.version("pydantic"),
    "memory_host_was_not_imported": lazily_imported,
    "js_loaded_packages": sorted(pyodide_js.loadedPackages.object_keys()),
    "py_loaded_packages": sorted(_package_loader.loadedPackages.object_keys()),
    "modules": len(sys.modules),
}))
0
`;

const BLUEPRINT = JSON.stringify({
  premise: "A story validated right after a restore.",
  canon_rules: [],
  themes: [],
  characters: [],
  chapters: [],
});

const [command, file, ...flags] = process.argv.slice(2);
if ((command !== "make" && command !== "boot") || file === undefined) {
  process.stderr.write("usage: node pyodide/run-snapshot.mjs make OUT.bin | boot IN.bin [--restore-only]\n");
  process.exit(2);
}
const wheels = manifestWheels(["runtime", "app"]);

await runMain(async () => {
  if (command === "make") {
    writeFileSync(file, await makeSnapshotOf({ wheels }));
    return 0;
  }
  /** @type {import("./lib/boot.mjs").SnapshotReport | null} */
  let snapshot = null;
  /** @type {Record<string, number>} */
  const stages = {};
  const restoreOnly = flags.includes("--restore-only");
  let lines = "";
  const decoder = new TextDecoder();
  const pyodide = await bootStoryGen({
    wheels,
    snapshot: new Uint8Array(readFileSync(file)),
    onSnapshot: (report) => {
      snapshot = report;
      if (restoreOnly && report.path !== "restored") {
        process.stdout.write(`${JSON.stringify({ snapshot: report })}\n`);
        process.exit(3);
      }
    },
    onStage: (stage, ms) => {
      stages[stage] = Math.round(ms);
    },
    stdout: /** @type {NodeJS.WritableStream} */ (
      /** @type {unknown} */ ({
        write: (/** @type {string | Uint8Array} */ chunk) => {
          lines += typeof chunk === "string" ? chunk : decoder.decode(chunk);
          return true;
        },
      })
    ),
  });
  const status = await runForExitCode(pyodide, PROBE, { blueprint: BLUEPRINT });
  const probe = JSON.parse(lines.trim().split("\n").at(-1) ?? "null");
  process.stdout.write(`${JSON.stringify({ snapshot, stages, probe })}\n`);
  return status;
});
