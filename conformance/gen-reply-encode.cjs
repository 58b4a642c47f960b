'use strict';
// Step 1 of the reply vectors (client side, run WITHOUT --conditions
// react-server): React's encodeReply on every value case.
// Usage: node gen-reply-encode.cjs OUT.json
const fs = require('fs');
const path = require('path');
const {req, bodyToFields} = require('./lib/react.cjs');
const {fromTagged, timeout} = require('./lib/tagged.cjs');
const {cases} = require('./reply-cases.cjs');
const Client = (() => { const c = req('react-server-dom-webpack/client.node'); return c.encodeReply ? c : req('react-server-dom-webpack/client.edge'); })();
const React = req('react');

async function encode(c) {
  const env = {React, createServerReference: (id) => Client.createServerReference(id, () => Promise.resolve())};
  const value = fromTagged(c.value, env);
  const opts = c.temporaryReferences ? {temporaryReferences: Client.createTemporaryReferenceSet()} : {};
  try {
    const b = await timeout(Client.encodeReply(value, opts), 2000, 'encodeReply never resolved');
    return {body: await bodyToFields(b)};
  } catch (e) {
    return {encodeError: e instanceof Error ? e.message : String(e)};
  }
}

// Cases left out for another version, each with the reason
// ($RSC_REACT_DIR/skip.json: {case: reason}); the releases before React's
// security fixes, for one, loop until V8 runs out of memory on some cyclic
// values.
const skipFile = process.env.RSC_REACT_DIR && path.join(process.env.RSC_REACT_DIR, 'skip.json');
const skip = new Set(skipFile && fs.existsSync(skipFile) ? Object.keys(JSON.parse(fs.readFileSync(skipFile, 'utf8'))) : []);

(async () => {
  const out = [];
  for (const c of cases) {
    if (!('value' in c) || skip.has(c.name)) { out.push({name: c.name}); continue; }
    if (process.env.RSC_TRACE) console.error(c.name);
    out.push({name: c.name, ...(await encode(c))});
  }
  fs.writeFileSync(process.argv[2], JSON.stringify(out));
})();
