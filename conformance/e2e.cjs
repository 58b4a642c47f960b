'use strict';
// End to end: React 19.3.1's own client calls the Rust example server
// (examples/server.rs) over HTTP.
//
//   node conformance/e2e.cjs --bin target/debug/examples/server
//
// Starts the server on a free loopback port, then:
// - calls each sample Server Function the way a React app does
//   (createServerReference, whose callServer sends encodeReply's body and
//   reads the answer with createFromFetch) and checks the results,
//   including a promise and an async iterable that settle later and a
//   thrown error's digest;
// - sends hostile bodies from the robustness suite (tests/attacks.rs,
//   tests/hostile.rs): each must be refused with a 4xx status and an error
//   React's client can read, and the server must go on answering.
// The page, its form posted without JavaScript and the Server Components
// route are the browser test's (examples/app/test/browser.cjs).
// Exits 1 on the first failure, naming it.
const assert = require('assert/strict');
const path = require('path');
const {req} = require('./lib/react.cjs');
const {timeout} = require('./lib/tagged.cjs');
const {startServer} = require('./lib/server.cjs');

// The browser build: the one whose createServerReference calls callServer
// (the Node and edge builds are for server rendering, where calling a
// Server Function is an error). It needs a bundler's globals, though no
// client module is ever loaded here.
globalThis.__webpack_require__ = (id) => { throw new Error(`no client module ${id} here`); };
globalThis.__webpack_chunk_load__ = () => Promise.resolve();
const Client = req('react-server-dom-webpack/client.browser');
const manifest = {};

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}

async function main() {
  const bin = path.resolve(arg('--bin', 'target/debug/examples/server'));
  const server = startServer(bin);
  process.on('exit', () => server.child.kill());
  const base = await timeout(server.ready, 60000, 'the server never said it was listening');
  let passed = 0;
  const check = async (name, f) => {
    try {
      await timeout(f(), 10000, 'no answer in 10 s');
      passed++;
    } catch (e) {
      console.error(`e2e FAILED: ${name}\n${e && e.stack ? e.stack : e}\n--- server log ---\n${server.log()}`);
      server.child.kill();
      process.exit(1);
    }
  };

  // What a bundler's generated stub for a 'use server' export does.
  async function callServer(id, args) {
    const body = await Client.encodeReply(args);
    const response = fetch(base + '/rsc', {method: 'POST', headers: {'rsc-action': id}, body});
    return Client.createFromFetch(response, {...manifest, callServer});
  }
  const fn = (id) => Client.createServerReference(id, callServer);
  const schedule = fn('demo#schedule');
  const upload = fn('demo#upload');
  const countdown = fn('demo#countdown');
  const fail = fn('demo#fail');
  const subscribe = fn('demo#subscribe');

  await check('demo#schedule: a Date and a Map both ways', async () => {
    const due = new Date('2026-12-24T18:30:00.000Z');
    const r = await schedule('ship it', due, new Map([['design', 2], ['review', 1.5]]));
    assert.equal(r.title, 'SHIP IT');
    assert.ok(r.due instanceof Date && r.reminder instanceof Date, 'Dates come back as Dates');
    assert.equal(r.due.toISOString(), due.toISOString());
    assert.equal(r.reminder.toISOString(), '2026-12-17T18:30:00.000Z');
    assert.ok(r.tags instanceof Map, 'a Map comes back as a Map');
    assert.deepEqual([...r.tags], [['design', 2], ['review', 1.5]]);
    assert.equal(r.total, 3.5);
  });

  await check('demo#upload: a FormData with a file', async () => {
    const bytes = Buffer.alloc(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 0xff;
    const form = new FormData();
    form.append('title', 'report');
    form.append('attachment', new File([bytes], 'report.bin', {type: 'application/octet-stream'}));
    form.append('note', 'ünïcödé');
    const r = await upload(form);
    assert.deepEqual(r.fields, ['title', 'note']);
    assert.equal(r.name, 'report.bin');
    assert.equal(r.size, 5000);
    let sum = 0;
    for (const b of bytes) sum = (Math.imul(sum, 31) + b) >>> 0;
    assert.equal(r.sum, sum);
    assert.ok(r.echo instanceof Blob, 'the echo is a Blob');
    assert.equal(r.echo.type, 'application/octet-stream');
    assert.ok(Buffer.from(await r.echo.arrayBuffer()).equals(bytes), 'the echoed bytes are the file');
  });

  await check('demo#countdown: a promise and an async iterable settling later', async () => {
    const r = await countdown(4);
    assert.equal(r.from, 4);
    const ticks = [];
    for await (const t of r.ticks) ticks.push(t);
    assert.deepEqual(ticks, [4, 3, 2, 1]);
    assert.equal(await r.done, 'liftoff');
  });

  await check('demo#fail: a thrown error reaches the client with its digest', async () => {
    await assert.rejects(fail('on purpose'), (e) => e.digest === 'DEMO_FAILED');
    // A typed handler refuses arguments of the wrong shape before running.
    await assert.rejects(schedule('x', 'not a date', new Map()), (e) => e.digest === 'INVALID_ARGUMENTS');
  });

  await check('demo#subscribe, called from JavaScript with a FormData', async () => {
    const form = new FormData();
    form.append('email', 'js@example.com');
    // useActionState's action: the bound list, the previous state, the form.
    assert.equal(await subscribe.bind(null, 'daily')(null, form), 'Subscribed js@example.com to the daily list.');
  });

  // Hostile calls: each refused with a 4xx and an error row, read here by
  // React's client, whose rejection carries the reason as its digest.
  const multipart = (parts) => {
    const form = new FormData();
    for (const [k, v] of parts) form.append(k, v);
    return form;
  };
  const hostile = [
    ['an unregistered id', 'evil#rce', '[]', 404, /no Server Function is registered as "evil#rce"/],
    ['a server reference to an unregistered id', 'demo#schedule',
      multipart([['0', '["$h1"]'], ['1', '{"id":"evil#rce","bound":null}']]), 400, /evil#rce/],
    ['the CVE-2025-55182 shape (a forged chunk behind $B)', 'demo#schedule',
      multipart([['0', '"$B1"'], ['1', '{"then":"$1:__proto__:then","status":"resolved_model","value":"{}"}']]), 400, /./],
    ['mutually cyclic thenables', 'demo#schedule', multipart([['0', '"$@1"'], ['1', '"$@0"']]), 400,
      /Cannot have cyclic thenables/],
    ['nesting 100 000 deep', 'demo#schedule', '['.repeat(100000) + ']'.repeat(100000), 400, /max_depth/],
    ["React's array budget, one past", 'demo#schedule', `["${'a'.repeat(999998)}",1]`, 400,
      /^Maximum array nesting exceeded/],
    ['a body over the 1 MiB limit', 'demo#schedule', `["${'a'.repeat(2 << 20)}"]`, 413, /max_body_bytes/],
    ['a multipart body over the limit', 'demo#upload',
      multipart([['0', '["$K1"]'], ['1_f', new File([Buffer.alloc(2 << 20)], 'big.bin')]]), 413, /max_body_bytes/],
    ['a missing part', 'demo#schedule', '["$1"]', 400, /Connection closed/],
    ['invalid UTF-8', 'demo#schedule', Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]), 400, /UTF-8/],
    ['trailing garbage', 'demo#schedule', '[1] x', 400, /Unexpected non-whitespace/],
    ['a truncated multipart body', 'demo#schedule',
      {raw: '--X\r\nContent-Disposition: form-data; name="0"\r\n\r\n[1,2', type: 'multipart/form-data; boundary=X'}, 400, /./],
  ];
  for (const [name, id, body, status, reason] of hostile) {
    await check(`hostile: ${name}`, async () => {
      const init = {method: 'POST', headers: {'rsc-action': id}};
      if (body && body.raw) {
        init.body = body.raw;
        init.headers['content-type'] = body.type;
      } else {
        init.body = body;
      }
      const response = await fetch(base + '/rsc', init);
      assert.equal(response.status, status, `status for ${name}`);
      assert.equal(response.headers.get('content-type'), 'text/x-component');
      await assert.rejects(Client.createFromReadableStream(response.body, manifest),
        (e) => reason.test(e.digest) || assert.fail(`digest ${JSON.stringify(e.digest)} does not match ${reason}`));
      // ...and the server is still serving.
      const r = await schedule('still here', new Date(0), new Map());
      assert.equal(r.title, 'STILL HERE');
    });
  }

  server.child.kill();
  console.log(`end-to-end: ${passed} checks passed (React 19.3.1 client against examples/server.rs)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
