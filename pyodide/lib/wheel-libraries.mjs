// @ts-check
// The shared libraries (.so) inside wheels, read before Pyodide starts: a memory snapshot needs
// them as startup libraries (snapshot.mjs), so they cannot wait for loadPackage to unpack them.
import { unzipSync } from "fflate";
import { sitePackagesFor } from "./snapshot.mjs";

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
    const found = unzipSync(wheel.bytes, { filter: (entry) => entry.name.endsWith(".so") });
    const names = Object.keys(found).sort();
    if (names.length === 0) continue;
    const sitePackages = sitePackagesFor(wheel.file);
    for (const name of names) {
      libraries.push({ path: `${sitePackages}/${name}`, bytes: /** @type {Uint8Array} */ (found[name]) });
    }
  }
  return libraries;
}
