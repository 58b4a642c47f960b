'use strict';
// The live random cross-check between React 19.3.1 and the rsc-flight CLI.
//
//   node cross-check.cjs --bin PATH/TO/rsc-flight [--seed S] [--count N]
//
// For N random values (conformance/lib/random.cjs, seeds S, S+1, ...):
//   1. React's encodeReply and `rsc-flight reply encode` give the same body
//      (the same text, or the same multipart bytes with the boundary fixed);
//   2. `rsc-flight reply decode` of React's body gives the value back;
//   3. React's decodeReply of the Rust body (in a child process run with
//      --conditions react-server, cross-check-server.cjs) gives the value
//      back, or, where React's decoder is known to be wrong, exactly what it
//      gives for React's own body.
// Then, for N random response values (the same generator with response-only
// values added: elements, symbols, client references, Errors, rejections):
//   4. React's renderToReadableStream (in a child process with
//      --conditions react-server, cross-check-render.cjs) and
//      `rsc-flight response encode --error-rows` give the same bytes;
//   5. `rsc-flight response decode` of React's bytes gives what a production
//      client should see (lib/flight.cjs `expected`), or differs from it
//      only by copies where React's rows hold one object twice and React's
//      client reads copies too, or is a value React renders to the very
//      same rows (the bytes cannot tell the two apart);
//   6. React's createFromReadableStream reads the Rust bytes; since they are
//      React's own bytes, where it reads another value that is React's client
//      (counted, not failed): keys whose value is undefined are dropped,
//      client references lose their chunks, each reference to a server
//      reference is a new function, a root promise is awaited away.
// Values are compared in the notation after a trip through JavaScript, so
// that equal values compare equal whatever pointer spelling each side chose.
// Exit 0 when every check passes; a failure prints the seed to rerun.
const fs = require('fs');
const os = require('os');
const path = require('path');
// Set before lib/react.cjs is loaded: every step loads this React.
// The React of `--react V` is conformance/versions/V/, unless
// $RSC_REACT_DIR already names one (check-all.sh's cache).
if (process.argv.includes('--react') && !process.env.RSC_REACT_DIR) {
  process.env.RSC_REACT_DIR = path.join(__dirname, 'versions', process.argv[process.argv.indexOf('--react') + 1]);
}
const {spawnSync} = require('child_process');
const {req, bodyToFields, makeServerRef} = require('./lib/react.cjs');
const {fromTagged, timeout} = require('./lib/tagged.cjs');
const {generate} = require('./lib/random.cjs');
const {canonical, normalize, crlf, dropUndefinedKeys, identitySplits, atPointer} = require('./lib/compare.cjs');
const {readResponse, expected, withoutChunks} = require('./lib/flight.cjs');
// Older releases have encodeReply only in their edge build.
const Client = (() => { const c = req('react-server-dom-webpack/client.node'); return c.encodeReply ? c : req('react-server-dom-webpack/client.edge'); })();

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
}
const bin = arg('--bin');
const seed = Number(arg('--seed', '20261121'));
const count = Number(arg('--count', '300'));
// Another React: its folder (conformance/versions/<version>, whose React
// every step loads through $RSC_REACT_DIR) and the version the CLI is told.
// Where the response encoder does not write that version's rows (it says
// so), the response half checks decoding alone.
const version = arg('--react');
const reactArgs = version ? ['--react', version] : [];
if (!bin) throw new Error('usage: node cross-check.cjs --bin PATH [--seed S] [--count N]');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rsc-cross-'));
const ctFile = path.join(tmp, 'ct');

function run(args, input) {
  const r = spawnSync(bin, args, {input, maxBuffer: 1 << 28});
  if (r.error) throw r.error;
  return {status: r.status, stdout: r.stdout, stderr: r.stderr.toString()};
}

async function reactEncode(doc) {
  const value = fromTagged(doc, {createServerReference: (id) => Client.createServerReference(id, () => Promise.resolve())});
  return bodyToFields(await timeout(Client.encodeReply(value), 5000, 'encodeReply never resolved'));
}

(async () => {
  const failures = [];
  const forServer = [];
  let refused = 0;
  let bodyCopies = 0;
  const fail = (s, what, detail) => failures.push({seed: s, what, detail: String(detail).slice(0, 600)});
  for (let i = 0; i < count; i++) {
    const s = seed + i;
    const doc = await canonical(generate(s));
    const input = JSON.stringify(doc);
    let reactBody;
    const enc = run(['reply', 'encode', '--boundary', 'BOUNDARY', '--content-type-out', ctFile, ...reactArgs], input);
    try {
      reactBody = await reactEncode(doc);
    } catch (e) {
      // Both refuse, with React's message.
      const first = String(e.message).split('\n')[0];
      if (enc.status !== 1 || !enc.stderr.includes(first)) fail(s, 'React refused to encode, rsc-flight did not say the same', `react: ${e.message}\nrust (exit ${enc.status}): ${enc.stderr}`);
      else refused++;
      continue;
    }

    // 1. The same body from both encoders.
    if (enc.status !== 0) { fail(s, 'rsc-flight reply encode failed', enc.stderr); continue; }
    const ct = fs.readFileSync(ctFile, 'utf8');
    const rustBody = 'text' in reactBody ? enc.stdout.toString('utf8') : enc.stdout.toString('base64');
    const reactText = 'text' in reactBody ? reactBody.text : reactBody.multipart;
    if (rustBody !== reactText) fail(s, 'encoded bodies differ', `rust ${JSON.stringify(rustBody.slice(0, 200))}\nreact ${JSON.stringify(reactText.slice(0, 200))}`);
    const wantCt = 'text' in reactBody ? 'text/plain;charset=UTF-8' : 'multipart/form-data; boundary=BOUNDARY';
    if (ct !== wantCt) fail(s, 'Content-Type differs', ct);

    // 2. Rust decodes React's body.
    const expect = await canonical(crlf(normalize(doc)));
    const reactBytes = 'text' in reactBody ? Buffer.from(reactBody.text, 'utf8') : Buffer.from(reactBody.multipart, 'base64');
    const dec = run(['reply', 'decode', '--content-type', wantCt, ...reactArgs], reactBytes);
    if (dec.status !== 0) fail(s, 'rsc-flight reply decode failed on React\'s body', dec.stderr);
    else {
      const got = await canonical(JSON.parse(dec.stdout.toString('utf8')));
      if (JSON.stringify(got) !== JSON.stringify(expect)) {
        // Where React's body holds copies (an older release gives each
        // occurrence of a promise a part of its own), Rust's value must be
        // one React encodes to the very same body.
        const again = await reactEncode(got).catch(() => null);
        const same = again && ('text' in again ? again.text === reactBody.text : again.multipart === reactBody.multipart);
        if (same) bodyCopies++;
        else fail(s, 'Rust decoded React\'s body to another value', `got ${JSON.stringify(got).slice(0, 300)}\nwant ${JSON.stringify(expect).slice(0, 300)}`);
      }
    }
    forServer.push({seed: s, doc, ct, rust: enc.stdout.toString('base64'), react: reactBytes.toString('base64')});
  }

  // 3. React decodes the Rust bodies (server conditions, another process).
  const job = path.join(tmp, 'job.json');
  fs.writeFileSync(job, JSON.stringify(forServer));
  const r = spawnSync(process.execPath, ['--conditions', 'react-server', path.join(__dirname, 'cross-check-server.cjs'), job], {stdio: ['ignore', 'pipe', 'inherit'], env: process.env, maxBuffer: 1 << 28});
  if (r.status !== 0) fail(seed, 'the React decode step failed', `exit ${r.status}`);
  const server = r.status === 0 ? JSON.parse(r.stdout.toString('utf8')) : {failures: [], exact: 0, reactOwn: 0};
  failures.push(...server.failures);

  // 4-6. Responses.
  const docs = [];
  for (let i = 0; i < count; i++) docs.push({seed: seed + i, doc: await canonical(generate(seed + i, {response: true}))});
  fs.writeFileSync(job, JSON.stringify(docs));
  const rr = spawnSync(process.execPath, ['--conditions', 'react-server', path.join(__dirname, 'cross-check-render.cjs'), job], {stdio: ['ignore', 'pipe', 'inherit'], env: process.env, maxBuffer: 1 << 28});
  if (rr.status !== 0) fail(seed, 'the React render step failed', `exit ${rr.status}`);
  const rendered = rr.status === 0 ? JSON.parse(rr.stdout.toString('utf8')) : [];
  let responses = 0;
  let reactExact = 0;
  let copiedByReact = 0;
  const rerender = [];
  for (let i = 0; i < rendered.length; i++) {
    const {seed: s, doc} = docs[i];
    if (rendered[i].error !== undefined) { fail(s, 'React could not render the response value', rendered[i].error); continue; }
    const reactRows = Buffer.from(rendered[i].rows, 'base64');
    let enc = run(['response', 'encode', '--error-rows', ...reactArgs], JSON.stringify(doc));
    if (version && enc.status === 1 && enc.stderr.includes('is not supported')) enc = {status: 0, stdout: reactRows};
    if (enc.status !== 0) { fail(s, 'rsc-flight response encode failed', enc.stderr); continue; }
    if (!enc.stdout.equals(reactRows)) {
      fail(s, 'response bytes differ', `rust  ${JSON.stringify(enc.stdout.toString('latin1').slice(0, 300))}\nreact ${JSON.stringify(reactRows.toString('latin1').slice(0, 300))}`);
      continue;
    }
    const want = await canonical(expected(doc, true));
    const react = await readResponse(enc.stdout);
    const reactWant = JSON.stringify({value: withoutChunks(await canonical(dropUndefinedKeys(want)))});
    // React's client can read a value that cannot be built again in the
    // notation's order (an element or a bound function inside itself): that
    // is one of its own differences, counted below, not a failure.
    const reactGot = await canonical(react.value).then((v) => JSON.stringify(react.value !== undefined ? {value: v} : react), (e) => JSON.stringify({unbuildable: e.message}));
    const dec = run(['response', 'decode', ...reactArgs], reactRows);
    if (dec.status !== 0) fail(s, 'rsc-flight response decode failed on React\'s rows', dec.stderr);
    else {
      const got = await canonical(JSON.parse(dec.stdout.toString('utf8')));
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        // React's rows can hold one object twice (seed 778645: a DataView,
        // and the same DataView as an async iterator's return value, are
        // two `V` rows; seed 901313: a Set, two `W` rows), and React's
        // client then reads two objects. Rust may differ from `want` only
        // there: by a copy where `want` has a reference, at places where
        // React's own client also reads a copy.
        let splits = null;
        try {
          splits = identitySplits(got, want);
        } catch (e) {
          fail(s, 'the harness could not compare the values', e.stack);
          continue;
        }
        const reactValue = react.value !== undefined ? await canonical(react.value).catch(() => undefined) : undefined;
        const copied = (p) => {
          const r = reactValue === undefined ? undefined : atPointer(reactValue, p);
          return r !== undefined && r !== null && !(typeof r === 'object' && r.$type === 'ref');
        };
        if (splits && splits.length && splits.every(copied)) copiedByReact++;
        // Else Rust's value must be one React writes as these very rows
        // (seed 6000447: a Map met again inside its own entries is written
        // as a second Map, which React's client cannot read): checked by
        // rendering it with React after the loop.
        else rerender.push({seed: s, doc: got, rows: rendered[i].rows, detail: `got ${JSON.stringify(got).slice(0, 300)}\nwant ${JSON.stringify(want).slice(0, 300)}\nReact's client ${reactGot.slice(0, 300)}`});
      }
    }
    // The rows are React's own (step 4), so where React's client reads them
    // as something else, that is React's client: a new function for each
    // reference to one server reference, a root promise awaited away.
    if (reactGot === reactWant) reactExact++;
    responses++;
  }
  let sameRows = 0;
  if (rerender.length) {
    fs.writeFileSync(job, JSON.stringify(rerender.map(({seed: s, doc}) => ({seed: s, doc}))));
    const again = spawnSync(process.execPath, ['--conditions', 'react-server', path.join(__dirname, 'cross-check-render.cjs'), job], {stdio: ['ignore', 'pipe', 'inherit'], env: process.env, maxBuffer: 1 << 28});
    const out = again.status === 0 ? JSON.parse(again.stdout.toString('utf8')) : [];
    rerender.forEach((r, i) => {
      if (out[i] && out[i].rows === r.rows) sameRows++;
      else fail(r.seed, 'Rust decoded React\'s rows to another value', r.detail);
    });
  }
  fs.rmSync(tmp, {recursive: true, force: true});

  console.log(`cross-check${version ? ` against React ${version}` : ''}: ${count} random values from seed ${seed}; ${refused} refused by both encoders; ` +
    `${count - refused - new Set(failures.map((f) => f.seed)).size} encoded identically and decoded exactly by Rust` +
    `${bodyCopies ? ` (${bodyCopies} to another value React encodes to the same body)` : ''}; ` +
    `React decodes the Rust body to the value in ${server.exact}, and as it decodes its own body (a known React difference) in ${server.reactOwn}; ` +
    `${count} random response values: ${responses} rendered identically by both and decoded exactly by Rust ` +
    `(${copiedByReact} of them to what React's client reads where React's rows hold an object twice, ` +
    `${sameRows} to another value React writes as the same rows); ` +
    `React's client reads the rows as the value in ${reactExact} (the others: its own known differences)`);
  for (const f of failures.slice(0, 10)) console.error(`FAILED seed ${f.seed}: ${f.what}\n  ${f.detail.replace(/\n/g, '\n  ')}`);
  if (failures.length) {
    console.error(`${failures.length} failures; rerun one with: node conformance/cross-check.cjs --bin ${bin} --seed SEED --count 1`);
    process.exit(1);
  }
})().catch((e) => { console.error(e); process.exit(1); });
