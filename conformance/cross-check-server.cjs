'use strict';
// Step 3 of cross-check.cjs, run with --conditions react-server: React's
// decodeReply of each Rust-encoded body, compared with the value, and where
// it differs, with React's decode of its own body for the same value.
// Prints {failures, exact, reactOwn} as JSON on stdout.
const fs = require('fs');
const {req, describeDecodeReply} = require('./lib/react.cjs');
const {canonical, normalize, dropUndefinedKeys, crlf} = require('./lib/compare.cjs');
const Server = req('react-server-dom-webpack/server.node');

async function decode(bytes, ct) {
  const body = ct.startsWith('multipart/')
    ? await new Response(bytes, {headers: {'content-type': ct}}).formData()
    : bytes.toString('utf8');
  const r = await describeDecodeReply(Server, body);
  return r.error !== undefined ? {error: r.error} : {value: await canonical(r.value)};
}

(async () => {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const failures = [];
  let exact = 0;
  let reactOwn = 0;
  for (const j of jobs) {
    // React's decoder drops object keys whose value is undefined.
    const want = JSON.stringify({value: await canonical(crlf(dropUndefinedKeys(normalize(j.doc))))});
    const got = JSON.stringify(await decode(Buffer.from(j.rust, 'base64'), j.ct));
    if (got === want) { exact++; continue; }
    const own = JSON.stringify(await decode(Buffer.from(j.react, 'base64'), j.ct));
    if (got === own) { reactOwn++; continue; }
    failures.push({seed: j.seed, what: 'React decoded the Rust body differently from its own body', detail: `rust body: ${got.slice(0, 300)}\nreact body: ${own.slice(0, 300)}`});
  }
  process.stdout.write(JSON.stringify({failures, exact, reactOwn}));
})().catch((e) => { console.error(e); process.exit(1); });
