/** A chapter's card: title, objective, status, word target, the keys it uses, its draft. */
import { memo, useCallback, useContext, type ReactNode } from "react";
import type { Chapter, Diagnostic } from "../service/types";
import { isBlank } from "../service/text-rules";
import { problemsAt } from "./diagnostics";
import { chapterWords } from "../model/progress";
import { EntityCard, type CardProps, type Send } from "./entity-card";
import { TextField } from "./fields";
import { KeyPicker } from "./key-picker";
import { StatusField, WordTargetField } from "./value-fields";
import { OptionsContext } from "./key-options";
import { formatCount, STATUS_LABEL } from "./progress";
import { fieldLabel } from "../service/field-labels";

export const ChapterCard = memo(function ChapterCard(props: CardProps & { chapter: Chapter }): ReactNode {
  const { chapter } = props;
  const path = `chapters[${props.position}]`;
  const words = chapterWords(chapter);
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
          <span className="chip hide-narrow">{chapter.word_target ? `${formatCount(words)} / ${formatCount(chapter.word_target)}` : formatCount(words)} words</span>
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
  // Stable per chapter: the pickers are memoised, and the chapters' picker lists every chapter
  // (5,000 options), so re-rendering it on each keystroke in the draft was a third of the render.
  const key = chapter.key;
  const setThemes = useCallback((value: string[]) => void send({ op: "set_list", kind: "chapter", key, field: "required_themes", value }), [send, key]);
  const setCharacters = useCallback((value: string[]) => void send({ op: "set_list", kind: "chapter", key, field: "participating_characters", value }), [send, key]);
  const setPrerequisites = useCallback((value: string[]) => void send({ op: "set_list", kind: "chapter", key, field: "prerequisites", value }), [send, key]);
  return (
    <>
      <div className="grid-2">
        <TextField label={fieldLabel("chapter", "title")} path={`${path}.title`} value={chapter.title} readOnly={readOnly} problems={problemsAt(problems, `${path}.title`)} onCommit={(v, more) => set("title", v, more)} />
        <TextField
          label={fieldLabel("chapter", "objective")}
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
          label={fieldLabel("chapter", "word_target")}
          path={`${path}.word_target`}
          value={chapter.word_target}
          readOnly={readOnly}
          problems={problemsAt(problems, `${path}.word_target`)}
          onCommit={(v) => void set("word_target", v, false)}
        />
      </div>
      <KeyPicker
        label={fieldLabel("chapter", "required_themes")}
        path={`${path}.required_themes`}
        value={chapter.required_themes}
        options={options.themes}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.required_themes`)}
        onCommit={setThemes}
      />
      <KeyPicker
        label={fieldLabel("chapter", "participating_characters")}
        path={`${path}.participating_characters`}
        value={chapter.participating_characters}
        options={options.characters}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.participating_characters`)}
        onCommit={setCharacters}
      />
      <KeyPicker
        label={fieldLabel("chapter", "prerequisites")}
        path={`${path}.prerequisites`}
        value={chapter.prerequisites}
        options={options.chapters}
        exclude={chapter.key}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.prerequisites`)}
        onCommit={setPrerequisites}
      />
      <TextField
        label={fieldLabel("chapter", "draft_text")}
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
