/**
 * Vite builds the UI bundle, the Pyodide worker and the bench baseline page.
 * scripts/build.mjs then adds the Pyodide runtime, the wheels, the service worker and the
 * precompressed copies (docs/studio.md, "Build").
 *
 * `base: "./"` makes every URL in the output relative, so the same folder works at `/`
 * (story-gen serve) and under any sub-path (GitHub Pages `/<repo>/`): docs/adr/0023-relative-urls-any-sub-path.md.
 */
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { apiOrigin, contentSecurityPolicy, inlineScriptHashes } from "./scripts/csp.mjs";
import { iconPngs, iconSvg } from "./scripts/icons.mjs";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Icons and the web app manifest, drawn at build time (scripts/icons.mjs): nothing fetched. */
function studioIcons(): Plugin {
  const manifest = {
    name: "story_gen studio",
    short_name: "story_gen",
    description: "Plan a story as a blueprint: premise, canon, themes, characters and chapters. Works offline.",
    id: "./",
    start_url: "./",
    scope: "./",
    display: "standalone",
    background_color: "#12151c",
    theme_color: "#12151c",
    icons: [
      { src: "icons/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
  return {
    name: "story-gen-icons",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "icons/icon.svg", source: iconSvg() });
      for (const [name, png] of Object.entries(iconPngs())) {
        this.emitFile({ type: "asset", fileName: `icons/${name}`, source: png });
      }
      this.emitFile({ type: "asset", fileName: "manifest.webmanifest", source: JSON.stringify(manifest, null, 2) + "\n" });
    },
    transformIndexHtml(_html, ctx) {
      if (ctx.path.includes("bench")) return [];
      return [
        { tag: "link", attrs: { rel: "icon", href: "icons/icon.svg", type: "image/svg+xml" }, injectTo: "head" },
        { tag: "link", attrs: { rel: "apple-touch-icon", href: "icons/apple-touch-icon.png" }, injectTo: "head" },
        { tag: "link", attrs: { rel: "manifest", href: "manifest.webmanifest" }, injectTo: "head" },
      ];
    },
  };
}

/** The studio's Content-Security-Policy as a <meta> in <head> (scripts/csp.mjs). */
function studioPolicy(): Plugin {
  const api = apiOrigin(process.env.STORY_GEN_API_URL);
  return {
    name: "story-gen-csp",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        if (ctx.path.includes("bench")) return html;
        const policy = contentSecurityPolicy({ api, scriptHashes: inlineScriptHashes(html) });
        // After the charset (which must come first), before any script.
        return html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
      },
    },
  };
}

export default defineConfig({
  root: here("."),
  base: "./",
  plugins: [react(), studioIcons(), studioPolicy()],
  // The sync API the studio signs in to by default (web/src/account/api-url.ts); "" = its own origin.
  define: { __STORY_GEN_API_URL__: JSON.stringify(process.env.STORY_GEN_API_URL?.trim() ?? "") },
  worker: { format: "es" },
  build: {
    outDir: here("../build/web"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        main: here("index.html"),
        baseline: here("bench/baseline.html"),
      },
    },
  },
  server: { fs: { allow: [here("..")] } },
});
