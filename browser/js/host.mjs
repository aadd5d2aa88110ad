// @ts-check
// story_gen studio's IndexedDB host: the only code that touches IndexedDB, BroadcastChannel,
// navigator.storage, the clock and the uuid source on behalf of the Python studio service.
//
// Two audiences:
// - the Pyodide worker: `createHost(options)` returns the object it registers with
//   `pyodide.registerJsModule("story_gen_host", host)`; Python (story_gen.browser._js) calls it.
//   Every value that crosses to Python is a string (JSON or plain); failures reject with a
//   HostError whose `type` is "storage.quota" or "storage.error".
// - the UI thread, before Python has booted: `readLibrary()`, `readStory()`, `readMeta()`
//   read the same database without Python, for the first paint.
//
// The database schema (docs/studio-service.md, "IndexedDB schema"):
//   "summaries"  keyPath "story_id": StorySummary objects (small; the library list reads only these)
//   "bodies"     keyPath "story_id": {story_id, revision, story_json} (canonical Story JSON string)
//   "meta"       out-of-line string keys: JSON values ("last_opened_story", "demos_seeded", ...)
//   "history"    keyPath ["story_id", "seq"]: undo steps (a patch and its inverse), one record a
//                step (version 2; a version-1 database gains it empty on upgrade)
//   "pending"    keyPath "id" (auto-increment), index "story_id": edits typed before the core was
//                ready (version 3), {id, story_id, op, at_utc}; `op` is an EditOp. The UI thread
//                appends them (`openPendingQueue`); the worker applies them through the core and
//                deletes them in the same transaction as the story they went into.
// A story's summary and body are always written together, in one strict-durability transaction.
import { wrap } from "idb";

export const DB_NAME = "story-gen";
export const DB_VERSION = 3;
export const CHANNEL_NAME = "story-gen";
export const STORES = /** @type {const} */ (["summaries", "bodies", "meta", "history", "pending"]);

/**
 * @typedef {import("./host.mjs").StorySummary} StorySummary
 * @typedef {import("./host.mjs").StoredStory} StoredStory
 * @typedef {import("./host.mjs").HostOptions} HostOptions
 * @typedef {import("./host.mjs").ReadOptions} ReadOptions
 * @typedef {import("./host.mjs").StoryGenHost} StoryGenHost
 * @typedef {import("./host.mjs").HostErrorType} HostErrorType
 * @typedef {import("./host.mjs").PendingEdit} PendingEdit
 * @typedef {import("./host.mjs").PendingQueue} PendingQueue
 * @typedef {import("./host.mjs").EditOp} EditOp
 * @typedef {{story_id: string, revision: number, story_json: string, pending_through?: number}} BodyRecord
 * @typedef {{story_id: string, seq: number}} StepRecord
 * @typedef {"summaries" | "bodies" | "meta" | "history" | "pending"} StoreName
 * @typedef {import("idb").IDBPDatabase} Database
 */

/** A storage failure reduced to {type, message}; `type` is what the studio's UI switches on. */
export class HostError extends Error {
  /**
   * @param {HostErrorType} type
   * @param {string} message
   */
  constructor(type, message) {
    super(message);
    this.name = "StoryGenHostError";
    /** @type {HostErrorType} */
    this.type = type;
  }
}

/**
 * Reduce anything IndexedDB throws (a DOMException, a transaction's error, an AbortError whose
 * transaction failed on quota) to a HostError. Quota is told apart because the UI says
 * "storage full" and keeps the edit, rather than "something went wrong".
 * @param {unknown} error
 * @param {string} doing what the host was doing, for the message
 * @returns {HostError}
 */
export function reduceError(error, doing) {
  if (error instanceof HostError) return error;
  const named = /** @type {{name?: unknown, message?: unknown, cause?: unknown}} */ (
    typeof error === "object" && error !== null ? error : {}
  );
  const cause = /** @type {{name?: unknown}} */ (
    typeof named.cause === "object" && named.cause !== null ? named.cause : {}
  );
  const name = typeof named.name === "string" ? named.name : "Error";
  const detail = typeof named.message === "string" && named.message ? named.message : String(error);
  if (name === "QuotaExceededError" || cause.name === "QuotaExceededError") {
    return new HostError(
      "storage.quota",
      `The browser's storage for this site is full, so ${doing} failed. ` +
        "Free some space (delete old stories or other site data) and try again.",
    );
  }
  return new HostError("storage.error", `${doing} failed: ${name}: ${detail}`);
}

/**
 * The schema upgrade: one step per version, so a browser holding any older version is carried
 * forward in order. Version 1 creates the three story stores; version 2 adds "history" (the
 * undo steps), version 3 "pending" (edits typed before the core was ready), each leaving every
 * stored story as it is.
 * @param {Database} db
 * @param {number} oldVersion
 */
function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    const summaries = db.createObjectStore("summaries", { keyPath: "story_id" });
    summaries.createIndex("updated_at_utc", "updated_at_utc");
    db.createObjectStore("bodies", { keyPath: "story_id" });
    db.createObjectStore("meta");
  }
  if (oldVersion < 2) {
    db.createObjectStore("history", { keyPath: ["story_id", "seq"] });
  }
  if (oldVersion < 3) {
    const pending = db.createObjectStore("pending", { keyPath: "id", autoIncrement: true });
    pending.createIndex("story_id", "story_id");
  }
}

/**
 * Delete, inside `tx`, the story's pending edits with an id up to `through`: they are in the
 * story being written by the same transaction, so they can never be applied twice.
 * @param {import("idb").IDBPTransaction<unknown, StoreName[], "readwrite">} tx
 * @param {string} storyId
 * @param {number} through
 * @returns {Promise<void>}
 */
async function deleteApplied(tx, storyId, through) {
  const index = tx.objectStore("pending").index("story_id");
  let cursor = await index.openCursor(IDBKeyRange.only(storyId));
  while (cursor) {
    const record = /** @type {PendingEdit} */ (cursor.value);
    if (record.id <= through) await cursor.delete();
    cursor = await cursor.continue();
  }
}

/**
 * Whether `value` is a record the pending store may hold: a story id and an edit op object.
 * The op itself is checked by the core when it is applied (a refusal is reported, not lost).
 * @param {unknown} op
 * @returns {op is EditOp}
 */
function isOp(op) {
  return typeof op === "object" && op !== null && typeof (/** @type {{op?: unknown}} */ (op).op) === "string";
}

/**
 * Every key of one story's undo steps: [storyId, any seq].
 * @param {string} storyId
 * @returns {IDBKeyRange}
 */
function historyOf(storyId) {
  return IDBKeyRange.bound([storyId, -Infinity], [storyId, Infinity]);
}

/**
 * Open (creating or upgrading) the database. When another tab needs a newer version, this
 * connection closes itself (`blocking`) so the upgrade is never stuck behind us; the host
 * reopens lazily on its next call.
 * @param {IDBFactory} factory
 * @param {string} name
 * @param {() => void} onClose
 * @returns {Promise<Database>}
 */
async function openDatabase(factory, name, onClose) {
  // idb's openDB() reads the global indexedDB; opening through the given factory and wrapping
  // the request keeps one host per factory (tests give each simulated tab its own world).
  const request = factory.open(name, DB_VERSION);
  request.addEventListener("upgradeneeded", (event) => {
    upgrade(/** @type {Database} */ (wrap(request.result)), event.oldVersion);
  });
  const db = /** @type {Database} */ (await wrap(request));
  db.addEventListener("versionchange", () => {
    db.close();
    onClose();
  });
  db.addEventListener("close", onClose);
  return db;
}

/**
 * Mark a request's promise as handled: when a later request of the same transaction throws,
 * the transaction aborts and this one rejects with AbortError after the failure was already
 * reported; without a handler that rejection would crash Node and litter browser consoles.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function observed(promise) {
  promise.catch(() => {});
  return promise;
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {string}
 */
function requireString(value, what) {
  if (typeof value !== "string" || value === "") {
    throw new HostError("storage.error", `${what} must be a non-empty string`);
  }
  return value;
}

/**
 * Create the host object the worker registers as the Python module `story_gen_host`.
 * @param {HostOptions} [options]
 * @returns {StoryGenHost}
 */
export function createHost(options = {}) {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  const dbName = options.dbName ?? DB_NAME;
  const channelName = options.channelName ?? CHANNEL_NAME;
  const storage = options.storage === undefined ? globalThis.navigator?.storage : options.storage;
  const Channel = options.BroadcastChannel ?? globalThis.BroadcastChannel;
  const clock = options.now ?? (() => new Date());
  const uuid = options.newId ?? (() => crypto.randomUUID());
  // The sync election (ADR 0108): the browser's Web Locks unless told otherwise (`null`: none,
  // every tab syncs).
  const locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  /**
   * Resolves the sync lock's callback (so the lock is let go) when the host closes.
   * @type {(() => void) | null}
   */
  let releaseSyncLock = null;

  /** @type {Promise<Database> | null} */
  let opening = null;
  /** @type {BroadcastChannel | null} */
  let channel = null;
  /** @type {Set<(message: string) => void>} */
  const subscribers = new Set();

  /** @returns {Promise<Database>} */
  function db() {
    if (factory === undefined) {
      return Promise.reject(
        new HostError("storage.error", "IndexedDB is not available in this browser"),
      );
    }
    if (opening === null) {
      opening = openDatabase(factory, dbName, () => {
        opening = null;
      });
      opening.catch(() => {
        opening = null;
      });
    }
    return opening;
  }

  /**
   * Run `body` and turn whatever it throws into a HostError.
   * @template T
   * @param {string} doing
   * @param {() => Promise<T>} body
   * @returns {Promise<T>}
   */
  async function guarded(doing, body) {
    try {
      return await body();
    } catch (error) {
      throw reduceError(error, doing);
    }
  }

  /**
   * A strict-durability read-write transaction: `tx.done` resolves only once the data is on
   * disk. If the body throws (e.g. a put refused for quota) the transaction is aborted, so a
   * half-written story (summary without body) can never be committed.
   * @template T
   * @param {Database} database
   * @param {StoreName[]} stores
   * @param {(tx: import("idb").IDBPTransaction<unknown, StoreName[], "readwrite">) => Promise<T>} body
   * @returns {Promise<T>}
   */
  async function writeTransaction(database, stores, body) {
    const tx = database.transaction(stores, "readwrite", { durability: "strict" });
    // Observed below; without this an aborted transaction is also an unhandled rejection.
    tx.done.catch(() => {});
    let result;
    try {
      result = await body(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted: nothing to undo
      }
      throw error;
    }
    try {
      await tx.done;
    } catch (error) {
      throw tx.error ?? error;
    }
    return result;
  }

  /** @type {StoryGenHost} */
  const host = {
    async open() {
      await guarded("opening the story database", () => db());
      if (channel === null && Channel !== undefined) {
        channel = new Channel(channelName);
        const nodeChannel = /** @type {{unref?: () => void}} */ (/** @type {unknown} */ (channel));
        // Under Node a channel keeps the process alive; in a browser there is no unref.
        nodeChannel.unref?.();
        channel.onmessage = (event) => {
          if (typeof event.data !== "string") return;
          for (const subscriber of subscribers) subscriber(event.data);
        };
      }
    },

    async listSummaries() {
      return guarded("reading the story list", async () => {
        const database = await db();
        return JSON.stringify(await database.getAll("summaries"));
      });
    },

    async getStory(storyId) {
      return guarded("reading a story", async () => {
        requireString(storyId, "storyId");
        const database = await db();
        const tx = database.transaction(["summaries", "bodies"], "readonly");
        const [summary, body] = await Promise.all([
          tx.objectStore("summaries").get(storyId),
          tx.objectStore("bodies").get(storyId),
          tx.done,
        ]);
        if (summary === undefined || body === undefined) return "null";
        return JSON.stringify({ summary, story_json: body.story_json, pending_through: body.pending_through ?? 0 });
      });
    },

    async putStoryIfRevision(storyId, expectedRevision, summaryJson, storyJson, pendingThrough = 0) {
      return guarded("saving the story", async () => {
        requireString(storyId, "storyId");
        /** @type {StorySummary} */
        const summary = JSON.parse(summaryJson);
        if (summary?.story_id !== storyId || typeof storyJson !== "string" || storyJson === "") {
          throw new HostError("storage.error", `record for ${storyId} is malformed`);
        }
        if (!Number.isInteger(expectedRevision) || summary.revision !== expectedRevision + 1) {
          throw new HostError(
            "storage.error",
            `revision ${summary.revision} does not follow expected revision ${expectedRevision}`,
          );
        }
        if (!Number.isInteger(pendingThrough) || pendingThrough < 0) {
          throw new HostError("storage.error", `pending id ${pendingThrough} is not a whole number`);
        }
        const database = await db();
        // Compare-and-swap in ONE transaction: the revision check and both puts commit together
        // or not at all. No await on anything but this transaction's own requests in between,
        // or IndexedDB would auto-commit the transaction early.
        // A write that carries pending edits deletes them in the same transaction.
        /** @type {StoreName[]} */
        const stores = pendingThrough > 0 ? ["summaries", "bodies", "pending"] : ["summaries", "bodies"];
        return writeTransaction(database, stores, async (tx) => {
          const summaries = tx.objectStore("summaries");
          const bodies = tx.objectStore("bodies");
          /** @type {StorySummary | undefined} */
          const current = await summaries.get(storyId);
          const currentRevision = current === undefined ? 0 : current.revision;
          if (currentRevision !== expectedRevision) {
            /** @type {BodyRecord | undefined} */
            const body = current === undefined ? undefined : await bodies.get(storyId);
            const head =
              current === undefined || body === undefined
                ? null
                : { summary: current, story_json: body.story_json, pending_through: body.pending_through ?? 0 };
            return JSON.stringify({ ok: false, current: head });
          }
          /** @type {BodyRecord} */
          const body = { story_id: storyId, revision: summary.revision, story_json: storyJson, pending_through: pendingThrough };
          const bodyWrite = observed(bodies.put(body));
          await Promise.all([bodyWrite, observed(summaries.put(summary))]);
          if (pendingThrough > 0) await deleteApplied(tx, storyId, pendingThrough);
          return JSON.stringify({ ok: true, current: null });
        });
      });
    },

    async deleteStory(storyId) {
      return guarded("deleting a story for good", async () => {
        requireString(storyId, "storyId");
        const database = await db();
        await writeTransaction(database, ["summaries", "bodies", "history", "pending"], async (tx) => {
          const first = observed(tx.objectStore("summaries").delete(storyId));
          const steps = observed(tx.objectStore("history").delete(historyOf(storyId)));
          await Promise.all([first, steps, observed(tx.objectStore("bodies").delete(storyId))]);
          await deleteApplied(tx, storyId, Number.MAX_SAFE_INTEGER);
        });
        return "null";
      });
    },

    async getHistory(storyId) {
      return guarded("reading the undo history", async () => {
        requireString(storyId, "storyId");
        const database = await db();
        // Keys sort by [story_id, seq]: the steps come in seq order.
        return JSON.stringify(await database.getAll("history", historyOf(storyId)));
      });
    },

    async putHistory(storyId, stepsJson, deletedSeqsJson) {
      return guarded("saving the undo history", async () => {
        requireString(storyId, "storyId");
        /** @type {StepRecord[]} */
        const steps = JSON.parse(stepsJson);
        /** @type {number[]} */
        const deleted = JSON.parse(deletedSeqsJson);
        if (
          !Array.isArray(steps) ||
          !Array.isArray(deleted) ||
          steps.some((step) => step?.story_id !== storyId || !Number.isInteger(step.seq)) ||
          deleted.some((seq) => !Number.isInteger(seq))
        ) {
          throw new HostError("storage.error", `undo steps for ${storyId} are malformed`);
        }
        const database = await db();
        await writeTransaction(database, ["history"], async (tx) => {
          const store = tx.objectStore("history");
          const deletes = deleted.map((seq) => observed(store.delete([storyId, seq])));
          const puts = steps.map((step) => observed(store.put(step)));
          await Promise.all([...deletes, ...puts]);
        });
        return "null";
      });
    },

    async getPending() {
      return guarded("reading the edits typed while the studio started", async () => {
        const database = await db();
        // Keys are auto-increment ids: the edits come in the order they were typed.
        return JSON.stringify(await database.getAll("pending"));
      });
    },

    async deletePending(idsJson) {
      return guarded("removing edits typed while the studio started", async () => {
        /** @type {number[]} */
        const ids = JSON.parse(idsJson);
        if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) {
          throw new HostError("storage.error", "pending ids must be whole numbers");
        }
        const database = await db();
        await writeTransaction(database, ["pending"], async (tx) => {
          const store = tx.objectStore("pending");
          await Promise.all(ids.map((id) => observed(store.delete(id))));
        });
        return "null";
      });
    },

    async getMeta(key) {
      return guarded("reading settings", async () => {
        requireString(key, "key");
        const database = await db();
        const value = await database.get("meta", key);
        return value === undefined ? "null" : JSON.stringify(value);
      });
    },

    async setMeta(key, valueJson) {
      return guarded("saving settings", async () => {
        requireString(key, "key");
        const value = JSON.parse(valueJson);
        const database = await db();
        await writeTransaction(database, ["meta"], async (tx) => {
          await tx.objectStore("meta").put(value, key);
        });
        return "null";
      });
    },

    /**
     * Resolves once this tab is the one of its profile that syncs: it holds the Web Lock
     * `<dbName>.sync` from then until the host closes (the tab or its worker goes away, and
     * the browser hands the lock to the next tab waiting). Without Web Locks every tab syncs,
     * as before there was an election: it resolves at once. Resolves "elected" / "no-locks".
     */
    syncLead() {
      if (locks === undefined || locks === null || typeof locks.request !== "function") {
        return Promise.resolve("no-locks");
      }
      return new Promise((elected) => {
        locks
          .request(`${dbName}.sync`, () => {
            elected("elected");
            return new Promise((release) => {
              releaseSyncLock = () => release(undefined);
            });
          })
          .catch(() => elected("no-locks"));
      });
    },

    async requestPersist() {
      // Best effort: a refusal (or no StorageManager, as under Node) is not an error; the
      // browser may still evict, which docs/studio-service.md tells the writer.
      if (storage === undefined || storage === null || typeof storage.persist !== "function") {
        return "false";
      }
      try {
        return JSON.stringify(Boolean(await storage.persist()));
      } catch {
        return "false";
      }
    },

    now() {
      return clock().toISOString();
    },

    newId() {
      return uuid();
    },

    broadcast(messageJson) {
      channel?.postMessage(messageJson);
    },

    subscribe(callback) {
      subscribers.add(callback);
      return () => {
        subscribers.delete(callback);
      };
    },

    close() {
      subscribers.clear();
      releaseSyncLock?.();
      releaseSyncLock = null;
      channel?.close();
      channel = null;
      const pending = opening;
      opening = null;
      pending?.then((database) => database.close()).catch(() => {});
    },
  };
  return host;
}

/**
 * Open the database for a one-off read from the UI thread, then close it again so it never
 * blocks the worker's connection or a schema upgrade.
 * @template T
 * @param {ReadOptions} options
 * @param {string} doing
 * @param {(db: Database) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function withDatabase(options, doing, body) {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (factory === undefined) {
    throw new HostError("storage.error", "IndexedDB is not available in this browser");
  }
  /** @type {Database | null} */
  let database = null;
  try {
    database = await openDatabase(factory, options.dbName ?? DB_NAME, () => {});
    return await body(database);
  } catch (error) {
    throw reduceError(error, doing);
  } finally {
    database?.close();
  }
}

/**
 * Every story's summary (deleted ones included, flagged by `deleted_at_utc`), most recently
 * edited first. For the first paint, before Python is ready.
 * @param {ReadOptions} [options]
 * @returns {Promise<StorySummary[]>}
 */
export async function readLibrary(options = {}) {
  return withDatabase(options, "reading the story list", async (database) => {
    /** @type {StorySummary[]} */
    const summaries = await database.getAll("summaries");
    return summaries.sort((a, b) => b.updated_at_utc.localeCompare(a.updated_at_utc));
  });
}

/**
 * One story's summary and canonical Story JSON (parse it with the generated `Story` type), or
 * null when there is no such story.
 * @param {string} storyId
 * @param {ReadOptions} [options]
 * @returns {Promise<StoredStory | null>}
 */
export async function readStory(storyId, options = {}) {
  return withDatabase(options, "reading a story", async (database) => {
    const tx = database.transaction(["summaries", "bodies"], "readonly");
    const [summary, body] = await Promise.all([
      tx.objectStore("summaries").get(storyId),
      tx.objectStore("bodies").get(storyId),
      tx.done,
    ]);
    if (summary === undefined || body === undefined) return null;
    return { summary, story_json: body.story_json, pending_through: body.pending_through ?? 0 };
  });
}

/**
 * The edits typed before the core was ready that no stored story holds yet, in typing order
 * (all stories, or one). For the first paint: the story is shown with them.
 * @param {string | null} storyId
 * @param {ReadOptions} [options]
 * @returns {Promise<PendingEdit[]>}
 */
export async function readPending(storyId, options = {}) {
  return withDatabase(options, "reading the edits typed while the studio started", async (database) => {
    /** @type {PendingEdit[]} */
    const all = storyId === null ? await database.getAll("pending") : await database.getAllFromIndex("pending", "story_id", storyId);
    return all.sort((a, b) => a.id - b.id);
  });
}

/**
 * The UI thread's writer of pending edits, used while the core is not ready: each `add` is its
 * own strict-durability transaction, resolved once the edit is on disk (a tab closed after
 * that loses nothing). One connection is kept open for the keystrokes; it closes itself when
 * another tab upgrades the schema and reopens on the next `add`.
 * @param {ReadOptions & {now?: () => Date}} [options]
 * @returns {PendingQueue}
 */
export function openPendingQueue(options = {}) {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  const clock = options.now ?? (() => new Date());
  /** @type {Promise<Database> | null} */
  let opening = null;
  /** @returns {Promise<Database>} */
  function db() {
    if (factory === undefined) {
      return Promise.reject(new HostError("storage.error", "IndexedDB is not available in this browser"));
    }
    if (opening === null) {
      const next = openDatabase(factory, options.dbName ?? DB_NAME, () => {
        if (opening === next) opening = null;
      });
      next.catch(() => {
        if (opening === next) opening = null;
      });
      opening = next;
    }
    return opening;
  }
  return {
    async add(storyId, op) {
      try {
        requireString(storyId, "storyId");
        if (!isOp(op)) throw new HostError("storage.error", "a pending edit needs an edit op");
        const database = await db();
        const tx = database.transaction(["pending"], "readwrite", { durability: "strict" });
        tx.done.catch(() => {});
        const id = /** @type {number} */ (await tx.objectStore("pending").add({ story_id: storyId, op, at_utc: clock().toISOString() }));
        await tx.done;
        return id;
      } catch (error) {
        throw reduceError(error, "keeping the edit");
      }
    },
    close() {
      const pending = opening;
      opening = null;
      pending?.then((database) => database.close()).catch(() => {});
    },
  };
}

/**
 * A meta value ("last_opened_story" holds the id of the story to show first), or null.
 * @param {string} key
 * @param {ReadOptions} [options]
 * @returns {Promise<unknown>}
 */
export async function readMeta(key, options = {}) {
  return withDatabase(options, "reading settings", async (database) => {
    const value = await database.get("meta", key);
    return value === undefined ? null : value;
  });
}
