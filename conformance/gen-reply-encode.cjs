'use strict';
// Step 1 of the reply vectors (client side, run WITHOUT --conditions
// react-server): React's encodeReply on every value case.
// Usage: node gen-reply-encode.cjs OUT.json
const fs = require('fs');
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

(async () => {
  const out = [];
  for (const c of cases) {
    if (!('value' in c)) { out.push({name: c.name}); continue; }
    out.push({name: c.name, ...(await encode(c))});
  }
  fs.writeFileSync(process.argv[2], JSON.stringify(out));
})();
