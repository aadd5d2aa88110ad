/**
 * `npm test -w web` (part of `make web-check`): the pure TypeScript modules' unit tests.
 * Vite bundles each web/test/*.test.ts for Node (same resolver as the app build) into
 * build/web-test/, then Node's own test runner runs them.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const WEB = fileURLToPath(new URL("..", import.meta.url));
const tests = readdirSync(join(WEB, "test")).filter((f) => f.endsWith(".test.ts"));
// Inside the repository, so the bundles resolve react & co. from the workspace's node_modules.
const out = join(WEB, "..", "build", "web-test");
try {
  await build({
    configFile: false,
    root: WEB,
    logLevel: "warn",
    build: {
      ssr: true,
      outDir: out,
      emptyOutDir: true,
      target: "node20",
      rolldownOptions: {
        input: Object.fromEntries(tests.map((f) => [f.replace(/\.ts$/, ""), join(WEB, "test", f)])),
        output: { format: "es", entryFileNames: "[name].mjs" },
      },
    },
  });
  const files = readdirSync(out).filter((f) => f.endsWith(".test.mjs")).map((f) => join(out, f));
  const run = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
