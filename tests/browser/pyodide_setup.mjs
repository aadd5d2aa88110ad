// Pyodide setup hook for tests/browser (docs/testing.md, "Pyodide setup hooks"): fake-indexeddb
// stands in for the browser's IndexedDB, and the studio's real JS host (browser/js/host.mjs) is
// registered as `story_gen_host`, exactly as the Web Worker does. `story_gen_test_worlds`
// gives tests separate "browser profiles" (one IndexedDB each) with several tabs on them.
export async function preboot() {
  await import("fake-indexeddb/auto");
}

export async function jsModules() {
  const host = await import("../../browser/js/host.mjs");
  const worlds = await import("./worlds.mjs");
  return {
    story_gen_host: host.createHost({ dbName: "story-gen-default-test" }),
    story_gen_host_module: host,
    story_gen_test_worlds: worlds,
  };
}
