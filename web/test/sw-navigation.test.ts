import assert from "node:assert/strict";
import { test } from "node:test";
import { getsAppShell } from "../scripts/sw-navigation.mjs";

test("the studio's own pages get the app shell, at / and under a sub-path, with any query", () => {
  for (const path of ["/", "/index.html", "/?db=e2e-1", "/?snapshot=0&db=x", "/story-gen-studio/", "/story-gen-studio/index.html", "/repo/?db=a"]) {
    assert.equal(getsAppShell(path), true, path);
  }
});

test("the sync API's pages beside the studio never get the app shell", () => {
  for (const path of ["/api/v1", "/api/v1/stories", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/api/v1?x=/", "/docs?q=a/"]) {
    assert.equal(getsAppShell(path), false, path);
  }
});

test("files and the benchmark's pages are not the app shell", () => {
  for (const path of ["/sw.js", "/boot-manifest.json", "/assets/main-abc.js", "/bench/baseline.html", "/story-gen/bench/", "/not-precached.txt"]) {
    assert.equal(getsAppShell(path), false, path);
  }
});
