/**
 * Which navigations the service worker answers with the studio's app shell (index.html).
 *
 * The studio is one page with hash routes (`#/story/<id>`), and a fragment never reaches a
 * server or a service worker: the only navigations that are the studio are the folder the
 * studio is served from (the service worker's scope: `/` under `story-gen serve`,
 * `/<repo>/` on GitHub Pages) and its `index.html`, with any query (`?db=`, `?snapshot=0`).
 * Anything else in scope (the sync API's `/api/v1`, `/openapi.json`, `/docs` beside the studio
 * under `story-gen serve`) must go to the network, never get the app shell.
 *
 * Workbox's NavigationRoute tests these against `pathname + search`. The scope is not known at
 * build time, so the rule is "a path ending in `/` or `/index.html`"; no page of the API does.
 */

/** Navigations that get the app shell (Workbox `navigateFallbackAllowlist`). */
export const APP_SHELL_ALLOWLIST = [/^[^?]*\/(?:index\.html)?(?:\?.*)?$/];

/** Never the app shell, even if allowed above: the benchmark's pages (not precached). */
export const APP_SHELL_DENYLIST = [/\/bench\//];

/** The rule as Workbox's NavigationRoute applies it (denylist first), for tests. */
export function getsAppShell(pathAndSearch) {
  if (APP_SHELL_DENYLIST.some((re) => re.test(pathAndSearch))) return false;
  return APP_SHELL_ALLOWLIST.some((re) => re.test(pathAndSearch));
}
