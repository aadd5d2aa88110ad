// Types for host.mjs (plain ESM JavaScript checked with // @ts-check), so that the strict
// TypeScript in web/ can import it. The host's own API is written here (keep it in step with
// host.mjs and docs/studio-service.md, "The JS host"); `tsc --noEmit -p browser/js` checks
// both together.

// The stored records are the service's pydantic models (story_gen.browser._records), so their
// types are the generated ones, never copied here.
import type { EditOp, ProblemCounts, StorySummary } from "../../web/src/generated/facade";
export type { EditOp, ProblemCounts, StorySummary };

/** A stored story: its summary and its canonical Story JSON (parse with the generated Story type). */
export interface StoredStory {
  summary: StorySummary;
  story_json: string;
  /** The last pending edit's id this story holds (0: none); written with the story. */
  pending_through: number;
}

/** An edit typed before the core was ready (store "pending"): the core's EditOp, in typing order by `id`. */
export interface PendingEdit {
  id: number;
  story_id: string;
  op: EditOp;
  at_utc: string;
}

/** The UI thread's writer of pending edits (`openPendingQueue`). */
export interface PendingQueue {
  /** Append one edit in a strict-durability transaction; resolves to its id once it is on disk. */
  add(storyId: string, op: EditOp): Promise<number>;
  /** Close the connection (the next `add` reopens it). */
  close(): void;
}

export type HostErrorType = "storage.quota" | "storage.error";

/** Every host failure: `type` is "storage.quota" when the browser's storage is full. */
export declare class HostError extends Error {
  constructor(type: HostErrorType, message: string);
  readonly name: "StoryGenHostError";
  readonly type: HostErrorType;
}

export interface HostOptions {
  /** The IndexedDB factory (default: globalThis.indexedDB). */
  indexedDB?: IDBFactory;
  /** Database name (default "story-gen"). */
  dbName?: string;
  /** BroadcastChannel name for multi-tab notices (default "story-gen"). */
  channelName?: string;
  /** StorageManager used for persist() (default navigator.storage; null disables). */
  storage?: Pick<StorageManager, "persist"> | null;
  /** BroadcastChannel constructor (default globalThis.BroadcastChannel). */
  BroadcastChannel?: typeof BroadcastChannel;
  /** Clock (default: new Date()). */
  now?: () => Date;
  /** Id source (default: crypto.randomUUID()). */
  newId?: () => string;
  /** Web Locks for the sync election (ADR 0108; default navigator.locks; null: no election, every tab syncs). */
  locks?: Pick<LockManager, "request"> | null;
}

export interface ReadOptions {
  indexedDB?: IDBFactory;
  dbName?: string;
}

/**
 * What the worker registers as the Python module `story_gen_host`. Every async method resolves
 * to a string (JSON unless said otherwise) and rejects with a HostError.
 */
export interface StoryGenHost {
  /** Open (create/upgrade) the database and join the BroadcastChannel. */
  open(): Promise<void>;
  /** JSON array of StorySummary. */
  listSummaries(): Promise<string>;
  /** JSON StoredStory, or "null". */
  getStory(storyId: string): Promise<string>;
  /**
   * Compare-and-swap write, in one strict-durability transaction: stores the story (its JSON
   * StorySummary, whose revision is expectedRevision + 1, and its canonical Story JSON) only
   * if the stored revision is `expectedRevision` (0: the story must not exist yet). Resolves
   * to JSON `{"ok": true, "current": null}` once committed, or
   * `{"ok": false, "current": StoredStory | null}` with the stored head when another tab wrote
   * first. The two JSON texts travel apart so a large story is never escaped inside another.
   * `pendingThrough` (default 0): the last pending edit this story holds; the story's pending
   * edits up to it are deleted in the same transaction, so none is ever applied twice.
   */
  putStoryIfRevision(
    storyId: string,
    expectedRevision: number,
    summaryJson: string,
    storyJson: string,
    pendingThrough?: number,
  ): Promise<string>;
  /** Remove a story for good (the trash is emptied through this), with its undo history. Resolves to "null". */
  deleteStory(storyId: string): Promise<string>;
  /** JSON array of the story's undo steps (store "history"), in seq order. */
  getHistory(storyId: string): Promise<string>;
  /**
   * In one transaction: put the undo steps of the JSON array `stepsJson` (each replaces the
   * step with its [story_id, seq]) and delete the seqs listed in `deletedSeqsJson`. Resolves to "null".
   */
  putHistory(storyId: string, stepsJson: string, deletedSeqsJson: string): Promise<string>;
  /** JSON array of every pending edit (PendingEdit), in id order. */
  getPending(): Promise<string>;
  /** Delete the pending edits whose ids are in the JSON array `idsJson`. Resolves to "null". */
  deletePending(idsJson: string): Promise<string>;
  /** JSON value stored under `key`, or "null". */
  getMeta(key: string): Promise<string>;
  /** Store a JSON value under `key`. Resolves to "null". */
  setMeta(key: string, valueJson: string): Promise<string>;
  /** navigator.storage.persist(); resolves to "true" or "false" and never rejects. */
  requestPersist(): Promise<string>;
  /**
   * Resolves once this tab is the one of its profile that syncs ("elected": it holds the Web
   * Lock `<dbName>.sync` until close()), or at once with "no-locks" when there are no Web Locks.
   */
  syncLead(): Promise<string>;
  /** ISO 8601 UTC timestamp. */
  now(): string;
  /** A fresh uuid4. */
  newId(): string;
  /** Post a JSON notice to the other tabs. */
  broadcast(messageJson: string): void;
  /** Receive other tabs' notices; returns the unsubscribe function. */
  subscribe(callback: (messageJson: string) => void): () => void;
  /** Leave the channel and close the database connection. */
  close(): void;
}

export declare const DB_NAME: "story-gen";
export declare const DB_VERSION: 3;
export declare const CHANNEL_NAME: "story-gen";
export declare const STORES: readonly ["summaries", "bodies", "meta", "history", "pending"];

export declare function reduceError(error: unknown, doing: string): HostError;
export declare function createHost(options?: HostOptions): StoryGenHost;

/** Every summary (trash included), most recently edited first. No Python needed. */
export declare function readLibrary(options?: ReadOptions): Promise<StorySummary[]>;
/** One stored story or null. No Python needed. */
export declare function readStory(storyId: string, options?: ReadOptions): Promise<StoredStory | null>;
/** A meta value (e.g. "last_opened_story" -> story id) or null. No Python needed. */
export declare function readMeta(key: string, options?: ReadOptions): Promise<unknown>;
/** The pending edits of one story (or of all: null), in typing order. No Python needed. */
export declare function readPending(storyId: string | null, options?: ReadOptions): Promise<PendingEdit[]>;
/** The UI thread's durable writer of edits typed before the core is ready. */
export declare function openPendingQueue(options?: ReadOptions & { now?: () => Date }): PendingQueue;
