'use strict';
// React's server side of the response format: renderToReadableStream (19.3.1,
// production, under --conditions react-server) of a tagged document, read to
// the end. onError returns the error's `digest` when it is a string, else "".
const {req} = require('./react.cjs');
const {fromTagged, timeout} = require('./tagged.cjs');

async function render(doc) {
  const Server = req('react-server-dom-webpack/server.node');
  const React = req('react');
  const clientManifest = {};
  const env = {
    React,
    createServerReference: (id) => {
      const i = id.lastIndexOf('#');
      return Server.registerServerReference(function () {}, id.slice(0, i), id.slice(i + 1));
    },
    createClientReference: (j) => {
      clientManifest[j.module] = {id: j.module, chunks: j.chunks, name: '*', async: j.async};
      return Server.registerClientReference(function () {}, j.module, j.name);
    },
  };
  const value = fromTagged(doc, env);
  const errors = [];
  const stream = Server.renderToReadableStream(value, clientManifest, {
    onError(e) {
      errors.push(e instanceof Error ? e.message : String(e));
      return e && typeof e.digest === 'string' ? e.digest : '';
    },
  });
  const chunks = [];
  const reader = stream.getReader();
  for (;;) {
    const r = await timeout(reader.read(), 3000, 'render never finished');
    if (r.done) break;
    chunks.push(Buffer.from(r.value));
  }
  return {bytes: Buffer.concat(chunks), errors};
}

module.exports = {render};
