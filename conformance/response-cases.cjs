'use strict';
// The response conformance cases: values in the tagged notation
// (spec/notation.md), rendered by React's renderToReadableStream (production)
// and read back by createFromReadableStream. `body` cases are hand-made
// streams for the decoder only.
const {
  U, num, big, date, ref, map, set, b64, typed, blob, file, fd, fulfilled, rejected, err, sref, cref, fn, inst,
  sym, localSym, stream, bytesStream, asyncIterable, asyncIterator, iter, el,
} = require('./lib/notation.cjs');

const cases = [];
const add = (name, value, opts = {}) => cases.push({name, value, ...opts});
const body = (name, text, opts = {}) => cases.push({name, body: Buffer.from(text, 'latin1').toString('base64'), ...opts});

// --- primitives and escaping
add('string', 'hello');
add('empty string', '');
add('string starting with $', '$dollar');
add('strings that look like references', ['$', '$$', '$@x', '$1', '$L1', '$Z']);
add('unicode and control characters', 'é\n☃\u0001\u007f\u2028"\\/\t😀');
add('numbers', [0, num('-0'), 1.5, num('NaN'), num('Infinity'), num('-Infinity'), 1e21, 5e-324, -123.456]);
add('null, booleans and undefined', {n: null, t: true, f: false, u: U, arr: [U, null]});
add('undefined at the root', U);
add('null at the root', null);
add('true at the root', true);
add('number at the root', 42);
add('bigint', big('10'));
add('negative bigint', [big('-123456789012345678901234567890'), big('0')]);
add('Date', date('2009-02-13T23:31:30.123Z'));
add('Dates in an object', {a: date('1970-01-01T00:00:00.000Z'), b: [date('-000001-01-01T00:00:00.000Z')]});
add('invalid Date at the root', date(null));
add('invalid Date in an object', {d: date(null)});
add('nested object', {a: 1, nested: {b: [1, 'two']}, e: '$e'});
add('integer-like keys', {b: 1, 2: 'two', 1: 'one', a: 0, '01': 'x'});
add('empty object and array', {o: {}, a: []});

// --- identity
add('same object twice', {first: {x: 1}, second: ref('/first'), list: [ref('/first')]});
add('cycle', {name: 'root', self: ref(''), child: {parent: ref('')}});
add('key containing ":" and dedupe', {'a:b': {x: 1}, c: {x: 1}, d: ref('/c')});
add('array containing itself', [1, ref('')]);
add('same array in two places', {a: [1, 2], b: {c: ref('/a')}});
add('deep path reference', {a: {b: {c: {d: [{e: 1}]}}}, r: ref('/a/b/c/d/0')});

// --- references that wait: React's client parks a reference whose target is
// not complete yet and fills it in later; so does the decoder (the node of
// a Map, Set, FormData, iterator, Blob, promise or server reference is in
// place before the row it is made from is read).
add('Map that contains itself', map(['me', ref('')]));
add('Set that contains itself', set(1, ref('')));
add('iterator that contains itself', iter(1, ref('')));
add('Map and Set that contain each other', {a: map(['b', set(ref('/a'))])});
add('Set inside an array, pointing back at the array', [date('2000-01-01T00:00:00.000Z'), [date('2000-01-01T00:00:00.000Z'), 'x', set(ref('/1'))], ref('/1/2')]);
add('Map whose value is the object holding it', {name: 'holder', m: map(['holder', ref('')])});
add('iterator inside a Map inside the iterator', iter(map(['it', ref('')])));
add('FormData shared between a Map and the root', {f: fd(['a', 'b'], ['c', 'd']), m: map(['form', ref('/f')])});
add('Blob shared with a Set that the root holds', {b: blob('text/plain', [104, 105]), s: set(ref('/b'), ref('/s'))});
add('promise of an object written later in its row', {p: fulfilled({x: 1}), b: ref('/p/value')});
add('promise of a nested object written later in its row', {p: fulfilled({c: {x: 1}}), b: ref('/p/value/c')});
add('promise of a Set of an object written later', {p: fulfilled(set({x: 1})), b: ref('/p/value/values/0')});
add('promise of the root', {self: fulfilled(ref(''))});
add('promise of a Map that holds the promise', {p: fulfilled(map(['p', ref('/p')]))});
add('bound argument written later in the row', {s: sref('mod#fn', [{x: 1}]), o: ref('/s/bound/0')});
add('bound argument that is the root', {s: sref('mod#fn', [ref('')])});
add('server reference bound to a Map that holds it', {m: map(['fn', sref('mod#fn', [ref('/m')])])});
// Found by the cross-check (seed 6001159): a promise's value met again
// inside itself is its row (`"$2"`), not written anew.
add('promise of an array that contains itself', {p: fulfilled([{self: ref('/p/value')}, 1])});
add('promise of an object that contains itself', {p: fulfilled({a: 1, self: ref('/p/value')})});
// Seed 6000447: React writes a Map met again inside its own entries, when
// the Map is a promise's value, as a second Map whose entries point into
// the first one's (the second contains itself): the bytes say two Maps.
add('promise of a Map that contains itself', {p: fulfilled(map(['k', {o: 1}], ['self', ref('/p/value')]))},
  {as: {p: fulfilled(map(['k', {o: 1}], ['self', map(['k', ref('/p/value/entries/0/1')], ['self', ref('/p/value/entries/1/1')])]))}});
// Seed 7002907: the same for an iterator, whose second `Array.from` finds
// it exhausted.
add('promise of an iterator that contains itself', {p: fulfilled(iter(ref('/p/value'), 1))},
  {as: {p: fulfilled(iter(iter(), 1))}});
// React outlines elements into lazy rows (`$L`) once a row passes 3200
// bytes; the outlined row is written after the row that refers to it and
// may point into any part of it, later parts included.
add('outlined element pointing to a later sibling', ['x'.repeat(3300), el('div', {a: {y: 2}}), {z: ref('/1/props/a')}]);
add('outlined element holding a Set a later sibling shares', ['x'.repeat(3300), el('div', {a: {y: 2}, s: set(1)}), ref('/1/props/s')]);
add('outlined elements sharing a Map with the root', {pad: 'p'.repeat(3300), els: [el('i', {m: map(['k', 1])}), el('b', {m: ref('/els/0/props/m')})], m: ref('/els/0/props/m')});

// --- long strings (T rows)
add('string of 1023 units stays inline', 'y'.repeat(1023));
add('string of 1024 units at the root', 'z'.repeat(1024));
add('long string in an object', {s: 'x'.repeat(1030), short: 'y'.repeat(1023)});
add('long string of two-byte characters', 'é'.repeat(1024));
add('long string of astral characters', '😀'.repeat(512));
add('long string starting with $', '$' + 'a'.repeat(1100));
add('same long string twice', ['q'.repeat(2000), 'q'.repeat(2000)]);

// --- built-ins
add('Map and Set', {m: map(['k', {v: 1}], [{obj: 'key'}, 2]), s: set('a', 1)});
add('same Map twice', [map([1, 2]), ref('/0')]);
add('object shared between a Map and the root', {m: map(['k', {x: 1}]), again: ref('/m/entries/0/1')});
add('empty Map and Set', [map(), set()]);
add('Map with special keys', map([num('NaN'), 1], [U, 2], [null, 3], [big('5'), 4], [date('2000-01-01T00:00:00.000Z'), 5]));
add('nested Maps', map(['a', map(['b', set(map())])]));
add('FormData', fd(['a', '1'], ['a', '2'], ['file', file('f.txt', 'text/plain', [120, 121])]));
add('empty FormData', fd());
add('Blob', blob('text/plain', [104, 101, 108, 108, 111]));
add('empty Blob', blob('', []));
add('Blob in an object, twice', {a: blob('application/json', [123, 125]), b: ref('/a')});
add('iterator', {iter: iter(1, 2)});
add('empty iterator', iter());
add('registered symbols', {s: sym('my.symbol'), again: sym('my.symbol'), other: sym('other')});
add('symbol at the root', sym('root.symbol'));

// --- binary rows
add('every typed array', {
  ab: typed('ArrayBuffer', [1, 2]), i8: typed('Int8Array', [255]), u8: typed('Uint8Array', [255, 10]),
  u8c: typed('Uint8ClampedArray', [7]), i16: typed('Int16Array', [254, 255]), u16: typed('Uint16Array', [1, 2]),
  i32: typed('Int32Array', [255, 255, 255, 255]), u32: typed('Uint32Array', [1, 0, 0, 0]),
  f32: typed('Float32Array', [0, 0, 192, 63]), f64: typed('Float64Array', [24, 45, 68, 84, 251, 33, 9, 64]),
  bi64: typed('BigInt64Array', [255, 255, 255, 255, 255, 255, 255, 255]), bu64: typed('BigUint64Array', [1, 0, 0, 0, 0, 0, 0, 0]),
  dv: typed('DataView', [8, 7]),
});
add('typed array at the root with a newline byte', typed('Uint8Array', [104, 105, 10, 0]));
add('same typed array twice', {a: typed('Uint8Array', [42]), b: ref('/a')});
add('empty typed array', typed('Float64Array', []));
add('large typed array', typed('Uint8Array', Array.from({length: 5000}, (_, i) => i % 251)));

// --- promises, streams, async iterables
add('fulfilled promise', {p: fulfilled({v: 1})});
add('promise at the root', fulfilled('done'));
add('same promise twice', [fulfilled('v'), ref('/0')]);
add('promise of a promise', fulfilled(fulfilled(1)));
add('rejected promise with a digest', {p: rejected(err('boom', 'my-digest'))});
add('rejected promise without a digest', {p: rejected(err('boom'))});
add('rejected promise with a string', {p: rejected('nope')});
add('ReadableStream', {s: stream([{a: 1}, 'two'])});
add('empty ReadableStream', stream([]));
add('ReadableStream with a long string', stream(['w'.repeat(1500), 3]));
add('ReadableStream that errors', {s: stream(['first'], {error: err('broke', 'd1')})});
add('byte ReadableStream', {s: bytesStream([1, 2, 3])});
add('async iterator with a return value', {it: asyncIterator([1, {b: 2}], {return: 'ret'})});
add('async iterable', {it: asyncIterable(['x'])});
add('async iterator that throws', {it: asyncIterator(['a'], {error: err('thrown', 'd2')})});
add('stream chunks sharing an object with the root', {o: {x: 1}, s: stream([ref('/o'), ref('/o')])});

// --- server and client references
add('server reference', {action: sref('actions-mod#serverAction')});
add('bound server reference, twice', {action: sref('actions-mod#serverAction', ['bound-arg']), again: ref('/action')});
add('client reference as a value', {comp: cref('client-mod', 'ClientComp', ['chunk-a', 'chunk-a.js']), again: ref('/comp')});
add('async client reference', cref('esm-mod', 'Thing', ['c1', 'c1.js'], true));
add('client reference with long module and chunk names', [
  cref('./src/components/a-rather-long-module-path.js', 'LongPathComp', ['some-long-chunk-name-0001', 'static/chunks/some-long-chunk-name-0001.js']),
  cref('./src/components/a-rather-long-module-path.js', 'Other', ['some-long-chunk-name-0001', 'static/chunks/some-long-chunk-name-0001.js']),
]);
// webpack and Turbopack production builds number their modules and chunks
// (Next.js: `I[39756,["$2"],"default"]`, chunk ids and files in pairs).
add('client reference with numeric module and chunk ids', {comp: cref(39756, 'default', [4512, 'static/chunks/4512-3f1e2a.js', 301, 'static/chunks/301.js'])});
add('async client reference with a numeric id and no chunks', cref(9766, '', [], true));
add('client component element with a numeric module id', el(cref(1234, 'Button', [77, 'static/chunks/app/page-0a1b2c3d4e5f.js']), {label: 'go'}));

// --- elements
add('host element', el('div', {className: 'x', id: 'main', children: 'hi'}));
add('nested elements with keys', el('ul', {children: [el('li', {children: 'A'}, 'a'), el(sym('react.fragment'), {children: [el('li', {children: 'B'}), 'text']}, 'f')]}));
add('client component element', el(cref('client-mod', 'ClientComp', ['chunk-a', 'chunk-a.js']), {prop: 1, children: 'child'}));
add('suspense element', el(sym('react.suspense'), {fallback: el('b', {children: 'loading'}), children: el('i', {children: 'x'})}));
add('element shared twice', {a: el('b', {children: 'x'}), b: [ref('/a'), ref('/a')]});
add('object shared through element props', [el('div', {data: {x: 1}}), ref('/0/props/data')]);
// Found by the live cross-check: the decoder filled an element's props
// before putting them in place, so this path did not resolve.
add('path into an element\'s props from inside them', el('div', {a: {x: 1}, b: ref('/props/a')}));
add('element with $ strings in props', el('a', {href: '$x', title: '$$'}));
add('row splitting: many children', el('div', {children: Array.from({length: 40}, (_, i) => el('p', {children: 'paragraph number ' + i + ' ' + 'x'.repeat(80)}, String(i)))}));

// --- errors as values and refusals
add('Error value', {err: err('bad thing')});
add('function', {f: fn('f')}, {refused: true});
add('local symbol', {s: localSym('local')}, {refused: true});
add('class instance', {i: inst('Foo', [['a', 1]])}, {refused: true});
add('null-prototype object', {i: inst(null, [['a', 1]])}, {refused: true});

// --- the order of rows that settle later (React's flushes and microtasks)
const many = Array.from({length: 12}, (_, i) => i);
add('rejected then fulfilled promise', {a: rejected(err('x', 'd')), b: fulfilled(1)});
add('fulfilled then rejected promise', {a: fulfilled(1), b: rejected(err('x', 'd'))});
add('two fulfilled promises', {a: fulfilled(1), b: fulfilled(2)});
add('promise of a promise beside a promise', {a: fulfilled(fulfilled(1)), b: fulfilled(2)});
add('promise containing a promise', {a: fulfilled({x: fulfilled(3)}), b: fulfilled(2)});
add('promise of a rejected promise', {p: fulfilled(rejected(err('x', 'd1'))), q: fulfilled(1)});
add('Blob then promise', {a: blob('t', [1]), b: fulfilled(2)});
add('promise then Blob', {a: fulfilled(2), b: blob('t', [1])});
add('two Blobs', {a: blob('t', [1]), b: blob('u', [2])});
add('empty Blob beside a promise', {a: blob('t', []), b: fulfilled(1)});
// Where an empty Blob's row lands among stream entries (found by the
// cross-check, seed 901524): its read takes as many turns as a non-empty one.
add('empty Blob beside a ReadableStream', [stream([1, 2, 3, 4, 5, 6]), blob('t', [])]);
add('empty Blob beside an async iterator', [asyncIterator([1, 2, 3]), blob('t', [])]);
add('stream beside a promise', {s: stream([1, 2, 3]), b: fulfilled(2)});
add('promise beside a stream', {b: fulfilled(2), s: stream([1, 2, 3])});
add('two streams', {s: stream([1, 2]), t: stream(['a', 'b'])});
add('stream and async iterator', {s: stream([1, 2]), t: asyncIterator([3, 4], {return: 5})});
add('async iterator beside two promises', {t: asyncIterator([3, 4]), b: fulfilled(2), c: fulfilled(3)});
add('async iterable beside a promise', {t: asyncIterable([3, 4]), b: fulfilled(2)});
add('byte stream beside a promise', {t: bytesStream([1, 2, 3]), b: fulfilled(2)});
add('erroring stream beside a promise', {s: stream([1], {error: err('e', 'd')}), b: fulfilled(2)});
add('Blob beside a long stream', {a: blob('t', [1]), s: stream(many)});
add('Blob beside a long async iterator', {a: blob('t', [1]), s: asyncIterator(many)});
add('Blob beside a function', {a: blob('t', [1]), f: fn('f')}, {refused: true});
add('Blob beside a promise of a Blob', {a: blob('t', [1]), p: fulfilled(blob('u', [2]))});
add('Blob inside a stream', {s: stream([blob('t', [1]), 2])});
add('symbol and function inside promises', {p: fulfilled(sym('a')), q: fulfilled(fn('g'))}, {as: {p: fulfilled(sym('a')), q: rejected(err('x', ''))}});
add('rejected promise beside an erroring stream', {p: rejected(err('x', 'd1')), s: stream([1], {error: err('e', 'd2')})});
add('promise of a Map', {a: fulfilled(map([1, {x: 1}])), b: fulfilled(2)});
add('stream of a promise', {s: stream([fulfilled(1), 2]), b: fulfilled(3)});
add('promise of an object written before', {o: {x: 1}, p: fulfilled(ref('/o'))});
add('promise of an invalid Date', fulfilled(date(null)));
add('stream of an invalid Date and a typed array', stream([date(null), typed('Uint8Array', [1, 2]), typed('ArrayBuffer', [3])]));
add('async iterator returning an invalid Date', asyncIterator([1], {return: date(null)}));
// React writes the DataView a second time (a `V` row of its own) for the
// return value, so its client reads two DataViews (found by the cross-check,
// seed 778645).
add('async iterator returning a DataView written before', {d: typed('DataView', [1, 2]), it: asyncIterator([], {return: ref('/d')})}, {as: {d: typed('DataView', [1, 2]), it: asyncIterator([], {return: typed('DataView', [1, 2])})}});
add('async iterator returning an object written before', {o: {x: 1}, it: asyncIterator([], {return: ref('/o')})}, {as: {o: {x: 1}, it: asyncIterator([], {return: {x: 1}})}});
add('promise of a typed array', fulfilled(typed('Float32Array', [0, 0, 192, 63])));
add('promise of a long string', fulfilled('p'.repeat(1100)));

// Found by the live cross-check: an async generator's throw settles a turn
// sooner than its yields, and a stream met again is locked.
add('async iterator that throws after a bound server reference', asyncIterator([sref('m#f', [stream([el('b', {children: sym('react.suspense')})])])], {error: err('x', 'd')}));
add('async iterator returning a stream sent before', {s: stream([1]), it: asyncIterator([], {return: ref('/s')})}, {as: {s: stream([1]), it: asyncIterator([], {error: err('x', '')})}});

// --- more values
add('bound server reference with special arguments', {a: sref('m#f', [date('2020-01-01T00:00:00.000Z'), map(['k', big('5')]), '$x'])});
add('server reference unbound and bound', [sref('m#f'), sref('m#f', [1])]);
add('server reference id starting with $', sref('$mod#f'));
add('registered symbol as a Map key', map([sym('k'), 1]));
add('Error value inside a Map', map(['e', err('bad')]));
add('promise inside a Set', set(fulfilled('x')));
add('bigints in a stream', stream([big('1'), big('-99999999999999999999')]));
add('event handler function', {onClick: fn('handle')}, {refused: true});
add('class instance inside an array', [1, inst('Foo', [['a', 1]])], {refused: true});
add('long strings in a Map and a Set', {m: map(['k', 'm'.repeat(1024)]), s: set('s'.repeat(2000))});
add('long string as a Map key', map(['k'.repeat(1500), 1]));
add('client reference with exactly 16-character names', cref('sixteen-chars-id', 'Comp', ['abcdefghijklmnop', 'short']));
add('client references sharing long chunk names', [
  cref('module-number-one-long', 'A', ['shared-chunk-name-long']),
  cref('module-number-two-long', 'B', ['shared-chunk-name-long']),
]);
// One I row, so one client reference on the client.
add('client reference used as value and element type', [cref('client-mod', 'C', ['c']), el(cref('client-mod', 'C', ['c']), {})], {as: [cref('client-mod', 'C', ['c']), el(ref('/0'), {})]});
add('same client reference node twice as element types', (() => {
  const c = cref('client-mod', 'C', ['c']);
  return [el(c, {}), el(ref('/0/type'), {})];
})());

// --- elements: hints, formats, row splitting
add('img preload hint', el('div', {children: [el('img', {src: '/a.png', alt: ''}), el('img', {src: '/a.png'})]}));
add('img with srcSet and sizes', el('img', {src: '/a.png', srcSet: '/a.png 1x, /a2.png 2x', sizes: '100vw', crossOrigin: 'anonymous', fetchPriority: 'high'}));
add('lazy and data: images give no hint', [el('img', {src: '/lazy.png', loading: 'lazy'}), el('img', {src: 'data:image/png;base64,AAAA'}), el('img', {src: '/low.png', fetchPriority: 'low'})]);
add('link stylesheet hint', el('link', {rel: 'stylesheet', href: '/x.css', precedence: 'default'}));
add('link preload hint', el('link', {rel: 'preload', href: '/font.woff2', as: 'font', type: 'font/woff2', crossOrigin: ''}));
add('link modulepreload hint', el('link', {rel: 'modulepreload', href: '/m.js'}));
add('link preload without as', el('link', {rel: 'preload', href: '/thing'}));
add('noscript children outlined', el('div', {children: [el('img', {src: '/a.png'}), el('noscript', {children: el('img', {src: '/b.png'})})]}));
add('picture children outlined', el('picture', {children: [el('source', {srcSet: '/c.webp'}), el('img', {src: '/c.png'})]}));
add('noscript with a text child', el('noscript', {children: 'enable JavaScript'}));
add('element with a ref is refused', el('div', {ref: fn('r'), children: 'x'}), {refused: true});
add('promise of an element', {p: fulfilled(el('span', {children: 'later'}))});
add('element with a promise and a stream in its props', el('div', {p: fulfilled(1), s: stream(['a'])}));
add('row splitting inside a Map', map(['k', el('div', {children: Array.from({length: 40}, (_, i) => el('p', {children: 'q'.repeat(100)}, String(i)))})]));
add('row splitting with a shared element', (() => {
  const kids = Array.from({length: 36}, (_, i) => el('p', {children: 'r'.repeat(100)}, String(i)));
  return el('div', {children: [...kids, ref('/props/children/35')]});
})());
add('row splitting by keys', el('div', Object.fromEntries(Array.from({length: 40}, (_, i) => ['k'.repeat(90) + i, el('b', {})]))));

// --- hand-made streams for the decoder
body('forward reference', '0:{"p":"$@1"}\n1:"done"\n', {expect: {p: fulfilled('done')}});
body('development rows are set aside', ':N1795224462696.0432\n0:"x"\n', {expect: 'x', reactDiffers: 'React\'s production client refuses development rows'});
body('binary row longer than the data', '0:o9,ab', {error: 'Connection closed.'});
body('row referring to itself', '0:"$0"\n', {error: 'refers to itself'});
body('uppercase hex id', 'A:1\n0:"$a"\n', {error: 'not a lowercase hex digit', reactDiffers: 'React computes a garbage id and never resolves row 0'});
body('truncated row', '0:{"a":1', {error: 'Connection closed.'});
body('missing row', '0:"$1"\n', {error: 'Connection closed.'});
body('hint rows are kept aside', ':HL["/a.png","image"]\n0:"x"\n', {expect: 'x'});
body('lazy reference is transparent', '0:["$L1"]\n1:{"a":1}\n', {expect: [{a: 1}]});
// Found by the response_split fuzz target: a hint's id means nothing, so a
// hint may reuse a model row's id, before or after it, whole or in chunks.
body('hint row reusing the id of a model row', '0:"$1"\n1:"x"\n0:HL["/a.png","image"]\n1:HL["/b.png","image"]\n', {expect: 'x'});
body('malformed hint row', ':HL["/a.png",\n0:"x"\n', {error: 'Unexpected end of JSON input'});
// React's client decides on the second character alone.
body('tags decided by their second character', '0:["$Ifoo","$-foo","$-0","$Nfoo","$ufoo","$w","$wx"]\n',
  {expect: [num('Infinity'), num('-Infinity'), num('-0'), num('NaN'), U, U, U]});
// Read differently by releases (everyVersion: each version's vectors hold
// what its own client makes of them): `$w` is undefined from 19.3, a row id
// before; `$H` a row id (undefined in Next.js 16.5's build); a `T` row's
// leading byte order mark is dropped by the client's TextDecoder.
body('$w by release', '0:["$w","$wx"]\n', {expect: [U, U], everyVersion: true});
body('$H by release', '0:["$H1"]\n', {error: 'Connection closed.', everyVersion: true});
body('a byte order mark at the start of a T row', '0:["$1","$2","$3"]\n1:T5,\xef\xbb\xbfab2:T5,a\xef\xbb\xbfb3:"\xef\xbb\xbfc"\n',
  {expect: ['ab', 'a\ufeffb', '\ufeffc'], everyVersion: true});
body('a row that is a reference to a row that is a reference to it', '0:"$1"\n1:"$0"\n', {error: 'refers to itself'});
body('a path to a member that never comes', '0:{"a":"$1:b"}\n1:{"c":1}\n', {error: 'Invalid reference.'});
body('numeric module id, outlined chunk file, lazy element type', '2:"static/chunks/4512-3f1e2a.js"\n1:I[39756,[4512,"$2"],"default"]\n0:["$","$L1",null,{"a":1}]\n',
  {expect: el(cref(39756, 'default', [4512, 'static/chunks/4512-3f1e2a.js']), {a: 1})});

module.exports = {cases};
