// @ts-check
// Tests of the harness itself (node --test pyodide/test): what it refuses, what it registers,
// and that the runners report Python's exit status. Runs as part of `make test-pyodide`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  bootStoryGen,
  BUILD_DIR,
  manifestWheels,
  MANIFEST,
  REPO,
  runForExitCode,
} from "../lib/boot.mjs";

const RUNNER_DIR = join(BUILD_DIR, "harness-test"); // inside the repository, so it is mounted

/**
 * Runs a harness script in a child Node and returns its status and output.
 * @param {string[]} args
 */
function node(args) {
  const child = spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf-8" });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("manifestWheels", () => {
  test("returns the wheels of the asked groups, all present", () => {
    const runtime = manifestWheels(["runtime"]);
    const names = runtime.map((path) => path.split("/").at(-1) ?? "");
    assert.ok(names.some((name) => name.startsWith("pydantic_core-")));
    assert.ok(!names.some((name) => name.startsWith("pytest-")));
  });

  test("refuses a wheel whose bytes differ from the manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "manifest-"));
    try {
      mkdirSync(join(dir, "wheels"));
      const manifest = JSON.parse(readFileSync(MANIFEST, "utf-8"));
      const [first] = manifest.wheels;
      manifest.wheels = [first];
      writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
      writeFileSync(join(dir, "wheels", first.file), "not the wheel");
      assert.throws(
        () => manifestWheels([first.group], join(dir, "manifest.json")),
        /differs from the manifest: run `make wheels`/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("refuses an unknown group", () => {
    // @ts-expect-error: the point is a group outside the type
    assert.throws(() => manifestWheels(["tests"]), /unknown wheel group\(s\): tests/);
  });
});

describe("bootStoryGen", () => {
  /** @type {import("pyodide").PyodideAPI} */
  let pyodide;
  /** @type {string[]} */
  const order = [];
  let setupDir = "";

  before(async () => {
    setupDir = mkdtempSync(join(tmpdir(), "setup-"));
    const setup = join(setupDir, "setup.mjs");
    writeFileSync(
      setup,
      `const log = (call) => globalThis.harnessOrder.push(call);
       export function preboot() { log("preboot"); }
       export function jsModules() { log("jsModules"); return { harness_probe: { answer: () => 42 } }; }
       export function postboot(pyodide) { log("postboot"); pyodide.runPython("import sys; sys.postboot_ran = 1"); }`,
    );
    Object.assign(globalThis, { harnessOrder: order });
    pyodide = await bootStoryGen({
      wheels: manifestWheels(["runtime", "app"]),
      mounts: [REPO],
      setupModules: [setup],
      onStage: (stage) => order.push(stage),
    });
  });

  after(() => rmSync(setupDir, { recursive: true, force: true }));

  test("runs the stages in order and calls every hook", () => {
    const expected = ["preboot", "jsModules", "setup", "runtime", "packages", "mounts", "postboot", "app"];
    assert.deepEqual(order, expected);
  });

  test("registers the setup module's JS modules for Python", async () => {
    const status = await runForExitCode(pyodide, "import harness_probe, sys\nharness_probe.answer() - sys.postboot_ran");
    assert.equal(status, 41);
  });

  test("loads our wheel, not the mounted source", async () => {
    const code = `import story_gen.core\nint(story_gen.core.__file__.startswith("/lib/python"))`;
    assert.equal(await runForExitCode(pyodide, code), 1);
  });

  test("mounts the repository at its real path", async () => {
    const code = `import os\nint(os.path.exists(ARGS["path"]))`;
    assert.equal(await runForExitCode(pyodide, code, { path: join(REPO, "pyproject.toml") }), 1);
  });

  test("refuses the network", async () => {
    await assert.rejects(fetch("https://cdn.jsdelivr.net/pyodide/"), /harness is offline: refused/);
  });

  test("refuses a JS module name registered twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twice-"));
    try {
      const a = join(dir, "a.mjs");
      writeFileSync(a, "export const jsModules = () => ({ same: {} });");
      copyFileSync(a, join(dir, "b.mjs"));
      await assert.rejects(
        bootStoryGen({ wheels: [], setupModules: [a, join(dir, "b.mjs")] }),
        /JS module same is registered twice/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("runners", { concurrency: true }, () => {
  before(() => {
    mkdirSync(RUNNER_DIR, { recursive: true });
    writeFileSync(
      join(RUNNER_DIR, "script.py"),
      "import sys\nprint('argv', sys.argv[1:], sys.platform)\nsys.exit(int(sys.argv[1]))\n",
    );
    writeFileSync(join(RUNNER_DIR, "boom.py"), "def f():\n    raise ValueError('boom')\nf()\n");
    writeFileSync(
      join(RUNNER_DIR, "test_sample.py"),
      "import sys\n\ndef test_in_pyodide():\n    assert sys.platform == 'emscripten'\n\n" +
        "def test_fails_on_request():\n    import os\n    assert os.environ.get('HYPOTHESIS_PROFILE') != 'fail-me'\n",
    );
  });

  after(() => rmSync(RUNNER_DIR, { recursive: true, force: true }));

  test("run-python passes argv and exits with the script's status", () => {
    const run = node(["pyodide/run-python.mjs", join(RUNNER_DIR, "script.py"), "3"]);
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stdout, /argv \['3'\] emscripten/);
  });

  test("run-python prints the traceback from the script down and exits 1", () => {
    const run = node(["pyodide/run-python.mjs", join(RUNNER_DIR, "boom.py")]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^Traceback[^]*boom\.py", line 3[^]*ValueError: boom/);
    assert.doesNotMatch(run.stderr, /runpy/);
  });

  test("run-pytest runs inside Pyodide and exits 0 when all pass", () => {
    const run = node(["pyodide/run-pytest.mjs", RUNNER_DIR, "-q"]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passed/);
  });

  test("run-pytest exits with pytest's status when a test fails", () => {
    const child = spawnSync(process.execPath, ["pyodide/run-pytest.mjs", RUNNER_DIR, "-q"], {
      cwd: REPO,
      encoding: "utf-8",
      env: { ...process.env, HYPOTHESIS_PROFILE: "fail-me" },
    });
    assert.equal(child.status, 1, child.stdout + child.stderr);
    assert.match(child.stdout, /1 failed, 1 passed/);
  });
});
