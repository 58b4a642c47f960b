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
const path = require('path');
const {render, readResponse, expected, PRODUCTION_ERROR} = require('./lib/flight.cjs');
const {canonical, identitySplits} = require('./lib/compare.cjs');
const {cases} = require('./response-cases.cjs');

// Cases left out for another version, with the reason
// ($RSC_REACT_DIR/skip.json, shared with the reply vectors).
const skipFile = process.env.RSC_REACT_DIR && path.join(process.env.RSC_REACT_DIR, 'skip.json');
const skip = new Set(skipFile && fs.existsSync(skipFile) ? Object.keys(JSON.parse(fs.readFileSync(skipFile, 'utf8'))) : []);

async function server(out) {
  const results = [];
  for (const c of cases) {
    if (!('value' in c) || skip.has(c.name)) { results.push({name: c.name}); continue; }
    try {
      const {bytes, errors} = await render(c.value);
      results.push({name: c.name, rows: bytes.toString('base64'), errors});
    } catch (e) {
      throw new Error(`${c.name}: ${e.message}`);
    }
  }
  fs.writeFileSync(out, JSON.stringify(results));
}

// The 19.3.1 vectors' rows by case, to tell where another version's differ.
const latest = new Map((fs.existsSync(path.join(__dirname, '../tests/vectors/response.json'))
  ? JSON.parse(fs.readFileSync(path.join(__dirname, '../tests/vectors/response.json'), 'utf8')) : []).map((v) => [v.name, v.rows]));

async function client(input, out) {
  const rendered = JSON.parse(fs.readFileSync(input, 'utf8'));
  const vectors = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    if (skip.has(c.name)) continue;
    // For another version, only what its own server writes.
    // Cases marked everyVersion are kept, with what that version's client
    // makes of them (they show where releases differ).
    const other = process.env.RSC_REACT_DIR !== undefined;
    if (other && !('value' in c) && !c.everyVersion) continue;
    const v = {name: c.name};
    if ('value' in c) v.value = c.value;
    const bytes = Buffer.from(c.body ?? rendered[i].rows, 'base64');
    v.rows = bytes.toString('base64');
    if (rendered[i].errors && rendered[i].errors.length) v.serverErrors = rendered[i].errors;
    v.react = await readResponse(bytes);
    if (other && c.everyVersion) {
      if (v.react.error !== undefined) v.error = v.react.error;
      else v.expect = v.react.value;
      vectors.push(v);
      continue;
    }
    for (const k of ['expect', 'error', 'reactDiffers']) if (k in c) v[k] = c[k];
    if ('value' in c && !('expect' in c) && !('error' in c)) {
      if (c.refused) v.error = PRODUCTION_ERROR;
      // `as`: the value as the client sees it, where identity or a refusal
      // inside a promise makes it differ from what was sent.
      else v.expect = expected(c.as ?? c.value, true);
      // An older server writes some shared values again (a promise's
      // value): its rows hold copies, and its own client reads them. For
      // another version ($RSC_REACT_DIR), expect what the rows hold.
      // (Only where the rows differ from 19.3.1's: React's client also reads
      // copies of what the rows share, a new function per server reference.)
      if (process.env.RSC_REACT_DIR !== undefined && v.expect !== undefined && v.react.value !== undefined &&
          latest.get(c.name) !== v.rows) {
        const own = await canonical(v.react.value).catch(() => undefined);
        const want = await canonical(v.expect).catch(() => undefined);
        const splits = own !== undefined && want !== undefined ? identitySplits(own, want) : null;
        if (splits && splits.length) v.expect = own;
      }
    }
    vectors.push(v);
  }
  fs.writeFileSync(out, JSON.stringify(vectors, null, 1) + '\n');
  console.log(`wrote ${vectors.length} response vectors to ${out}`);
}

const [step, a, b] = process.argv.slice(2);
(step === 'server' ? server(a) : client(a, b)).catch((e) => { console.error(e); process.exit(1); });
