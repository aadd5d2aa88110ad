/**
 * The blueprint editor: premise, canon rules, themes, characters, chapters.
 *
 * The editor never changes the story itself: every change is an EditOp handed to `send`, and
 * the story shown is whatever the service last committed (text fields keep their own draft
 * while the writer types; see draft.ts). Entities are addressed by key, fields by the core's
 * JSON path (`data-path`), which is how a problem in the panel finds its field.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Chapter, Character, Diagnostic, EditOp, EntityKind, Reference, StoryBlueprint, Theme } from "../service/types";
import { DiagnosticIndex, entityOf, findFieldElement, FOCUS_PATH_EVENT, takePendingPath, worstSeverity } from "./diagnostics";
import { KeyPicker, Markers, PriorityField, TextField, TextListEditor } from "./fields";
import { AddEntityDialog, DeleteEntityDialog, RenameKeyDialog } from "./dialogs";
import { wordCount } from "./draft";

export interface EditorProps {
  blueprint: StoryBlueprint;
  diagnostics: readonly Diagnostic[];
  readOnly: boolean;
  send(op: EditOp): void;
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
}

type DialogState =
  | { type: "add"; kind: EntityKind }
  | { type: "rename"; kind: EntityKind; key: string }
  | { type: "delete"; kind: EntityKind; key: string }
  | null;

const COLLECTION: Record<EntityKind, "themes" | "characters" | "chapters"> = {
  theme: "themes",
  character: "characters",
  chapter: "chapters",
};

export const NEW_CHAPTER_EVENT = "story-gen:new-chapter";

export function Editor(props: EditorProps): ReactNode {
  const { blueprint, readOnly, send } = props;
  const index = useMemo(() => new DiagnosticIndex(props.diagnostics), [props.diagnostics]);
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

  const themeOptions = useMemo(() => blueprint.themes.map((t) => ({ key: t.key, label: t.key })), [blueprint.themes]);
  const characterOptions = useMemo(() => blueprint.characters.map((c) => ({ key: c.key, label: c.key })), [blueprint.characters]);
  const chapterOptions = useMemo(
    () => blueprint.chapters.map((c) => ({ key: c.key, label: c.title ? `${c.key} — ${c.title}` : c.key })),
    [blueprint.chapters],
  );
  const problemsAt = useCallback((path: string) => index.at(path), [index]);

  const entityActions = useMemo<EntityActions>(
    () => ({
      onRename: (kind, key) => setDialog({ type: "rename", kind, key }),
      onDelete: (kind, key) => setDialog({ type: "delete", kind, key }),
      onMove: (kind, key, to) => send({ op: "move_entity", kind, key, to_index: to }),
    }),
    [send],
  );

  return (
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
            problems={index.at("premise")}
            placeholder="What is this story about, in a few sentences?"
            onCommit={(value) => send({ op: "set_premise", value })}
          />
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
            problemsAt={problemsAt}
            readOnly={readOnly}
            onSet={(i, value) => send({ op: "set_canon_rule", index: i, value })}
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
        {blueprint.themes.map((theme, i) => (
          <ThemeCard
            key={theme.key}
            theme={theme}
            position={i}
            total={blueprint.themes.length}
            open={open.has(`themes[${i}]`)}
            onToggle={toggle}
            problems={index.within(`themes[${i}]`)}
            index={index}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
          />
        ))}
      </EntitySection>

      <EntitySection
        kind="character"
        title="Characters"
        count={blueprint.characters.length}
        readOnly={readOnly}
        onAdd={() => setDialog({ type: "add", kind: "character" })}
      >
        {blueprint.characters.map((character, i) => (
          <CharacterCard
            key={character.key}
            character={character}
            position={i}
            total={blueprint.characters.length}
            open={open.has(`characters[${i}]`)}
            onToggle={toggle}
            problems={index.within(`characters[${i}]`)}
            index={index}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
            characterOptions={characterOptions}
          />
        ))}
      </EntitySection>

      <EntitySection
        kind="chapter"
        title="Chapters"
        count={blueprint.chapters.length}
        readOnly={readOnly}
        onAdd={() => setDialog({ type: "add", kind: "chapter" })}
      >
        {blueprint.chapters.map((chapter, i) => (
          <ChapterCard
            key={chapter.key}
            chapter={chapter}
            position={i}
            total={blueprint.chapters.length}
            open={open.has(`chapters[${i}]`)}
            onToggle={toggle}
            problems={index.within(`chapters[${i}]`)}
            index={index}
            readOnly={readOnly}
            send={send}
            actions={entityActions}
            themeOptions={themeOptions}
            characterOptions={characterOptions}
            chapterOptions={chapterOptions}
          />
        ))}
      </EntitySection>

      {dialog?.type === "add" ? (
        <AddEntityDialog
          kind={dialog.kind}
          existing={blueprint[COLLECTION[dialog.kind]].map((e) => e.key)}
          onCancel={() => setDialog(null)}
          onAdd={(entity) => {
            send({ op: "add_entity", kind: dialog.kind, entity });
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
            send({ op: "rename_key", kind: dialog.kind, old_key: dialog.key, new_key: newKey });
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
            send({ op: "remove_entity", kind: dialog.kind, key: dialog.key, remove_references: removeReferences });
            setDialog(null);
          }}
        />
      ) : null}
    </div>
  );
}

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
  problems: readonly Diagnostic[];
  index: DiagnosticIndex;
  readOnly: boolean;
  send(op: EditOp): void;
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
          <Markers problems={card.index.at(props.path)} />
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
  const { theme, index, readOnly, send } = props;
  const path = `themes[${props.position}]`;
  const set = (field: string, value: string | number): void => send({ op: "set_field", kind: "theme", key: theme.key, field, value });
  return (
    <EntityCard kind="theme" entityKey={theme.key} title={theme.statement} path={path} card={props} aside={<span className="chip">priority {theme.priority}</span>}>
      {() => (
        <div className="grid-3">
          <div className="field">
            <span className="field-label">Key</span>
            <span className="mono entity-key">{theme.key}</span>
          </div>
          <TextField label="Statement" path={`${path}.statement`} value={theme.statement} readOnly={readOnly} problems={index.at(`${path}.statement`)} onCommit={(v) => set("statement", v)} />
          <PriorityField label="Priority" path={`${path}.priority`} value={theme.priority} readOnly={readOnly} problems={index.at(`${path}.priority`)} onCommit={(v) => set("priority", v)} />
        </div>
      )}
    </EntityCard>
  );
});

const CharacterCard = memo(function CharacterCard(
  props: CardProps & { character: Character; characterOptions: readonly { key: string; label: string }[] },
): ReactNode {
  const { character, index, readOnly, send } = props;
  const path = `characters[${props.position}]`;
  const set = (field: string, value: string): void => send({ op: "set_field", kind: "character", key: character.key, field, value });
  return (
    <EntityCard kind="character" entityKey={character.key} title={character.role} path={path} card={props}>
      {() => (
        <>
          <div className="grid-2">
            <TextField label="Role" path={`${path}.role`} value={character.role} readOnly={readOnly} problems={index.at(`${path}.role`)} onCommit={(v) => set("role", v)} />
            <TextField label="Motivation" path={`${path}.motivation`} value={character.motivation} readOnly={readOnly} problems={index.at(`${path}.motivation`)} onCommit={(v) => set("motivation", v)} />
          </div>
          <div className="field">
            <span className="field-label">Voice markers</span>
            <TextListEditor
              label="Voice markers"
              itemLabel="Voice marker"
              path={`${path}.voice_markers`}
              items={character.voice_markers}
              problemsAt={(p) => index.at(p)}
              readOnly={readOnly}
              onSet={(i, value) => send({ op: "set_voice_marker", character: character.key, index: i, value })}
              onAdd={(value) => send({ op: "add_voice_marker", character: character.key, value })}
              onRemove={(i) => send({ op: "remove_voice_marker", character: character.key, index: i })}
              onMove={(from, to) => send({ op: "move_voice_marker", character: character.key, from_index: from, to_index: to })}
            />
          </div>
          <Relationships character={character} path={path} options={props.characterOptions} index={index} readOnly={readOnly} send={send} />
        </>
      )}
    </EntityCard>
  );
});

function Relationships(props: {
  character: Character;
  path: string;
  options: readonly { key: string; label: string }[];
  index: DiagnosticIndex;
  readOnly: boolean;
  send(op: EditOp): void;
}): ReactNode {
  const { character, send } = props;
  const entries = Object.entries(character.relationships).filter((e): e is [string, string] => typeof e[1] === "string");
  const free = props.options.filter((o) => o.key !== character.key && !(o.key in character.relationships));
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
              problems={props.index.at(relPath(other))}
              onCommit={(value) => send({ op: "set_relationship", character: character.key, other, description: value })}
            />
          </div>
          {props.readOnly ? null : (
            <button
              type="button"
              className="btn ghost small icon danger"
              style={{ marginTop: 24 }}
              aria-label={`Remove the relationship with ${other}`}
              onClick={() => send({ op: "remove_relationship", character: character.key, other })}
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
            if (e.target.value) send({ op: "set_relationship", character: character.key, other: e.target.value, description: "" });
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

const ChapterCard = memo(function ChapterCard(
  props: CardProps & {
    chapter: Chapter;
    themeOptions: readonly { key: string; label: string }[];
    characterOptions: readonly { key: string; label: string }[];
    chapterOptions: readonly { key: string; label: string }[];
  },
): ReactNode {
  const { chapter, index, readOnly, send } = props;
  const path = `chapters[${props.position}]`;
  const set = (field: string, value: string | null): void => send({ op: "set_field", kind: "chapter", key: chapter.key, field, value });
  const setList = (field: string, value: string[]): void => send({ op: "set_list", kind: "chapter", key: chapter.key, field, value });
  const words = wordCount(chapter.draft_text);
  return (
    <EntityCard
      kind="chapter"
      entityKey={chapter.key}
      title={chapter.title}
      path={path}
      card={props}
      aside={<span className="chip hide-narrow">{words.toLocaleString()} words</span>}
    >
      {() => (
        <>
          <div className="grid-2">
            <TextField label="Title" path={`${path}.title`} value={chapter.title} readOnly={readOnly} problems={index.at(`${path}.title`)} onCommit={(v) => set("title", v)} />
            <TextField label="Objective" path={`${path}.objective`} value={chapter.objective} readOnly={readOnly} problems={index.at(`${path}.objective`)} onCommit={(v) => set("objective", v)} />
          </div>
          <KeyPicker label="Required themes" path={`${path}.required_themes`} value={chapter.required_themes} options={props.themeOptions} readOnly={readOnly} problems={index.at(`${path}.required_themes`)} onCommit={(v) => setList("required_themes", v)} />
          <KeyPicker
            label="Participating characters"
            path={`${path}.participating_characters`}
            value={chapter.participating_characters}
            options={props.characterOptions}
            readOnly={readOnly}
            problems={index.at(`${path}.participating_characters`)}
            onCommit={(v) => setList("participating_characters", v)}
          />
          <KeyPicker
            label="Prerequisites"
            path={`${path}.prerequisites`}
            value={chapter.prerequisites}
            options={props.chapterOptions}
            exclude={chapter.key}
            readOnly={readOnly}
            problems={index.at(`${path}.prerequisites`)}
            onCommit={(v) => setList("prerequisites", v)}
          />
          <TextField
            label="Draft text"
            path={`${path}.draft_text`}
            value={chapter.draft_text ?? ""}
            multiline
            prose
            showWords
            readOnly={readOnly}
            problems={index.at(`${path}.draft_text`)}
            placeholder="Write the chapter here…"
            onCommit={(v) => set("draft_text", v.trim() ? v : null)}
          />
        </>
      )}
    </EntityCard>
  );
});
