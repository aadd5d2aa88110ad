/**
 * The blueprint editor: premise, canon rules, themes, characters, chapters.
 *
 * The editor never changes the story itself: every change is an EditOp handed to `send`, and
 * the story shown is whatever the service last committed (text fields keep their own draft
 * while the writer types; see draft.ts). Entities are addressed by key, fields by the core's
 * JSON path (`data-path`), which is how a problem in the panel finds its field.
 */
import { createContext, memo, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Chapter, Character, Diagnostic, EditOp, EntityKind, Reference, StoryBlueprint, Theme } from "../service/types";
import { DiagnosticGroups, entityOf, findFieldElement, FOCUS_PATH_EVENT, problemsAt, takePendingPath, worstSeverity } from "./diagnostics";
import { KeyPicker, Markers, PriorityField, StatusField, TextField, TextListEditor, WordCount, WordTargetField } from "./fields";
import { AddEntityDialog, DeleteEntityDialog, RenameKeyDialog } from "./dialogs";
import { wordCount } from "./draft";
import { COLLECTION, isBlank } from "../service/text-rules";
import { STATUS_LABEL } from "./progress";
import { named, ReorderItem, ReorderList } from "./reorder";

/**
 * Send one edit; resolves when the service answered. `continuesTyping`: a later keystroke of
 * one burst of typing in one text (the service keeps the burst as one undo step).
 */
export type Send = (op: EditOp, continuesTyping?: boolean) => Promise<void>;

export interface EditorProps {
  blueprint: StoryBlueprint;
  diagnostics: readonly Diagnostic[];
  readOnly: boolean;
  send: Send;
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
}

type Option = { key: string; label: string };

/**
 * The keys a picker offers. Only open cards read them (through context), so typing a chapter
 * title, which changes its label, re-renders the open cards' pickers, not every card.
 */
interface KeyOptions {
  readonly themes: readonly Option[];
  readonly characters: readonly Option[];
  readonly chapters: readonly Option[];
}
const OptionsContext = createContext<KeyOptions>({ themes: [], characters: [], chapters: [] });

/** The same array as long as the options are the same (by value). */
function useStableOptions(options: readonly Option[]): readonly Option[] {
  const previous = useRef(options);
  const prev = previous.current;
  if (prev !== options && (prev.length !== options.length || prev.some((o, i) => o.key !== options[i]!.key || o.label !== options[i]!.label))) {
    previous.current = options;
  }
  return previous.current;
}

type DialogState =
  | { type: "add"; kind: EntityKind }
  | { type: "rename"; kind: EntityKind; key: string }
  | { type: "delete"; kind: EntityKind; key: string }
  | null;

export const NEW_CHAPTER_EVENT = "story-gen:new-chapter";

/**
 * Memoised: the story's save status and the library change on every keystroke's reply; the
 * editor renders only when the blueprint or the diagnostics did.
 */
export const Editor = memo(function Editor(props: EditorProps): ReactNode {
  const { blueprint, readOnly, send } = props;
  // Per entity, and unchanged groups keep their arrays (see DiagnosticGroups).
  const previousGroups = useRef<DiagnosticGroups | undefined>(undefined);
  const groups = useMemo(() => DiagnosticGroups.of(props.diagnostics, previousGroups.current), [props.diagnostics]);
  previousGroups.current = groups;
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [dialog, setDialog] = useState<DialogState>(null);
  const root = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);

  const toggle = useCallback((entityPath: string, isOpen: boolean) => {
    setOpen((prev) => {
      if (prev.has(entityPath) === isOpen) return prev;
      const next = new Set(prev);
      if (isOpen) next.add(entityPath);
      else next.delete(entityPath);
      return next;
    });
  }, []);

  // A problem clicked in the panel: open its entity, then focus the nearest field.
  useEffect(() => {
    const request = (path: string): void => {
      takePendingPath();
      const entity = entityOf(path);
      pendingFocus.current = path;
      if (entity) toggle(entity, true);
      requestAnimationFrame(() => requestAnimationFrame(revealPending));
    };
    const onFocusPath = (event: Event): void => request((event as CustomEvent<string>).detail);
    const revealPending = (): void => {
      const path = pendingFocus.current;
      if (path === null || !root.current) return;
      pendingFocus.current = null;
      const el = findFieldElement(root.current, path);
      if (!el) return;
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      const focusable = el.matches("input, textarea, select, [tabindex]") ? el : el.querySelector<HTMLElement>("input, textarea, select, button");
      (focusable ?? el).focus({ preventScroll: true });
    };
    window.addEventListener(FOCUS_PATH_EVENT, onFocusPath);
    const waiting = takePendingPath();
    if (waiting !== null) request(waiting);
    return () => window.removeEventListener(FOCUS_PATH_EVENT, onFocusPath);
  }, [toggle]);

  useEffect(() => {
    const onNew = (): void => {
      if (!readOnly) setDialog({ type: "add", kind: "chapter" });
    };
    window.addEventListener(NEW_CHAPTER_EVENT, onNew);
    return () => window.removeEventListener(NEW_CHAPTER_EVENT, onNew);
  }, [readOnly]);

  const themeOptions = useStableOptions(useMemo(() => blueprint.themes.map((t) => ({ key: t.key, label: t.name || t.key })), [blueprint.themes]));
  const characterOptions = useStableOptions(useMemo(() => blueprint.characters.map((c) => ({ key: c.key, label: c.name || c.key })), [blueprint.characters]));
  const chapterOptions = useStableOptions(
    useMemo(() => blueprint.chapters.map((c) => ({ key: c.key, label: c.title ? `${c.key} — ${c.title}` : c.key })), [blueprint.chapters]),
  );
  const options = useMemo<KeyOptions>(
    () => ({ themes: themeOptions, characters: characterOptions, chapters: chapterOptions }),
    [themeOptions, characterOptions, chapterOptions],
  );
  const canonProblems = groups.of("canon_rules");
  const problemsAtCanon = useCallback((path: string) => problemsAt(canonProblems, path), [canonProblems]);
  const setPremise = useCallback((value: string, continuesTyping: boolean) => send({ op: "set_premise", value }, continuesTyping), [send]);

  const entityActions = useMemo<EntityActions>(
    () => ({
      onRename: (kind, key) => setDialog({ type: "rename", kind, key }),
      onDelete: (kind, key) => setDialog({ type: "delete", kind, key }),
      onMove: (kind, key, to) => send({ op: "move_entity", kind, key, to_index: to }),
    }),
    [send],
  );

  return (
    <OptionsContext.Provider value={options}>
    <div ref={root} className="editor">
      <section className="section" id="premise" data-testid="section-premise" aria-labelledby="premise-h">
        <header>
          <h2 id="premise-h">Premise</h2>
        </header>
        <div className="body">
          <TextField
            label="Premise"
            path="premise"
            value={blueprint.premise}
            multiline
            prose
            readOnly={readOnly}
            problems={problemsAt(groups.of("premise"), "premise")}
            placeholder="What is this story about, in a few sentences?"
            onCommit={setPremise}
          />
          <div className="grid-2">
            <WordCount label="Manuscript" count={blueprint.chapters.reduce((n, c) => n + wordCount(c.draft_text), 0)} target={blueprint.word_target} />
            <WordTargetField
              label="Manuscript word target"
              path="word_target"
              value={blueprint.word_target}
              readOnly={readOnly}
              problems={problemsAt(groups.of("word_target"), "word_target")}
              onCommit={(value) => void send({ op: "set_word_target", value })}
            />
          </div>
        </div>
      </section>

      <section className="section" id="canon" data-testid="section-canon" aria-labelledby="canon-h">
        <header>
          <h2 id="canon-h">
            Canon rules <span className="count muted">{blueprint.canon_rules.length}</span>
          </h2>
        </header>
        <div className="body">
          <TextListEditor
            label="Canon rules"
            itemLabel="Canon rule"
            path="canon_rules"
            items={blueprint.canon_rules}
            problemsAt={problemsAtCanon}
            readOnly={readOnly}
            onSet={(i, value, continuesTyping) => send({ op: "set_canon_rule", index: i, value }, continuesTyping)}
            onAdd={(value) => send({ op: "add_canon_rule", value })}
            onRemove={(i) => send({ op: "remove_canon_rule", index: i })}
            onMove={(from, to) => send({ op: "move_canon_rule", from_index: from, to_index: to })}
          />
        </div>
      </section>

      <EntitySection
        kind="theme"
        title="Themes"
        count={blueprint.themes.length}
        readOnly={readOnly}
        onAdd={() => setDialog({ type: "add", kind: "theme" })}
      >
        <ReorderList
          count={blueprint.themes.length}
          readOnly={readOnly}
          nameOf={(i) => named("theme", blueprint.themes[i]!.name || blueprint.themes[i]!.key)}
          onMove={(from, to) => void send({ op: "move_entity", kind: "theme", key: blueprint.themes[from]!.key, to_index: to })}
          testId="reorder-announcement-themes"
        >
        {blueprint.themes.map((theme, i) => (
          <ReorderItem key={theme.key} id={theme.key} index={i}>
          <ThemeCard
            key={theme.key}
            theme={theme}
            position={i}
            total={blueprint.themes.length}
            open={open.has(`themes[${i}]`)}
            onToggle={toggle}
            problems={groups.of(`themes[${i}]`)}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
          />
          </ReorderItem>
        ))}
        </ReorderList>
      </EntitySection>

      <EntitySection
        kind="character"
        title="Characters"
        count={blueprint.characters.length}
        readOnly={readOnly}
        onAdd={() => setDialog({ type: "add", kind: "character" })}
      >
        <ReorderList
          count={blueprint.characters.length}
          readOnly={readOnly}
          nameOf={(i) => named("character", blueprint.characters[i]!.name || blueprint.characters[i]!.key)}
          onMove={(from, to) => void send({ op: "move_entity", kind: "character", key: blueprint.characters[from]!.key, to_index: to })}
          testId="reorder-announcement-characters"
        >
        {blueprint.characters.map((character, i) => (
          <ReorderItem key={character.key} id={character.key} index={i}>
          <CharacterCard
            key={character.key}
            character={character}
            position={i}
            total={blueprint.characters.length}
            open={open.has(`characters[${i}]`)}
            onToggle={toggle}
            problems={groups.of(`characters[${i}]`)}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
          />
          </ReorderItem>
        ))}
        </ReorderList>
      </EntitySection>

      <EntitySection
        kind="chapter"
        title="Chapters"
        count={blueprint.chapters.length}
        readOnly={readOnly}
        onAdd={() => setDialog({ type: "add", kind: "chapter" })}
      >
        <ReorderList
          count={blueprint.chapters.length}
          readOnly={readOnly}
          nameOf={(i) => named("chapter", blueprint.chapters[i]!.title || blueprint.chapters[i]!.key)}
          onMove={(from, to) => void send({ op: "move_entity", kind: "chapter", key: blueprint.chapters[from]!.key, to_index: to })}
          testId="reorder-announcement-chapters"
        >
        {inChunks(
          blueprint.chapters.map((chapter, i) => (
          <ReorderItem key={chapter.key} id={chapter.key} index={i}>
          <ChapterCard
            key={chapter.key}
            chapter={chapter}
            position={i}
            total={blueprint.chapters.length}
            open={open.has(`chapters[${i}]`)}
            onToggle={toggle}
            problems={groups.of(`chapters[${i}]`)}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
          />
          </ReorderItem>
        )),
        )}
        </ReorderList>
      </EntitySection>

      {dialog?.type === "add" ? (
        <AddEntityDialog
          kind={dialog.kind}
          existing={blueprint[COLLECTION[dialog.kind]].map((e) => e.key)}
          onCancel={() => setDialog(null)}
          onAdd={(entity) => {
            void send({ op: "add_entity", kind: dialog.kind, entity });
            const at = blueprint[COLLECTION[dialog.kind]].length;
            toggle(`${COLLECTION[dialog.kind]}[${at}]`, true);
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.type === "rename" ? (
        <RenameKeyDialog
          kind={dialog.kind}
          oldKey={dialog.key}
          existing={blueprint[COLLECTION[dialog.kind]].map((e) => e.key)}
          findReferences={props.findReferences}
          onCancel={() => setDialog(null)}
          onRename={(newKey) => {
            void send({ op: "rename_key", kind: dialog.kind, old_key: dialog.key, new_key: newKey });
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.type === "delete" ? (
        <DeleteEntityDialog
          kind={dialog.kind}
          entityKey={dialog.key}
          findReferences={props.findReferences}
          onCancel={() => setDialog(null)}
          onDelete={(removeReferences) => {
            void send({ op: "remove_entity", kind: dialog.kind, key: dialog.key, remove_references: removeReferences });
            setDialog(null);
          }}
        />
      ) : null}
    </div>
    </OptionsContext.Provider>
  );
});

function EntitySection(props: {
  kind: EntityKind;
  title: string;
  count: number;
  readOnly: boolean;
  onAdd(): void;
  children: ReactNode;
}): ReactNode {
  const id = COLLECTION[props.kind];
  return (
    <section className="section" id={id} data-testid={`section-${id}`} aria-labelledby={`${id}-h`} data-path={id}>
      <header>
        <h2 id={`${id}-h`}>
          {props.title} <span className="count muted">{props.count}</span>
        </h2>
        {props.readOnly ? null : (
          <button type="button" className="btn small" onClick={props.onAdd}>
            + Add {props.kind}
          </button>
        )}
      </header>
      <div className="body">
        {props.count === 0 ? <p className="muted">No {id} yet.</p> : null}
        {props.children}
      </div>
    </section>
  );
}

/** Cards per chunk, and the smallest list that is chunked. */
const CHUNK = 40;

/**
 * A long list of cards in chunks the browser skips while off screen (CSS `.entity-chunk`:
 * `content-visibility: auto`): a 1,000-chapter story lays out and paints the 2-3 chunks in
 * view, not 1,000 cards, and tracks 25 chunks' visibility instead of 1,000 cards'. Every card
 * stays in the DOM (find in page, the accessibility tree, a jump to any problem, tests).
 */
function inChunks(cards: ReactNode[]): ReactNode {
  if (cards.length <= CHUNK) return cards;
  const chunks: ReactNode[] = [];
  for (let start = 0; start < cards.length; start += CHUNK) {
    const slice = cards.slice(start, start + CHUNK);
    chunks.push(
      <div key={`chunk-${start}`} className="entity-chunk" style={{ containIntrinsicSize: `auto ${slice.length * 60}px` }}>
        {slice}
      </div>,
    );
  }
  return chunks;
}

interface EntityActions {
  onRename(kind: EntityKind, key: string): void;
  onDelete(kind: EntityKind, key: string): void;
  onMove(kind: EntityKind, key: string, to: number): void;
}

interface CardProps {
  position: number;
  total: number;
  open: boolean;
  onToggle(path: string, open: boolean): void;
  /** This entity's problems only (a stable array while they do not change). */
  problems: readonly Diagnostic[];
  readOnly: boolean;
  send: Send;
  actions: EntityActions;
}

function EntityCard(props: {
  kind: EntityKind;
  entityKey: string;
  title: string;
  path: string;
  card: CardProps;
  aside?: ReactNode;
  children: () => ReactNode;
}): ReactNode {
  const { card, kind, entityKey } = props;
  const worst = worstSeverity(card.problems);
  return (
    <details
      className="entity"
      open={card.open}
      data-path={props.path}
      data-testid={`${kind}-${entityKey}`}
      onToggle={(e) => card.onToggle(props.path, (e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        <span className="caret" aria-hidden="true">
          ▸
        </span>
        <span className="entity-key mono">{entityKey}</span>
        <span className="entity-title">{props.title}</span>
        {props.aside}
        {worst ? (
          <span className={`badge ${worst}`} title={`${card.problems.length} problem(s)`}>
            {card.problems.length}
            <span className="visually-hidden"> problem{card.problems.length === 1 ? "" : "s"}</span>
          </span>
        ) : null}
      </summary>
      {card.open ? (
        <div className="entity-body">
          {props.children()}
          <Markers problems={problemsAt(card.problems, props.path)} />
          {card.readOnly ? null : (
            <div className="entity-actions">
              <button type="button" className="btn small ghost" disabled={card.position === 0} onClick={() => card.actions.onMove(kind, entityKey, card.position - 1)}>
                ↑ Move up
              </button>
              <button
                type="button"
                className="btn small ghost"
                disabled={card.position === card.total - 1}
                onClick={() => card.actions.onMove(kind, entityKey, card.position + 1)}
              >
                ↓ Move down
              </button>
              <button type="button" className="btn small" onClick={() => card.actions.onRename(kind, entityKey)}>
                Rename key…
              </button>
              <button type="button" className="btn small danger" onClick={() => card.actions.onDelete(kind, entityKey)}>
                Delete…
              </button>
            </div>
          )}
        </div>
      ) : null}
    </details>
  );
}

const ThemeCard = memo(function ThemeCard(props: CardProps & { theme: Theme }): ReactNode {
  const { theme, problems, readOnly, send } = props;
  const path = `themes[${props.position}]`;
  const set = (field: string, value: string | number, continuesTyping = false): Promise<void> =>
    send({ op: "set_field", kind: "theme", key: theme.key, field, value }, continuesTyping);
  return (
    <EntityCard kind="theme" entityKey={theme.key} title={theme.name || theme.statement} path={path} card={props} aside={<span className="chip">priority {theme.priority}</span>}>
      {() => (
        <div className="grid-3">
          <TextField label="Name" path={`${path}.name`} value={theme.name ?? ""} readOnly={readOnly} problems={problemsAt(problems, `${path}.name`)} onCommit={(v, more) => set("name", v, more)} />
          <TextField label="Statement" path={`${path}.statement`} value={theme.statement} readOnly={readOnly} problems={problemsAt(problems, `${path}.statement`)} onCommit={(v, more) => set("statement", v, more)} />
          <PriorityField label="Priority" path={`${path}.priority`} value={theme.priority} readOnly={readOnly} problems={problemsAt(problems, `${path}.priority`)} onCommit={(v) => void set("priority", v)} />
        </div>
      )}
    </EntityCard>
  );
});

const CharacterCard = memo(function CharacterCard(props: CardProps & { character: Character }): ReactNode {
  const { character, problems, readOnly, send } = props;
  const path = `characters[${props.position}]`;
  const set = (field: string, value: string, continuesTyping: boolean): Promise<void> =>
    send({ op: "set_field", kind: "character", key: character.key, field, value }, continuesTyping);
  return (
    <EntityCard kind="character" entityKey={character.key} title={character.name || character.role} path={path} card={props}>
      {() => (
        <>
          <div className="grid-2">
            <TextField label="Name" path={`${path}.name`} value={character.name ?? ""} readOnly={readOnly} problems={problemsAt(problems, `${path}.name`)} onCommit={(v, more) => set("name", v, more)} />
            <TextField label="Role" path={`${path}.role`} value={character.role} readOnly={readOnly} problems={problemsAt(problems, `${path}.role`)} onCommit={(v, more) => set("role", v, more)} />
            <TextField
              label="Motivation"
              path={`${path}.motivation`}
              value={character.motivation}
              readOnly={readOnly}
              problems={problemsAt(problems, `${path}.motivation`)}
              onCommit={(v, more) => set("motivation", v, more)}
            />
          </div>
          <div className="field">
            <span className="field-label">Voice markers</span>
            <TextListEditor
              label="Voice markers"
              itemLabel="Voice marker"
              path={`${path}.voice_markers`}
              items={character.voice_markers}
              problemsAt={(p) => problemsAt(problems, p)}
              readOnly={readOnly}
              onSet={(i, value, continuesTyping) => send({ op: "set_voice_marker", character: character.key, index: i, value }, continuesTyping)}
              onAdd={(value) => send({ op: "add_voice_marker", character: character.key, value })}
              onRemove={(i) => send({ op: "remove_voice_marker", character: character.key, index: i })}
              onMove={(from, to) => send({ op: "move_voice_marker", character: character.key, from_index: from, to_index: to })}
            />
          </div>
          <Relationships character={character} path={path} problems={problems} readOnly={readOnly} send={send} />
        </>
      )}
    </EntityCard>
  );
});

function Relationships(props: { character: Character; path: string; problems: readonly Diagnostic[]; readOnly: boolean; send: Send }): ReactNode {
  const { character, send } = props;
  const options = useContext(OptionsContext).characters;
  const entries = Object.entries(character.relationships).filter((e): e is [string, string] => typeof e[1] === "string");
  const free = options.filter((o) => o.key !== character.key && !(o.key in character.relationships));
  const relPath = (other: string): string => `${props.path}.relationships${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(other) ? `.${other}` : `[${JSON.stringify(other)}]`}`;
  return (
    <div className="field" role="group" aria-label="Relationships" data-path={`${props.path}.relationships`}>
      <span className="field-label">Relationships</span>
      {entries.length === 0 ? <p className="muted">No relationships yet.</p> : null}
      {entries.map(([other, description]) => (
        <div key={other} className="row" style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
          <div style={{ flex: 1 }}>
            <TextField
              label={`Relationship with ${other}`}
              path={relPath(other)}
              value={description}
              readOnly={props.readOnly}
              problems={problemsAt(props.problems, relPath(other))}
              onCommit={(value, more) => send({ op: "set_relationship", character: character.key, other, description: value }, more)}
            />
          </div>
          {props.readOnly ? null : (
            <button
              type="button"
              className="btn ghost small icon danger"
              style={{ marginTop: 24 }}
              aria-label={`Remove the relationship with ${other}`}
              onClick={() => void send({ op: "remove_relationship", character: character.key, other })}
            >
              ×
            </button>
          )}
        </div>
      ))}
      {props.readOnly || free.length === 0 ? null : (
        <select
          className="select"
          aria-label={`Add a relationship for ${character.key}`}
          value=""
          onChange={(e) => {
            if (e.target.value) void send({ op: "set_relationship", character: character.key, other: e.target.value, description: "" });
          }}
        >
          <option value="">+ relationship with…</option>
          {free.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

const ChapterCard = memo(function ChapterCard(props: CardProps & { chapter: Chapter }): ReactNode {
  const { chapter } = props;
  const path = `chapters[${props.position}]`;
  const words = wordCount(chapter.draft_text);
  return (
    <EntityCard
      kind="chapter"
      entityKey={chapter.key}
      title={chapter.title}
      path={path}
      card={props}
      aside={
        <>
          {chapter.status ? (
            <span className={`chip status status-${chapter.status}`} data-testid="chapter-status">
              {STATUS_LABEL[chapter.status]}
            </span>
          ) : null}
          <span className="chip hide-narrow">{chapter.word_target ? `${words.toLocaleString("en")} / ${chapter.word_target.toLocaleString("en")}` : words.toLocaleString("en")} words</span>
        </>
      }
    >
      {() => <ChapterFields chapter={chapter} path={path} problems={props.problems} readOnly={props.readOnly} send={props.send} />}
    </EntityCard>
  );
});

function ChapterFields(props: { chapter: Chapter; path: string; problems: readonly Diagnostic[]; readOnly: boolean; send: Send }): ReactNode {
  const { chapter, path, problems, readOnly, send } = props;
  const options = useContext(OptionsContext);
  const set = (field: string, value: string | number | null, continuesTyping: boolean): Promise<void> =>
    send({ op: "set_field", kind: "chapter", key: chapter.key, field, value }, continuesTyping);
  const setList = (field: string, value: string[]): void => void send({ op: "set_list", kind: "chapter", key: chapter.key, field, value });
  return (
    <>
      <div className="grid-2">
        <TextField label="Title" path={`${path}.title`} value={chapter.title} readOnly={readOnly} problems={problemsAt(problems, `${path}.title`)} onCommit={(v, more) => set("title", v, more)} />
        <TextField
          label="Objective"
          grow
          path={`${path}.objective`}
          value={chapter.objective}
          readOnly={readOnly}
          problems={problemsAt(problems, `${path}.objective`)}
          onCommit={(v, more) => set("objective", v, more)}
        />
      </div>
      <div className="grid-2">
        <StatusField path={`${path}.status`} value={chapter.status} readOnly={readOnly} problems={problemsAt(problems, `${path}.status`)} onCommit={(v) => void set("status", v, false)} />
        <WordTargetField
          label="Word target"
          path={`${path}.word_target`}
          value={chapter.word_target}
          readOnly={readOnly}
          problems={problemsAt(problems, `${path}.word_target`)}
          onCommit={(v) => void set("word_target", v, false)}
        />
      </div>
      <KeyPicker
        label="Required themes"
        path={`${path}.required_themes`}
        value={chapter.required_themes}
        options={options.themes}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.required_themes`)}
        onCommit={(v) => setList("required_themes", v)}
      />
      <KeyPicker
        label="Participating characters"
        path={`${path}.participating_characters`}
        value={chapter.participating_characters}
        options={options.characters}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.participating_characters`)}
        onCommit={(v) => setList("participating_characters", v)}
      />
      <KeyPicker
        label="Prerequisites"
        path={`${path}.prerequisites`}
        value={chapter.prerequisites}
        options={options.chapters}
        exclude={chapter.key}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.prerequisites`)}
        onCommit={(v) => setList("prerequisites", v)}
      />
      <TextField
        label="Draft text"
        path={`${path}.draft_text`}
        value={chapter.draft_text ?? ""}
        multiline
        prose
        showWords
        wordTarget={chapter.word_target}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.draft_text`)}
        placeholder="Write the chapter here…"
        onCommit={(v, more) => set("draft_text", isBlank(v) ? null : v, more)}
      />
    </>
  );
}
