import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { apiOrigin, contentSecurityPolicy, inlineScriptHashes } from "../scripts/csp.mjs";

test("the API named at build time is reduced to its origin; anything else fails the build", () => {
  assert.equal(apiOrigin(undefined), null);
  assert.equal(apiOrigin("  "), null);
  assert.equal(apiOrigin("https://api.example.org/api/v1/"), "https://api.example.org");
  assert.equal(apiOrigin("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
  assert.throws(() => apiOrigin("api.example.org"), /is not a URL/);
  assert.throws(() => apiOrigin("ftp://api.example.org"), /https/);
});

test("only inline scripts are hashed, each by its exact text", () => {
  const body = "\n  document.documentElement.dataset.theme = 'dark';\n";
  const html = `<head><script>${body}</script><script type="module" src="./main.js"></script></head>`;
  const digest = createHash("sha256").update(body, "utf8").digest("base64");
  assert.deepEqual(inlineScriptHashes(html), [`'sha256-${digest}'`]);
});

test("connect-src allows the studio's origin and the one API origin, nothing else", () => {
  const directives = (policy: string): Map<string, string> =>
    new Map(policy.split("; ").map((part) => [part.slice(0, part.indexOf(" ")), part.slice(part.indexOf(" ") + 1)]));
  assert.equal(directives(contentSecurityPolicy()).get("connect-src"), "'self' blob:");
  const withApi = directives(contentSecurityPolicy({ api: "https://api.example.org", scriptHashes: ["'sha256-x'"] }));
  assert.equal(withApi.get("connect-src"), "'self' https://api.example.org blob:");
  assert.equal(withApi.get("script-src"), "'self' 'wasm-unsafe-eval' 'sha256-x'");
  assert.equal(withApi.get("object-src"), "'none'");
});
