/**
 * Compile the studio's wheels to bytecode with Pyodide's own interpreter (scripts/compile_wheels.py
 * says why and how). Runs Pyodide from node_modules in this Node process: nothing is fetched.
 *
 *   await compileWheels([[src, dst], ...])   // dst: src plus __pycache__/*.pyc
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const SCRIPT = fileURLToPath(new URL("compile_wheels.py", import.meta.url));

/** @param {[string, string][]} pairs  [source wheel, target wheel] paths */
export async function compileWheels(pairs) {
  if (pairs.length === 0) return;
  const pyodide = await loadPyodide({ stdout: (line) => console.log(`  ${line}`), stderr: (line) => console.error(line) });
  pyodide.FS.mkdirTree("/wheels/in");
  pyodide.FS.mkdirTree("/wheels/out");
  const argv = [];
  pairs.forEach(([source], i) => {
    // The file name must stay the wheel's own (name, version, tags); one folder per wheel.
    pyodide.FS.mkdirTree(`/wheels/in/${i}`);
    pyodide.FS.mkdirTree(`/wheels/out/${i}`);
    pyodide.FS.writeFile(`/wheels/in/${i}/${basename(source)}`, readFileSync(source));
    argv.push(`/wheels/in/${i}/${basename(source)}`, `/wheels/out/${i}/${basename(source)}`);
  });
  pyodide.globals.set("ARGV", pyodide.toPy(argv));
  pyodide.globals.set("SOURCE", readFileSync(SCRIPT, "utf8"));
  const status = pyodide.runPython(`
namespace = {"__name__": "compile_wheels"}
exec(compile(SOURCE, "compile_wheels.py", "exec"), namespace)
namespace["main"](list(ARGV))
`);
  if (status !== 0) throw new Error(`compile_wheels.py exited with ${status}`);
  pairs.forEach(([source, target], i) => writeFileSync(target, pyodide.FS.readFile(`/wheels/out/${i}/${basename(source)}`)));
}
