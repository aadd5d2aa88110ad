// pyodide.asm.mjs (the Emscripten module factory) ships without types; this is the one use we
// make of it: the factory loadPyodide takes as its `createPyodideModule` option (snapshot.mjs).
declare module "pyodide/pyodide.asm.mjs" {
  const createPyodideModule: NonNullable<import("pyodide").PyodideConfig["createPyodideModule"]>;
  export default createPyodideModule;
}
