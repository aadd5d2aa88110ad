/**
 * The UI thread's durable queue of edits typed before the core is ready: each edit is its own
 * strict-durability IndexedDB transaction (browser/js/host.mjs `openPendingQueue`), so an edit
 * whose `add` resolved survives the tab closing. `drain()` waits for every write in flight:
 * the controller drains before it asks the service to apply the queue (`pending.apply`), so
 * no edit is written after the service read the store.
 */
import { openPendingQueue, type PendingQueue, type ReadOptions } from "../../../browser/js/host.mjs";
import type { EditOp } from "../service/types";

export class PendingWriter {
  private queue: PendingQueue | null = null;
  private readonly writing = new Set<Promise<number>>();

  constructor(
    private readonly options: ReadOptions = {},
    private readonly open: (options: ReadOptions) => PendingQueue = openPendingQueue,
  ) {}

  /** Keep one edit; resolves to its pending id once it is on disk. */
  add(storyId: string, op: EditOp): Promise<number> {
    this.queue ??= this.open(this.options);
    const write = this.queue.add(storyId, op);
    this.writing.add(write);
    const done = (): void => {
      this.writing.delete(write);
    };
    write.then(done, done);
    return write;
  }

  /** Edits handed over whose write has not finished. */
  get busy(): boolean {
    return this.writing.size > 0;
  }

  /** Resolves once every write started so far has finished (written or failed). */
  async drain(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  close(): void {
    this.queue?.close();
    this.queue = null;
  }
}
