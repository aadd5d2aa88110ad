/**
 * Which navigations the service worker answers with the studio's app shell (index.html).
 *
 * The studio is one page with hash routes (`#/story/<id>`), and a fragment never reaches a
 * server or a service worker: the only navigations that are the studio are the folder the
 * studio is served from (the service worker's scope: `/` under `story-gen serve`,
 * `/<repo>/` on GitHub Pages) and its `index.html`, with any query (`?db=`, `?snapshot=0`).
 * Everything else in scope must go to the network, never get the app shell: the sync API's
 * `/api/v1` and `/openapi.json` beside the studio under `story-gen serve`, and the published
 * site's `/<repo>/docs/`, `/<repo>/docs/deployment/` and `/<repo>/pydoc/` on Pages
 * (docs/adr/0060-published-site.md).
 *
 * So there is no navigation fallback (a rule on the path, such as "ends in `/`", cannot tell
 * `/<repo>/` from `/<repo>/docs/`: the scope is not known at build time). Navigations are
 * answered by the precache route alone, which knows the scope because it matches against the
 * precached URLs, resolved against sw.js: a folder URL maps to its `index.html`, which is
 * precached only for the studio's own folder, and every query parameter is ignored.
 */

/** Workbox precache matching options (generateSW), spread into the build's config. */
export const PRECACHE_MATCHING = {
  directoryIndex: "index.html",
  // Any query reaches the same precached file (`?db=`, `?snapshot=0`, and whatever comes next).
  ignoreURLParametersMatching: [/.*/],
};
