/**
 * The UI's model of the studio: boot progress, the library, the open story and its save status.
 *
 * Before Python is ready the library and the last opened story come straight from IndexedDB
 * (browser/js/host.mjs read functions) and everything is read-only. Once the service is ready,
 * it is the only writer: every change is a request, and "saved" is shown only when the service
 * replied that the change is committed.
 */
import { readLibrary, readMeta, readStory } from "../../../browser/js/host.mjs";
import { applyProgress, initialBootView, startService, hostOptionsFromLocation, type BootView, type Client, type ServiceHandle } from "../service/boot";
import type { BootResult } from "../service/boot-options";
import { ServiceError } from "../service/envelope";
import type { ArgsOf, Diagnostic, EditOp, EntityKind, MethodName, Reference, ResultOf, StartResult, Story, StoryState, StorySummary } from "../service/types";
import { sameDiagnostics } from "../editor/diagnostics";
import { progressOf } from "../editor/progress";
import { applyTextEditLocally } from "./local-edits";
import { Observable } from "./store";
import { isBlank } from "../service/text-rules";

export type Phase = "booting" | "ready" | "failed";

export interface BootState {
  readonly phase: Phase;
  readonly view: BootView;
  readonly error: string | null;
  readonly result: BootResult | null;
  readonly attempt: number;
}

export interface LibraryState {
  readonly loaded: boolean;
  readonly source: "indexeddb" | "service";
  readonly summaries: readonly StorySummary[];
  readonly error: string | null;
}

export type SaveState = "saved" | "saving" | "unsaved" | "readonly";

export interface SaveStatus {
  readonly state: SaveState;
  readonly reason: string | null;
}

export interface OpenStory {
  readonly storyId: string;
  readonly revision: number;
  readonly story: Story | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly diagnosed: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  readonly save: SaveStatus;
  readonly loading: boolean;
  readonly error: string | null;
  /** Bumped when another tab's change (or a merge) replaced the story under the editor. */
  readonly externalChange: number;
  readonly deleted: boolean;
}

export interface Toast {
  readonly id: number;
  readonly message: string;
  readonly tone: "info" | "error";
  readonly action?: { readonly label: string; run(): void };
  readonly sticky?: boolean;
}

const RETRY_MS = 4000;

export class StudioController {
  readonly boot = new Observable<BootState>({ phase: "booting", view: initialBootView(), error: null, result: null, attempt: 1 });
  readonly library = new Observable<LibraryState>({ loaded: false, source: "indexeddb", summaries: [], error: null });
  readonly open = new Observable<OpenStory | null>(null);
  readonly toasts = new Observable<readonly Toast[]>([]);
  readonly lastOpened = new Observable<string | null>(null);

  private service: ServiceHandle | null = null;
  private readonly readOptions = hostOptionsFromLocation(location.search);
  private inFlight = 0;
  private editSeq = 0;
  private appliedSeq = 0;
  /** The newest edit whose diagnostics are on screen (pushed early, or from any reply). */
  private diagnosedSeq = 0;
  private retryTimer: number | null = null;
  private toastSeq = 0;
  private readyWaiters: (() => void)[] = [];

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
    handle.client.onPush("story.changed", (state) => this.onStoryChanged(state));
    handle.client.onPush("story.diagnosed", (push) => this.onDiagnosed(push));
    handle.client.onPush("library.changed", () => void this.refreshLibrary());
    handle.client.onPush("storage.error", (push) => this.onStorageError(push));
    handle.ready.then(
      (result) => {
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

  // ------------------------------------------------------------ the open story

  async openStory(storyId: string): Promise<void> {
    const current = this.open.get();
    if (!current || current.storyId !== storyId) {
      this.open.set(emptyOpen(storyId));
      this.appliedSeq = this.editSeq;
    }
    this.lastOpened.set(storyId);
    if (!this.client) {
      // Read-only until Python is ready: the stored story, straight from IndexedDB.
      try {
        const stored = await readStory(storyId, this.readOptions);
        if (this.open.get()?.storyId !== storyId || this.ready) return;
        const story = stored ? (JSON.parse(stored.story_json) as Story) : null;
        this.open.set({
          ...emptyOpen(storyId),
          story,
          loading: false,
          error: stored ? null : "This story is not in this browser's storage.",
          deleted: stored?.summary.deleted_at_utc != null,
        });
      } catch (error) {
        this.open.set({ ...emptyOpen(storyId), loading: false, error: messageOf(error) });
      }
      return;
    }
    try {
      const opened = await this.call("story.open", { story_id: storyId });
      if (this.open.get()?.storyId !== storyId) return;
      this.applyState(opened.state, { external: true });
    } catch (error) {
      if (this.open.get()?.storyId !== storyId) return;
      this.open.set({ ...emptyOpen(storyId), loading: false, error: messageOf(error), save: { state: "readonly", reason: null } });
    }
  }

  closeStory(): void {
    this.open.set(null);
  }

  /**
   * Send one edit; the status says "saved" only once the service replied it is committed.
   * Resolves when the reply has been applied (or the failure reported): text fields send the
   * next keystrokes then (editor/draft.ts). `continuesTyping` groups a burst into one undo step.
   */
  edit(op: EditOp, { continuesTyping = false }: { continuesTyping?: boolean } = {}): Promise<void> {
    const open = this.open.get();
    const client = this.client;
    if (!open || !client || !open.story) return Promise.resolve();
    const storyId = open.storyId;
    const seq = ++this.editSeq;
    this.inFlight++;
    this.setSave(storyId, { state: "saving", reason: null });
    // Text typed into a field: the reply may leave the story out; we apply the op ourselves.
    const includeStory = applyTextEditLocally(open.story, op) === null;
    // Typing: the diagnostics are pushed before the commit (story.diagnosed, tagged with seq).
    const args = {
      story_id: storyId,
      base_revision: open.revision,
      op,
      include_story: includeStory,
      ...(continuesTyping ? { continues_typing: true } : {}),
      ...(includeStory ? {} : { diagnosed_push_tag: seq }),
    };
    return this.call("story.apply_edit", args)
      .then((state) => {
        const current = this.open.get();
        if (current?.storyId !== storyId) return;
        const story = state.story ?? (current.story ? applyTextEditLocally(current.story, op) : null);
        if (story === null) {
          void this.openStory(storyId);
          return;
        }
        if (seq > this.appliedSeq) {
          this.appliedSeq = seq;
          this.applyState({ ...state, story }, { external: false, seq });
        } else if (state.story === null) {
          // An older reply arriving late still carries its op; keep our copy in step.
          this.open.set({ ...current, story });
        }
      })
      .catch((error: unknown) => this.onEditError(storyId, error))
      .finally(() => {
        this.inFlight--;
        this.settleSave(storyId);
      });
  }

  async history(direction: "undo" | "redo"): Promise<void> {
    const open = this.open.get();
    if (!open || !this.client) return;
    if (direction === "undo" ? !open.canUndo : !open.canRedo) return;
    this.inFlight++;
    this.setSave(open.storyId, { state: "saving", reason: null });
    try {
      const state = await this.call(direction === "undo" ? "story.undo" : "story.redo", { story_id: open.storyId });
      this.appliedSeq = ++this.editSeq;
      this.applyState(state, { external: true });
    } catch (error) {
      this.onEditError(open.storyId, error);
    } finally {
      this.inFlight--;
      this.settleSave(open.storyId);
    }
  }

  /** Ctrl+S: commit typed text now and retry anything the service holds unsaved. */
  async saveNow(): Promise<void> {
    const open = this.open.get();
    if (!open || !this.client) return;
    try {
      const state = await this.call("story.save", { story_id: open.storyId });
      this.applyState(state, { external: false });
    } catch (error) {
      this.onEditError(open.storyId, error);
    }
  }

  /** Retitle the open story (an empty title is refused by the service; the field keeps it). */
  async renameStory(title: string): Promise<void> {
    const open = this.open.get();
    if (!open || !this.client || isBlank(title)) return;
    await this.tracked(open.storyId, () => this.call("story.rename", { story_id: open.storyId, title }));
    await this.refreshLibrary();
  }

  async resolveConflict(conflictId: string, choice: "ours" | "theirs"): Promise<void> {
    const open = this.open.get();
    if (!open || !this.client) return;
    await this.tracked(open.storyId, () => this.call("conflicts.resolve", { story_id: open.storyId, conflict_id: conflictId, choice }), true);
  }

  /** Run a request that returns the story's new state, with the save status kept honest. */
  private async tracked(storyId: string, request: () => Promise<StoryState>, external = false): Promise<void> {
    this.inFlight++;
    this.setSave(storyId, { state: "saving", reason: null });
    try {
      const state = await request();
      this.appliedSeq = ++this.editSeq;
      this.applyState(state, { external });
    } catch (error) {
      this.onEditError(storyId, error);
    } finally {
      this.inFlight--;
      this.settleSave(storyId);
    }
  }

  async findReferences(kind: EntityKind, key: string): Promise<Reference[]> {
    const open = this.open.get();
    if (!open) return [];
    const result = await this.call("entity.references", { story_id: open.storyId, kind, key });
    return result.references;
  }

  /**
   * `seq`: the edit this reply answers. Its diagnostics are shown unless a newer edit's were
   * pushed already (story.diagnosed); any other reply (undo, open, merge) is the newest.
   */
  private applyState(state: StoryState, { external, seq }: { external: boolean; seq?: number }): void {
    const prev = this.open.get();
    if (!prev || prev.storyId !== state.story_id) return;
    // Only an apply_edit reply may omit the story (include_story false); the caller fills it in.
    const story = state.story ?? prev.story;
    if (!story) return;
    const newer = seq !== undefined && seq < this.diagnosedSeq;
    if (!newer) this.diagnosedSeq = seq ?? this.editSeq;
    this.open.set({
      storyId: state.story_id,
      revision: state.revision,
      story,
      // Same problems as before (most keystrokes): keep the old array so memoised views skip work.
      // None in a typed edit's reply: its story.diagnosed push (handled first) carried them.
      diagnostics:
        state.diagnostics == null || newer || sameDiagnostics(prev.diagnostics, state.diagnostics)
          ? prev.diagnostics
          : state.diagnostics,
      diagnosed: true,
      canUndo: state.history.can_undo,
      canRedo: state.history.can_redo,
      undoLabel: state.history.undo_label,
      redoLabel: state.history.redo_label,
      save: state.saved
        ? this.inFlight > 0
          ? { state: "saving", reason: null }
          : { state: "saved", reason: null }
        : { state: "unsaved", reason: state.unsaved_reason ?? "not saved yet" },
      loading: false,
      error: null,
      externalChange: prev.externalChange + (external || state.merged ? 1 : 0),
      deleted: state.deleted_at_utc != null,
    });
    if (!state.saved) this.scheduleRetry();
    this.patchSummary(state, story);
  }

  /** Keep the library row of the open story current without re-listing. */
  private patchSummary(state: StoryState, story: Story): void {
    this.library.update((lib) => ({
      ...lib,
      summaries: lib.summaries.map((s) =>
        s.story_id === state.story_id
          ? {
              ...s,
              title: story.title,
              chapter_count: story.blueprint.chapters.length,
              problem_counts: state.problem_counts,
              ...progressOf(story.blueprint),
              updated_at_utc: story.updated_at_utc,
              revision: state.revision,
            }
          : s,
      ),
    }));
  }

  private onStoryChanged(state: StoryState): void {
    if (this.open.get()?.storyId === state.story_id) this.applyState(state, { external: true });
    void this.refreshLibrary();
  }

  /** An edit's diagnostics, pushed before its commit: shown at once (the newest wins). */
  private onDiagnosed(push: { story_id: string; tag: number; diagnostics: Diagnostic[] }): void {
    const open = this.open.get();
    if (!open || open.storyId !== push.story_id || push.tag <= this.diagnosedSeq) return;
    this.diagnosedSeq = push.tag;
    if (open.diagnosed && sameDiagnostics(open.diagnostics, push.diagnostics)) return;
    this.open.set({ ...open, diagnostics: push.diagnostics, diagnosed: true });
  }

  private onStorageError(push: { story_id: string | null; type: string; message: string }): void {
    const open = this.open.get();
    if (open && push.story_id === open.storyId) {
      this.setSave(open.storyId, { state: "unsaved", reason: push.message });
      this.scheduleRetry();
    }
  }

  private onEditError(storyId: string, error: unknown): void {
    const type = error instanceof ServiceError ? error.type : "internal";
    if (type.startsWith("storage.")) {
      // The service kept the edit (saved: false); show it as unsaved, fetch the kept state, retry.
      this.setSave(storyId, { state: "unsaved", reason: messageOf(error) });
      this.scheduleRetry();
      void this.call("story.open", { story_id: storyId })
        .then((opened) => this.applyState(opened.state, { external: false }))
        .catch(() => undefined);
      return;
    }
    this.toast({ message: messageOf(error), tone: "error" });
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      const open = this.open.get();
      if (open && open.save.state === "unsaved") void this.saveNow();
    }, RETRY_MS);
  }

  private setSave(storyId: string, save: SaveStatus): void {
    this.open.update((o) => (o && o.storyId === storyId ? { ...o, save } : o));
  }

  private settleSave(storyId: string): void {
    const open = this.open.get();
    if (this.inFlight === 0 && open && open.storyId === storyId && open.save.state === "saving") {
      this.setSave(storyId, { state: "saved", reason: null });
    }
  }

  // ------------------------------------------------------------ toasts

  toast(toast: Omit<Toast, "id">, ms = 6000): number {
    const id = ++this.toastSeq;
    this.toasts.update((list) => [...list, { ...toast, id }]);
    if (!toast.sticky) window.setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    this.toasts.update((list) => list.filter((t) => t.id !== id));
  }

  // ------------------------------------------------------------ service calls

  /** One typed request to the service (names, args and results are the generated contract). */
  async call<N extends MethodName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
    const client = this.service?.client;
    if (!client) throw new Error("the studio service has not started");
    return await client.call(name, args);
  }

  get hasPendingWork(): boolean {
    const open = this.open.get();
    return this.inFlight > 0 || open?.save.state === "unsaved";
  }
}

function emptyOpen(storyId: string): OpenStory {
  return {
    storyId,
    revision: 0,
    story: null,
    diagnostics: [],
    diagnosed: false,
    canUndo: false,
    canRedo: false,
    undoLabel: null,
    redoLabel: null,
    save: { state: "readonly", reason: null },
    loading: true,
    error: null,
    externalChange: 0,
    deleted: false,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
