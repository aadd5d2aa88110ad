// Test worlds for tests/browser inside Pyodide: each world is one browser profile (its own
// fake-indexeddb IDBFactory and BroadcastChannel name); each tab on it is a real host from
// browser/js/host.mjs. Fault injection happens where a browser would fail: in IndexedDB.
import { IDBFactory, IDBDatabase, IDBObjectStore } from "fake-indexeddb";
import { createHost, readLibrary, readMeta, readStory } from "../../browser/js/host.mjs";

let worldCount = 0;
const faults = { quotaPuts: 0 };
/** @type {string[]} durability of every read-write transaction opened, in order */
const durabilities = [];

const originalPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function put(...args) {
  if (faults.quotaPuts > 0) {
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
    readLibrary: async () => JSON.stringify(await readLibrary(options)),
    readStory: async (storyId) => JSON.stringify(await readStory(storyId, options)),
    readMeta: async (key) => JSON.stringify(await readMeta(key, options)),
    // A tab of the same profile opened afresh, as after closing the browser and reopening it.
    reopenedTab: () => createHost({ ...options, channelName: `${name}-reopened` }),
  };
}

/** The next `count` IndexedDB put() calls throw QuotaExceededError, as a full disk does. */
export function failPutsWithQuota(count) {
  faults.quotaPuts = count;
}

export function clearFaults() {
  faults.quotaPuts = 0;
}

export function takeDurabilities() {
  return JSON.stringify(durabilities.splice(0));
}

/** Resolve after the JS event loop has run pending tasks (BroadcastChannel delivery). */
export function settle(ms = 20) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
