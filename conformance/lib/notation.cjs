'use strict';
// Constructors for values in the tagged notation (spec/notation.md), shared by
// the case files.
const U = {$type: 'undefined'};
const num = (v) => ({$type: 'number', value: v});
const big = (v) => ({$type: 'bigint', value: v});
const date = (v) => ({$type: 'Date', value: v});
const ref = (p) => ({$type: 'ref', pointer: p});
const map = (...entries) => ({$type: 'Map', entries});
const set = (...values) => ({$type: 'Set', values});
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const typed = (t, bytes) => ({$type: t, base64: b64(bytes)});
const blob = (type, bytes) => ({$type: 'Blob', type, base64: b64(bytes)});
const file = (name, type, bytes) => ({$type: 'File', name, type, base64: b64(bytes)});
const fd = (...entries) => ({$type: 'FormData', entries});
const fulfilled = (value) => ({$type: 'Promise', status: 'fulfilled', value});
const rejected = (reason) => ({$type: 'Promise', status: 'rejected', reason});
const err = (message, digest = null) => ({$type: 'Error', message, digest});
const sref = (id, bound = null) => ({$type: 'ServerReference', id, bound});
const cref = (module, name, chunks = [], async = false) => ({$type: 'ClientReference', module, name, chunks, async});
const fn = (name) => ({$type: 'Function', name});
const inst = (cls, entries = []) => ({$type: 'Instance', class: cls, entries});
const sym = (key) => ({$type: 'symbol', key});
const localSym = (description) => ({$type: 'symbol', description});
// `extra`: `{error}` for a stream that errors after its chunks.
const stream = (chunks, extra = {}) => ({$type: 'ReadableStream', chunks, ...extra});
const bytesStream = (bytes) => ({$type: 'ReadableByteStream', base64: b64(bytes)});
// `extra`: `{return}` or `{error}`.
const asyncIterable = (values, extra = {}) => ({$type: 'AsyncIterable', values, ...extra});
const asyncIterator = (values, extra = {}) => ({$type: 'AsyncIterator', values, ...extra});
const iter = (...values) => ({$type: 'Iterator', values});
const el = (type, props, key = null) => ({$type: 'Element', type, key, props});

module.exports = {
  U, num, big, date, ref, map, set, b64, typed, blob, file, fd, fulfilled, rejected, err, sref, cref, fn, inst,
  sym, localSym, stream, bytesStream, asyncIterable, asyncIterator, iter, el,
};
