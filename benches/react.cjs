'use strict';
// React 19.3.1 (production) timed on the payload families of
// benches/payloads.cjs, on the same bytes the Rust benches read. Two
// processes, because the server side needs --conditions react-server:
//
//   NODE_ENV=production node benches/react.cjs client DIR OUT.json
//     encodeReply of each family's arguments (until the body is complete),
//     createFromReadableStream of its response bytes (until the root and
//     everything in it has resolved)
//   NODE_ENV=production node --conditions react-server benches/react.cjs server DIR OUT.json
//     decodeReply of its reply body (a string, or the FormData parsed from
//     the multipart bytes beforehand: React's own multipart parsing is the
//     framework's busboy, not React), renderToReadableStream (until read)
//
// Each operation: warm up, then repeat for about a second; OUT.json gets
// the median in nanoseconds, the input size, and the heap the decoded value
// retains (after a forced GC, so run with --expose-gc).
const fs = require('fs');
const path = require('path');
const {req} = require('../conformance/lib/react.cjs');
const {families} = require('./payloads.cjs');

async function time(f, budgetMs = 1000) {
  for (let i = 0; i < 3; i++) await f();
  const samples = [];
  const start = process.hrtime.bigint();
  while (samples.length < 5 || (samples.length < 2000 && Number(process.hrtime.bigint() - start) / 1e6 < budgetMs)) {
    const t0 = process.hrtime.bigint();
    await f();
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  samples.sort((a, b) => a - b);
  return {median_ns: samples[samples.length >> 1], samples: samples.length};
}

// The heap a result keeps alive: heap and array buffers after a GC, with
// the result held, minus the same before it was made.
async function retained(make) {
  if (!global.gc) return null;
  global.gc();
  const before = process.memoryUsage();
  const keep = await make();
  global.gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  return keep === undefined ? null : Math.max(0, bytes);
}

async function drain(stream) {
  const reader = stream.getReader();
  let n = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

// Await every promise in a decoded value (none of the families has one
// left once the root resolves, but this keeps the measure honest).
async function settle(v, seen = new Set()) {
  if (v && typeof v.then === 'function') v = await v;
  if (!v || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return v;
  seen.add(v);
  if (v instanceof Map) for (const [k, x] of v) { await settle(k, seen); await settle(x, seen); }
  else if (v instanceof Set) for (const x of v) await settle(x, seen);
  else if (Array.isArray(v)) for (const x of v) await settle(x, seen);
  else if (Object.getPrototypeOf(v) === Object.prototype) for (const k of Object.keys(v)) await settle(v[k], seen);
  return v;
}

async function client(dir) {
  const Client = req('react-server-dom-webpack/client.node');
  const manifest = {serverConsumerManifest: {moduleMap: {}, serverModuleMap: null, moduleLoading: null}};
  const out = {};
  for (const [name, build] of Object.entries(families)) {
    const rows = fs.readFileSync(path.join(dir, name, 'response.rsc'));
    const decode = async () => {
      const stream = new ReadableStream({start(c) { c.enqueue(new Uint8Array(rows)); c.close(); }});
      return settle(await Client.createFromReadableStream(stream, manifest));
    };
    const args = build();
    const encode = async () => {
      const body = await Client.encodeReply(args);
      // A FormData body is complete once encodeReply resolves; a string is
      // the whole body.
      return body;
    };
    out[name] = {
      'reply encode': {...(await time(encode)), input_bytes: fs.statSync(path.join(dir, name, 'reply.body')).size},
      'response decode': {...(await time(decode)), input_bytes: rows.length, retained_bytes: await retained(decode)},
    };
  }
  return out;
}

async function server(dir) {
  const Server = req('react-server-dom-webpack/server.node');
  const out = {};
  for (const [name, build] of Object.entries(families)) {
    const body = fs.readFileSync(path.join(dir, name, 'reply.body'));
    const type = fs.readFileSync(path.join(dir, name, 'reply.type'), 'utf8');
    const input = type.startsWith('multipart/')
      ? await new Response(body, {headers: {'content-type': type}}).formData()
      : body.toString('utf8');
    const decode = async () => settle(await Server.decodeReply(input, {}));
    const value = build();
    const render = () => drain(Server.renderToReadableStream(value, {}, {onError: (e) => { throw e; }}));
    out[name] = {
      [typeof input === 'string' ? 'reply decode (text)' : 'reply decode (parts)']:
        {...(await time(decode)), input_bytes: body.length, retained_bytes: await retained(decode)},
      'response encode': {...(await time(render)), input_bytes: fs.statSync(path.join(dir, name, 'response.rsc')).size},
    };
  }
  return out;
}

async function main() {
  const [mode, dir, outFile] = process.argv.slice(2);
  if (!['client', 'server'].includes(mode) || !dir || !outFile) {
    console.error('usage: node benches/react.cjs client|server DIR OUT.json');
    process.exit(2);
  }
  const results = mode === 'client' ? await client(dir) : await server(dir);
  fs.writeFileSync(outFile, JSON.stringify(results, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
