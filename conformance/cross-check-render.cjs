'use strict';
// Step 1 of the response half of cross-check.cjs, run with --conditions
// react-server: React's renderToReadableStream of each document.
// Prints [{seed, rows (base64)} | {seed, error}] as JSON on stdout.
const fs = require('fs');
const {render} = require('./lib/flight.cjs');

(async () => {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const out = [];
  for (const j of jobs) {
    try {
      const {bytes} = await render(j.doc);
      out.push({seed: j.seed, rows: bytes.toString('base64')});
    } catch (e) {
      out.push({seed: j.seed, error: String(e && e.message)});
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
