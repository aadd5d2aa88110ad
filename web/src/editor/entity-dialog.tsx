/** The editor's one open dialog at a time: add, rename the key of, or delete an entity. */
import type { ReactNode } from "react";
import type { EntityKind, Reference, StoryBlueprint } from "../service/types";
import { COLLECTION } from "../service/text-rules";
import { AddEntityDialog, DeleteEntityDialog, RenameKeyDialog } from "./dialogs";
import type { Send } from "./entity-card";

export type DialogState =
  | { type: "add"; kind: EntityKind }
  | { type: "rename"; kind: EntityKind; key: string }
  | { type: "delete"; kind: EntityKind; key: string }
  | null;

export function EntityDialog(props: {
  dialog: DialogState;
  blueprint: StoryBlueprint;
  send: Send;
  findReferences(kind: EntityKind, key: string): Promise<Reference[]>;
  /** Open the card at this entity path (a new entity is shown open). */
  openEntity(entityPath: string): void;
  onClose(): void;
}): ReactNode {
  const { dialog, blueprint, send, onClose } = props;
  if (dialog === null) return null;
  const existing = blueprint[COLLECTION[dialog.kind]].map((e) => e.key);
  switch (dialog.type) {
    case "add":
      return (
        <AddEntityDialog
          kind={dialog.kind}
          existing={existing}
          onCancel={onClose}
          onAdd={(entity) => {
            void send({ op: "add_entity", kind: dialog.kind, entity });
            const at = blueprint[COLLECTION[dialog.kind]].length;
            props.openEntity(`${COLLECTION[dialog.kind]}[${at}]`);
            onClose();
          }}
        />
      );
    case "rename":
      return (
        <RenameKeyDialog
          kind={dialog.kind}
          oldKey={dialog.key}
          existing={existing}
          findReferences={props.findReferences}
          onCancel={onClose}
          onRename={(newKey) => {
            void send({ op: "rename_key", kind: dialog.kind, old_key: dialog.key, new_key: newKey });
            onClose();
          }}
        />
      );
    case "delete":
      return (
        <DeleteEntityDialog
          kind={dialog.kind}
          entityKey={dialog.key}
          findReferences={props.findReferences}
          onCancel={onClose}
          onDelete={(removeReferences) => {
            void send({ op: "remove_entity", kind: dialog.kind, key: dialog.key, remove_references: removeReferences });
            onClose();
          }}
        />
      );
  }
}
