/**
 * Entry point. Order matters for first paint: the worker starts booting Python immediately, the
 * shell renders at once, and the library is read straight from IndexedDB (no Python needed).
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./shell/App";
import { StudioController } from "./model/controller";
import { registerServiceWorker } from "./shell/updates";
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

void controller.whenReady().then(() => registerServiceWorker(controller));
