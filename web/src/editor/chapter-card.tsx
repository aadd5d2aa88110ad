/** A chapter's card: title, objective, status, word target, the keys it uses, its draft. */
import { memo, useContext, type ReactNode } from "react";
import type { Chapter, Diagnostic } from "../service/types";
import { isBlank } from "../service/text-rules";
import { problemsAt } from "./diagnostics";
import { wordCount } from "./draft";
import { EntityCard, type CardProps, type Send } from "./entity-card";
import { KeyPicker, StatusField, TextField, WordTargetField } from "./fields";
import { OptionsContext } from "./key-options";
import { STATUS_LABEL } from "./progress";
import { fieldLabel } from "../service/field-labels";

export const ChapterCard = memo(function ChapterCard(props: CardProps & { chapter: Chapter }): ReactNode {
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
        onCommit={(v) => setList("required_themes", v)}
      />
      <KeyPicker
        label={fieldLabel("chapter", "participating_characters")}
        path={`${path}.participating_characters`}
        value={chapter.participating_characters}
        options={options.characters}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.participating_characters`)}
        onCommit={(v) => setList("participating_characters", v)}
      />
      <KeyPicker
        label={fieldLabel("chapter", "prerequisites")}
        path={`${path}.prerequisites`}
        value={chapter.prerequisites}
        options={options.chapters}
        exclude={chapter.key}
        readOnly={readOnly}
        problems={problemsAt(problems, `${path}.prerequisites`)}
        onCommit={(v) => setList("prerequisites", v)}
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
