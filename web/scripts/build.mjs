/**
 * `make web`: build the static studio into build/web/ (docs/studio.md, "Build").
 *
 *   1. vite build             UI bundle, the Pyodide worker, icons, manifest, bench baseline page
 *   2. runtime               node_modules/pyodide -> pyodide/<version>/ (content-addressed folder),
 *                            its standard library zip trimmed (scripts/trim_stdlib.py)
 *   3. wheels                build/pyodide/manifest.json (groups runtime + app), made into the
 *                            shipped form by Pyodide (scripts/compile_wheels.py) -> wheels/<sha12>/
 *   4. boot-manifest.json    where 2 and 3 landed, for the UI's one boot options object
 *   5. sw.js                 Workbox generateSW: precache everything the studio needs offline
 *   6. precompress           .br and .gz beside every compressible file, for servers that use them
 *   7. report                build/web/build-report.json + a table of sizes
 *
 * Nothing here touches the network.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "vite";
import { generateSW } from "workbox-build";
import { compileWheels, storedCopies as storedZips, trimStdlib } from "./compile-wheels.mjs";
import { PRECACHE_MATCHING } from "./sw-navigation.mjs";

const WEB = fileURLToPath(new URL("..", import.meta.url));
const REPO = join(WEB, "..");
const OUT = join(REPO, "build", "web");
const PYODIDE_PKG = join(REPO, "node_modules", "pyodide");
const WHEEL_MANIFEST = join(REPO, "build", "pyodide", "manifest.json");
const RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json"];
const STDLIB = "python_stdlib.zip";
const STUDIO_GROUPS = new Set(["runtime", "app"]);
const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|wasm|zip|whl|map|txt)$/;
/** Archives whose .br/.gz are made from a STORED copy (scripts/stored_zip.py explains why). */
const ARCHIVE = /\.(zip|whl)$/;

function fail(message) {
  console.error(`make web: ${message}`);
  process.exit(1);
}

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

async function viteBuild() {
  await build({ configFile: join(WEB, "vite.config.ts"), logLevel: "warn" });
}

async function copyRuntime() {
  const version = JSON.parse(readFileSync(join(PYODIDE_PKG, "package.json"), "utf8")).version;
  const path = `pyodide/${version}/`;
  mkdirSync(join(OUT, path), { recursive: true });
  for (const file of RUNTIME_FILES) copyFileSync(join(PYODIDE_PKG, file), join(OUT, path, file));
  const { kept, dropped } = await trimStdlib(join(PYODIDE_PKG, STDLIB), join(OUT, path, STDLIB));
  console.log(`  ${STDLIB}: ${(dropped / 1e6).toFixed(2)} MB of modules a browser worker never runs dropped, ${(kept / 1e6).toFixed(2)} MB kept`);
  return { path, version };
}

async function copyWheels(runtime) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(WHEEL_MANIFEST, "utf8"));
  } catch {
    fail(`${relative(REPO, WHEEL_MANIFEST)} is missing: run \`make wheels pyodide-wheels\` first (\`make web\` does)`);
  }
  const wheelDir = dirname(WHEEL_MANIFEST);
  const chosen = manifest.wheels.filter((w) => STUDIO_GROUPS.has(w.group));
  for (const wheel of chosen) {
    const source = join(wheelDir, "wheels", wheel.file);
    const digest = sha256(source);
    if (digest !== wheel.sha256) fail(`${wheel.file}: sha256 ${digest} does not match the manifest; rebuild the wheels`);
  }
  // Each wheel in its shipped form (scripts/compile_wheels.py): bytecode for what the boot
  // imports, so a start does not compile pydantic and the studio from source; Zstandard
  // entries; third-party sources only where there is no bytecode. Checked on the trimmed stdlib.
  const tmp = mkdtempSync(join(tmpdir(), "story-gen-wheels-"));
  const compiled = chosen.map((wheel, i) => [join(wheelDir, "wheels", wheel.file), join(tmp, String(i), wheel.file)]);
  for (const [, target] of compiled) mkdirSync(dirname(target), { recursive: true });
  await compileWheels(compiled, {
    stdlib: join(OUT, runtime.path, STDLIB),
    keepSources: chosen.filter((wheel) => wheel.group === "app").map((wheel) => wheel.file),
  });
  const wheels = [];
  chosen.forEach((wheel, i) => {
    const shipped = compiled[i][1];
    const digest = sha256(shipped);
    // A folder named by the content hash: the URL changes exactly when the bytes do.
    const path = `wheels/${digest.slice(0, 12)}/${wheel.file}`;
    mkdirSync(join(OUT, dirname(path)), { recursive: true });
    copyFileSync(shipped, join(OUT, path));
    wheels.push({ name: wheel.name, version: wheel.version, file: wheel.file, path, group: wheel.group, sha256: digest, size: statSync(shipped).size });
  });
  rmSync(tmp, { recursive: true, force: true });
  const groups = new Set(wheels.map((w) => w.group));
  for (const group of STUDIO_GROUPS) if (!groups.has(group)) fail(`no "${group}" wheels in ${relative(REPO, WHEEL_MANIFEST)}`);
  // Runtime wheels first (in manifest order), then ours: the order Pyodide loads them in.
  wheels.sort((a, b) => (a.group === b.group ? 0 : a.group === "runtime" ? -1 : 1));
  return wheels;
}

function writeBootManifest(runtime, wheels) {
  const manifest = { "//": "generated by web/scripts/build.mjs; do not edit", format: 1, runtime, wheels };
  writeFileSync(join(OUT, "boot-manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}

async function serviceWorker() {
  const { count, size, warnings } = await generateSW({
    globDirectory: OUT,
    globPatterns: ["**/*.{html,js,mjs,css,wasm,zip,json,whl,svg,png,webmanifest}"],
    globIgnores: ["bench/**", "assets/baseline*", "**/*.br", "**/*.gz", "sw.js", "build-report.json"],
    swDest: join(OUT, "sw.js"),
    mode: "production",
    sourcemap: false,
    inlineWorkboxRuntime: true,
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    // Hashed assets and content-addressed folders: the URL is the version, so the precache may
    // reuse what the first visit's boot already put in the HTTP cache instead of fetching twice.
    dontCacheBustURLsMatching: /^(assets\/.+-[\w-]{8,}\.\w+|pyodide\/\d[^/]*\/|wheels\/[0-9a-f]{12}\/)/,
    // Only the studio's own folder gets the app shell, through the precache alone, no
    // navigation fallback (scripts/sw-navigation.mjs): under `story-gen serve` the API's pages
    // share the scope, on Pages the docs do, and they must reach the server.
    ...PRECACHE_MATCHING,
    cleanupOutdatedCaches: true,
    // An update waits until the writer accepts the "new version" toast (never forced mid-edit).
    skipWaiting: false,
    clientsClaim: false,
  });
  for (const warning of warnings) console.warn(`workbox: ${warning}`);
  return { count, size };
}

/** Stored (uncompressed) copies of every archive, in a temp dir: path -> stored copy path.
 * Made in Pyodide: the wheels' Zstandard entries need Python 3.14's zipfile. */
async function storedCopies(paths) {
  const tmp = mkdtempSync(join(tmpdir(), "story-gen-stored-"));
  const pairs = paths.map((path, i) => [path, join(tmp, String(i), basename(path))]);
  for (const [, target] of pairs) mkdirSync(dirname(target), { recursive: true });
  await storedZips(pairs);
  return { map: new Map(pairs), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

async function precompress() {
  let raw = 0;
  let br = 0;
  let gz = 0;
  const files = walk(OUT).filter((p) => COMPRESSIBLE.test(p));
  const stored = await storedCopies(files.filter((p) => ARCHIVE.test(p)));
  for (const path of files) {
    const bytes = readFileSync(stored.map.get(path) ?? path);
    if (bytes.length < 1024) continue;
    const brotli = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gzip = gzipSync(bytes, { level: 9 });
    // A sibling only where it is smaller than the file as it is: gzip of a stored copy of a
    // wheel with Zstandard entries is larger than the wheel, so a gzip-only client gets the wheel.
    const original = statSync(path).size;
    if (brotli.length < original) writeFileSync(`${path}.br`, brotli);
    if (gzip.length < original) writeFileSync(`${path}.gz`, gzip);
    raw += original;
    br += Math.min(brotli.length, original);
    gz += Math.min(gzip.length, original);
  }
  stored.cleanup();
  return { raw, br, gz };
}

/** Bytes a first visit needs, as each encoding would send it (what the benchmark compares to). */
function report(sw) {
  const files = walk(OUT).filter((p) => !/\.(br|gz)$/.test(p) && !p.includes(`${join(OUT, "bench")}`));
  const rows = files.map((path) => {
    const raw = statSync(path).size;
    const size = (ext) => {
      try {
        return statSync(`${path}.${ext}`).size;
      } catch {
        return raw;
      }
    };
    return { file: relative(OUT, path), raw, br: size("br"), gz: size("gz") };
  });
  rows.sort((a, b) => b.raw - a.raw);
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  const summary = {
    files: rows.length,
    raw: total("raw"),
    br: total("br"),
    gz: total("gz"),
    precache: sw,
    uiEntry: rows.filter((r) => /^assets\/index-.*\.js$/.test(r.file)),
  };
  writeFileSync(join(OUT, "build-report.json"), JSON.stringify({ summary, rows }, null, 2) + "\n");
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
  console.log("file".padEnd(64), "raw".padStart(10), "br".padStart(10), "gz".padStart(10));
  for (const row of rows.slice(0, 14)) {
    console.log(row.file.padEnd(64), mb(row.raw).padStart(10), mb(row.br).padStart(10), mb(row.gz).padStart(10));
  }
  console.log(`${rows.length} files`.padEnd(64), mb(summary.raw).padStart(10), mb(summary.br).padStart(10), mb(summary.gz).padStart(10));
  console.log(`service worker precaches ${sw.count} files, ${mb(sw.size)}`);
}

const t0 = performance.now();
await viteBuild();
const runtime = await copyRuntime();
const wheels = await copyWheels(runtime);
writeBootManifest(runtime, wheels);
const sw = await serviceWorker();
// --fast (local iteration only): skip the .br/.gz siblings, the slow part of the build.
if (!process.argv.includes("--fast")) await precompress();
report(sw);
console.log(`build/web/ ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
