// Test worlds for tests/browser inside Pyodide: each world is one browser profile (its own
// fake-indexeddb IDBFactory and BroadcastChannel name); each tab on it is a real host from
// browser/js/host.mjs. Fault injection happens where a browser would fail: in IndexedDB.
import { IDBFactory, IDBDatabase, IDBObjectStore } from "fake-indexeddb";
import { createHost, openPendingQueue, readLibrary, readMeta, readPending, readStory } from "../../browser/js/host.mjs";

let worldCount = 0;
const faults = { quotaPuts: 0, skipPuts: 0 };
/** @type {string[]} durability of every read-write transaction opened, in order */
const durabilities = [];

const originalPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function put(...args) {
  if (faults.skipPuts > 0) {
    faults.skipPuts -= 1;
  } else if (faults.quotaPuts > 0) {
    faults.quotaPuts -= 1;
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return originalPut.apply(this, args);
};

const originalTransaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function transaction(stores, mode, options) {
  if (mode === "readwrite") durabilities.push(options?.durability ?? "default");
  return originalTransaction.call(this, stores, mode, options);
};

export function newWorld() {
  worldCount += 1;
  const factory = new IDBFactory();
  const name = `story-gen-test-${worldCount}`;
  const options = { indexedDB: factory, dbName: name };
  return {
    tab: () => createHost({ ...options, channelName: name }),
    tabWith: (extra) => createHost({ ...options, channelName: name, ...extra }),
    readLibrary: async () => JSON.stringify(await readLibrary(options)),
    readStory: async (storyId) => JSON.stringify(await readStory(storyId, options)),
    readMeta: async (key) => JSON.stringify(await readMeta(key, options)),
    // The UI thread's side of the pending edits (typed before the core was ready).
    queuePending: async (storyId, opJson) => {
      const queue = openPendingQueue(options);
      try {
        return await queue.add(storyId, JSON.parse(opJson));
      } finally {
        queue.close();
      }
    },
    readPending: async () => JSON.stringify(await readPending(null, options)),
    // Records put back as they were, as if a crash had kept them after their story was stored.
    restorePending: (recordsJson) => restorePending(factory, name, JSON.parse(recordsJson)),
    describe: () => describeDatabase(factory, name),
    // A database as studio version 1 left it (no "history" store), holding one story.
    seedVersion1: (summaryJson, storyJson) => seedVersion1(factory, name, summaryJson, storyJson),
    // A tab of the same profile opened afresh, as after closing the browser and reopening it.
    reopenedTab: () => createHost({ ...options, channelName: `${name}-reopened` }),
  };
}

/** The next `count` IndexedDB put() calls throw QuotaExceededError, as a full disk does. */
export function failPutsWithQuota(count) {
  faults.quotaPuts = count;
}

/** Let `skip` put() calls through, then fail the next one with QuotaExceededError. */
export function failPutAfter(skip) {
  faults.skipPuts = skip;
  faults.quotaPuts = 1;
}

export function clearFaults() {
  faults.quotaPuts = 0;
  faults.skipPuts = 0;
}

export function takeDurabilities() {
  return JSON.stringify(durabilities.splice(0));
}

/** Resolve after the JS event loop has run pending tasks (BroadcastChannel delivery). */
export function settle(ms = 20) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The database's version, stores (with keyPath) and indexes, as JSON. */
async function describeDatabase(factory, name) {
  const db = await new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const names = [...db.objectStoreNames].sort();
    const tx = db.transaction(names, "readonly");
    const stores = Object.fromEntries(
      names.map((store) => {
        const objectStore = tx.objectStore(store);
        return [store, { keyPath: objectStore.keyPath, indexes: [...objectStore.indexNames] }];
      }),
    );
    return JSON.stringify({ version: db.version, stores });
  } finally {
    db.close();
  }
}

/** Create the version-1 schema by hand (as the studio before undo history did) with one story. */
async function seedVersion1(factory, name, summaryJson, storyJson) {
  const summary = JSON.parse(summaryJson);
  const db = await new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      const created = request.result;
      created.createObjectStore("summaries", { keyPath: "story_id" }).createIndex("updated_at_utc", "updated_at_utc");
      created.createObjectStore("bodies", { keyPath: "story_id" });
      created.createObjectStore("meta");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(["summaries", "bodies"], "readwrite");
      tx.objectStore("summaries").put(summary);
      tx.objectStore("bodies").put({ story_id: summary.story_id, revision: summary.revision, story_json: storyJson });
      tx.oncomplete = () => resolve(undefined);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
  return "null";
}

/** A host whose StorageManager grants persistence, counting the requests. */
export function hostWithStorage(world) {
  const calls = { count: 0 };
  const host = world.tabWith({ storage: { persist: async () => { calls.count += 1; return true; } } });
  return { host, calls: () => calls.count };
}

async function restorePending(factory, name, records) {
  const db = await new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(["pending"], "readwrite");
      for (const record of records) tx.objectStore("pending").put(record);
      tx.oncomplete = () => resolve(undefined);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
