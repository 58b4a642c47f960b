'use strict';
// The response vectors (tests/vectors/response.json) from React 19.3.1 in
// production mode. Two steps, because the server needs --conditions
// react-server and the client must not have it:
//   node --conditions react-server gen-response-vectors.cjs server OUT.json
//     renderToReadableStream of every value case: the bytes, and onError's calls
//   node gen-response-vectors.cjs client IN.json OUT.json
//     createFromReadableStream of every stream (the rendered ones and the
//     hand-made ones), described in the notation.
// onError returns the error's `digest` when it is a string, else "".
const fs = require('fs');
const {req, makeServerRef} = require('./lib/react.cjs');
const {render} = require('./lib/render.cjs');
const {toTagged, timeout} = require('./lib/tagged.cjs');
const {cases} = require('./response-cases.cjs');

async function server(out) {
  const results = [];
  for (const c of cases) {
    if (!('value' in c)) { results.push({name: c.name}); continue; }
    try {
      const {bytes, errors} = await render(c.value);
      results.push({name: c.name, rows: bytes.toString('base64'), errors});
    } catch (e) {
      throw new Error(`${c.name}: ${e.message}`);
    }
  }
  fs.writeFileSync(out, JSON.stringify(results));
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

async function client(input, out) {
  // The client's bundler: server references load our recording functions
  // (lib/react.cjs), client references resolve to functions that say which
  // export they are (the chunks the client loads are not visible after).
  const clientModule = (id) => new Proxy({}, {
    get(_, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      const f = function () {};
      f.$$client = {module: id, name, chunks: [], async: false};
      return f;
    },
  });
  globalThis.__webpack_require__ = (id) => {
    if (id.startsWith('server:')) return makeServerRef(id.slice(7), null);
    return id.startsWith('esm-') ? Promise.resolve(clientModule(id)) : clientModule(id);
  };
  const Client = req('react-server-dom-webpack/client.node');
  const moduleMap = new Proxy({}, {get: (_, id) => new Proxy({}, {get: (__, name) => ({id, chunks: [], name})})});
  const serverModuleMap = new Proxy({}, {get: (_, id) => ({id: 'server:' + id, chunks: [], name: '*'})});
  const rendered = JSON.parse(fs.readFileSync(input, 'utf8'));
  const vectors = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const v = {name: c.name};
    if ('value' in c) v.value = c.value;
    const bytes = Buffer.from(c.body ?? rendered[i].rows, 'base64');
    v.rows = bytes.toString('base64');
    if (rendered[i].errors && rendered[i].errors.length) v.serverErrors = rendered[i].errors;
    const stream = new ReadableStream({start(ctl) { ctl.enqueue(new Uint8Array(bytes)); ctl.close(); }});
    try {
      const root = await timeout(Client.createFromReadableStream(stream, {serverConsumerManifest: {moduleMap, serverModuleMap, moduleLoading: null}}), 3000, 'the root never resolved');
      v.react = {value: await toTagged(root)};
    } catch (e) {
      v.react = {error: e instanceof Error ? e.message : String(e), ...(e && e.digest !== undefined ? {digest: e.digest} : {})};
    }
    for (const k of ['expect', 'error', 'reactDiffers']) if (k in c) v[k] = c[k];
    if ('value' in c && !('expect' in c) && !('error' in c)) {
      if (c.refused) v.error = PRODUCTION_ERROR;
      // `as`: the value as the client sees it, where identity or a refusal
      // inside a promise makes it differ from what was sent.
      else v.expect = expected(c.as ?? c.value, true);
    }
    vectors.push(v);
  }
  fs.writeFileSync(out, JSON.stringify(vectors, null, 1) + '\n');
  console.log(`wrote ${vectors.length} response vectors to ${out}`);
}

const [step, a, b] = process.argv.slice(2);
(step === 'server' ? server(a) : client(a, b)).catch((e) => { console.error(e); process.exit(1); });
