/**
 * The service worker (Workbox, built by scripts/build.mjs): registered after the studio is
 * ready so the first visit's precache does not compete with booting Python. A new version is
 * OFFERED ("new version — reload"); it takes over only when the writer clicks, after every
 * typed edit has been committed, never in the middle of one.
 */
import { Workbox } from "workbox-window";
import type { StudioController } from "../model/controller";

export function registerServiceWorker(controller: StudioController): void {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(new URL("sw.js", document.baseURI).href, { scope: new URL("./", document.baseURI).pathname });
  let offered = false;
  wb.addEventListener("waiting", () => {
    if (offered) return;
    offered = true;
    controller.toast({
      message: "A new version of the studio is ready.",
      tone: "info",
      sticky: true,
      action: {
        label: "Reload",
        run: () => {
          controller.requests.flushDrafts();
          void waitForSaves(controller).then(() => {
            wb.addEventListener("controlling", () => location.reload());
            wb.messageSkipWaiting();
          });
        },
      },
    });
  });
  void wb.register().catch((error: unknown) => console.warn("service worker registration failed", error));
}

async function waitForSaves(controller: StudioController): Promise<void> {
  for (let i = 0; i < 50 && controller.hasPendingWork; i++) await new Promise((r) => setTimeout(r, 100));
}
