/**
 * Until the shell's header takes the chip, it lives in its own small React root, fixed in a
 * corner of the window, so it is visible on every screen.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { SyncPanel, type SyncHost } from "./SyncPanel";
import "./sync.css";

export function mountSync(host: SyncHost): void {
  const container = document.createElement("div");
  container.className = "sync-root";
  container.id = "sync-root";
  document.body.append(container);
  createRoot(container).render(
    <StrictMode>
      <SyncPanel host={host} origin={window.location.origin} />
    </StrictMode>,
  );
}
