// Boots Pyodide under Node with story_gen's wheels: the one loader that the test runner
// (run-pytest.mjs) and the script runner (run-python.mjs) share.
//
// Stages, in order, each timed and reported through `onStage`:
//   setup    - `setupModules` run their `preboot()` (e.g. fake-indexeddb/auto) and provide JS modules
//   runtime  - loadPyodide() from the npm `pyodide` package (node_modules, never a CDN)
//   packages - every wheel checked against the manifest's sha256, then ONE loadPackage() call
//   mounts   - host directories mounted with NODEFS at the same absolute paths
//   app      - JS modules registered (pyodide.registerJsModule), then `postboot(pyodide)` hooks
//
// `offline` (default true) replaces globalThis.fetch so that any attempt to reach the network
// (a package missing from the wheel list would make Pyodide try its CDN) fails loudly.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadPyodide } from "pyodide";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILD_DIR = join(REPO, "build", "pyodide");
export const WHEEL_DIR = join(BUILD_DIR, "wheels");
export const MANIFEST = join(BUILD_DIR, "manifest.json");

/** Whether this V8 can suspend WebAssembly on a JS promise (JSPI, old or new API). */
export function hasJspi() {
  return "Suspending" in WebAssembly || typeof WebAssembly.Function === "function";
}

/**
 * Makes sure the runner runs with JSPI, re-running the same command under the Node flag that
 * enables it if needed. JSPI is what lets synchronous Python (a pytest test) wait for a JS
 * promise (IndexedDB through fake-indexeddb) with `pyodide.ffi.run_sync` or
 * `loop.run_until_complete`; Chromium has it natively, Node 20 behind this flag.
 */
export function ensureJspi() {
  if (hasJspi()) return;
  if (process.env.STORY_GEN_JSPI_REEXEC === "1") {
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

/** The sample fixtures and other team files live beside the repository, at ../shared. */
export function sharedDir() {
  const candidate = resolve(REPO, "..", "shared");
  return existsSync(candidate) ? realpathSync(candidate) : null;
}

/**
 * Absolute paths of the manifest's wheels in the given groups ("runtime", "test", "app"),
 * each verified against the manifest's sha256 so that a stale or tampered file never loads.
 */
export function manifestWheels(groups, manifestPath = MANIFEST) {
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} does not exist: run \`make wheels\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf-8"));
  const unknown = groups.filter((g) => !["runtime", "test", "app"].includes(g));
  if (unknown.length > 0) throw new Error(`unknown wheel group(s): ${unknown.join(", ")}`);
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

/** Imports each setup module (an absolute path or URL) and returns the loaded modules. */
async function importSetupModules(setupModules) {
  const modules = [];
  for (const spec of setupModules) {
    const url = spec.startsWith("file:") ? spec : pathToFileURL(resolve(spec)).href;
    modules.push({ spec, module: await import(url) });
  }
  return modules;
}

function refuseNetwork() {
  const message = (url) =>
    `story_gen pyodide harness is offline: refused to fetch ${url}. ` +
    "Every package must come from build/pyodide/wheels (is a wheel missing from the manifest?)";
  globalThis.fetch = async (input) => {
    throw new Error(message(typeof input === "string" ? input : (input?.url ?? String(input))));
  };
}

/** Raw byte writer for setStdout/setStderr, so output appears live and unmangled. */
function rawWriter(stream) {
  return {
    isatty: Boolean(stream.isTTY),
    write(buffer) {
      stream.write(buffer);
      return buffer.length;
    },
  };
}

/**
 * Boot Pyodide with story_gen's wheels.
 *
 * @param {object} options
 * @param {string[]} options.wheels        absolute wheel paths (see manifestWheels)
 * @param {string[]} [options.mounts]      host directories, mounted at the same absolute path
 * @param {string[]} [options.setupModules] .mjs files exporting optional `preboot()`,
 *   `jsModules()` (-> {name: module}, registered with pyodide.registerJsModule) and
 *   `postboot(pyodide)`; see docs/testing.md ("Pyodide setup hooks")
 * @param {object} [options.env]           environment variables for Python (os.environ)
 * @param {NodeJS.WritableStream} [options.stdout] defaults to process.stdout
 * @param {NodeJS.WritableStream} [options.stderr] defaults to process.stderr
 * @param {boolean} [options.offline]      refuse any fetch() (default true)
 * @param {(stage: string, ms: number) => void} [options.onStage] timing of each stage
 * @returns {Promise<import("pyodide").PyodideAPI>}
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
}) {
  let mark = performance.now();
  const stage = (name) => {
    const now = performance.now();
    onStage(name, now - mark);
    mark = now;
  };

  if (offline) refuseNetwork();
  const setups = await importSetupModules(setupModules);
  const jsModules = {};
  for (const { spec, module } of setups) {
    if (typeof module.preboot === "function") await module.preboot();
    if (typeof module.jsModules === "function") {
      for (const [name, value] of Object.entries(await module.jsModules())) {
        if (name in jsModules) throw new Error(`${spec}: JS module ${name} is registered twice`);
        jsModules[name] = value;
      }
    }
  }
  stage("setup");

  const pyodide = await loadPyodide({
    env: { PYTHONDONTWRITEBYTECODE: "1", ...env },
    stdout: (line) => stdout.write(`${line}\n`),
    stderr: (line) => stderr.write(`${line}\n`),
  });
  pyodide.setStdout(rawWriter(stdout));
  pyodide.setStderr(rawWriter(stderr));
  stage("runtime");

  const failures = [];
  await pyodide.loadPackage(wheels, {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length > 0) throw new Error(`loading wheels failed:\n${failures.join("\n")}`);
  stage("packages");

  for (const hostPath of mounts) {
    const path = realpathSync(hostPath);
    pyodide.FS.mkdirTree(path);
    pyodide.mountNodeFS(path, path);
  }
  stage("mounts");

  for (const [name, module] of Object.entries(jsModules)) pyodide.registerJsModule(name, module);
  for (const { module } of setups) {
    if (typeof module.postboot === "function") await module.postboot(pyodide);
  }
  stage("app");
  return pyodide;
}

/**
 * Runs Python `code` whose last expression is an exit status (an int) and returns it. `variables`
 * reach the code as the dict `ARGS`, passed as JSON (only JSON crosses the JS/Python boundary).
 * It runs with runPythonAsync, so that under JSPI (see ensureJspi) the code, and any test it
 * runs, can block on a JS promise with `pyodide.ffi.run_sync`.
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
 */
export async function runMain(main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    const detail = error?.type !== undefined ? error.message : (error?.stack ?? String(error));
    process.stderr.write(`pyodide harness: ${detail}\n`);
    process.exitCode = 1;
  }
}
