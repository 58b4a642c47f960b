'use strict';
// Loads React 19.3.1 from this folder's node_modules (installed by `npm ci`),
// or the React installed in $RSC_REACT_DIR (a folder with its own
// node_modules: another version), and provides the fake bundler both sides
// need.
const path = require('path');
const {toTagged, timeout} = require('./tagged.cjs');

let reactDir = process.env.RSC_REACT_DIR ? path.resolve(process.env.RSC_REACT_DIR) : path.join(__dirname, '..');
// A Next.js app's folder (conformance/nextjs/next-*, linked as
// conformance/versions/next@<version>): React is the build Next.js vendors
// under next/dist/compiled/, which its packages require by that path and
// as `react`, `react-dom`... Resolve all of those, from anywhere, to the
// vendored packages, as Next.js's own require hook does: through a folder
// of links to them, so their exports (and the react-server condition)
// apply and each is one module.
const fs = require('fs');
if (!fs.existsSync(path.join(reactDir, 'node_modules/react-server-dom-webpack')) &&
    fs.existsSync(path.join(reactDir, 'node_modules/next/dist/compiled/react-server-dom-webpack'))) {
  const compiled = path.join(reactDir, 'node_modules/next/dist/compiled');
  const root = fs.mkdtempSync(path.join(require('os').tmpdir(), 'rsc-next-'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  const vendored = ['react', 'react-dom', 'react-server-dom-webpack'];
  for (const name of vendored) fs.symlinkSync(path.join(compiled, name), path.join(root, 'node_modules', name), 'dir');
  process.on('exit', () => fs.rmSync(root, {recursive: true, force: true}));
  const Module = require('module');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    if (request.startsWith('next/dist/compiled/')) request = request.slice('next/dist/compiled/'.length);
    if (vendored.some((n) => request === n || request.startsWith(n + '/'))) {
      return resolve.call(this, request, parent, isMain, {paths: [root]});
    }
    return resolve.call(this, request, parent, isMain, options);
  };
  reactDir = root;
}
function req(name) {
  return require(require.resolve(name, {paths: [reactDir]}));
}

// Server side: every module id resolves to a function that records its id and
// its bound arguments, so a decoded server reference can be described.
function makeServerRef(id, bound) {
  const f = function () {};
  f.$$id = id;
  f.$$bound = bound;
  f.bind = (_this, ...args) => makeServerRef(id, [...(bound || []), ...args]);
  return f;
}
const serverModules = new Map();
globalThis.__webpack_require__ = (id) => {
  if (!serverModules.has(id)) serverModules.set(id, makeServerRef(id, null));
  return serverModules.get(id);
};
globalThis.__webpack_chunk_load__ = () => Promise.resolve();
// Next.js's vendored build loads modules through __next_require__.
globalThis.__next_require__ = (id) => globalThis.__webpack_require__(id);
const serverManifest = new Proxy({}, {
  get(_, id) { return typeof id === 'string' ? {id, chunks: [], name: '*'} : undefined; },
});

// FormData <-> the vectors' field lists.
async function bodyToFields(body) {
  if (typeof body === 'string') return {text: body};
  const fields = [];
  for (const [name, v] of body.entries()) {
    if (typeof v === 'string') fields.push({name, text: v});
    else fields.push({name, file: {name: v.name, type: v.type, base64: Buffer.from(await v.arrayBuffer()).toString('base64')}});
  }
  const resp = new Response(body);
  const ct = resp.headers.get('content-type');
  const boundary = ct.slice(ct.indexOf('boundary=') + 9);
  const bytes = Buffer.from(await resp.arrayBuffer()).toString('latin1').split(boundary).join('BOUNDARY');
  return {fields, multipart: Buffer.from(bytes, 'latin1').toString('base64')};
}

function fieldsToBody(b) {
  if ('text' in b) return b.text;
  const fd = new FormData();
  for (const f of b.fields) {
    if ('text' in f) fd.append(f.name, f.text);
    else fd.append(f.name, new File([Buffer.from(f.file.base64, 'base64')], f.file.name, {type: f.file.type}));
  }
  return fd;
}

// React's decodeReply of `body` (a string or a FormData), described in the
// notation: {value} or {error}. React's own decoder can throw outside any
// promise (an empty chunk into a byte stream); that is recorded as the
// result ({error: 'uncaught: ...', value}) instead of ending the process.
let uncaught = null;
let listening = false;
async function describeDecodeReply(Server, body, temporaryReferences) {
  if (!listening) {
    process.on('uncaughtException', (e) => { uncaught = e; });
    listening = true;
  }
  uncaught = null;
  try {
    const v = await timeout(Server.decodeReply(body, serverManifest, {temporaryReferences}), 2000, 'decodeReply never resolved');
    const value = await toTagged(v, {temporaryReferences});
    return uncaught ? {error: 'uncaught: ' + uncaught.message, value} : {value};
  } catch (e) {
    return {error: e instanceof Error ? e.message : String(e)};
  }
}

module.exports = {req, serverManifest, makeServerRef, bodyToFields, fieldsToBody, describeDecodeReply};
