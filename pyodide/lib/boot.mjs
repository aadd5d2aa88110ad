// @ts-check
// Boots Pyodide under Node with story_gen's wheels: the one loader that the test runner
// (run-pytest.mjs) and the script runner (run-python.mjs) share.
//
// Stages, in order, each timed and reported through `onStage`:
//   setup    - `setupModules` run their `preboot()` (e.g. fake-indexeddb/auto) and provide JS modules
//   runtime  - loadPyodide() from the npm `pyodide` package (node_modules, never a CDN), or, given
//              a `snapshot` (makeSnapshotOf), the interpreter restored from it with the wheels
//              installed and the app imported (snapshot.mjs); any failure falls back to the rest
//   packages - the wheels (checked against the manifest's sha256) in ONE loadPackage() call
//              (nothing to do after a restore)
//   mounts   - host directories mounted with NODEFS at the same absolute paths
//   app      - JS modules registered (pyodide.registerJsModule), then `postboot(pyodide)` hooks
//
// `offline` (default true) replaces globalThis.fetch so that any attempt to reach the network
// (a package missing from the wheel list would make Pyodide try its CDN) fails loudly.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadPyodide, version as pyodideVersion } from "pyodide";
import createPyodideModule from "pyodide/pyodide.asm.mjs";
import {
  importAndBuildPython,
  makeSnapshot,
  parsedSource,
  parseSnapshot,
  restoreSnapshot,
  snapshotKey,
} from "./snapshot.mjs";
import { sharedLibraries } from "./wheel-libraries.mjs";

/** @typedef {import("pyodide").PyodideAPI} PyodideAPI */
/** @typedef {"runtime" | "test" | "app"} WheelGroup */
/**
 * @typedef {object} ManifestWheel
 * @property {string} file
 * @property {string} name
 * @property {string} version
 * @property {WheelGroup} group
 * @property {string} sha256
 * @property {number} size
 */
/**
 * A setup module (tests/<suite>/pyodide_setup.mjs); every hook is optional.
 * @typedef {object} SetupModule
 * @property {() => Promise<void> | void} [preboot]  before Pyodide boots
 * @property {() => Promise<Record<string, object>> | Record<string, object>} [jsModules]
 *   name -> module, registered with pyodide.registerJsModule
 * @property {(pyodide: PyodideAPI) => Promise<void> | void} [postboot]  after everything else
 */
/**
 * @typedef {object} BootOptions
 * @property {string[]} wheels  absolute wheel paths (see manifestWheels)
 * @property {string[]} [mounts]  host directories, mounted at the same absolute path
 * @property {string[]} [setupModules]  .mjs files of SetupModule hooks (docs/testing.md)
 * @property {Record<string, string>} [env]  os.environ for Python
 * @property {NodeJS.WritableStream & {isTTY?: boolean}} [stdout]  default process.stdout
 * @property {NodeJS.WritableStream & {isTTY?: boolean}} [stderr]  default process.stderr
 * @property {boolean} [offline]  refuse any fetch() (default true)
 * @property {(stage: string, ms: number) => void} [onStage]  timing of each stage
 * @property {Uint8Array} [snapshot]  a bundle from makeSnapshotOf(the same wheels, prepare)
 * @property {string} [prepare]  the Python the snapshot ran (default SNAPSHOT_PREPARE): part of its key
 * @property {(report: SnapshotReport) => void} [onSnapshot]  which path the runtime stage took
 */
/**
 * @typedef {object} SnapshotReport
 * @property {"restored" | "fallback" | "none"} path  none: no snapshot was given
 * @property {string} detail  why it fell back, or what was restored
 * @property {Record<string, number>} steps  ms per step of the restore (parse, libraries, module, ...)
 */

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILD_DIR = join(REPO, "build", "pyodide");
export const WHEEL_DIR = join(BUILD_DIR, "wheels");
export const MANIFEST = join(BUILD_DIR, "manifest.json");
const GROUPS = ["runtime", "test", "app"];

/** The snapshot's imports by default: the core and the studio service, their models built. */
export const SNAPSHOT_PREPARE = importAndBuildPython(
  ["story_gen.core", "story_gen.browser.app"],
  ["story_gen."],
);

/** Whether this V8 can suspend WebAssembly on a JS promise (JSPI, old or new API). */
export function hasJspi() {
  const wasm = /** @type {Record<string, unknown>} */ (
    /** @type {Record<string, unknown>} */ (globalThis)["WebAssembly"]
  );
  return "Suspending" in wasm || typeof wasm["Function"] === "function";
}

/**
 * Makes sure the runner runs with JSPI, re-running the same command under the Node flag that
 * enables it if needed. JSPI is what lets synchronous Python (a pytest test) wait for a JS
 * promise (IndexedDB through fake-indexeddb) with `pyodide.ffi.run_sync` or
 * `loop.run_until_complete`; Chromium has it natively, Node 20 behind this flag.
 */
export function ensureJspi() {
  if (hasJspi()) return;
  if (process.env["STORY_GEN_JSPI_REEXEC"] === "1") {
    throw new Error(`Node ${process.version} has no JSPI even with --experimental-wasm-stack-switching`);
  }
  const child = spawnSync(
    process.execPath,
    ["--experimental-wasm-stack-switching", ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, STORY_GEN_JSPI_REEXEC: "1" } },
  );
  if (child.error) throw child.error;
  process.exit(child.status ?? 1);
}

/**
 * The environment variables whose names pass `keep`, for BootOptions.env.
 * @param {(name: string) => boolean} keep
 * @returns {Record<string, string>}
 */
export function environment(keep) {
  /** @type {Record<string, string>} */
  const picked = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && keep(name)) picked[name] = value;
  }
  return picked;
}

/** Collects BootOptions.onStage reports as "stage N ms" strings. */
export function stageLog() {
  /** @type {string[]} */
  const lines = [];
  return {
    lines,
    /** @type {(stage: string, ms: number) => void} */
    onStage: (stage, ms) => lines.push(`${stage} ${ms.toFixed(0)} ms`),
  };
}

/**
 * Absolute paths of the manifest's wheels in the given groups, each verified against the
 * manifest's sha256 so that a stale or tampered file never loads.
 * @param {WheelGroup[]} groups
 * @param {string} [manifestPath]
 * @returns {string[]}
 */
export function manifestWheels(groups, manifestPath = MANIFEST) {
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} does not exist: run \`make wheels\` first`);
  }
  const unknown = groups.filter((group) => !GROUPS.includes(group));
  if (unknown.length > 0) throw new Error(`unknown wheel group(s): ${unknown.join(", ")}`);
  const manifest = /** @type {{wheels: ManifestWheel[]}} */ (
    JSON.parse(readFileSync(manifestPath, "utf-8"))
  );
  const paths = [];
  for (const wheel of manifest.wheels) {
    if (!groups.includes(wheel.group)) continue;
    const path = join(dirname(manifestPath), "wheels", wheel.file);
    if (!existsSync(path)) {
      throw new Error(`${path} is listed in the manifest but missing: run \`make wheels\``);
    }
    const digest = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (digest !== wheel.sha256) {
      throw new Error(`${path}: sha256 ${digest} differs from the manifest: run \`make wheels\``);
    }
    paths.push(path);
  }
  return paths;
}

/**
 * Imports each setup module (a path or a file: URL).
 * @param {string[]} specs
 * @returns {Promise<{spec: string, module: SetupModule}[]>}
 */
async function importSetupModules(specs) {
  const modules = [];
  for (const spec of specs) {
    const url = spec.startsWith("file:") ? spec : pathToFileURL(resolve(spec)).href;
    modules.push({ spec, module: /** @type {SetupModule} */ (await import(url)) });
  }
  return modules;
}

function refuseNetwork() {
  /** @param {unknown} input */
  const describe = (input) =>
    typeof input === "string" ? input : input instanceof Request ? input.url : String(input);
  globalThis.fetch = async (input) => {
    throw new Error(
      `story_gen pyodide harness is offline: refused to fetch ${describe(input)}. Every ` +
        "package must come from build/pyodide/wheels (is a wheel missing from the manifest?)",
    );
  };
}

/**
 * Raw byte writer for setStdout/setStderr, so output appears live and unmangled.
 * @param {NodeJS.WritableStream & {isTTY?: boolean}} stream
 */
function rawWriter(stream) {
  return {
    isatty: Boolean(stream.isTTY),
    /** @param {Uint8Array} buffer */
    write(buffer) {
      stream.write(buffer);
      return buffer.length;
    },
  };
}

/**
 * Boot Pyodide with story_gen's wheels.
 * @param {BootOptions} options
 * @returns {Promise<PyodideAPI>}
 */
export async function bootStoryGen({
  wheels,
  mounts = [],
  setupModules = [],
  env = {},
  stdout = process.stdout,
  stderr = process.stderr,
  offline = true,
  onStage = () => {},
  snapshot,
  prepare = SNAPSHOT_PREPARE,
  onSnapshot = () => {},
}) {
  let mark = performance.now();
  /** @param {string} name */
  const stage = (name) => {
    const now = performance.now();
    onStage(name, now - mark);
    mark = now;
  };

  if (offline) refuseNetwork();
  const setups = await importSetupModules(setupModules);
  /** @type {Map<string, object>} */
  const jsModules = new Map();
  for (const { spec, module } of setups) {
    if (module.preboot) await module.preboot();
    if (!module.jsModules) continue;
    for (const [name, value] of Object.entries(await module.jsModules())) {
      if (jsModules.has(name)) throw new Error(`${spec}: JS module ${name} is registered twice`);
      jsModules.set(name, value);
    }
  }
  stage("setup");

  /** @type {import("pyodide").PyodideConfig} */
  const config = {
    env: { PYTHONDONTWRITEBYTECODE: "1", ...env },
    stdout: (line) => stdout.write(`${line}\n`),
    stderr: (line) => stderr.write(`${line}\n`),
  };
  let pyodide = snapshot ? await restoreOrReport(snapshot, wheels, prepare, config, onSnapshot) : null;
  const restored = pyodide !== null;
  if (!snapshot) onSnapshot({ path: "none", detail: "no snapshot given", steps: {} });
  pyodide ??= await loadPyodide(config);
  pyodide.setStdout(rawWriter(stdout));
  pyodide.setStderr(rawWriter(stderr));
  stage("runtime");

  if (!restored) {
    /** @type {string[]} */
    const failures = [];
    await pyodide.loadPackage(wheels, {
      messageCallback: () => {},
      errorCallback: (message) => failures.push(message),
    });
    if (failures.length > 0) throw new Error(`loading wheels failed:\n${failures.join("\n")}`);
  }
  stage("packages");

  for (const hostPath of mounts) {
    const path = realpathSync(hostPath);
    pyodide.mountNodeFS(path, path);
  }
  stage("mounts");

  for (const [name, module] of jsModules) pyodide.registerJsModule(name, module);
  for (const { module } of setups) {
    if (module.postboot) await module.postboot(pyodide);
  }
  stage("app");
  return pyodide;
}

/**
 * The key of a snapshot of these wheels and this `prepare` under the installed Pyodide.
 * @param {string[]} wheels  absolute wheel paths
 * @param {string} prepare
 */
export async function snapshotKeyOf(wheels, prepare) {
  return await snapshotKey({
    pyodideVersion,
    wheels: wheels.map((path) => ({
      name: basename(path),
      sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
    })),
    prepare,
  });
}

/**
 * Under Node, Emscripten reads a startup library from a file path: each library's bytes are
 * written to a temporary folder for the boot, removed after it.
 */
function libraryFiles() {
  const dir = mkdtempSync(join(tmpdir(), "story-gen-libs-"));
  let n = 0;
  return {
    /** @type {(path: string, bytes: Uint8Array) => string} */
    url: (path, bytes) => {
      const file = join(dir, `${n++}-${basename(path)}`);
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Make a snapshot bundle of Pyodide with `wheels` installed and `prepare` run (by default the
 * core and the studio service imported, their models built). Boots its own interpreter.
 * @param {{wheels: string[], prepare?: string, env?: Record<string, string>}} options
 * @returns {Promise<Uint8Array>}
 */
export async function makeSnapshotOf({ wheels, prepare = SNAPSHOT_PREPARE, env = {} }) {
  const libraries = sharedLibraries(wheels.map((path) => ({ file: basename(path), bytes: readFileSync(path) })));
  const files = libraryFiles();
  try {
    const { bundle } = await makeSnapshot({
      loadPyodide,
      createModule: createPyodideModule,
      config: { env: { PYTHONDONTWRITEBYTECODE: "1", ...env } },
      libraries,
      libraryURL: files.url,
      install: async (pyodide) => {
        /** @type {string[]} */
        const failures = [];
        await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => failures.push(m) });
        if (failures.length > 0) throw new Error(`loading wheels failed:\n${failures.join("\n")}`);
      },
      prepare,
      key: await snapshotKeyOf(wheels, prepare),
      pyodideVersion,
    });
    return bundle;
  } finally {
    files.remove();
  }
}

/**
 * Restore from `snapshot`, or report why not and return null (the caller boots without it).
 * @param {Uint8Array} snapshot
 * @param {string[]} wheels
 * @param {string} prepare
 * @param {import("pyodide").PyodideConfig} config
 * @param {(report: SnapshotReport) => void} onSnapshot
 * @returns {Promise<PyodideAPI | null>}
 */
async function restoreOrReport(snapshot, wheels, prepare, config, onSnapshot) {
  const files = libraryFiles();
  /** @type {Record<string, number>} */
  const steps = {};
  try {
    const mark = performance.now();
    const parsed = parseSnapshot(snapshot);
    steps["parse"] = performance.now() - mark;
    const pyodide = await restoreSnapshot({
      loadPyodide,
      createModule: createPyodideModule,
      config,
      snapshot: parsedSource(parsed),
      key: await snapshotKeyOf(wheels, prepare),
      pyodideVersion,
      libraryURL: files.url,
      onStep: (step, ms) => {
        steps[step] = ms;
      },
    });
    onSnapshot({
      path: "restored",
      detail: `${parsed.header.modules} modules, ${parsed.header.files.length} files`,
      steps,
    });
    return pyodide;
  } catch (error) {
    onSnapshot({ path: "fallback", detail: error instanceof Error ? error.message : String(error), steps });
    return null;
  } finally {
    files.remove();
  }
}

/**
 * Runs Python `code` whose last expression is an exit status (an int) and returns it. `variables`
 * reach the code as the dict `ARGS`, passed as JSON (only JSON crosses the JS/Python boundary).
 * It runs with runPythonAsync, so that under JSPI (see ensureJspi) the code, and any test it
 * runs, can block on a JS promise with `pyodide.ffi.run_sync`.
 * @param {PyodideAPI} pyodide
 * @param {string} code
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<number>}
 */
export async function runForExitCode(pyodide, code, variables = {}) {
  const namespace = pyodide.toPy({ ARGS_JSON: JSON.stringify(variables) });
  try {
    const prelude = "import json as _json\nARGS = _json.loads(ARGS_JSON)\n";
    const status = await pyodide.runPythonAsync(`${prelude}${code}`, { globals: namespace });
    return Number(status);
  } finally {
    namespace.destroy();
  }
}

/**
 * Runs a runner's `main()`, turning any harness failure (a missing wheel, a Python error outside
 * the code under test) into one readable message and exit status 1, instead of a stack trace
 * through Pyodide's minified glue.
 * @param {() => Promise<number>} main
 */
export async function runMain(main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    const failure = /** @type {{type?: string, message?: string, stack?: string}} */ (error);
    const detail = failure.type !== undefined ? failure.message : (failure.stack ?? String(error));
    process.stderr.write(`pyodide harness: ${detail}\n`);
    process.exitCode = 1;
  }
}
