/**
 * The studio's Content-Security-Policy: what the page may load and whom it may talk to.
 *
 * The rule it states is the studio's promise: no request goes anywhere but the studio's own
 * origin and, when the build names one (STORY_GEN_API_URL), the one sync API origin. It is
 * written into index.html as a <meta> (GitHub Pages cannot send headers); `story-gen serve`
 * sends the same policy as a header on every file, which also covers the workers, since a
 * worker keeps the policy of its own script's response, not the page's.
 *
 * 'wasm-unsafe-eval' lets Pyodide compile WebAssembly without allowing eval of JavaScript; the
 * theme script in <head> is allowed by its hash, nothing else inline.
 */
import { createHash } from "node:crypto";

/** The origin of a sync API URL given at build time, or null; a bad value fails the build. */
export function apiOrigin(value) {
  if (value === undefined || value.trim() === "") return null;
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`STORY_GEN_API_URL=${JSON.stringify(value)} is not a URL: give the sync API's address, e.g. https://api.example.org`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`STORY_GEN_API_URL=${JSON.stringify(value)}: the sync API is reached over https (or http on a local machine), not ${url.protocol}`);
  }
  return url.origin;
}

/** 'sha256-…' of each inline <script> (one without a src) in an HTML document. */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}'`);
  }
  return hashes;
}

export function contentSecurityPolicy({ api = null, scriptHashes = [] } = {}) {
  const directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'", ...scriptHashes],
    // Pyodide fetches the shared libraries it is handed as blob: URLs (worker/stages.ts).
    "connect-src": ["'self'", ...(api ? [api] : []), "blob:"],
    "worker-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
