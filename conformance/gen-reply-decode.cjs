'use strict';
// Step 2 of the reply vectors (server side, run WITH --conditions
// react-server): React's decodeReply on every body, then the vector file.
// Usage: node --conditions react-server gen-reply-decode.cjs ENCODED.json OUT.json
const fs = require('fs');
const {req, fieldsToBody, describeDecodeReply} = require('./lib/react.cjs');
const {normalize, canonical, identitySplits} = require('./lib/compare.cjs');
const {cases} = require('./reply-cases.cjs');
const Server = req('react-server-dom-webpack/server.node');

async function decode(body, c) {
  const temporaryReferences = c.temporaryReferences ? Server.createTemporaryReferenceSet() : undefined;
  return describeDecodeReply(Server, fieldsToBody(body), temporaryReferences);
}

(async () => {
  const encoded = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const vectors = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const enc = encoded[i];
    // For another version, only what its own encoder writes: the hand-made
    // bodies test 19.3.1's decoder.
    // Nor the cases that test 19.3.1's limits and errors.
    // Cases marked everyVersion are kept, with what that version's React
    // makes of them (they show where releases differ).
    const other = process.env.RSC_REACT_DIR !== undefined;
    if (other && !c.everyVersion && (!('value' in c) || c.error !== undefined || !('body' in enc || 'encodeError' in enc))) continue;
    const v = {name: c.name};
    if (c.temporaryReferences) v.temporaryReferences = true;
    if ('value' in c) v.value = c.value;
    const b = enc.body || c.body;
    if (enc.encodeError !== undefined) {
      // Another version ($RSC_REACT_DIR) may refuse what 19.3.1 encodes
      // (an element at the root with temporary references): recorded.
      if (!other && (c.encodeError === undefined || !enc.encodeError.includes(c.encodeError))) {
        throw new Error(`${c.name}: React refused to encode: ${enc.encodeError}`);
      }
      v.encodeError = enc.encodeError;
      vectors.push(v);
      continue;
    }
    if (c.encodeError !== undefined && process.env.RSC_REACT_DIR === undefined) throw new Error(`${c.name}: expected an encode error, React encoded it`);
    v.body = b;
    v.react = await decode(b, c);
    if (other && c.everyVersion) {
      if (v.react.error) v.error = v.react.error.split('\n')[0];
      else v.expect = v.react.value;
      vectors.push(v);
      continue;
    }
    if (c.error !== undefined) {
      v.error = c.error;
      if (!JSON.stringify(v.react).includes(c.error)) throw new Error(`${c.name}: React gave ${JSON.stringify(v.react)}, expected error ${c.error}`);
    } else if ('expect' in c) v.expect = c.expect;
    else if (c.expectFromReact) {
      if (v.react.error) {
        // Another version fails where 19.3.1 gives the value: left out.
        if (process.env.RSC_REACT_DIR !== undefined) continue;
        throw new Error(`${c.name}: React failed: ${v.react.error}`);
      }
      v.expect = v.react.value;
    } else if ('value' in c) {
      v.expect = normalize(c.value);
      // An older encoder writes some shared values twice (a promise, a
      // server reference): the body holds copies, and so does its own
      // decodeReply's value. Expect what the body holds.
      if (process.env.RSC_REACT_DIR !== undefined && v.react.value !== undefined) {
        const own = await canonical(v.react.value).catch(() => undefined);
        const want = await canonical(v.expect).catch(() => undefined);
        const splits = own !== undefined && want !== undefined ? identitySplits(own, want) : null;
        if (splits && splits.length) v.expect = own;
      }
    }
    else {
      if (v.react.error) throw new Error(`${c.name}: React failed: ${v.react.error}`);
      v.expect = v.react.value;
    }
    if (c.expectViaMultipart) v.expectViaMultipart = c.expectViaMultipart;
    if (c.reactDiffers) v.reactDiffers = c.reactDiffers;
    vectors.push(v);
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(vectors, null, 1) + '\n');
  console.log(`wrote ${vectors.length} reply vectors to ${process.argv[3]}`);
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
