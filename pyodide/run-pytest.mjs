#!/usr/bin/env node
// @ts-check
// Runs pytest INSIDE Pyodide under Node, over the given paths (all arguments go to pytest):
//
//   node pyodide/run-pytest.mjs tests/core tests/browser [-k name] [-x] ...
//
// The wheels are the ones the studio loads (build/pyodide/manifest.json: runtime + test + app;
// `make wheels` builds them), so the code under test is our built wheel, not the source tree.
// The repository is mounted at its real absolute path, the working directory
// is the repository (so pyproject.toml's [tool.pytest.ini_options] and tests/conftest.py apply),
// and pytest's exit status is ours. Every tests/*/pyodide_setup.mjs is loaded as a setup module
// (see docs/testing.md, "Pyodide setup hooks").
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
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

const PASSED_ENV = ["HYPOTHESIS_PROFILE", "PYTEST_ADDOPTS", "CI"];

function setupModules() {
  const tests = join(REPO, "tests");
  return readdirSync(tests, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(tests, entry.name, "pyodide_setup.mjs"))
    .filter((path) => existsSync(path))
    .sort();
}

const PYTEST = `
import os, sys
from importlib.metadata import distribution
import story_gen.core

os.chdir(ARGS["cwd"])
sys.argv = ["pytest", *ARGS["args"]]
# The code under test must be the installed wheel, never the mounted source tree.
_wheel = distribution("story-gen-core")
_installed = os.path.realpath(str(_wheel.locate_file("story_gen/core/__init__.py")))
if os.path.realpath(story_gen.core.__file__) != _installed:
    raise SystemExit(f"story_gen.core came from {story_gen.core.__file__}, not the wheel ({_installed})")
print(f"pyodide: Python {sys.version.split()[0]} on {sys.platform}; story_gen.core {_wheel.version} from {os.path.dirname(_installed)}", flush=True)

import pytest

# No cache provider: the repository is mounted from the host, and .pytest_cache belongs to CPython.
_status = int(pytest.main([*ARGS["args"], "-p", "no:cacheprovider"]))
sys.stdout.flush()
sys.stderr.flush()
_status
`;

await runMain(async () => {
  const timings = stageLog();
  const started = performance.now();
  const mounts = [REPO];
  const pyodide = await bootStoryGen({
    wheels: manifestWheels(["runtime", "test", "app"]),
    mounts,
    setupModules: setupModules(),
    env: environment((name) => PASSED_ENV.includes(name)),
    onStage: timings.onStage,
  });
  const booted = performance.now();
  const status = await runForExitCode(pyodide, PYTEST, { cwd: REPO, args: process.argv.slice(2) });
  /** @param {number} ms */
  const seconds = (ms) => (ms / 1000).toFixed(1);
  process.stderr.write(
    `pyodide: boot ${seconds(booted - started)} s (${timings.lines.join(", ")}); ` +
      `pytest ${seconds(performance.now() - booted)} s; exit ${status}\n`,
  );
  return status;
});
