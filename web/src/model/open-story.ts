/**
 * The open story: opening it, every edit to it, undo / redo, saving, and the pushes about it.
 * The service is the only writer: "saved" is shown only once it replied that a change is
 * committed, and a reply is applied only if no newer edit's reply was applied before it.
 */
import { EarlyEdits, markAccepted } from "../pending/early";
import type { HostOptions } from "../service/boot-options";
import { ServiceError } from "../service/envelope";
import type { ArgsOf, EditOp, EntityKind, MethodName, PendingApplyResult, Reference, ResultOf, Story, StoryDiagnosed, StoryState } from "../service/types";
import { isBlank } from "../service/text-rules";
import { withPush, withWhole } from "./diagnostic-list";
import { applyTextEditLocally } from "./local-edits";
import { emptyOpen, messageOf, type LibraryState, type OpenStory, type SaveStatus, type Toast } from "./state";
import { Observable } from "./store";
import { openFromState, summariesWith } from "./story-state";

const RETRY_MS = 4000;

/** What the open story needs from the rest of the controller. */
export interface StoryHost {
  /** The service is ready (before that, stories are read straight from IndexedDB, read-only). */
  isReady(): boolean;
  readonly readOptions: HostOptions;
  readonly library: Observable<LibraryState>;
  call<N extends MethodName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>>;
  refreshLibrary(): Promise<void>;
  toast(toast: Omit<Toast, "id">): void;
}

export class OpenStoryModel {
  readonly open = new Observable<OpenStory | null>(null);

  private inFlight = 0;
  private editSeq = 0;
  private appliedSeq = 0;
  /** The story whose whole diagnostics list was asked for (a delta did not fit what is held). */
  private refetching: string | null = null;
  private retryTimer: number | null = null;
  /**
   * Typed edits awaiting their story.diagnosed push: the push applies the op to our copy of the
   * story together with its diagnostics (one update, one render of the editor), and the reply
   * then changes only the save status and history (docs/studio.md, "One commit per keystroke").
   */
  private readonly typed = new Map<number, { storyId: string; op: EditOp; applied: boolean }>();
  /** Edits typed before the core is ready (docs/adr/0120-edits-typed-before-the-core-is-ready.md). */
  private readonly early: EarlyEdits;
  /** While the core applies the kept edits: later edits wait for it, then go to the service. */
  private handingOver: Promise<void> | null = null;

  constructor(private readonly host: StoryHost) {
    this.early = new EarlyEdits(host.readOptions);
  }

  /**
   * The service is ready: stop keeping edits, let the writes finish, have the core apply them
   * (`apply`: `pending.apply`), and only then let the caller mark the studio ready (which
   * reopens the story through the service). Edits made meanwhile wait and go to the service.
   */
  async handOver(apply: () => Promise<PendingApplyResult>): Promise<void> {
    this.handingOver = this.early.handOver(apply).then(
      (applied) => {
        for (const why of applied?.stories.flatMap((s) => s.refused ?? []) ?? []) {
          this.host.toast({ message: `An edit typed while the studio started could not be applied: ${why}`, tone: "error" });
        }
      },
      (error: unknown) => {
        this.host.toast({ message: `The edits typed while the studio started are kept and will be applied on the next start: ${messageOf(error)}`, tone: "error" });
      },
    );
    await this.handingOver;
    this.handingOver = null;
  }

  async openStory(storyId: string): Promise<void> {
    const current = this.open.get();
    if (!current || current.storyId !== storyId) {
      this.open.set(emptyOpen(storyId));
      this.appliedSeq = this.editSeq;
    }
    if (!this.host.isReady()) {
      // Until Python is ready: the stored story with the edits kept for it, straight from
      // IndexedDB; its texts take typing (kept in the pending store), the rest waits.
      try {
        const painted = await this.early.paint(storyId);
        if (this.open.get()?.storyId !== storyId || this.host.isReady()) return;
        const deleted = painted?.summary.deleted_at_utc != null;
        this.open.set({
          ...emptyOpen(storyId),
          story: painted?.story ?? null,
          loading: false,
          error: painted ? null : "This story is not in this browser's storage.",
          deleted,
          save: { state: deleted ? "readonly" : painted && painted.kept > 0 ? "kept" : "starting", reason: null },
        });
      } catch (error) {
        this.open.set({ ...emptyOpen(storyId), loading: false, error: messageOf(error) });
      }
      return;
    }
    try {
      const opened = await this.host.call("story.open", { story_id: storyId });
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
    if (this.handingOver) return this.handingOver.then(() => this.edit(op, { continuesTyping }));
    const open = this.open.get();
    if (open?.story && !this.host.isReady() && !open.deleted) return this.keepEarly(open.storyId, open.story, op);
    if (!open || !this.host.isReady() || !open.story) return Promise.resolve();
    const storyId = open.storyId;
    const seq = ++this.editSeq;
    this.inFlight++;
    // Text typed into a field: the reply may leave the story out; we apply the op ourselves.
    const includeStory = applyTextEditLocally(open.story, op) === null;
    // Typing: the diagnostics are pushed before the commit (story.diagnosed, tagged with seq);
    // "saving" is shown with them, in the same update. Any other edit shows it now.
    if (includeStory) this.setSave(storyId, { state: "saving", reason: null });
    else this.typed.set(seq, { storyId, op, applied: false });
    const args = {
      story_id: storyId,
      base_revision: open.revision,
      op,
      include_story: includeStory,
      ...(continuesTyping ? { continues_typing: true } : {}),
      ...(includeStory ? {} : { diagnosed_push_tag: seq }),
    };
    let counted = true;
    const settle = (): void => {
      if (!counted) return;
      counted = false;
      this.inFlight--;
    };
    return this.host
      .call("story.apply_edit", args)
      .then((state) => {
        const typed = this.typed.get(seq);
        this.typed.delete(seq);
        // Counted out before the reply is applied, so the reply itself says "saved".
        settle();
        const current = this.open.get();
        if (current?.storyId !== storyId) return;
        const story = state.story ?? (typed?.applied ? current.story : current.story ? applyTextEditLocally(current.story, op) : null);
        if (story === null) {
          void this.openStory(storyId);
          return;
        }
        markAccepted("core");
        if (seq > this.appliedSeq) {
          this.appliedSeq = seq;
          this.applyState({ ...state, story }, { external: false });
        } else if (story !== current.story) {
          // An older reply arriving late still carries its op; keep our copy in step.
          this.open.set({ ...current, story });
        }
      })
      .catch((error: unknown) => {
        this.typed.delete(seq);
        settle();
        this.onEditError(storyId, error);
      })
      .finally(() => {
        settle();
        this.settleSave(storyId);
      });
  }

  /** Before the core is ready: show a text edit and keep it in IndexedDB (others wait). */
  private keepEarly(storyId: string, story: Story, op: EditOp): Promise<void> {
    const accepted = this.early.accept(storyId, story, op);
    if (accepted === null) return Promise.resolve();
    const current = this.open.get();
    if (current?.storyId === storyId) this.open.set({ ...current, story: accepted.story, save: { state: "saving", reason: null } });
    return accepted.written.then(
      () => {
        markAccepted("pending");
        if (!this.host.isReady()) this.setSave(storyId, { state: "kept", reason: null });
      },
      (error: unknown) => {
        if (!this.host.isReady()) this.setSave(storyId, { state: "unsaved", reason: messageOf(error) });
      },
    );
  }

  async history(direction: "undo" | "redo"): Promise<void> {
    const open = this.open.get();
    if (!open || !this.host.isReady()) return;
    if (direction === "undo" ? !open.canUndo : !open.canRedo) return;
    await this.tracked(open.storyId, () => this.host.call(direction === "undo" ? "story.undo" : "story.redo", { story_id: open.storyId }), true);
  }

  /** Ctrl+S: commit typed text now and retry anything the service holds unsaved. */
  async saveNow(): Promise<void> {
    const open = this.open.get();
    if (!open || !this.host.isReady()) return;
    try {
      const state = await this.host.call("story.save", { story_id: open.storyId });
      this.applyState(state, { external: false });
    } catch (error) {
      this.onEditError(open.storyId, error);
    }
  }

  /** Retitle the open story (an empty title is refused by the service; the field keeps it). */
  async renameStory(title: string): Promise<void> {
    const open = this.open.get();
    if (!open || !this.host.isReady() || isBlank(title)) return;
    await this.tracked(open.storyId, () => this.host.call("story.rename", { story_id: open.storyId, title }));
    await this.host.refreshLibrary();
  }

  async resolveConflict(conflictId: string, choice: "ours" | "theirs"): Promise<void> {
    const open = this.open.get();
    if (!open || !this.host.isReady()) return;
    await this.tracked(open.storyId, () => this.host.call("conflicts.resolve", { story_id: open.storyId, conflict_id: conflictId, choice }), true);
  }

  async findReferences(kind: EntityKind, key: string): Promise<Reference[]> {
    const open = this.open.get();
    if (!open) return [];
    const result = await this.host.call("entity.references", { story_id: open.storyId, kind, key });
    return result.references;
  }

  get hasPendingWork(): boolean {
    const open = this.open.get();
    return this.inFlight > 0 || this.early.busy || open?.save.state === "unsaved";
  }

  // ------------------------------------------------------------ pushes

  onStoryChanged(state: StoryState): void {
    if (this.open.get()?.storyId === state.story_id) this.applyState(state, { external: true });
  }

  /**
   * An edit's diagnostics, pushed before its commit: shown at once (the newest version wins), in
   * one update with the typed text they describe and the "saving" status. The push says what
   * changed since the list held (model/diagnostic-list.ts); if it builds on another list, the
   * whole list is asked for.
   */
  onDiagnosed(push: StoryDiagnosed): void {
    const open = this.open.get();
    if (!open || open.storyId !== push.story_id) return;
    const typed = this.typed.get(push.tag);
    let story = open.story;
    if (typed && typed.storyId === open.storyId && story) {
      story = applyTextEditLocally(story, typed.op) ?? story;
      typed.applied = true;
    }
    const save: SaveStatus = open.save.state === "unsaved" || open.save.state === "readonly" ? open.save : { state: "saving", reason: null };
    const held = withPush({ list: open.diagnostics, version: open.diagnosticsVersion }, push);
    if (held === null) this.refetchDiagnostics(open.storyId);
    const diagnostics = held?.list ?? open.diagnostics;
    const version = held?.version ?? open.diagnosticsVersion;
    const diagnosed = open.diagnosed || version !== open.diagnosticsVersion;
    if (story === open.story && diagnostics === open.diagnostics && version === open.diagnosticsVersion && save.state === open.save.state && diagnosed === open.diagnosed) return;
    this.open.set({ ...open, story, diagnostics, diagnosticsVersion: version, diagnosed, save });
  }

  /** The whole list, when a pushed delta did not build on the one held (one request at a time). */
  private refetchDiagnostics(storyId: string): void {
    if (this.refetching === storyId) return;
    this.refetching = storyId;
    void this.host
      .call("story.diagnose", { story_id: storyId })
      .then((whole) => {
        const open = this.open.get();
        if (open?.storyId !== storyId) return;
        const held = withWhole({ list: open.diagnostics, version: open.diagnosticsVersion }, whole.diagnostics, whole.diagnostics_version);
        if (held.version !== open.diagnosticsVersion) this.open.set({ ...open, diagnostics: held.list, diagnosticsVersion: held.version, diagnosed: true });
      })
      .catch(() => undefined) // the next reply carries the whole list anyway
      .finally(() => {
        if (this.refetching === storyId) this.refetching = null;
      });
  }

  onStorageError(push: { story_id: string | null; type: string; message: string }): void {
    const open = this.open.get();
    if (open && push.story_id === open.storyId) {
      this.setSave(open.storyId, { state: "unsaved", reason: push.message });
      this.scheduleRetry();
    }
  }

  // ------------------------------------------------------------ replies

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

  /** A reply's state; its diagnostics are shown unless a newer version is held already. */
  private applyState(state: StoryState, { external }: { external: boolean }): void {
    const prev = this.open.get();
    if (!prev || prev.storyId !== state.story_id) return;
    // Only an apply_edit reply may omit the story (include_story false); the caller fills it in.
    const story = state.story ?? prev.story;
    if (!story) return;
    this.open.set(openFromState(prev, state, story, { inFlight: this.inFlight, external }));
    if (!state.saved) this.scheduleRetry();
    this.host.library.update((lib) => ({ ...lib, summaries: summariesWith(lib.summaries, state, story) }));
  }

  private onEditError(storyId: string, error: unknown): void {
    const type = error instanceof ServiceError ? error.type : "internal";
    if (type.startsWith("storage.")) {
      // The service kept the edit (saved: false); show it as unsaved, fetch the kept state, retry.
      this.setSave(storyId, { state: "unsaved", reason: messageOf(error) });
      this.scheduleRetry();
      void this.host
        .call("story.open", { story_id: storyId })
        .then((opened) => this.applyState(opened.state, { external: false }))
        .catch(() => undefined);
      return;
    }
    this.host.toast({ message: messageOf(error), tone: "error" });
  }

  // ------------------------------------------------------------ save status

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
}
