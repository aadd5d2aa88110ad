/** A theme's card: name, statement, priority. */
import { memo, type ReactNode } from "react";
import type { Theme } from "../service/types";
import { problemsAt } from "./diagnostics";
import { EntityCard, type CardProps } from "./entity-card";
import { TextField } from "./fields";
import { PriorityField } from "./value-fields";
import { fieldLabel } from "../service/field-labels";

export const ThemeCard = memo(function ThemeCard(props: CardProps & { theme: Theme }): ReactNode {
  const { theme, problems, readOnly, send } = props;
  const path = `themes[${props.position}]`;
  const set = (field: string, value: string | number, continuesTyping = false): Promise<void> =>
    send({ op: "set_field", kind: "theme", key: theme.key, field, value }, continuesTyping);
  return (
    <EntityCard kind="theme" entityKey={theme.key} title={theme.name || theme.statement} path={path} card={props} aside={<span className="chip">priority {theme.priority}</span>}>
      {() => (
        <div className="grid-3">
          <TextField label={fieldLabel("theme", "name")} path={`${path}.name`} value={theme.name ?? ""} readOnly={readOnly} problems={problemsAt(problems, `${path}.name`)} onCommit={(v, more) => set("name", v, more)} />
          <TextField label={fieldLabel("theme", "statement")} path={`${path}.statement`} value={theme.statement} readOnly={readOnly} problems={problemsAt(problems, `${path}.statement`)} onCommit={(v, more) => set("statement", v, more)} />
          <PriorityField label={fieldLabel("theme", "priority")} path={`${path}.priority`} value={theme.priority} readOnly={readOnly} problems={problemsAt(problems, `${path}.priority`)} onCommit={(v) => void set("priority", v)} />
        </div>
      )}
    </EntityCard>
  );
});
