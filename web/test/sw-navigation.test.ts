import assert from "node:assert/strict";
import { test } from "node:test";
import { generateURLVariations } from "workbox-precaching/utils/generateURLVariations.js";
import { PRECACHE_MATCHING } from "../scripts/sw-navigation.mjs";

/**
 * What the service worker answers a URL with, the way workbox-precaching matches it (its own
 * URL variations with the build's options) against a precache resolved against `scope`: the
 * precached URL it serves, or null (the network).
 */
function answer(scope: string, path: string): string | null {
  const precached = ["index.html", "sw-registered.js", "boot-manifest.json", "assets/main-abc.js"].map(
    (file) => new URL(file, scope).href,
  );
  const url = new URL(path, scope).href;
  // generateURLVariations resolves against the worker's `location`; generateSW leaves
  // cleanURLs at its default (true), as here.
  Object.defineProperty(globalThis, "location", { value: new URL(scope), configurable: true });
  for (const variation of generateURLVariations(url, PRECACHE_MATCHING)) {
    if (precached.includes(variation)) return variation;
  }
  return null;
}

const SCOPES = ["http://127.0.0.1:8000/", "https://example.github.io/story_generator/", "http://h/story-gen-studio/"];

test("the studio's own folder gets the app shell, at / and under a sub-path, with any query", () => {
  for (const scope of SCOPES) {
    for (const path of ["", "index.html", "?db=e2e-1", "?snapshot=0&db=x", "index.html?db=a", "?utm_source=x#/story/1"]) {
      assert.equal(answer(scope, path), new URL("index.html", scope).href, `${scope} + ${path}`);
    }
  }
});

test("the published docs and Python reference beside the studio never get the app shell", () => {
  for (const scope of SCOPES) {
    for (const path of ["docs/", "docs/deployment/", "docs/index.html", "pydoc/", "pydoc/story_gen/core.html", "docs/assets/openapi/", "docs", "404.html"]) {
      assert.equal(answer(scope, path), null, `${scope} + ${path}`);
    }
  }
});

test("the sync API's pages beside the studio never get the app shell", () => {
  const scope = "http://127.0.0.1:8000/";
  for (const path of ["/api/v1", "/api/v1/", "/api/v1/stories", "/openapi.json", "/docs", "/docs/", "/redoc", "/api/v1?x=/", "/docs?q=a/"]) {
    assert.equal(answer(scope, path), null, path);
  }
});

test("precached files are served as themselves with any query; others go to the network", () => {
  const scope = "https://example.github.io/story_generator/";
  assert.equal(answer(scope, "boot-manifest.json?t=1"), `${scope}boot-manifest.json`);
  assert.equal(answer(scope, "assets/main-abc.js"), `${scope}assets/main-abc.js`);
  for (const path of ["sw.js", "bench/baseline.html", "bench/", "not-precached.txt", "../index.html", "/index.html"]) {
    assert.equal(answer(scope, path), null, path);
  }
});
