/** The keyboard shortcuts as a table, from the one table the key handler reads. */
import type { ReactNode } from "react";
import { SHORTCUTS } from "../shell/shortcuts";

export function ShortcutTable(): ReactNode {
  return (
    <table className="shortcut-table">
      <tbody>
        {SHORTCUTS.map((s) => (
          <tr key={s.action}>
            <td>{s.label}</td>
            <td>
              {s.keys.split(" / ").map((k, i) => (
                <span key={k}>
                  {i > 0 ? " or " : null}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
