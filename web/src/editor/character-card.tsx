/** A character's card: name, role, motivation, voice markers, relationships. */
import { memo, useContext, type ReactNode } from "react";
import type { Character, Diagnostic } from "../service/types";
import { problemsAt } from "./diagnostics";
import { EntityCard, type CardProps, type Send } from "./entity-card";
import { TextField } from "./fields";
import { TextListEditor } from "./text-list";
import { OptionsContext } from "./key-options";
import { fieldLabel } from "../service/field-labels";

export const CharacterCard = memo(function CharacterCard(props: CardProps & { character: Character }): ReactNode {
  const { character, problems, readOnly, send } = props;
  const path = `characters[${props.position}]`;
  const set = (field: string, value: string, continuesTyping: boolean): Promise<void> =>
    send({ op: "set_field", kind: "character", key: character.key, field, value }, continuesTyping);
  return (
    <EntityCard kind="character" entityKey={character.key} title={character.name || character.role} path={path} card={props}>
      {() => (
        <>
          <div className="grid-2">
            <TextField label={fieldLabel("character", "name")} path={`${path}.name`} value={character.name ?? ""} readOnly={readOnly} problems={problemsAt(problems, `${path}.name`)} onCommit={(v, more) => set("name", v, more)} />
            <TextField label={fieldLabel("character", "role")} path={`${path}.role`} value={character.role} readOnly={readOnly} problems={problemsAt(problems, `${path}.role`)} onCommit={(v, more) => set("role", v, more)} />
            <TextField
              label={fieldLabel("character", "motivation")}
              path={`${path}.motivation`}
              value={character.motivation}
              readOnly={readOnly}
              problems={problemsAt(problems, `${path}.motivation`)}
              onCommit={(v, more) => set("motivation", v, more)}
            />
          </div>
          <div className="field">
            <span className="field-label">{fieldLabel("character", "voice_markers")}</span>
            <TextListEditor
              label={fieldLabel("character", "voice_markers")}
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
    <div className="field" role="group" aria-label={fieldLabel("character", "relationships")} data-path={`${props.path}.relationships`}>
      <span className="field-label">{fieldLabel("character", "relationships")}</span>
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
