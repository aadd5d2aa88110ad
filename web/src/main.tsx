/**
 * Entry point. Order matters for first paint: the worker starts booting Python immediately, the
 * shell renders at once, and the library is read straight from IndexedDB (no Python needed).
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { StudioController } from "./app/controller";
import { registerServiceWorker } from "./app/updates";
import { mountSync } from "./sync/mount";
import "./styles.css";

declare global {
  interface Window {
    /** For tests and benchmarks: the controller, to read boot timings and state. */
    storyGen?: StudioController;
  }
}

const controller = new StudioController();
window.storyGen = controller;
controller.start();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);

mountSync(controller);

void controller.whenReady().then(() => registerServiceWorker(controller));
