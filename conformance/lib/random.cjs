'use strict';
// A seeded generator of random reply values (and, with {response: true},
// response values: elements, registered symbols, client references, Errors,
// rejections), written in the tagged notation
// (spec/notation.md), for the live cross-check. It covers every kind of value a
// reply can carry, shared references to earlier values and cycles through
// plain objects and arrays. It stays clear of the places where React 19.3.1's
// own decoder is known to be wrong (spec/reply.md §6) where that would make
// the comparison meaningless: in a reply, cycles only run through plain
// objects and arrays (a Map or a bound server reference that contains itself
// never decodes in React), and no promise is left pending (encodeReply would
// never finish). A response is read by our own decoder against the value
// itself, so there cycles also run through Maps, Sets, iterators, promises
// and bound arguments (React's client reads null or never resolves some of
// them: counted, not failed), promise values and bound arguments may be
// shared with the rest of the value (React writes them in later rows that
// point back), and a long string now and then pushes a row past the 3200
// bytes after which React outlines elements into rows of their own. A File in a FormData always has a name: undici sends a file
// with an empty name as a text field.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED = {
  Int8Array: 1, Uint8Array: 1, Uint8ClampedArray: 1, Int16Array: 2, Uint16Array: 2, Int32Array: 4,
  Uint32Array: 4, Float32Array: 4, Float64Array: 8, BigInt64Array: 8, BigUint64Array: 8, DataView: 1,
};
// Pieces strings are made of: the characters the encoder must escape or
// treat specially, and characters of every UTF-8 length.
const PIECES = ['a', 'Z', '0', ' ', '$', '$$', '@', '$1', '$K', '$@', ':', '"', '\\', '/', '\n', '\r', '\t',
  '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', 'é', '☃', '\ud83d\ude00', '\ufeff', '_1_', 'then', '-'];
const KEYS = ['a', 'b', 'id', '', '$', '$a', '1', '0', '10', '-1', '01', 'then', 'constructor', 'length',
  'a:b', 'é', '😀', ' ', 'key with space', '$$', '_', 'status', 'value'];

function generate(seed, opts = {}) {
  const rnd = mulberry32(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rnd() < p;
  const maxDepth = opts.maxDepth ?? 4;

  const bytes = (max) => {
    const n = int(max + 1);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = int(256);
    return b;
  };
  const str = () => {
    if (opts.response && chance(0.02)) return pick(PIECES).repeat(3300);
    if (chance(0.05)) return pick(PIECES).repeat(300 + int(900));
    let s = '';
    const n = int(8);
    for (let i = 0; i < n; i++) s += pick(PIECES);
    return s;
  };
  const number = () => {
    switch (int(10)) {
      case 0: return {$type: 'number', value: pick(['NaN', 'Infinity', '-Infinity', '-0'])};
      case 1: return pick([0, 1, -1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53, -(2 ** 31)]);
      case 2: return (rnd() - 0.5) * 10 ** int(30);
      case 3: return rnd() * 10 ** -int(30);
      default: return int(2001) - 1000;
    }
  };
  const bigint = () => {
    let s = chance(0.3) ? '-' : '';
    s += String(1 + int(9));
    const n = int(chance(0.1) ? 299 : 25);
    for (let i = 0; i < n; i++) s += String(int(10));
    return {$type: 'bigint', value: chance(0.1) ? '0' : s};
  };
  const date = () => {
    if (chance(0.1)) return {$type: 'Date', value: null};
    const ms = chance(0.1) ? pick([8.64e15, -8.64e15, 0, -1, 253402300800000, -62198755200000]) : Math.floor((rnd() - 0.3) * 4e12);
    return {$type: 'Date', value: new Date(ms).toISOString()};
  };
  const primitive = () => {
    switch (int(9)) {
      case 0: return null;
      case 1: return chance(0.5);
      case 2: case 3: return number();
      case 4: case 5: return str();
      case 6: return {$type: 'undefined'};
      case 7: return bigint();
      default: return date();
    }
  };

  // Every node built so far that may be referenced again, by pointer.
  const done = [];
  // Client references get names of their own: React sends one per export.
  let clientRefs = 0;
  // A bundler's manifest has one entry per module, with one async flag: two
  // references to one module agree on it (React reads it from the manifest).
  const moduleAsync = {};
  const clientRef = () => {
    const module = pick(['client-mod', './src/a-rather-long-module-name.js']);
    moduleAsync[module] ??= chance(0.2);
    return {$type: 'ClientReference', module, name: 'Comp' + (clientRefs++), chunks: ['c1', 'static/chunks/c1-long-name.js'], async: moduleAsync[module]};
  };
  function value(p, depth, plain, copied = false, entry = false) {
    // plain: pointers of the enclosing plain objects and arrays a cycle may
    // point back to (cleared by any other container on the way).
    // copied: inside a place React writes by value, never by reference
    // (stream and async-iterable chunks, an async iterable's return value,
    // under a key containing ':'); a value there is never referenced from
    // elsewhere, since React would send a copy, not the same value. Values
    // React writes later (promise values, bound arguments) are treated the
    // same way: a chunk written before them would hold a copy.
    // entry: a stream entry in a response, which React writes anew when it
    // is binary (a copy the notation cannot say without knowing the type).
    if (chance(0.06) && done.length && !(entry && opts.response)) return {$type: 'ref', pointer: pick(done)};
    // (No cycle inside a copy: JSON.stringify would refuse it.)
    if (chance(0.03) && plain.length && !copied) return {$type: 'ref', pointer: pick(plain)};
    if (depth >= maxDepth || chance(0.45)) return primitive();
    const n = () => int(depth === 0 ? 6 : 4);
    // A list of n() values under `at` (a pointer ending in '/').
    const list = (at, copiedHere, entry = false) => Array.from({length: n()}, (_, i) => value(at + i, depth + 1, [], copiedHere, entry));
    // What a Map, Set or iterator's members may point back to: in a
    // response, the collection itself and what holds it.
    const inner = opts.response && !copied ? [...plain, p] : [];
    // Promise values and bound arguments: written later in a response,
    // by reference to what the earlier rows hold.
    const later = !opts.response;
    let v;
    switch (int(opts.response ? 21 : 16)) {
      case 0: case 1: case 2: {
        v = [];
        const len = n();
        for (let i = 0; i < len; i++) v.push(value(p + '/' + i, depth + 1, [...plain, p], copied));
        break;
      }
      case 3: case 4: case 5: {
        // The keys in JavaScript's order (integer keys first), so that a
        // reference only ever points back to a value built before it.
        const chosen = {};
        const len = n();
        for (let i = 0; i < len; i++) chosen[pick(KEYS)] = true;
        v = {};
        for (const k of Object.keys(chosen)) {
          // A function under `then` would make the object a thenable.
          v[k] = k === 'then' ? primitive() : value(p + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), depth + 1, [...plain, p], copied || k.includes(':'));
        }
        break;
      }
      case 6: {
        const entries = [];
        const len = n();
        for (let i = 0; i < len; i++) {
          const k = chance(0.3) ? value(p + '/entries/' + i + '/0', depth + 1, inner, copied) : primitive();
          entries.push([k, value(p + '/entries/' + i + '/1', depth + 1, inner, copied)]);
        }
        v = {$type: 'Map', entries};
        break;
      }
      case 7: {
        const values = [];
        const len = n();
        for (let i = 0; i < len; i++) values.push(chance(0.3) ? value(p + '/values/' + i, depth + 1, inner, copied) : primitive());
        v = {$type: 'Set', values};
        break;
      }
      case 8: {
        const entries = [];
        const len = n();
        for (let i = 0; i < len; i++) {
          const name = pick(['x', 'file', 'a b', '', '$ACTION', '1', 'é']);
          if (chance(0.3)) entries.push([name, {$type: 'File', name: pick(['a.txt', 'b', 'é.bin', 'q"\n.txt']), type: pick(['', 'text/plain', 'application/octet-stream']), base64: bytes(40).toString('base64')}]);
          else entries.push([name, str()]);
        }
        v = {$type: 'FormData', entries};
        break;
      }
      case 9: {
        const t = pick(Object.keys(TYPED).concat(['ArrayBuffer', 'Blob']));
        const b = bytes(64);
        const size = TYPED[t] || 1;
        const base64 = b.subarray(0, b.length - (b.length % size)).toString('base64');
        v = t === 'Blob' ? {$type: 'Blob', type: pick(['', 'text/plain', 'image/png']), base64} : {$type: t, base64};
        break;
      }
      case 10:
        v = {$type: 'Promise', status: 'fulfilled', value: value(p + '/value', depth + 1, inner, copied || later)};
        break;
      case 11:
        v = {$type: 'Iterator', values: Array.from({length: n()}, (_, i) => value(p + '/values/' + i, depth + 1, inner, copied))};
        break;
      case 12:
        v = {$type: 'ReadableStream', chunks: list(p + '/chunks/', true, true)};
        break;
      case 13:
        v = {$type: 'ReadableByteStream', base64: bytes(chance(0.2) ? 3000 : 50).toString('base64')};
        if (v.base64 === '') v.base64 = 'AA==';
        break;
      case 14: {
        const values = list(p + '/values/', true, true);
        v = {$type: pick(['AsyncIterable', 'AsyncIterator']), values};
        if (chance(0.5)) v.return = value(p + '/return', depth + 1, [], true);
        break;
      }
      // Response-only values.
      case 16: case 17: {
        const kind = int(4);
        const type = kind === 0 ? {$type: 'symbol', key: 'react.suspense'}
          : kind === 1 ? {$type: 'symbol', key: 'react.fragment'}
          : kind === 2 ? clientRef()
          : pick(['div', 'span', 'ul', '$custom']);
        const props = {};
        if (chance(0.5)) props.className = str();
        if (chance(0.7)) props.children = value(p + '/props/children', depth + 1, [], copied);
        // An unkeyed fragment is flattened into its children: always keyed.
        v = {$type: 'Element', type, key: kind === 1 || chance(0.3) ? pick(['k', '$k', 'a:b', '1']) : null, props};
        break;
      }
      case 18:
        v = {$type: 'symbol', key: pick(['a', 'react.x', '$s', 'é'])};
        return v;
      case 19:
        v = {$type: 'Error', message: str(), digest: chance(0.5) ? null : str()};
        break;
      case 20: {
        const reason = chance(0.7) ? {$type: 'Error', message: 'boom', digest: chance(0.5) ? null : 'd' + int(100)} : str();
        switch (int(3)) {
          case 0: v = {$type: 'Promise', status: 'rejected', reason}; break;
          case 1: v = {$type: 'ReadableStream', chunks: list(p + '/chunks/', true, true), error: reason}; break;
          default: v = {$type: pick(['AsyncIterable', 'AsyncIterator']), values: list(p + '/values/', true, true), error: reason};
        }
        return v;
      }
      default: {
        // (Not the function itself: `bind` makes it from its arguments.)
        const bound = chance(0.6) ? Array.from({length: n()}, (_, i) => value(p + '/bound/' + i, depth + 1, opts.response && !copied ? plain : [], copied || later)) : null;
        v = {$type: 'ServerReference', id: pick(['app#save', 'mod#fn', 'a/b.js#default', 'x#y:z']), bound};
      }
    }
    if (!copied) done.push(p);
    return v;
  }
  return value('', 0, []);
}

module.exports = {generate, mulberry32};
