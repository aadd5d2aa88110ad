#!/usr/bin/env node
// @ts-check
// Runs a Python file INSIDE Pyodide under Node (benchmarks, one-off checks):
//
//   node pyodide/run-python.mjs bench/core_bench.py [args...]
//
// Loads the runtime and app wheels (pydantic + story_gen, as the studio does; not pytest),
// mounts the repository at its real path, sets sys.argv to [script, *args],
// runs the file as __main__ from the caller's working directory (the repository if the caller
// is outside the mounts), and exits with its status
// (SystemExit codes as CPython maps them; an uncaught exception prints its traceback, exit 1).
// PYODIDE_TIMINGS=1 prints the boot stages' timings to stderr; STORY_GEN_* variables are passed
// to Python's os.environ.
import { existsSync, realpathSync } from "node:fs";
import {
  bootStoryGen,
  environment,
  ensureJspi,
  manifestWheels,
  REPO,
  runForExitCode,
  runMain,
  stageLog,
} from "./lib/boot.mjs";

ensureJspi();

const [scriptArg, ...args] = process.argv.slice(2);
if (scriptArg === undefined || !existsSync(scriptArg)) {
  process.stderr.write("usage: node pyodide/run-python.mjs <script.py> [args...]\n");
  process.exit(2);
}
const mounts = [REPO];
/** @param {string} path */
const inside = (path) => mounts.some((root) => path === root || path.startsWith(`${root}/`));
const script = realpathSync(scriptArg);
if (!inside(script)) {
  process.stderr.write(`${script}: only ${mounts.join(" and ")} are mounted in Pyodide\n`);
  process.exit(2);
}
const here = realpathSync(process.cwd());
const cwd = inside(here) ? here : REPO;

const RUN = `
import os, runpy, sys, traceback

os.chdir(ARGS["cwd"])
sys.argv = [ARGS["script"], *ARGS["args"]]
sys.path.insert(0, os.path.dirname(os.path.abspath(ARGS["script"])))

def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1

try:
    runpy.run_path(ARGS["script"], run_name="__main__")
    _status = 0
except SystemExit as stop:
    _status = _exit_status(stop.code)
except BaseException as error:
    # Start the traceback at the script: the runpy frames above it are the harness's.
    _tb = error.__traceback__
    while _tb is not None and _tb.tb_frame.f_code.co_filename != ARGS["script"]:
        _tb = _tb.tb_next
    traceback.print_exception(type(error), error, _tb or error.__traceback__)
    _status = 1
sys.stdout.flush()
sys.stderr.flush()
_status
`;

await runMain(async () => {
  const timings = stageLog();
  const pyodide = await bootStoryGen({
    wheels: manifestWheels(["runtime", "app"]),
    mounts,
    env: environment((name) => name.startsWith("STORY_GEN_")),
    onStage: timings.onStage,
  });
  if (process.env.PYODIDE_TIMINGS === "1") {
    process.stderr.write(`pyodide: boot stages: ${timings.lines.join(", ")}\n`);
  }
  return await runForExitCode(pyodide, RUN, { cwd, script, args });
});
