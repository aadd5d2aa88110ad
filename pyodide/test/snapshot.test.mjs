// @ts-check
// The memory snapshot with pydantic_core loaded and the app imported (lib/snapshot.mjs): made in
// one process, restored in fresh ones, refused when it does not match. Run on every Pyodide
// upgrade (docs/adr/0027-pyodide-snapshot-with-extensions.md, "Upgrading Pyodide"): if this
// passes, the studio's snapshot path works on the new Pyodide; if it fails, the studio falls back
// to the ordinary boot on every visit until it is fixed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { REPO } from "../lib/boot.mjs";
import { checksum, parseSnapshot } from "../lib/snapshot.mjs";

const CLI = join(REPO, "pyodide", "run-snapshot.mjs");

/**
 * Runs run-snapshot.mjs in a fresh Node process (a restore must not share anything with the
 * process that made the snapshot).
 * @param {string[]} args
 */
function cli(args) {
  const child = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: "utf-8", timeout: 600_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/**
 * @typedef {object} BootReport
 * @property {{path: string, detail: string, steps: Record<string, number>}} snapshot
 * @property {{premise: string, random: number, uuid: string, pydantic_version: string,
 *   memory_host_was_not_imported: boolean, js_loaded_packages: string[],
 *   py_loaded_packages: string[], modules: number} | undefined} probe
 */

/**
 * Boot from `file` in a fresh process and return its report.
 * @param {string} file
 * @param {string[]} [flags]
 * @returns {{status: number | null, report: BootReport}}
 */
function boot(file, flags = []) {
  const run = cli(["boot", file, ...flags]);
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  assert.ok(last.startsWith("{"), `no report from run-snapshot boot (status ${run.status}):\n${run.stderr}`);
  return { status: run.status, report: JSON.parse(last) };
}

/**
 * A copy of the bundle with its header JSON changed (the header has room to grow).
 * @param {Uint8Array} bytes
 * @param {(header: import("../lib/snapshot.mjs").SnapshotHeader) => void} change
 */
function withHeader(bytes, change) {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const header = JSON.parse(new TextDecoder().decode(copy.subarray(16, 16 + view.getUint32(12, true))));
  change(header);
  const encoded = new TextEncoder().encode(JSON.stringify(header));
  copy.set(encoded, 16);
  view.setUint32(12, encoded.byteLength, true);
  return copy;
}

describe("memory snapshot with the extension loaded and the app imported", () => {
  let dir = "";
  let file = "";
  /** @type {Uint8Array} */
  let bytes;
  /** @type {BootReport} */
  let first;

  /** @param {string} name @param {Uint8Array} data */
  const write = (name, data) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "snapshot-test-"));
    file = join(dir, "snapshot.bin");
    const made = cli(["make", file]);
    assert.equal(made.status, 0, `making the snapshot failed:\n${made.stderr}`);
    bytes = new Uint8Array(readFileSync(file));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test("holds the extension as a startup library, the site-packages files and the app", () => {
    const { header } = parseSnapshot(bytes);
    assert.deepEqual(
      header.libraries.map((path) => path.replace(/cpython-\d+/, "cpython-X")),
      ["/lib/python3.14/site-packages/pydantic_core/_pydantic_core.cpython-X-wasm32-emscripten.so"],
    );
    assert.ok(header.handles.some((h) => h.path === header.libraries[0]), "the dlopen handle is recorded");
    assert.ok(header.files.some((f) => f.path.endsWith("/pydantic/main.py")));
    assert.ok(header.files.some((f) => /story_gen_core-[^/]+\.dist-info\/METADATA$/.test(f.path)));
    assert.ok(header.modules > 300, `only ${header.modules} modules imported`);
    assert.ok(header.tableLength > 0 && header.memoryBytes > 0);
    // Zero runs are left out: what is stored is smaller than the heap it rebuilds.
    assert.ok(bytes.byteLength < header.heap.size, `${bytes.byteLength} >= ${header.heap.size}`);
  });

  test("restores in a fresh process: a model validates, the files and packages are back", () => {
    const { status, report } = boot(file);
    assert.equal(status, 0);
    assert.equal(report.snapshot.path, "restored", report.snapshot.detail);
    const probe = report.probe;
    assert.ok(probe);
    assert.equal(probe.premise, "A story validated right after a restore.");
    assert.match(probe.pydantic_version, /^2\./);
    assert.equal(probe.memory_host_was_not_imported, true, "the probe must import a module from the files put back");
    assert.ok(probe.js_loaded_packages.includes("pydantic_core"));
    assert.deepEqual(probe.py_loaded_packages, probe.js_loaded_packages, "Python and JS disagree on what is installed");
    first = report;
  });

  test("each restore draws its own random numbers", () => {
    const { report } = boot(file);
    assert.equal(report.snapshot.path, "restored");
    assert.ok(first.probe && report.probe);
    assert.notEqual(report.probe.random, first.probe.random, "random was not reseeded after the restore");
    assert.notEqual(report.probe.uuid, first.probe.uuid);
  });

  test("a damaged snapshot is refused and the ordinary boot still works", () => {
    const damaged = bytes.slice();
    const { header } = parseSnapshot(bytes);
    const at = header.heap.offset + 4096;
    damaged[at] = (/** @type {number} */ (damaged[at]) + 1) & 0xff;
    const { status, report } = boot(write("damaged.bin", damaged));
    assert.equal(status, 0);
    assert.equal(report.snapshot.path, "fallback");
    assert.match(report.snapshot.detail, /checksum/);
    assert.equal(report.probe?.premise, "A story validated right after a restore.");
  });

  test("a truncated snapshot is refused", () => {
    const { status, report } = boot(write("truncated.bin", bytes.subarray(0, bytes.byteLength - 16)), ["--restore-only"]);
    assert.equal(status, 3);
    assert.match(report.snapshot.detail, /bytes, its header says/);
  });

  test("a snapshot of another Pyodide build is refused (build id)", () => {
    const other = bytes.slice();
    const { header } = parseSnapshot(bytes);
    assert.equal(header.heap.segments[0]?.[0], 0, "Pyodide's own header starts the stored heap");
    const at = header.heap.offset + 16; // Pyodide's BUILD_ID, after its magic and offsets
    other[at] = (/** @type {number} */ (other[at]) ^ 0xff) & 0xff;
    const dataStart = /** @type {{offset: number}} */ (header.files[0]).offset;
    const resealed = withHeader(other, (h) => {
      h.checksum = checksum(other.subarray(dataStart));
    });
    const { status, report } = boot(write("build.bin", resealed), ["--restore-only"]);
    assert.equal(status, 3);
    assert.match(report.snapshot.detail, /build id mismatch/i);
  });

  test("a function table of another length is refused", () => {
    const other = withHeader(bytes, (h) => {
      h.tableLength += 1;
    });
    const { status, report } = boot(write("table.bin", other), ["--restore-only"]);
    assert.equal(status, 3);
    assert.match(report.snapshot.detail, /function table has \d+ entries, the snapshot \d+/);
  });

  test("a snapshot of other wheels (another key) is refused", () => {
    const other = withHeader(bytes, (h) => {
      h.key = "0".repeat(64);
    });
    const { status, report } = boot(write("key.bin", other), ["--restore-only"]);
    assert.equal(status, 3);
    assert.match(report.snapshot.detail, /other wheels or another Pyodide/);
  });
});
