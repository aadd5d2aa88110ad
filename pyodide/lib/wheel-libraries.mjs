// @ts-check
// The shared libraries (.so) inside wheels, read before Pyodide starts: a memory snapshot needs
// them as startup libraries (snapshot.mjs), so they cannot wait for loadPackage to unpack them.
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { decompress as zstdDecompress } from "fzstd";
import { sitePackagesFor } from "./snapshot.mjs";

/** @typedef {import("fflate").AsyncFlateStreamHandler} StreamHandler */

/** @param {readonly Uint8Array[]} parts */
function joined(parts) {
  if (parts.length === 1) return /** @type {Uint8Array} */ (parts[0]);
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Zip method 93, Zstandard: what the studio's wheels use (web/scripts/compile_wheels.py, ADR
 * 0061). fflate reads only stored and deflated entries; fzstd decodes the entry's frame.
 */
class UnzipZstandard {
  static compression = 93;
  /** @type {Uint8Array[]} */
  #parts = [];
  /** @type {StreamHandler} */
  ondata = () => {};

  /** @param {Uint8Array} chunk @param {boolean} final */
  push(chunk, final) {
    this.#parts.push(chunk);
    if (final) this.ondata(null, /** @type {Uint8Array<ArrayBuffer>} */ (zstdDecompress(joined(this.#parts))), true);
  }
}

/**
 * The `.so` entries of one wheel, by name.
 * @param {Uint8Array} bytes
 * @returns {Map<string, Uint8Array>}
 */
function libraryEntries(bytes) {
  /** @type {Map<string, Uint8Array>} */
  const found = new Map();
  /** @type {unknown} */
  let failure = null;
  const unzip = new Unzip((file) => {
    if (!file.name.endsWith(".so")) return; // never started: its bytes are skipped undecoded
    /** @type {Uint8Array[]} */
    const parts = [];
    file.ondata = (error, data, final) => {
      if (error) failure = error;
      else parts.push(data);
      if (final && !error) found.set(file.name, joined(parts));
    };
    file.start();
  });
  unzip.register(UnzipPassThrough);
  unzip.register(UnzipInflate);
  unzip.register(UnzipZstandard);
  unzip.push(bytes, true);
  if (failure) throw failure;
  return found;
}

/**
 * Every `.so` in the wheels, with the absolute path Pyodide's installer gives it (site-packages
 * + its path in the wheel), in wheel order then name order (a fixed order: snapshots depend on it).
 * @param {readonly {file: string, bytes: Uint8Array}[]} wheels
 * @returns {import("./snapshot.mjs").StartupLibrary[]}
 */
export function sharedLibraries(wheels) {
  /** @type {import("./snapshot.mjs").StartupLibrary[]} */
  const libraries = [];
  for (const wheel of wheels) {
    const found = libraryEntries(wheel.bytes);
    const names = [...found.keys()].sort();
    if (names.length === 0) continue;
    const sitePackages = sitePackagesFor(wheel.file);
    for (const name of names) {
      libraries.push({ path: `${sitePackages}/${name}`, bytes: /** @type {Uint8Array} */ (found.get(name)) });
    }
  }
  return libraries;
}
