'use strict';
// The tagged-JSON notation (spec/notation.md) on the JavaScript side:
// fromTagged builds the JavaScript value a document describes (the way the
// Rust encoder assumes: settled promises, streams whose chunks are all
// enqueued), toTagged describes a JavaScript value (awaiting promises and
// reading streams to the end).

const TYPED = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

function b64(bytes) {
  return Buffer.from(bytes.buffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes).toString('base64');
}
function fromB64(s) {
  const b = Buffer.from(s, 'base64');
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  return ab;
}
function esc(seg) {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

// --- building ---------------------------------------------------------------
function fromTagged(doc, env = {}) {
  const at = new Map();
  const settle = []; // deferred promise resolutions (so a promise can contain itself)
  function build(j, p) {
    if (j === null || typeof j !== 'object') return j;
    if (Array.isArray(j)) {
      const a = [];
      at.set(p, a);
      j.forEach((x, i) => a.push(build(x, p + '/' + i)));
      return a;
    }
    if (!('$type' in j)) {
      const o = {};
      at.set(p, o);
      for (const k of Object.keys(j)) o[k] = build(j[k], p + '/' + esc(k));
      return o;
    }
    const t = j.$type;
    const reg = (v) => (at.set(p, v), v);
    switch (t) {
      case 'undefined': return undefined;
      case 'ref': {
        if (!at.has(j.pointer)) throw new Error('ref to unknown pointer ' + j.pointer);
        return at.get(j.pointer);
      }
      case 'number': return {NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0}[j.value];
      case 'bigint': return BigInt(j.value);
      case 'Date': return new Date(j.value === null ? NaN : j.value);
      case 'symbol': return 'key' in j ? Symbol.for(j.key) : Symbol(j.description === null ? undefined : j.description);
      case 'Object': {
        const o = reg({});
        j.entries.forEach(([k, v], i) => { o[k] = build(v, p + '/entries/' + i + '/1'); });
        return o;
      }
      case 'Map': {
        const m = reg(new Map());
        j.entries.forEach(([k, v], i) => m.set(build(k, p + '/entries/' + i + '/0'), build(v, p + '/entries/' + i + '/1')));
        return m;
      }
      case 'Set': {
        const s = reg(new Set());
        j.values.forEach((v, i) => s.add(build(v, p + '/values/' + i)));
        return s;
      }
      case 'FormData': {
        const fd = reg(new FormData());
        j.entries.forEach(([k, v], i) => {
          const x = build(v, p + '/entries/' + i + '/1');
          if (typeof x === 'string') fd.append(k, x);
          else fd.append(k, x, x.name);
        });
        return fd;
      }
      case 'Blob': return reg(new Blob([fromB64(j.base64)], {type: j.type}));
      case 'File': return reg(new File([fromB64(j.base64)], j.name, {type: j.type}));
      case 'ArrayBuffer': return reg(fromB64(j.base64));
      case 'DataView': return reg(new DataView(fromB64(j.base64)));
      case 'Promise': {
        if (j.status === 'pending') return reg(new Promise(() => {}));
        let res, rej;
        const pr = reg(new Promise((a, b) => { res = a; rej = b; }));
        if (j.status === 'rejected') pr.catch(() => {});
        const v = build(j.status === 'fulfilled' ? j.value : j.reason, p + (j.status === 'fulfilled' ? '/value' : '/reason'));
        settle.push(() => (j.status === 'fulfilled' ? res(v) : rej(v)));
        return pr;
      }
      case 'Iterator': {
        const arr = [];
        const it = reg(arr[Symbol.iterator]());
        j.values.forEach((v, i) => arr.push(build(v, p + '/values/' + i)));
        return it;
      }
      case 'ReadableStream': {
        // The chunks are enqueued once built (a chunk may refer to the stream
        // itself), before anyone reads; an error comes only after they are read.
        let ctrl, err;
        const s = reg(new ReadableStream({
          start(c) { ctrl = c; },
          pull(c) { if ('error' in j) c.error(err); },
        }));
        const chunks = j.chunks.map((v, i) => build(v, p + '/chunks/' + i));
        if ('error' in j) err = build(j.error, p + '/error');
        settle.push(() => { for (const x of chunks) ctrl.enqueue(x); if (!('error' in j)) ctrl.close(); });
        return s;
      }
      case 'ReadableByteStream': {
        const bytes = new Uint8Array(fromB64(j.base64));
        return reg(new ReadableStream({type: 'bytes', start(c) { if (bytes.length) c.enqueue(bytes); c.close(); }}));
      }
      case 'AsyncIterable':
      case 'AsyncIterator': {
        const values = [];
        const state = {};
        const gen = async function* () {
          for (const v of values) yield v;
          if ('error' in state) throw state.error;
          return state.ret;
        };
        const v = reg(t === 'AsyncIterator' ? gen() : {[Symbol.asyncIterator]: gen});
        j.values.forEach((x, i) => values.push(build(x, p + '/values/' + i)));
        if ('error' in j) state.error = build(j.error, p + '/error');
        else if ('return' in j) state.ret = build(j.return, p + '/return');
        return v;
      }
      case 'ServerReference': {
        if (!env.createServerReference) throw new Error('no createServerReference in env');
        let f = env.createServerReference(j.id);
        if (j.bound !== null) f = f.bind(null, ...j.bound.map((v, i) => build(v, p + '/bound/' + i)));
        return reg(f);
      }
      case 'Function': {
        const f = {[j.name]: function () {}}[j.name];
        return reg(f);
      }
      case 'Instance': {
        let o;
        if (j.class === null) o = Object.create(null);
        else {
          const C = {[j.class]: class {}}[j.class];
          o = new C();
        }
        reg(o);
        j.entries.forEach(([k, v], i) => { o[k] = build(v, p + '/entries/' + i + '/1'); });
        return o;
      }
      case 'Error': {
        const e = reg(new Error(j.message));
        if (j.digest !== null) e.digest = j.digest;
        return e;
      }
      case 'ClientReference': {
        if (!env.createClientReference) throw new Error('no createClientReference in env');
        return reg(env.createClientReference(j));
      }
      case 'Element': {
        if (!env.React) throw new Error('no React in env');
        const props = build(j.props, p + '/props');
        const type = build(j.type, p + '/type');
        return reg(env.React.createElement(type, j.key === null ? props : {...props, key: j.key}));
      }
      default:
        if (TYPED.includes(t)) return reg(new globalThis[t](fromB64(j.base64)));
        throw new Error('unknown $type ' + t);
    }
  }
  const v = build(doc, '');
  for (const s of settle) s();
  return v;
}

// --- describing --------------------------------------------------------------
// `p`, or a rejection with `what` after `ms` milliseconds.
function timeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(what)), ms); })]).finally(() => clearTimeout(t));
}

async function toTagged(value, env = {}) {
  const seen = new Map();
  async function d(v, p) {
    switch (typeof v) {
      case 'undefined': return {$type: 'undefined'};
      case 'boolean': case 'string': return v;
      case 'number':
        if (Number.isNaN(v)) return {$type: 'number', value: 'NaN'};
        if (v === Infinity) return {$type: 'number', value: 'Infinity'};
        if (v === -Infinity) return {$type: 'number', value: '-Infinity'};
        if (Object.is(v, -0)) return {$type: 'number', value: '-0'};
        return v;
      case 'bigint': return {$type: 'bigint', value: v.toString()};
      case 'symbol': {
        const k = Symbol.keyFor(v);
        return k !== undefined ? {$type: 'symbol', key: k} : {$type: 'symbol', description: v.description === undefined ? null : v.description};
      }
    }
    if (v === null) return null;
    if (typeof v === 'object' && v.$$typeof === Symbol.for('react.lazy')) {
      // React.lazy around a chunk ("$L"): the value it stands for.
      let inner;
      try {
        inner = await timeout(new Promise((res, rej) => v._payload.then(res, rej)), 2000, 'pending');
      } catch (e) {
        if (e instanceof Error && e.message === 'pending') return {$type: 'Promise', status: 'pending'};
        return {$type: 'Promise', status: 'rejected', reason: await d(e, p)};
      }
      return d(inner, p);
    }
    if (v instanceof Date) return {$type: 'Date', value: isNaN(v) ? null : v.toISOString()};
    if (seen.has(v)) return {$type: 'ref', pointer: seen.get(v)};
    seen.set(v, p);
    if (typeof v === 'function') {
      if (v.$$typeof === Symbol.for('react.temporary.reference')) {
        return {$type: 'TemporaryReference', id: env.temporaryReferences ? env.temporaryReferences.get(v) : null};
      }
      if (v.$$client) return {$type: 'ClientReference', ...v.$$client};
      if (typeof v.$$id === 'string') {
        // One after the other: pointers name the first place in document
        // order, so the arguments are described in order.
        let bound = null;
        if (v.$$bound) {
          bound = [];
          for (let i = 0; i < v.$$bound.length; i++) bound.push(await d(v.$$bound[i], p + '/bound/' + i));
        }
        return {$type: 'ServerReference', id: v.$$id, bound};
      }
      return {$type: 'Function', name: v.name};
    }
    if (Array.isArray(v)) {
      const out = [];
      for (let i = 0; i < v.length; i++) out.push(await d(v[i], p + '/' + i));
      return out;
    }
    if (v instanceof Map) {
      const entries = [];
      let i = 0;
      for (const [k, x] of v) { entries.push([await d(k, p + '/entries/' + i + '/0'), await d(x, p + '/entries/' + i + '/1')]); i++; }
      return {$type: 'Map', entries};
    }
    if (v instanceof Set) {
      const values = [];
      let i = 0;
      for (const x of v) values.push(await d(x, p + '/values/' + i++));
      return {$type: 'Set', values};
    }
    if (v instanceof FormData) {
      const entries = [];
      let i = 0;
      for (const [k, x] of v) { entries.push([k, await d(x, p + '/entries/' + i + '/1')]); i++; }
      return {$type: 'FormData', entries};
    }
    if (v instanceof Blob) {
      const base64 = Buffer.from(await v.arrayBuffer()).toString('base64');
      if (typeof File !== 'undefined' && v instanceof File) return {$type: 'File', name: v.name, type: v.type, base64};
      return {$type: 'Blob', type: v.type, base64};
    }
    if (v instanceof ArrayBuffer) return {$type: 'ArrayBuffer', base64: b64(new Uint8Array(v))};
    if (v instanceof DataView) return {$type: 'DataView', base64: b64(v)};
    if (ArrayBuffer.isView(v)) return {$type: v.constructor.name, base64: b64(v)};
    if (v instanceof Error) return {$type: 'Error', message: v.message, digest: typeof v.digest === 'string' ? v.digest : null};
    if (v instanceof ReadableStream) {
      let isBytes = false;
      try { v.getReader({mode: 'byob'}).releaseLock(); isBytes = true; } catch (e) { /* a default stream */ }
      const reader = v.getReader();
      const chunks = [];
      let bytes = isBytes ? Buffer.alloc(0) : null;
      try {
        for (;;) {
          const r = await timeout(reader.read(), 2000, 'stream read timed out');
          if (r.done) break;
          if (isBytes) bytes = Buffer.concat([bytes, Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength)]);
          else chunks.push(r.value);
        }
      } catch (e) {
        const out = {$type: 'ReadableStream', chunks: []};
        for (let i = 0; i < chunks.length; i++) out.chunks.push(await d(chunks[i], p + '/chunks/' + i));
        out.error = await d(e, p + '/error');
        return out;
      }
      if (bytes !== null) return {$type: 'ReadableByteStream', base64: bytes.toString('base64')};
      const out = {$type: 'ReadableStream', chunks: []};
      for (let i = 0; i < chunks.length; i++) out.chunks.push(await d(chunks[i], p + '/chunks/' + i));
      return out;
    }
    if (typeof v.then === 'function') {
      try {
        const r = await timeout(Promise.resolve(v), 2000, 'pending');
        return {$type: 'Promise', status: 'fulfilled', value: await d(r, p + '/value')};
      } catch (e) {
        if (e instanceof Error && e.message === 'pending') return {$type: 'Promise', status: 'pending'};
        return {$type: 'Promise', status: 'rejected', reason: await d(e, p + '/reason')};
      }
    }
    if (typeof v[Symbol.asyncIterator] === 'function') {
      const isIterator = typeof v.next === 'function';
      const it = v[Symbol.asyncIterator]();
      const out = {$type: isIterator ? 'AsyncIterator' : 'AsyncIterable', values: []};
      const raw = [];
      let end;
      try {
        for (;;) {
          const r = await timeout(it.next(), 2000, 'iterator next timed out');
          if (r.done) { end = {ret: r.value}; break; }
          raw.push(r.value);
        }
      } catch (e) { end = {error: e}; }
      for (let i = 0; i < raw.length; i++) out.values.push(await d(raw[i], p + '/values/' + i));
      if ('error' in end) out.error = await d(end.error, p + '/error');
      else if (end.ret !== undefined) out.return = await d(end.ret, p + '/return');
      return out;
    }
    if (typeof v.next === 'function' && typeof v[Symbol.iterator] === 'function') {
      const values = [];
      let i = 0;
      for (const x of v) values.push(await d(x, p + '/values/' + i++));
      return {$type: 'Iterator', values};
    }
    if (v.$$typeof === Symbol.for('react.transitional.element')) {
      return {$type: 'Element', type: await d(v.type, p + '/type'), key: v.key, props: await d(v.props, p + '/props')};
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype) {
      const entries = [];
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) entries.push([keys[i], await d(v[keys[i]], p + '/entries/' + i + '/1')]);
      return {$type: 'Instance', class: proto === null ? null : proto.constructor.name, entries};
    }
    const keys = Object.keys(v);
    if (keys.includes('$type')) {
      const entries = [];
      for (let i = 0; i < keys.length; i++) entries.push([keys[i], await d(v[keys[i]], p + '/entries/' + i + '/1')]);
      return {$type: 'Object', entries};
    }
    const o = {};
    for (const k of keys) o[k] = await d(v[k], p + '/' + esc(k));
    return o;
  }
  return d(value, '');
}

module.exports = {fromTagged, toTagged, timeout};
