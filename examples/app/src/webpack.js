// React's webpack client (react-server-dom-webpack) loads the client
// components a Flight response names (its `I` rows) through webpack's two
// globals. This app is bundled by esbuild instead: each client component
// is an ES module chunk of its own (build.mjs), and the server's manifest
// (dist/manifest.json) gives it the same id as module and as chunk. So
// loading the chunk is an `import()` of the file the row names, and
// requiring the module is a lookup of what that import gave.
//
// This file must be evaluated before React's client: it replaces
// `__webpack_require__.u` (chunk id to file name) when it loads.
const modules = new Map();

function requireModule(id) {
  const exports = modules.get(id);
  if (exports === undefined) throw new Error(`client module ${id} was never loaded`);
  return exports;
}
// React's client wraps this with its own, which answers with the file
// name the `I` row gave for the chunk.
requireModule.u = (chunkId) => {
  throw new Error(`no file is known for chunk ${chunkId}`);
};

globalThis.__webpack_require__ = requireModule;
globalThis.__webpack_chunk_load__ = (chunkId) =>
  import(/* the file named by the I row */ globalThis.__webpack_require__.u(chunkId)).then((exports) => {
    modules.set(chunkId, exports);
  });
