// @ts-check
// Memory snapshots of Pyodide taken AFTER the compiled extension (pydantic_core) is loaded and
// the app is imported, and the restore from them: the one implementation the studio's Web Worker
// (web/src/worker) and the Node harness (boot.mjs) share. No I/O here: the callers fetch, store
// and turn library bytes into URLs (docs/adr/0027-pyodide-snapshot-with-extensions.md).
//
// Why it works on a stock Pyodide 314, which cannot restore a heap holding a library loaded by
// `dlopen`: the extension is handed to Emscripten as a *startup* library (`dynamicLibraries`,
// through loadPyodide's `createPyodideModule` hook), in the process that makes the snapshot and in
// every process that restores it, under the exact site-packages path Pyodide's `dlopen` uses
// later. Loaded before the C runtime starts, from the same bytes, after the same main module, its
// memory and function-table positions are the same in both processes, so the restored heap is
// consistent with it, and the later `dlopen` (in the making process) finds it already loaded.
//
// What the heap does not hold, and is put back here: the site-packages files (they live in the
// JS-side file system), Emscripten's handle -> library map of `dlopen`, and the JS objects of
// `loadedPackages`. What must differ between restores, and is reset: `random`'s state.
// What is checked before a byte of the heap is trusted: the bundle's own checksum, the key (the
// caller's: Pyodide build + every wheel), Pyodide's build id (Pyodide itself), the function-table
// length, and a pydantic_core round trip. Any failure throws; callers boot without the snapshot.
//
// Private Pyodide/Emscripten API used (re-check on every Pyodide upgrade, pyodide/test/snapshot.test.mjs):
// `_makeSnapshot`, `_loadSnapshot`, `makeMemorySnapshot`, `createPyodideModule`, Module.LDSO,
// Module.wasmTable, Module.growMemory, Module.__hiwire_get/__hiwire_set (slot 6 = loadedPackages).

/** @typedef {import("pyodide").PyodideAPI} PyodideAPI */
/** @typedef {import("pyodide").PyodideConfig} PyodideConfig */
/** @typedef {NonNullable<PyodideConfig["createPyodideModule"]>} CreateModule */

/**
 * The parts of Pyodide's Emscripten module this file touches.
 * @typedef {object} EmscriptenModule
 * @property {{length: number}} wasmTable
 * @property {Int8Array} HEAP8
 * @property {(bytes: number) => unknown} growMemory
 * @property {{loadedLibsByName: Record<string, unknown>, loadedLibsByHandle: Record<string, unknown>}} LDSO
 * @property {(index: number) => unknown} __hiwire_get
 * @property {(index: number, value: unknown) => number} __hiwire_set
 */

/**
 * A shared library given to Emscripten at startup: its absolute path in Pyodide's file system
 * (where the wheel puts it) and its bytes.
 * @typedef {object} StartupLibrary
 * @property {string} path
 * @property {Uint8Array} bytes
 */

/**
 * What the header of a snapshot bundle says (JSON, at the front of the bundle).
 * @typedef {object} SnapshotHeader
 * @property {number} format
 * @property {string} key  the caller's identity of what is inside (see snapshotKey)
 * @property {string} pyodideVersion
 * @property {string} buildId  Pyodide's BUILD_ID, from its own snapshot header
 * @property {string} python  sys.version of the interpreter
 * @property {number} tableLength  the function table's length when the snapshot was taken
 * @property {number} memoryBytes  the wasm memory's size when the snapshot was taken
 * @property {string[]} libraries  startup libraries, in load order (their bytes are files below)
 * @property {{handle: number, path: string}[]} handles  dlopen handles (heap pointers) -> library
 * @property {Record<string, string>} loadedPackages  pyodide.loadedPackages (name -> channel)
 * @property {{path: string, offset: number, size: number}[]} files  site-packages, as installed
 * @property {{offset: number, size: number, segments: [number, number][]}} heap  Pyodide's own
 *   snapshot (its header + the linear memory), `size` bytes, stored without its long runs of zeros
 *   (a third of a Python heap is free memory): its non-zero `segments` ([at, length] in the
 *   snapshot) one after the other from `offset`
 * @property {number} checksum  over every byte after the header (see checksum())
 * @property {number} modules  len(sys.modules) in the snapshot, for the report
 * @property {number} makeMs  how long making it took (boot, install, imports, snapshot)
 */

/**
 * A bundle read back: the header and views of its parts (no copies).
 * @typedef {object} ParsedSnapshot
 * @property {SnapshotHeader} header
 * @property {Uint8Array} bytes  the whole bundle
 * @property {(path: string) => Uint8Array} file
 * @property {Uint8Array} heap
 */

export const SNAPSHOT_FORMAT = 1;
// "SGSNAP\r\n": a line-ending conversion or a text decode on the way breaks the magic at once.
const MAGIC = [0x53, 0x47, 0x53, 0x4e, 0x41, 0x50, 0x0d, 0x0a];
const PREFIX = 16; // magic, format (u32), header length (u32)
// makeMemorySnapshot refuses any hiwire slot it does not expect; slot 6 is `loadedPackages`, which
// it expects empty (a bare interpreter). See emptyWhile().
const LOADED_PACKAGES_SLOT = 6;

/** Thrown when a snapshot cannot be used: the caller boots without it (and drops it). */
export class SnapshotError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "SnapshotError";
  }
}

/**
 * The key a snapshot is stored and checked under: sha256 (hex) of everything that, changed,
 * makes a snapshot wrong. A new Pyodide, another wheel or another import list means another key.
 * @param {{pyodideVersion: string, wheels: readonly {name: string, sha256: string}[], prepare: string}} identity
 * @returns {Promise<string>}
 */
export async function snapshotKey(identity) {
  const canonical = JSON.stringify({
    format: SNAPSHOT_FORMAT,
    pyodideVersion: identity.pyodideVersion,
    wheels: identity.wheels.map((w) => [w.name, w.sha256]),
    prepare: identity.prepare,
  });
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Python that imports `modules` and builds every pydantic model they define (under `prefixes`)
 * whose build was deferred (`defer_build=True`), so the snapshot holds the built validators and a
 * restored app does not build them again on its first request.
 * @param {readonly string[]} modules
 * @param {readonly string[]} prefixes  module-name prefixes whose models are built
 * @returns {string}
 */
export function importAndBuildPython(modules, prefixes) {
  return `
def _story_gen_prepare(modules, prefixes):
    import importlib, sys
    for name in modules:
        importlib.import_module(name)
    import pydantic
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(prefixes):
            continue
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == name
                and not value.__pydantic_complete__
                and not getattr(value, "__pydantic_generic_metadata__", {}).get("parameters")
            ):
                value.model_rebuild(raise_errors=False)

_story_gen_prepare(${JSON.stringify(modules)}, tuple(${JSON.stringify(prefixes)}))
del _story_gen_prepare
`;
}

/** A pydantic_core round trip: runs code of the restored extension against the restored heap. */
export const DEFAULT_CHECK = `
import pydantic_core
assert pydantic_core.SchemaValidator({"type": "int"}).validate_python("7") == 7
`;

/**
 * The site-packages path Pyodide installs into, from the CPython tag of the wheels (cp314 ->
 * /lib/python3.14/site-packages); makeSnapshot() checks it against the booted interpreter.
 * @param {string} wheelFile  a wheel's file name with a cpXY tag
 */
export function sitePackagesFor(wheelFile) {
  const match = /-cp(\d)(\d+)-/.exec(wheelFile);
  if (!match) throw new SnapshotError(`${wheelFile}: no CPython tag (cpXY) to find site-packages from`);
  return `/lib/python${match[1]}.${match[2]}/site-packages`;
}

/**
 * Wrap Pyodide's module factory so that Emscripten loads the libraries at `paths` at startup
 * (before the C runtime), reading each from the URL `urls[path]`, and call `created(module)` once
 * the module exists (before a snapshot's heap is copied in). With `librariesReady`, the main
 * module is compiled and instantiated meanwhile and only its hand-over to Emscripten (which then
 * loads the startup libraries) waits for it: `urls` may be filled until then.
 * @param {CreateModule} create  the default export of pyodide.asm.mjs
 * @param {string[]} paths  absolute paths, in load order
 * @param {Record<string, string>} urls  path -> URL (or, under Node, a file path)
 * @param {(module: EmscriptenModule) => void} created
 * @param {Promise<unknown>} [librariesReady]
 * @returns {CreateModule}
 */
function withStartupLibraries(create, paths, urls, created, librariesReady) {
  return async (settings) => {
    const writable = /** @type {EmscriptenSettings} */ (/** @type {unknown} */ (settings));
    writable.dynamicLibraries = [...paths];
    const locate = writable.locateFile;
    writable.locateFile = (path) => urls[path] ?? locate(path);
    const instantiate = writable.instantiateWasm;
    if (librariesReady && instantiate) {
      writable.instantiateWasm = (imports, success) =>
        instantiate(imports, (instance, module) => {
          librariesReady.then(
            () => success(instance, module),
            () => {}, // the refusal is reported by the restore, which awaits librariesReady too
          );
        });
    } else if (librariesReady) {
      await librariesReady;
    }
    const module = await create(settings);
    created(/** @type {EmscriptenModule} */ (/** @type {unknown} */ (module)));
    return module;
  };
}

/**
 * The Emscripten settings this file changes.
 * @typedef {object} EmscriptenSettings
 * @property {string[]} [dynamicLibraries]
 * @property {(path: string) => string} locateFile
 * @property {((imports: object, success: (instance: unknown, module: unknown) => void) => object) | undefined} instantiateWasm
 */

/** @param {PyodideAPI} pyodide */
function emscripten(pyodide) {
  return /** @type {EmscriptenModule} */ (/** @type {{_module: unknown}} */ (/** @type {unknown} */ (pyodide))._module);
}

/**
 * @param {Record<string, string>} urlsByPath
 * @param {readonly StartupLibrary[]} libraries
 * @param {(path: string, bytes: Uint8Array) => string | Promise<string>} libraryURL
 */
async function libraryURLs(urlsByPath, libraries, libraryURL) {
  for (const library of libraries) urlsByPath[library.path] = await libraryURL(library.path, library.bytes);
}

/**
 * Boot a fresh Pyodide with `libraries` at startup, install the wheels, run `prepare` (imports),
 * and return the snapshot bundle. The interpreter is left for the caller to drop.
 * @param {object} o
 * @param {(config: PyodideConfig) => Promise<PyodideAPI>} o.loadPyodide
 * @param {CreateModule} o.createModule  the default export of pyodide.asm.mjs
 * @param {PyodideConfig} o.config  what else loadPyodide needs (indexURL, env, streams)
 * @param {readonly StartupLibrary[]} o.libraries  every shared library the wheels hold
 * @param {(path: string, bytes: Uint8Array) => string | Promise<string>} o.libraryURL
 * @param {(pyodide: PyodideAPI) => Promise<void>} o.install  loads the wheels (loadPackage)
 * @param {string} o.prepare  Python run before the snapshot (see importAndBuildPython)
 * @param {string} o.key  see snapshotKey
 * @param {string} o.pyodideVersion
 * @param {(step: string, ms: number) => void} [o.onStep]  timing of each step, for reports
 * @returns {Promise<{bundle: Uint8Array, pyodide: PyodideAPI}>}
 */
export async function makeSnapshot(o) {
  const started = performance.now();
  const step = stepTimer(o.onStep);
  /** @type {Record<string, string>} */
  const urls = {};
  await libraryURLs(urls, o.libraries, o.libraryURL);
  const paths = o.libraries.map((l) => l.path);
  let startTable = -1;
  const createPyodideModule = withStartupLibraries(o.createModule, paths, urls, (module) => {
    startTable = module.wasmTable.length;
  });
  const pyodide = await o.loadPyodide({ ...o.config, _makeSnapshot: true, createPyodideModule });
  step("runtime");
  const module = emscripten(pyodide);
  // sysconfig says "//lib/...": its prefix is "/".
  const sitePackages = String(pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')")).replace(/\/+/g, "/");
  const misplaced = paths.filter((p) => !p.startsWith(`${sitePackages}/`));
  if (misplaced.length > 0) throw new SnapshotError(`libraries outside ${sitePackages}: ${misplaced.join(", ")}`);

  await o.install(pyodide);
  step("install");
  pyodide.runPython(o.prepare);
  pyodide.runPython("import gc; gc.collect()");
  step("prepare");

  // Every dlopen must have found its startup library: a second copy loaded by dlopen would sit at
  // positions no restore reproduces.
  const loaded = Object.keys(module.LDSO.loadedLibsByName).filter((name) => name !== "__main__");
  const extra = loaded.filter((name) => !paths.includes(name));
  if (extra.length > 0) throw new SnapshotError(`libraries loaded after startup: ${extra.join(", ")}`);
  // Functions added to the table after startup (addFunction) are not in a restored process.
  const tableLength = module.wasmTable.length;
  if (tableLength !== startTable) {
    throw new SnapshotError(`the function table grew after startup (${startTable} -> ${tableLength})`);
  }
  /** @type {{handle: number, path: string}[]} */
  const handles = [];
  for (const [handle, dso] of Object.entries(module.LDSO.loadedLibsByHandle)) {
    const name = /** @type {{name?: string}} */ (dso).name ?? "";
    if (Number(handle) !== 0 && paths.includes(name)) handles.push({ handle: Number(handle), path: name });
  }

  const tree = readTree(pyodide, sitePackages);
  const missing = paths.filter((p) => !tree.has(p));
  if (missing.length > 0) throw new SnapshotError(`libraries not installed by the wheels: ${missing.join(", ")}`);
  // The libraries first: a restore can start on them while the rest is still read.
  const files = new Map([
    ...paths.map((p) => /** @type {[string, Uint8Array]} */ ([p, tree.get(p)])),
    ...[...tree].filter(([p]) => !paths.includes(p)),
  ]);
  const loadedPackages = { .../** @type {Record<string, string>} */ (pyodide.loadedPackages) };
  const heap = emptyWhile(module, pyodide, () =>
    /** @type {{makeMemorySnapshot(): Uint8Array}} */ (/** @type {unknown} */ (pyodide)).makeMemorySnapshot(),
  );
  step("snapshot");
  const python = String(pyodide.runPython("import sys; sys.version"));
  const modules = Number(pyodide.runPython("import sys; len(sys.modules)"));
  const bundle = encodeBundle(
    {
      format: SNAPSHOT_FORMAT,
      key: o.key,
      pyodideVersion: o.pyodideVersion,
      buildId: pyodideBuildId(heap),
      python,
      tableLength,
      memoryBytes: module.HEAP8.length,
      libraries: paths,
      handles,
      loadedPackages,
      modules,
      makeMs: Math.round(performance.now() - started),
    },
    files,
    heap,
  );
  step("bundle");
  return { bundle, pyodide };
}

/**
 * makeMemorySnapshot() only accepts an empty `loadedPackages` (hiwire slot 6): empty it for the
 * call and fill it again after.
 * @template T
 * @param {EmscriptenModule} module
 * @param {PyodideAPI} pyodide
 * @param {() => T} run
 * @returns {T}
 */
function emptyWhile(module, pyodide, run) {
  const packages = /** @type {Record<string, string>} */ (pyodide.loadedPackages);
  if (module.__hiwire_get(LOADED_PACKAGES_SLOT) !== packages) {
    throw new SnapshotError(
      `hiwire slot ${LOADED_PACKAGES_SLOT} is not pyodide.loadedPackages: this Pyodide lays out its ` +
        "snapshot differently (docs/adr/0027-pyodide-snapshot-with-extensions.md, upgrading)",
    );
  }
  const saved = { ...packages };
  for (const name of Object.keys(packages)) delete packages[name];
  try {
    return run();
  } finally {
    Object.assign(packages, saved);
  }
}

/**
 * Every file under `root` in Pyodide's file system, path -> bytes.
 * @param {PyodideAPI} pyodide
 * @param {string} root
 * @returns {Map<string, Uint8Array>}
 */
function readTree(pyodide, root) {
  const fs = pyodide.FS;
  /** @type {Map<string, Uint8Array>} */
  const files = new Map();
  /** @param {string} dir */
  const walk = (dir) => {
    for (const name of /** @type {string[]} */ (fs.readdir(dir))) {
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const mode = /** @type {{mode: number}} */ (fs.stat(path)).mode;
      if (fs.isDir(mode)) walk(path);
      else if (fs.isFile(mode)) files.set(path, /** @type {Uint8Array} */ (fs.readFile(path)));
    }
  };
  walk(root);
  return files;
}

/**
 * Pyodide's BUILD_ID as its snapshot header holds it (8 u32 words after 16 bytes).
 * @param {Uint8Array} heap
 */
function pyodideBuildId(heap) {
  const view = new DataView(heap.buffer, heap.byteOffset + 16, 32);
  let id = "";
  for (let i = 0; i < 8; i++) id += view.getUint32(i * 4, true).toString(16).padStart(8, "0");
  return id;
}

/**
 * A fast 32-bit checksum (FNV-1a over little-endian words) of bytes whose length is a multiple of 4:
 * catches a truncated, shifted or damaged bundle before its heap is trusted.
 * @param {Uint8Array} bytes
 */
export function checksum(bytes) {
  if (bytes.byteLength % 4 !== 0 || bytes.byteOffset % 4 !== 0) throw new SnapshotError("checksum: unaligned bytes");
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ /** @type {number} */ (words[i]), 0x01000193);
  return hash >>> 0;
}

/** @param {number} n */
const align16 = (n) => Math.ceil(n / 16) * 16;
// Runs of zeros at least this long are left out of a stored heap (fewer, longer segments: the
// few dozen runs this long hold nearly all the zeros).
const ZERO_RUN = 4096;

/**
 * The parts of `bytes` that are not long runs of zeros, as [at, length] (at and length multiples
 * of 4, so the stored data stays word-aligned for the checksum).
 * @param {Uint8Array} bytes  length a multiple of 4
 * @returns {[number, number][]}
 */
function nonZeroSegments(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const minWords = ZERO_RUN / 4;
  /** @type {[number, number][]} */
  const segments = [];
  let start = 0;
  let i = 0;
  while (i < words.length) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === 0) j++;
    if (j - i >= minWords) {
      if (i > start) segments.push([start * 4, (i - start) * 4]);
      start = j;
    }
    i = j;
  }
  if (words.length > start) segments.push([start * 4, (words.length - start) * 4]);
  return segments;
}

/**
 * magic | format u32 | header length u32 | header JSON | pad | files | pad | heap segments | pad
 * @param {Omit<SnapshotHeader, "files" | "heap" | "checksum">} fields
 * @param {Map<string, Uint8Array>} files
 * @param {Uint8Array} heap  Pyodide's snapshot (length a multiple of 16)
 * @returns {Uint8Array}
 */
function encodeBundle(fields, files, heap) {
  // Offsets depend on the header's length, which depends on the offsets: lay the data out
  // relative to a header slot sized with room to spare, then write the JSON into it.
  /** @type {{path: string, offset: number, size: number}[]} */
  const entries = [];
  let relative = 0;
  for (const [path, bytes] of files) {
    entries.push({ path, offset: relative, size: bytes.byteLength });
    relative += bytes.byteLength;
  }
  const heapRelative = align16(relative);
  const segments = nonZeroSegments(heap);
  const stored = segments.reduce((sum, [, length]) => sum + length, 0);
  const draft = (/** @type {number} */ start, /** @type {number} */ sum) =>
    JSON.stringify({
      ...fields,
      files: entries.map((e) => ({ ...e, offset: start + e.offset })),
      heap: { offset: start + heapRelative, size: heap.byteLength, segments },
      checksum: sum,
    });
  const encoder = new TextEncoder();
  const widest = 0xffffffff; // the checksum field at its longest
  let start = align16(PREFIX + encoder.encode(draft(0, widest)).byteLength + 64);
  start = align16(PREFIX + encoder.encode(draft(start, widest)).byteLength + 64);
  const bundle = new Uint8Array(align16(start + heapRelative + stored));
  let at = 0;
  for (const bytes of files.values()) {
    bundle.set(bytes, start + at);
    at += bytes.byteLength;
  }
  at = start + heapRelative;
  for (const [from, length] of segments) {
    bundle.set(heap.subarray(from, from + length), at);
    at += length;
  }
  const header = encoder.encode(draft(start, checksum(bundle.subarray(start))));
  if (PREFIX + header.byteLength > start) throw new SnapshotError("snapshot header outgrew its slot");
  bundle.set(MAGIC, 0);
  const view = new DataView(bundle.buffer);
  view.setUint32(8, SNAPSHOT_FORMAT, true);
  view.setUint32(12, header.byteLength, true);
  bundle.set(header, PREFIX);
  return bundle;
}

/**
 * The header of a bundle whose first `available` bytes are in `bytes`, or null if more are
 * needed. Throws SnapshotError if what is there is not a bundle of this format.
 * @param {Uint8Array} bytes  4-byte aligned
 * @param {number} available
 * @returns {SnapshotHeader | null}
 */
function readHeader(bytes, available) {
  if (available < PREFIX) return null;
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new SnapshotError("not a story_gen snapshot (bad magic)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX);
  const format = view.getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotError(`snapshot format ${format}, expected ${SNAPSHOT_FORMAT}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.byteLength) throw new SnapshotError("snapshot truncated in its header");
  if (PREFIX + headerLength > available) return null;
  /** @type {SnapshotHeader} */
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength)));
  } catch {
    throw new SnapshotError("snapshot header is not JSON");
  }
  const stored = header.heap.segments.reduce((sum, [, length]) => sum + length, 0);
  const end = align16(header.heap.offset + stored);
  if (end !== bytes.byteLength) throw new SnapshotError(`snapshot is ${bytes.byteLength} bytes, its header says ${end}`);
  return header;
}

/**
 * Check a whole bundle's checksum and rebuild Pyodide's snapshot from its segments into `heap`.
 * @param {Uint8Array} bytes
 * @param {SnapshotHeader} header
 * @param {Uint8Array} heap  header.heap.size bytes, zeroed
 * @returns {ParsedSnapshot}
 */
function verified(bytes, header, heap) {
  const dataStart = header.files[0]?.offset ?? header.heap.offset;
  if (checksum(bytes.subarray(dataStart)) !== header.checksum) {
    throw new SnapshotError("snapshot checksum mismatch (damaged bytes)");
  }
  let at = header.heap.offset;
  for (const [from, length] of header.heap.segments) {
    heap.set(bytes.subarray(at, at + length), from);
    at += length;
  }
  const byPath = new Map(header.files.map((f) => [f.path, f]));
  return {
    header,
    bytes,
    heap,
    file(path) {
      const entry = byPath.get(path);
      if (!entry) throw new SnapshotError(`snapshot has no file ${path}`);
      return bytes.subarray(entry.offset, entry.offset + entry.size);
    },
  };
}

/**
 * Read a bundle: check its shape and checksum, and rebuild Pyodide's snapshot from its segments.
 * Throws SnapshotError if it is not a whole, intact bundle of this format.
 * @param {Uint8Array} bytes
 * @returns {ParsedSnapshot}
 */
export function parseSnapshot(bytes) {
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const header = readHeader(bytes, bytes.byteLength);
  if (header === null) throw new SnapshotError("snapshot truncated in its header");
  return verified(bytes, header, new Uint8Array(header.heap.size));
}

/**
 * A bundle as restoreSnapshot() consumes it: each part as soon as its bytes are there, so that
 * Pyodide can start on the libraries and allocate the heap while the rest is still read. Nothing
 * reaches Pyodide's memory before `complete` (the checksum) resolves.
 * @typedef {object} SnapshotSource
 * @property {Promise<SnapshotHeader>} header
 * @property {(path: string) => Promise<Uint8Array>} file
 * @property {Promise<Uint8Array>} heap  allocated once the header is known, filled by `complete`
 * @property {Promise<ParsedSnapshot>} complete  every byte read, the checksum good, the heap filled
 */

/**
 * The source of a bundle already in memory.
 * @param {ParsedSnapshot} parsed
 * @returns {SnapshotSource}
 */
export function parsedSource(parsed) {
  return {
    header: Promise.resolve(parsed.header),
    file: async (path) => parsed.file(path),
    heap: Promise.resolve(parsed.heap),
    complete: Promise.resolve(parsed),
  };
}

/**
 * The source of a bundle read from a stream of `total` bytes (a Cache Storage response body).
 * @param {ReadableStream<Uint8Array>} stream
 * @param {number} total
 * @returns {SnapshotSource}
 */
export function streamedSource(stream, total) {
  const bytes = new Uint8Array(total);
  let available = 0;
  /** @type {{need: number, resolve: () => void}[]} */
  let waiting = [];
  /** @type {Error | null} */
  let failed = null;
  /** @type {((error: Error) => void)[]} */
  const rejecters = [];
  /** @param {number} need @returns {Promise<void>} */
  const until = (need) =>
    new Promise((resolve, reject) => {
      if (failed) reject(failed);
      else if (available >= need) resolve();
      else {
        waiting.push({ need, resolve });
        rejecters.push(reject);
      }
    });
  const reading = (async () => {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (available + value.byteLength > total) throw new SnapshotError(`snapshot is longer than its ${total} bytes`);
      bytes.set(value, available);
      available += value.byteLength;
      const ready = waiting.filter((w) => w.need <= available);
      waiting = waiting.filter((w) => w.need > available);
      for (const w of ready) w.resolve();
    }
    if (available !== total) throw new SnapshotError(`snapshot truncated: ${available} of ${total} bytes`);
  })();
  reading.catch((/** @type {unknown} */ error) => {
    failed = error instanceof Error ? error : new SnapshotError(String(error));
    for (const reject of rejecters) reject(failed);
  });
  const header = (async () => {
    for (let need = PREFIX; ; ) {
      await until(need);
      const found = readHeader(bytes, available);
      if (found) return found;
      need = PREFIX + new DataView(bytes.buffer, 0, PREFIX).getUint32(12, true);
    }
  })();
  const heap = header.then((h) => new Uint8Array(h.heap.size));
  const complete = Promise.all([header, heap, reading]).then(([h, memory]) => verified(bytes, h, memory));
  for (const promise of [header, heap, complete]) promise.catch(() => {}); // awaited later by the restore
  return {
    header,
    heap,
    complete,
    async file(path) {
      const h = await header;
      const entry = h.files.find((f) => f.path === path);
      if (!entry) throw new SnapshotError(`snapshot has no file ${path}`);
      await until(entry.offset + entry.size);
      return bytes.subarray(entry.offset, entry.offset + entry.size);
    },
  };
}

/**
 * Python run right after a restore: what must not be the same in every process started from one
 * snapshot, and the caches of a file system that was empty a moment ago.
 */
const AFTER_RESTORE = `
def _story_gen_after_restore():
    import importlib, sys
    importlib.invalidate_caches()
    seen = set()
    sys.path[:] = [p for p in sys.path if not (p in seen or seen.add(p))]
    if "random" in sys.modules:
        sys.modules["random"].seed()  # from os.urandom: the snapshot froze the generator's state
    if "tempfile" in sys.modules:
        sys.modules["tempfile"]._name_sequence = None  # holds its own Random

_story_gen_after_restore()
del _story_gen_after_restore
`;

/**
 * Start Pyodide from a parsed bundle. Throws (SnapshotError, or whatever Pyodide throws) if
 * anything does not match; the caller then drops the bundle and boots without it.
 * @param {object} o
 * @param {(config: PyodideConfig) => Promise<PyodideAPI>} o.loadPyodide
 * @param {CreateModule} o.createModule
 * @param {PyodideConfig} o.config
 * @param {SnapshotSource} o.snapshot  parsedSource(parseSnapshot(bytes)), or streamedSource(...)
 * @param {string} o.key  what the header's key must be
 * @param {string} o.pyodideVersion  the running Pyodide's version
 * @param {(path: string, bytes: Uint8Array) => string | Promise<string>} o.libraryURL
 * @param {string} [o.check]  Python that must run without raising (default: DEFAULT_CHECK)
 * @param {(step: string, ms: number) => void} [o.onStep]  each step as it ends, with the ms since
 *   the previous one ended: libraries (the header read, the libraries' bytes and URLs), module
 *   (the wasm module and its startup libraries), verified (the rest of the bundle read, its
 *   checksum), heap (copied in, Python's bootstrap), files, reseed, check
 * @returns {Promise<PyodideAPI>}
 */
export async function restoreSnapshot(o) {
  const step = stepTimer(o.onStep);
  const source = o.snapshot;
  // loadPyodide starts fetching the runtime (wasm, standard library, lock file) at once; it waits
  // for the heap (allocated as soon as the header is read) before it creates the module, and the
  // module waits for the libraries' bytes only; the rest of the bundle is read meanwhile and
  // checked before the factory hands the module back, i.e. before the heap is copied in.
  const identity = source.header.then((header) => {
    if (header.key !== o.key) throw new SnapshotError("snapshot is for other wheels or another Pyodide (key)");
    if (header.pyodideVersion !== o.pyodideVersion) {
      throw new SnapshotError(`snapshot of Pyodide ${header.pyodideVersion}, running ${o.pyodideVersion}`);
    }
    return header;
  });
  /** @type {Record<string, string>} */
  const urls = {};
  const libraries = identity.then(async (header) => {
    for (const path of header.libraries) urls[path] = await o.libraryURL(path, await source.file(path));
    step("libraries");
  });
  const heap = identity.then(() => source.heap);
  for (const promise of [heap, libraries]) promise.catch(() => {}); // awaited later: not "unhandled"
  /** @type {CreateModule} */
  const createPyodideModule = async (settings) => {
    const header = await identity;
    // Checked once the module exists and before Pyodide copies the heap in: a throw here rejects
    // loadPyodide() with nothing restored.
    const create = withStartupLibraries(
      o.createModule,
      header.libraries,
      urls,
      (module) => {
        if (module.wasmTable.length !== header.tableLength) {
          throw new SnapshotError(`function table has ${module.wasmTable.length} entries, the snapshot ${header.tableLength}`);
        }
        // Pyodide copies the heap into the memory as it is; a heap that outgrew the initial
        // memory needs the memory grown first ("offset is out of bounds" otherwise).
        if (module.HEAP8.length < header.memoryBytes) module.growMemory(header.memoryBytes);
        if (module.HEAP8.length < header.memoryBytes) {
          throw new SnapshotError(`could not grow the memory to ${header.memoryBytes} bytes`);
        }
        for (const { handle, path } of header.handles) {
          const dso = module.LDSO.loadedLibsByName[path];
          if (dso === undefined) throw new SnapshotError(`startup library ${path} is not loaded`);
          module.LDSO.loadedLibsByHandle[handle] = dso;
        }
        step("module");
      },
      libraries,
    );
    // A library that could not be read stops the module here, not in Emscripten.
    const [module] = await Promise.all([create(settings), libraries]);
    await source.complete;
    step("verified");
    return module;
  };
  const pyodide = await o.loadPyodide({ ...o.config, _loadSnapshot: heap, createPyodideModule });
  step("heap");
  const snapshot = await source.complete;
  const module = emscripten(pyodide);
  writeFiles(pyodide, snapshot);
  step("files");
  // The restored heap's slot 6 is a fresh `{}` (Pyodide's own restore): point it at the real
  // loadedPackages, filled as it was, so Python and JS agree on what is installed.
  const packages = /** @type {Record<string, string>} */ (pyodide.loadedPackages);
  Object.assign(packages, snapshot.header.loadedPackages);
  if (module.__hiwire_set(LOADED_PACKAGES_SLOT, packages) < 0) throw new SnapshotError("could not set loadedPackages");
  pyodide.runPython(AFTER_RESTORE);
  step("reseed");
  pyodide.runPython(o.check ?? DEFAULT_CHECK);
  step("check");
  return pyodide;
}

/**
 * @param {((step: string, ms: number) => void) | undefined} report
 * @returns {(step: string) => void}
 */
function stepTimer(report) {
  let mark = performance.now();
  return (step) => {
    const now = performance.now();
    report?.(step, now - mark);
    mark = now;
  };
}

/**
 * Put the site-packages files back (they were in the JS-side file system, not the heap): one
 * copy of all their bytes, which the file system then owns (no copy per file).
 * @param {PyodideAPI} pyodide
 * @param {ParsedSnapshot} snapshot
 */
function writeFiles(pyodide, snapshot) {
  const { files } = snapshot.header;
  if (files.length === 0) return;
  const first = /** @type {{offset: number}} */ (files[0]).offset;
  const last = /** @type {{offset: number, size: number}} */ (files[files.length - 1]);
  const owned = snapshot.bytes.slice(first, last.offset + last.size);
  const fs = pyodide.FS;
  const made = new Set();
  for (const { path, offset, size } of files) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!made.has(dir)) {
      fs.mkdirTree(dir);
      made.add(dir);
    }
    fs.writeFile(path, owned.subarray(offset - first, offset - first + size), { canOwn: true });
  }
}
