'use strict';
// The benchmark payload families, built deterministically (a seeded PRNG,
// fixed dates) and written by React 19.3.1 itself, so that the Rust benches
// and React's timings read the same bytes.
//
//   node benches/payloads.cjs reply DIR
//     DIR/<family>/reply.body and reply.type: the body encodeReply makes for
//     the family's arguments (multipart bodies get the fixed boundary
//     "BOUNDARY" in place of undici's random one) and its Content-Type
//   node --conditions react-server benches/payloads.cjs response DIR
//     DIR/<family>/response.rsc: renderToReadableStream of the same value
//
// benches/run.sh runs both. `families` is also what benches/react.cjs times.
const fs = require('fs');
const path = require('path');
const {req} = require('../conformance/lib/react.cjs');
const {mulberry32: prng} = require('../conformance/lib/random.cjs');

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

// Each family: a function that builds the Server Function's arguments (an
// array), fresh on every call (React's encoders keep per-object state).
const families = {
  'small-args': () => [
    'user-123',
    {title: 'Write the quarterly report', tags: ['work', 'q3', 'urgent'], done: false, due: new Date(Date.UTC(2026, 11, 24, 18, 30))},
    42,
  ],
  form: () => {
    const r = prng(2);
    const fd = new FormData();
    for (let i = 0; i < 20; i++) fd.append(`field${i}`, `${WORDS[i % WORDS.length]} ${Math.floor(r() * 1e6)}`);
    const file = Buffer.alloc(4096);
    for (let i = 0; i < file.length; i++) file[i] = Math.floor(r() * 256);
    fd.append('attachment', new File([file], 'notes.bin', {type: 'application/octet-stream'}));
    return [fd, 'draft', 7];
  },
  'table-1mb': () => {
    const r = prng(3);
    const rows = [];
    for (let i = 0; i < 5000; i++) {
      rows.push({
        id: i,
        name: `${WORDS[i % 12]} ${WORDS[(i * 7) % 12]}`,
        email: `user${i}@example.com`,
        active: r() < 0.5,
        score: Math.round(r() * 1e6) / 100,
        note: r() < 0.3 ? null : `note ${Math.floor(r() * 1e9).toString(36)}`,
        created: new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 3e10)),
        tags: [WORDS[i % 12], WORDS[(i + 5) % 12]],
        address: {city: `City ${i % 97}`, zip: String(10000 + (i * 37) % 89999)},
        rank: Math.floor(r() * 2000) - 1000,
      });
    }
    return [rows];
  },
  'binary-8mb': () => {
    const r = prng(4);
    const samples = new Float64Array(1000000);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i / 100) + r() / 10;
    return [{meta: {name: 'sensor-7', rate: 48000, start: new Date(Date.UTC(2026, 10, 21))}, samples}];
  },
  'maps-sets': () => {
    const r = prng(5);
    const map = new Map();
    for (let i = 0; i < 10000; i++) map.set(`key-${i}`, {n: i, w: WORDS[i % 12], x: Math.round(r() * 1e4) / 100, ok: i % 3 === 0});
    const set = new Set();
    for (let i = 0; i < 10000; i++) set.add(`member-${i}-${Math.floor(r() * 1e6)}`);
    return [map, set];
  },
  'deep-shared': () => {
    const r = prng(6);
    const pool = [];
    for (let i = 0; i < 100; i++) pool.push({id: `shared-${i}`, label: WORDS[i % 12], weight: i / 10});
    // A tree of about 8 000 nodes, each referring to a pool object: the
    // encoders write the pool once and every later use as a path
    // ("$0:0:pool:17" in a reply).
    let count = 0;
    const node = (depth) => {
      count++;
      const n = {name: `n${count}`, ref: pool[Math.floor(r() * 100)], children: []};
      if (depth < 5) for (let i = 0, k = 2 + Math.floor(r() * 4); i < k; i++) n.children.push(node(depth + 1));
      return n;
    };
    const roots = [];
    while (count < 8000) roots.push(node(0));
    return [{pool, roots}];
  },
};

async function replyBody(args) {
  const Client = req('react-server-dom-webpack/client.node');
  const body = await Client.encodeReply(args);
  if (typeof body === 'string') return {bytes: Buffer.from(body), type: 'text/plain;charset=UTF-8'};
  const resp = new Response(body);
  const ct = resp.headers.get('content-type');
  const boundary = ct.slice(ct.indexOf('boundary=') + 9);
  const latin1 = Buffer.from(await resp.arrayBuffer()).toString('latin1').split(boundary).join('BOUNDARY');
  return {bytes: Buffer.from(latin1, 'latin1'), type: 'multipart/form-data; boundary=BOUNDARY'};
}

async function responseBytes(value) {
  const Server = req('react-server-dom-webpack/server.node');
  const stream = Server.renderToReadableStream(value, {}, {onError: (e) => { throw e; }});
  return Buffer.from(await new Response(stream).arrayBuffer());
}

async function main() {
  const [mode, dir] = process.argv.slice(2);
  if (!['reply', 'response'].includes(mode) || !dir) {
    console.error('usage: node payloads.cjs reply|response DIR');
    process.exit(2);
  }
  for (const [name, build] of Object.entries(families)) {
    const out = path.join(dir, name);
    fs.mkdirSync(out, {recursive: true});
    if (mode === 'reply') {
      const {bytes, type} = await replyBody(build());
      fs.writeFileSync(path.join(out, 'reply.body'), bytes);
      fs.writeFileSync(path.join(out, 'reply.type'), type);
    } else {
      fs.writeFileSync(path.join(out, 'response.rsc'), await responseBytes(build()));
    }
  }
}

module.exports = {families, replyBody, responseBytes};
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
