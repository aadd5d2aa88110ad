/**
 * The studio before its core is ready: the story painted from IndexedDB with the edits already
 * kept for it, text edits accepted into it and written to the pending store, and the hand-over
 * once the core is ready (docs/adr/0120-edits-typed-before-the-core-is-ready.md).
 *
 * The controller owns one `EarlyEdits` per page. Before the service is ready it paints with
 * `paint()` and sends each edit to `accept()`; when the service is ready it calls `handOver()`
 * before it reopens the story through the service, so the core applies every kept edit first.
 */
import { readPending, readStory, type ReadOptions } from "../../../browser/js/host.mjs";
import type { EditOp, Story, StorySummary } from "../service/types";
import { applyPendingOp, withPending } from "./ops";
import { PendingWriter } from "./queue";

export interface Painted {
  readonly story: Story;
  readonly summary: StorySummary;
  /** Edits kept for this story that the core has not applied yet. */
  readonly kept: number;
}

export interface Accepted {
  /** The story with the edit shown. */
  readonly story: Story;
  /** Resolves once the edit is on disk (its pending id); rejects when storage refused it. */
  readonly written: Promise<number>;
}

export class EarlyEdits {
  private readonly writer: PendingWriter;
  private handedOver = false;
  private keptAny = false;

  constructor(private readonly options: ReadOptions = {}, writer?: PendingWriter) {
    this.writer = writer ?? new PendingWriter(options);
  }

  /** The stored story with its kept edits applied, or null when there is no such story. */
  async paint(storyId: string): Promise<Painted | null> {
    const [stored, pending] = await Promise.all([readStory(storyId, this.options), readPending(storyId, this.options)]);
    if (stored === null) return null;
    const fresh = pending.filter((p) => p.id > stored.pending_through).map((p) => p.op);
    return { story: withPending(JSON.parse(stored.story_json) as Story, fresh), summary: stored.summary, kept: fresh.length };
  }

  /** Keep `op` for `storyId` and show it on `story`, or null when it must wait for the core. */
  accept(storyId: string, story: Story, op: EditOp): Accepted | null {
    if (this.handedOver) return null;
    const shown = applyPendingOp(story, op);
    if (shown === null) return null;
    this.keptAny = true;
    return { story: shown, written: this.writer.add(storyId, op) };
  }

  /** Edits handed to IndexedDB whose write has not finished. */
  get busy(): boolean {
    return this.writer.busy;
  }

  /**
   * Stop accepting, let every write finish, then have the core apply the pending store
   * (`apply`: the `pending.apply` call). Nothing is written after the core read the store.
   * Null when this page kept nothing: the service's start() applied what earlier pages kept.
   */
  async handOver<T>(apply: () => Promise<T>): Promise<T | null> {
    this.handedOver = true;
    await this.writer.drain();
    this.writer.close();
    return this.keptAny ? apply() : null;
  }
}

let accepted = false;

/**
 * The `edit-accepted` performance mark, once per page: the first typed edit taken into the
 * story (written to the pending store, `via: "pending"`, or applied by the core, `"core"`).
 * bench/studio/editable.py measures time to editable with it.
 */
export function markAccepted(via: "pending" | "core"): void {
  if (accepted) return;
  accepted = true;
  performance.mark("edit-accepted", { detail: { via } });
}
