/**
 * Where the studio keeps its memory snapshot: Cache Storage, one entry per key (the Pyodide
 * version, every wheel's sha256 and the Python run before the snapshot, see
 * pyodide/lib/snapshot.mjs `snapshotKey`), never downloaded, made on this machine.
 *
 * Entries live under the runtime's folder (`pyodide/<version>/snapshot/<key>.bin`, a URL the
 * server never serves) in a cache of their own, so the service worker's precache never sees them.
 * Storing one drops every other entry (older builds, ADR 0024's bare snapshot); a restore that
 * fails drops its entry and counts a failure under its key, and after MAX_FAILURES the studio
 * stops making snapshots for that build (a snapshot that cannot work here is not retried forever).
 */
import type { BootOptions } from "../service/boot-options";
import {
  importAndBuildPython,
  parseSnapshot,
  snapshotKey,
  streamedSource,
  type SnapshotSource,
} from "../../../pyodide/lib/snapshot.mjs";

const CACHE = "story-gen-pyodide-snapshot";
export const MAX_FAILURES = 2;
/**
 * How a snapshot is kept: gzip (CompressionStream), a quarter of the size (~11 MB instead of
 * ~45 MB per origin) for ~0.1 s more on a warm start (measured, docs/adr/0027).
 */
const ENCODING: "gzip" | "identity" = "identity";

/** The Python the snapshot runs before it is taken: the facade imported, its models built. */
export function snapshotPrepare(options: BootOptions): string {
  return importAndBuildPython([options.app.module], ["story_gen."]);
}

/** The key of the snapshot for these options under Pyodide `pyodideVersion`. */
export async function studioSnapshotKey(options: BootOptions, pyodideVersion: string): Promise<string> {
  const wheels = [...options.packages.wheels, ...options.app.wheels].map((w) => ({ name: w.file, sha256: w.sha256 }));
  return await snapshotKey({ pyodideVersion, wheels, prepare: snapshotPrepare(options) });
}

function entryURL(indexURL: string, key: string, kind: "bin" | "failures"): string {
  return new URL(`snapshot/${key}.${kind}`, indexURL).href;
}

/** The snapshot kept under `key` (its bytes not read yet), or null. */
export async function findSnapshot(indexURL: string, key: string): Promise<Response | null> {
  const hit = await (await caches.open(CACHE)).match(entryURL(indexURL, key, "bin"));
  return hit?.body ? hit : null;
}

/** A kept snapshot's sizes, and its bytes as a source the restore reads while it goes. */
export function snapshotSource(found: Response): { source: SnapshotSource; rawBytes: number; storedBytes: number } {
  const rawBytes = Number(found.headers.get("x-story-gen-raw-bytes") ?? 0);
  const storedBytes = Number(found.headers.get("x-story-gen-stored-bytes") ?? 0);
  const body = found.body as ReadableStream<Uint8Array<ArrayBuffer>>;
  if (found.headers.get("x-story-gen-encoding") !== "gzip" && rawBytes > 0) {
    return { source: streamedSource(body, rawBytes), rawBytes, storedBytes };
  }
  // A damaged gzip stream rejects here (its CRC).
  const plain = new Response(body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  const parsed = plain.then((buffer) => parseSnapshot(new Uint8Array(buffer)));
  return {
    source: {
      header: parsed.then((p) => p.header),
      file: async (path) => (await parsed).file(path),
      heap: parsed.then((p) => p.heap),
      complete: parsed,
    },
    rawBytes,
    storedBytes,
  };
}

/**
 * The snapshot is a convenience; the stories are not. It is only kept while the origin has room
 * for it several times over, so it never takes the space a writer's edits need.
 */
const ROOM_FACTOR = 4;
const ROOM_MARGIN_BYTES = 100_000_000;

/** Keep `bundle` under `key`, dropping every other snapshot; returns the bytes stored. */
export async function storeSnapshot(indexURL: string, key: string, bundle: Uint8Array, makeMs: number): Promise<number> {
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const room = quota - usage;
  if (room < ROOM_FACTOR * bundle.byteLength + ROOM_MARGIN_BYTES) {
    throw new Error(`only ${Math.round(room / 1e6)} MB of storage left: the snapshot (${Math.round(bundle.byteLength / 1e6)} MB) is not kept`);
  }
  const raw = new Blob([bundle as Uint8Array<ArrayBuffer>]);
  const stored = ENCODING === "gzip" ? await new Response(raw.stream().pipeThrough(new CompressionStream("gzip"))).blob() : raw;
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (!request.url.includes(key)) await cache.delete(request);
  }
  await cache.put(
    entryURL(indexURL, key, "bin"),
    new Response(stored, {
      headers: {
        "content-type": "application/octet-stream",
        "x-story-gen-encoding": ENCODING,
        "x-story-gen-raw-bytes": String(bundle.byteLength),
        "x-story-gen-stored-bytes": String(stored.size),
        "x-story-gen-make-ms": String(Math.round(makeMs)),
      },
    }),
  );
  return stored.size;
}

/** Drop the snapshot under `key` (it failed) and count the failure. */
export async function dropSnapshot(indexURL: string, key: string): Promise<void> {
  try {
    const cache = await caches.open(CACHE);
    await cache.delete(entryURL(indexURL, key, "bin"));
    await recordFailure(cache, indexURL, key);
  } catch {
    // Cache Storage unavailable: nothing kept, nothing to drop.
  }
}

/** Count a failure to make or restore the snapshot under `key`. */
export async function countFailure(indexURL: string, key: string): Promise<void> {
  try {
    await recordFailure(await caches.open(CACHE), indexURL, key);
  } catch {
    // As above.
  }
}

async function recordFailure(cache: Cache, indexURL: string, key: string): Promise<void> {
  const failures = await failureCount(indexURL, key);
  await cache.put(entryURL(indexURL, key, "failures"), new Response(String(failures + 1)));
}

/** How often making or restoring the snapshot under `key` failed. */
export async function failureCount(indexURL: string, key: string): Promise<number> {
  try {
    const hit = await (await caches.open(CACHE)).match(entryURL(indexURL, key, "failures"));
    return hit ? Number(await hit.text()) || 0 : 0;
  } catch {
    return MAX_FAILURES;
  }
}
