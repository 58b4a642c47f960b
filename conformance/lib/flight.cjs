'use strict';
// Both sides of the response format in React 19.3.1 (production):
// render (renderToReadableStream; needs --conditions react-server) and
// readResponse (createFromReadableStream; needs the plain conditions), with
// the fake bundler each side needs, and `expected`: what a production client
// gets for a value the server rendered.
const {req, makeServerRef} = require('./react.cjs');
const {fromTagged, toTagged, timeout} = require('./tagged.cjs');

// renderToReadableStream of a tagged document, read to the end. onError
// returns the error's `digest` when it is a string, else "".
async function render(doc) {
  // Older releases have renderToReadableStream only in their edge build.
  const node = req('react-server-dom-webpack/server.node');
  const Server = node.renderToReadableStream ? node : req('react-server-dom-webpack/server.edge');
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

// The client's bundler: server references load the recording functions of
// lib/react.cjs, client references resolve to functions that say which
// export they are (one function per export, as a real bundler's modules).
const exports_ = new Map();
// React's client sees neither the chunks nor the async flag once the module
// is loaded, so the function only knows its module and name (compare with
// `withoutChunks`).
function clientModule(id) {
  const exported = (name) => {
    const key = id + '#' + name;
    if (!exports_.has(key)) {
      const f = function () {};
      f.$$client = {module: id, name, chunks: [], async: false};
      exports_.set(key, f);
    }
    return exports_.get(key);
  };
  const own = (name) => typeof name === 'string' && name !== 'then' && name !== '__esModule';
  return new Proxy({}, {
    get: (_, name) => (own(name) ? exported(name) : undefined),
    has: (_, name) => own(name),
    getOwnPropertyDescriptor: (_, name) => (own(name) ? {value: exported(name), writable: false, enumerable: true, configurable: true} : undefined),
  });
}
// A document with every client reference's chunks and async flag cleared.
function withoutChunks(j) {
  if (Array.isArray(j)) return j.map(withoutChunks);
  if (!j || typeof j !== 'object') return j;
  if (j.$type === 'ClientReference') return {...j, chunks: [], async: false};
  const o = {};
  for (const k of Object.keys(j)) o[k] = withoutChunks(j[k]);
  return o;
}
function installBundler() {
  globalThis.__webpack_require__ = (id) => {
    if (typeof id === 'number') return clientModule(id);
    if (id.startsWith('server:')) return makeServerRef(id.slice(7), null);
    return id.startsWith('esm-') ? Promise.resolve(clientModule(id)) : clientModule(id);
  };
}
// A manifest is keyed by property names, always strings; its entries hold
// the bundler's own ids, numbers for webpack's production builds. The cases
// use digit-only module ids only for numeric ids, so give those back as
// numbers.
const moduleMap = new Proxy({}, {get: (_, id) => new Proxy({}, {get: (__, name) => ({id: /^[0-9]+$/.test(id) ? Number(id) : id, chunks: [], name})})});
const serverModuleMap = new Proxy({}, {get: (_, id) => ({id: 'server:' + id, chunks: [], name: '*'})});

let Client;
// createFromReadableStream of the bytes, described in the notation:
// {value} or {error, digest?}.
async function readResponse(bytes) {
  if (!Client) {
    installBundler();
    // Older releases read a web stream only in their edge build.
    const node = req('react-server-dom-webpack/client.node');
    Client = node.createFromReadableStream ? node : req('react-server-dom-webpack/client.edge');
  }
  const stream = new ReadableStream({start(ctl) { ctl.enqueue(new Uint8Array(bytes)); ctl.close(); }});
  try {
    const root = await timeout(Client.createFromReadableStream(stream, {serverConsumerManifest: {moduleMap, serverModuleMap, moduleLoading: null}}), 3000, 'the root never resolved');
    return {value: await toTagged(root)};
  } catch (e) {
    return {error: e instanceof Error ? e.message : String(e), ...(e && e.digest !== undefined ? {digest: e.digest} : {})};
  }
}

const PRODUCTION_ERROR = 'An error occurred in the Server Components render. The specific message is omitted in production builds to avoid leaking sensitive details. A digest property is included on this error instance which may provide additional details about the nature of the error.';

// What a production client gets for a value the server rendered: an invalid
// Date is null except as a whole row, an Error value loses its message and
// digest ($Z), a rejection's reason becomes React's production Error with
// the digest onError returned, a File loses its name (a Blob, or inside a
// FormData a File named "blob", which the notation compares equal), and a
// promise of a promise is one promise (the server awaits it).
function expected(j, whole) {
  if (Array.isArray(j)) return j.map((x) => expected(x, false));
  if (j === null || typeof j !== 'object') return j;
  const reason = (r) => ({$type: 'Error', message: PRODUCTION_ERROR, digest: r && r.$type === 'Error' && r.digest !== null ? r.digest : ''});
  switch (j.$type) {
    case 'Date': return j.value === null && !whole ? null : j;
    case 'Error': return {$type: 'Error', message: PRODUCTION_ERROR, digest: null};
    case 'File': return {$type: 'Blob', type: j.type, base64: j.base64};
    // Inside a FormData a file stays a File, but named "blob".
    case 'FormData': return {...j, entries: j.entries.map(([k, v]) => [k, typeof v === 'string' ? v : {$type: 'Blob', type: v.type, base64: v.base64}])};
    case 'Promise': {
      if (j.status === 'rejected') return {$type: 'Promise', status: 'rejected', reason: reason(j.reason)};
      let v = j.value;
      while (v && v.$type === 'Promise' && v.status === 'fulfilled') v = v.value;
      if (v && v.$type === 'Promise') return expected(v, true);
      return {...j, value: expected(v, true)};
    }
    case 'ReadableStream': case 'AsyncIterable': case 'AsyncIterator': {
      const o = {...j};
      // Entries go through JSON.stringify's toJSON (an invalid Date is null).
      if (o.chunks) o.chunks = o.chunks.map((x) => expected(x, false));
      if (o.values) o.values = o.values.map((x) => expected(x, false));
      if ('return' in o) o.return = expected(o.return, true);
      if ('error' in o) o.error = reason(o.error);
      return o;
    }
  }
  const o = {};
  for (const k of Object.keys(j)) o[k] = expected(j[k], false);
  return o;
}

module.exports = {render, readResponse, expected, withoutChunks, PRODUCTION_ERROR};
