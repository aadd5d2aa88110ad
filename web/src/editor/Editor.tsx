/**
 * The blueprint editor: premise, canon rules, themes, characters, chapters.
 *
 * The editor never changes the story itself: every change is an EditOp handed to `send`, and
 * the story shown is whatever the service last committed (text fields keep their own draft
 * while the writer types; see draft.ts). Entities are addressed by key, fields by the core's
 * JSON path (`data-path`), which is how a problem in the panel finds its field. The cards are
 * theme-card.tsx, character-card.tsx and chapter-card.tsx, framed by entity-card.tsx.
 */
import { memo, useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import type { Chapter } from "../service/types";
import type { Diagnostic, EntityKind, Reference, StoryBlueprint } from "../service/types";
import { ChapterCard } from "./chapter-card";
import { CharacterCard } from "./character-card";
import { DiagnosticGroups, problemsAt } from "./diagnostics";
import { manuscriptWords } from "../model/progress";
import { useEditorRequests } from "./editor-requests";
import { EntitySection, inChunks, type EntityActions, type Send } from "./entity-card";
import { EntityDialog, type DialogState } from "./entity-dialog";
import { TextField, WordCount } from "./fields";
import { TextListEditor } from "./text-list";
import { WordTargetField } from "./value-fields";
import { OptionsContext, useKeyOptions } from "./key-options";
import { named, ReorderItem, ReorderList } from "./reorder";
import { ThemeCard } from "./theme-card";
import { VirtualList } from "./virtual-list";
import { EarlyTyping } from "../pending/editable";
import { fieldLabel } from "../service/field-labels";

export interface EditorProps {
  blueprint: StoryBlueprint;
  diagnostics: readonly Diagnostic[];
  readOnly: boolean;
  /** The core is starting: texts take typing (kept until it is ready), structure waits. */
  starting?: boolean;
  send: Send;
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
}

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
  // Renders of the whole editor, shown as data-renders: a keystroke's reply and its
  // diagnostics reach it in one render (tests/e2e/test_studio_typing.py counts them).
  const renders = useRef(0);
  renders.current++;

  const toggle = useCallback((entityPath: string, isOpen: boolean) => {
    setOpen((prev) => {
      if (prev.has(entityPath) === isOpen) return prev;
      const next = new Set(prev);
      if (isOpen) next.add(entityPath);
      else next.delete(entityPath);
      return next;
    });
  }, []);

  const newChapter = useCallback(() => setDialog({ type: "add", kind: "chapter" }), []);
  // A jump (a problem, a search hit) to a chapter the virtualised list may not render: pin it.
  const [jumpTo, setJumpTo] = useState<readonly string[]>([]);
  const chapters = useRef(blueprint.chapters);
  chapters.current = blueprint.chapters;
  const reveal = useCallback((path: string) => {
    const at = /^chapters\[(\d+)\]/.exec(path);
    const key = at ? chapters.current[Number(at[1])]?.key : undefined;
    if (key !== undefined) setJumpTo((prev) => (prev.length === 1 && prev[0] === key ? prev : [key]));
  }, []);
  useEditorRequests({ root, toggle, reveal, readOnly, newChapter });
  const chapterKeys = useStableKeys(blueprint.chapters);

  const options = useKeyOptions(blueprint);
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

  const chapterRow = (chapter: Chapter, i: number): ReactNode => (
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
  );

  return (
    <EarlyTyping.Provider value={props.starting ?? false}>
    <OptionsContext.Provider value={options}>
    <div ref={root} className="editor" data-renders={renders.current}>
      <section className="section" id="premise" data-testid="section-premise" aria-labelledby="premise-h">
        <header>
          <h2 id="premise-h">Premise</h2>
        </header>
        <div className="body">
          <TextField
            label={fieldLabel("story", "premise")}
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
            <WordCount label="Manuscript" count={manuscriptWords(blueprint.chapters)} target={blueprint.word_target} />
            <WordTargetField
              label={fieldLabel("story", "word_target")}
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
            label={fieldLabel("story", "canon_rules")}
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
        {blueprint.chapters.length > VIRTUAL_FROM ? (
          <VirtualList keys={chapterKeys} estimate={CHAPTER_ESTIMATE} pinned={jumpTo} renderRow={(i) => chapterRow(blueprint.chapters[i]!, i)} />
        ) : (
          inChunks(blueprint.chapters.map(chapterRow))
        )}
        </ReorderList>
      </EntitySection>

      <EntityDialog
        dialog={dialog}
        blueprint={blueprint}
        send={send}
        findReferences={props.findReferences}
        openEntity={(entityPath) => toggle(entityPath, true)}
        onClose={() => setDialog(null)}
      />
    </div>
    </OptionsContext.Provider>
    </EarlyTyping.Provider>
  );
});

/** Above this many chapters only the cards in view are rendered (docs/adr/0126). */
const VIRTUAL_FROM = 60;
/** A closed chapter card and the gap below it, until measured. */
const CHAPTER_ESTIMATE = 64;

/** The chapters' keys, the same array while they are the same (typing changes no key). */
function useStableKeys(chapters: readonly Chapter[]): readonly string[] {
  const previous = useRef<readonly string[]>([]);
  const prev = previous.current;
  if (prev.length !== chapters.length || chapters.some((c, i) => c.key !== prev[i])) previous.current = chapters.map((c) => c.key);
  return previous.current;
}
