/**
 * The UI's model of the studio: boot progress, the library, the open story and its save status,
 * toasts, and the requests one screen makes of another.
 *
 * Before Python is ready the library and the last opened story come straight from IndexedDB
 * (browser/js/host.mjs read functions); the story's texts take typing, kept in IndexedDB
 * until the core applies them (pending/), and everything else is read-only. Once the service is ready,
 * it is the only writer: every change is a request, and "saved" is shown only when the service
 * replied that the change is committed (open-story.ts).
 */
import { readLibrary, readMeta } from "../../../browser/js/host.mjs";
import { applyProgress, initialBootView, startService, hostOptionsFromLocation, type Client, type ServiceHandle } from "../service/boot";
import type { ArgsOf, EditOp, EntityKind, MethodName, Reference, ResultOf, StartResult } from "../service/types";
import { OpenStoryModel } from "./open-story";
import { ScreenRequests } from "./screen-requests";
import { messageOf, type BootState, type LibraryState, type Toast } from "./state";
import { Observable } from "./store";
import { ToastQueue } from "./toasts";

export class StudioController {
  readonly boot = new Observable<BootState>({ phase: "booting", view: initialBootView(), error: null, result: null, attempt: 1 });
  readonly library = new Observable<LibraryState>({ loaded: false, source: "indexeddb", summaries: [], error: null });
  readonly toasts = new ToastQueue();
  readonly lastOpened = new Observable<string | null>(null);
  /** What one screen asks of another (new chapter, focus a field, send typed text, focus search). */
  readonly requests = new ScreenRequests();

  private service: ServiceHandle | null = null;
  private readonly readOptions = hostOptionsFromLocation(location.search);
  private readyWaiters: (() => void)[] = [];
  private readonly story = new OpenStoryModel({
    isReady: () => this.client !== null,
    readOptions: this.readOptions,
    library: this.library,
    call: (name, args) => this.call(name, args),
    refreshLibrary: () => this.refreshLibrary(),
    toast: (toast) => void this.toast(toast),
  });
  readonly open = this.story.open;

  start(): void {
    this.startService();
    void this.firstPaint();
  }

  get client(): Client | null {
    return this.boot.get().phase === "ready" && this.service ? this.service.client : null;
  }

  get ready(): boolean {
    return this.boot.get().phase === "ready";
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  // ------------------------------------------------------------ boot

  private startService(): void {
    const handle = startService((progress) =>
      this.boot.update((b) => ({ ...b, view: applyProgress(b.view, progress) })),
    );
    this.service = handle;
    handle.client.onPush("story.changed", (state) => {
      this.story.onStoryChanged(state);
      void this.refreshLibrary();
    });
    handle.client.onPush("story.diagnosed", (push) => this.story.onDiagnosed(push));
    handle.client.onPush("library.changed", () => void this.refreshLibrary());
    handle.client.onPush("storage.error", (push) => this.story.onStorageError(push));
    handle.ready.then(
      async (result) => {
        // The edits kept while the core started go in first; the story is reopened after.
        await this.story.handOver(() => handle.client.call("pending.apply", {}));
        this.boot.update((b) => ({ ...b, phase: "ready", result, error: null }));
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        void this.afterReady();
      },
      (error: unknown) => {
        this.boot.update((b) => ({ ...b, phase: "failed", error: error instanceof Error ? error.message : String(error) }));
      },
    );
  }

  /** A failed boot starts over in a fresh worker (a half-booted interpreter is never reused). */
  retryBoot(): void {
    this.service?.client.terminate();
    this.boot.update((b) => ({ phase: "booting", view: initialBootView(), error: null, result: null, attempt: b.attempt + 1 }));
    this.startService();
  }

  private async afterReady(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const start = this.boot.get().result?.start as StartResult | undefined;
    if (start?.last_opened_story_id && !this.lastOpened.get()) this.lastOpened.set(start.last_opened_story_id);
    // The story screen re-opens its story through the service when `ready` changes.
    await this.refreshLibrary();
  }

  // ------------------------------------------------------------ first paint (no Python)

  private async firstPaint(): Promise<void> {
    try {
      const [summaries, last] = await Promise.all([readLibrary(this.readOptions), readMeta("last_opened_story", this.readOptions)]);
      if (this.library.get().source === "indexeddb") {
        this.library.set({ loaded: true, source: "indexeddb", summaries, error: null });
      }
      if (typeof last === "string") this.lastOpened.set(last);
    } catch (error) {
      this.library.set({ loaded: true, source: "indexeddb", summaries: [], error: error instanceof Error ? error.message : String(error) });
    }
    performance.mark("library-painted");
  }

  // ------------------------------------------------------------ library

  async refreshLibrary(): Promise<void> {
    if (!this.client) {
      const summaries = await readLibrary(this.readOptions);
      this.library.set({ loaded: true, source: "indexeddb", summaries, error: null });
      return;
    }
    try {
      const result = await this.call("library.list", {});
      this.library.set({ loaded: true, source: "service", summaries: result.stories, error: null });
    } catch (error) {
      this.library.update((l) => ({ ...l, error: messageOf(error) }));
    }
  }

  // ------------------------------------------------------------ the open story (open-story.ts)

  openStory(storyId: string): Promise<void> {
    const opening = this.story.openStory(storyId);
    this.lastOpened.set(storyId);
    return opening;
  }

  closeStory(): void {
    this.story.closeStory();
  }

  /** See OpenStoryModel.edit: resolves once the reply is applied (or the failure reported). */
  edit(op: EditOp, options: { continuesTyping?: boolean } = {}): Promise<void> {
    return this.story.edit(op, options);
  }

  history(direction: "undo" | "redo"): Promise<void> {
    return this.story.history(direction);
  }

  /** Ctrl+S: commit typed text now and retry anything the service holds unsaved. */
  saveNow(): Promise<void> {
    return this.story.saveNow();
  }

  renameStory(title: string): Promise<void> {
    return this.story.renameStory(title);
  }

  resolveConflict(conflictId: string, choice: "ours" | "theirs"): Promise<void> {
    return this.story.resolveConflict(conflictId, choice);
  }

  findReferences(kind: EntityKind, key: string): Promise<Reference[]> {
    return this.story.findReferences(kind, key);
  }

  get hasPendingWork(): boolean {
    return this.story.hasPendingWork;
  }

  // ------------------------------------------------------------ toasts

  toast(toast: Omit<Toast, "id">, ms = 6000): number {
    return this.toasts.push(toast, ms);
  }

  dismiss(id: number): void {
    this.toasts.dismiss(id);
  }

  // ------------------------------------------------------------ service calls

  /** One typed request to the service (names, args and results are the generated contract). */
  async call<N extends MethodName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
    const client = this.service?.client;
    if (!client) throw new Error("the studio service has not started");
    return await client.call(name, args);
  }
}
