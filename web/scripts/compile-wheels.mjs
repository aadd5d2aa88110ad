/**
 * The studio's runtime files as shipped, made with Pyodide's own interpreter (Pyodide from
 * node_modules in this Node process: nothing is fetched). Python 3.14 is needed: the wheels are
 * written with Zstandard entries and the standard library's sources use 3.14 syntax.
 *
 *   await trimStdlib(src, dst)                         // scripts/trim_stdlib.py
 *   await compileWheels(pairs, { stdlib, keepSources, appModule })   // scripts/compile_wheels.py
 *   await storedCopies(pairs)                          // scripts/stored_zip.py, for .br/.gz
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const script = (name) => readFileSync(fileURLToPath(new URL(name, import.meta.url)), "utf8");

/** A fresh interpreter with `source` exec'd as module `name`; returns that namespace's runner. */
async function pyodideWith(name, source, config = {}) {
  const pyodide = await loadPyodide({
    ...config,
    stdout: (line) => console.log(`  ${line}`),
    stderr: (line) => console.error(line),
  });
  pyodide.globals.set("SOURCE", source);
  pyodide.runPython(`
namespace = {"__name__": ${JSON.stringify(name)}}
exec(compile(SOURCE, ${JSON.stringify(`${name}.py`)}, "exec"), namespace)
`);
  return pyodide;
}

/** Copy host files in as /io/in/<i>/<name>; returns their paths inside Pyodide. */
function filesIn(pyodide, paths, dir = "/io/in") {
  return paths.map((path, i) => {
    pyodide.FS.mkdirTree(`${dir}/${i}`);
    const inside = `${dir}/${i}/${basename(path)}`;
    pyodide.FS.writeFile(inside, readFileSync(path));
    return inside;
  });
}

/** Paths inside Pyodide for outputs named like `paths` (the file name is kept: wheels need it). */
function filesOut(pyodide, paths) {
  return paths.map((path, i) => {
    pyodide.FS.mkdirTree(`/io/out/${i}`);
    return `/io/out/${i}/${basename(path)}`;
  });
}

/** The standard library zip without what a studio in a browser worker never runs. */
export async function trimStdlib(source, target) {
  const pyodide = await pyodideWith("trim_stdlib", script("trim_stdlib.py"));
  const [inside] = filesIn(pyodide, [source]);
  pyodide.FS.mkdirTree("/io/out");
  pyodide.globals.set("ARGS", pyodide.toPy([inside, "/io/out/stdlib.zip"]));
  const [kept, dropped] = pyodide.runPython(`namespace["trim"](*ARGS)`).toJs();
  writeFileSync(target, pyodide.FS.readFile("/io/out/stdlib.zip"));
  return { kept, dropped };
}

/**
 * The wheels as shipped (scripts/compile_wheels.py): the sources are installed into Pyodide
 * booted on `stdlib` (the trimmed zip), `appModule` is imported as the studio's boot imports it,
 * and every module that import loaded gets its bytecode; wheels named in `keepSources` keep
 * every source. Fails if the studio does not import on the trimmed standard library.
 * @param {[string, string][]} pairs  [source wheel, target wheel] paths
 */
export async function compileWheels(pairs, { stdlib, keepSources = [], appModule = "story_gen.browser.app" } = {}) {
  if (pairs.length === 0) return;
  const pyodide = await pyodideWith("compile_wheels", script("compile_wheels.py"), stdlib ? { stdLibURL: stdlib } : {});
  const sources = pairs.map(([source]) => source);
  await pyodide.loadPackage(sources, { messageCallback: () => {}, checkIntegrity: false });
  // The JS host the worker registers; importing the studio only needs the name to exist.
  pyodide.registerJsModule("story_gen_host", {});
  pyodide.globals.set("APP_MODULE", appModule);
  const boot = pyodide
    .runPython(`
import importlib, os, sys, sysconfig
importlib.import_module(APP_MODULE)
_site = "/" + sysconfig.get_paths()["purelib"].lstrip("/")  # Pyodide's reads "//lib/..."
sorted(
    os.path.relpath(module.__file__, _site)
    for module in list(sys.modules.values())
    if getattr(module, "__file__", None) and module.__file__.startswith(_site + "/")
)
`)
    .toJs();
  if (boot.length === 0) throw new Error(`importing ${appModule} loaded no module from the wheels`);
  const inside = filesIn(pyodide, sources);
  const outside = filesOut(pyodide, sources);
  pyodide.globals.set("PAIRS", pyodide.toPy(inside.map((path, i) => [path, outside[i]])));
  pyodide.globals.set("BOOT", pyodide.toPy(boot));
  pyodide.globals.set("KEEP", pyodide.toPy(keepSources));
  const status = pyodide.runPython(`namespace["main"]([tuple(p) for p in PAIRS], list(BOOT), list(KEEP))`);
  if (status !== 0) throw new Error(`compile_wheels.py exited with ${status}`);
  pairs.forEach(([, target], i) => writeFileSync(target, pyodide.FS.readFile(outside[i])));
  await importStudio(pairs.map(([, target]) => target), { stdlib, appModule, expected: boot.length });
}

/**
 * The check that what ships boots: a fresh interpreter on the shipped standard library installs
 * the shipped wheels, imports the studio, and must load every module from bytecode.
 */
async function importStudio(wheels, { stdlib, appModule, expected }) {
  const pyodide = await loadPyodide(stdlib ? { stdLibURL: stdlib } : {});
  await pyodide.loadPackage(wheels, { messageCallback: () => {}, checkIntegrity: false });
  pyodide.registerJsModule("story_gen_host", {});
  pyodide.globals.set("APP_MODULE", appModule);
  const [loaded, fromSource] = pyodide
    .runPython(`
import importlib, os, sys, sysconfig
importlib.import_module(APP_MODULE)
_site = "/" + sysconfig.get_paths()["purelib"].lstrip("/")
_ours = [m for m in list(sys.modules.values()) if (getattr(m, "__file__", None) or "").startswith(_site + "/")]
[len(_ours), sorted(m.__name__ for m in _ours if m.__file__.endswith(".py") and not os.path.exists(m.__spec__.cached))]
`)
    .toJs();
  if (loaded !== expected) throw new Error(`the shipped wheels import ${loaded} modules at boot, the sources ${expected}`);
  if (fromSource.length > 0) throw new Error(`imported from source, not bytecode: ${fromSource.join(", ")}`);
}

/** Copies of zip archives with every entry STORED (scripts/stored_zip.py says why). */
export async function storedCopies(pairs) {
  if (pairs.length === 0) return;
  const pyodide = await pyodideWith("stored_zip", script("stored_zip.py"));
  const inside = filesIn(pyodide, pairs.map(([source]) => source));
  const outside = filesOut(pyodide, pairs.map(([source]) => source));
  pyodide.globals.set("ARGV", pyodide.toPy(inside.flatMap((path, i) => [path, outside[i]])));
  const status = pyodide.runPython(`namespace["main"](list(ARGV))`);
  if (status !== 0) throw new Error(`stored_zip.py exited with ${status}`);
  pairs.forEach(([, target], i) => writeFileSync(target, pyodide.FS.readFile(outside[i])));
}
