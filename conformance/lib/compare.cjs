'use strict';
// Comparing values in the notation: `canonical` sends a document through
// JavaScript (fromTagged, then toTagged), so two documents that describe the
// same value compare equal as JSON text whatever pointer spelling, Set or
// Map duplicates each started with.
const {makeServerRef} = require('./react.cjs');
const {fromTagged, toTagged} = require('./tagged.cjs');

// With the notation's two rules for blobs (spec/notation.md §4): a type "" is "application/octet-stream", and a File named
// "blob" is a Blob.
async function canonical(doc) {
  const out = await toTagged(fromTagged(doc, {
    React: require('./react.cjs').req('react'),
    createServerReference: (id) => makeServerRef(id, null),
    createClientReference: (j) => Object.assign(function () {}, {$$client: {...j}}),
  }));
  return mapDoc(out, (j) => {
    if (j.$type !== 'Blob' && j.$type !== 'File') return j;
    const type = j.type === '' ? 'application/octet-stream' : j.type;
    return j.$type === 'File' && j.name === 'blob' ? {$type: 'Blob', type, base64: j.base64} : {...j, type};
  });
}

function mapDoc(j, f) {
  if (Array.isArray(j)) return j.map((x) => mapDoc(x, f));
  if (j && typeof j === 'object') {
    const r = f(j);
    if (r !== j) return r;
    const o = {};
    for (const k of Object.keys(j)) o[k] = mapDoc(j[k], f);
    return o;
  }
  return j;
}

// What a decoder should give back for a value React encoded: the value
// itself, except that an invalid Date travels as null.
function normalize(doc) {
  return mapDoc(doc, (j) => (j.$type === 'Date' && j.value === null ? null : j));
}

// React's decodeReply deletes an object key whose value is undefined.
function dropUndefinedKeys(doc) {
  return mapDoc(doc, (j) => {
    if ('$type' in j) return j;
    const o = {};
    for (const k of Object.keys(j)) {
      if (!(j[k] && j[k].$type === 'undefined')) o[k] = dropUndefinedKeys(j[k]);
    }
    return o;
  });
}

// What a FormData's entries become through a multipart body: undici writes
// every line break of a text value as CRLF and percent-escapes `"`, CR and
// LF in file names (which a decoder returns as sent).
function crlf(doc) {
  return mapDoc(doc, (j) => {
    if (j.$type !== 'FormData') return j;
    return {...j, entries: j.entries.map(([k, v]) => {
      if (typeof v === 'string') return [k, v.replace(/\r?\n|\r/g, '\r\n')];
      if (v && v.$type === 'File') return [k, {...v, name: v.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}];
      return [k, crlf(v)];
    })};
  });
}

// Where `got` has a copy and `want` a reference (`ref`) to an object met
// before: the paths of those places, when that is the only difference (the
// two are equal with every reference replaced by what it points to); null
// when they differ otherwise.
function identitySplits(got, want) {
  if (JSON.stringify(expandRefs(got)) !== JSON.stringify(expandRefs(want))) return null;
  const out = [];
  const walk = (g, w, path) => {
    if (w && typeof w === 'object' && w.$type === 'ref') {
      if (!(g && typeof g === 'object' && g.$type === 'ref')) out.push(path);
      return;
    }
    if (!w || !g || typeof w !== 'object' || typeof g !== 'object') return;
    for (const k of Object.keys(w)) walk(g[k], w[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(got, want, '');
  return out;
}

// The value at an RFC 6901 pointer of a document, or undefined.
function atPointer(doc, pointer) {
  let j = doc;
  for (const seg of pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (!j || typeof j !== 'object') return undefined;
    j = j[seg];
  }
  return j;
}

// A document with every reference replaced by a copy of its target (a
// reference to an enclosing object, a cycle, by a marker).
function expandRefs(root) {
  // `open`: the arrays and objects being expanded, so that a reference to
  // one of them (an array's too) is a cycle.
  const go = (j, open) => {
    if (!j || typeof j !== 'object') return j;
    if (j.$type === 'ref') {
      const t = atPointer(root, j.pointer);
      return open.includes(t) ? {$cycle: true} : go(t, open);
    }
    open.push(j);
    let o;
    if (Array.isArray(j)) {
      o = j.map((x) => go(x, open));
    } else {
      o = {};
      for (const k of Object.keys(j)) o[k] = go(j[k], open);
    }
    open.pop();
    return o;
  };
  return go(root, []);
}

module.exports = {canonical, normalize, dropUndefinedKeys, crlf, identitySplits, atPointer};
