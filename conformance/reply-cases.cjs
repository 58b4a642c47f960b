'use strict';
// The reply conformance cases. `value` cases are encoded by React's
// encodeReply and decoded by its decodeReply; `body` cases are hand-made
// bodies for the decoder only (limits, hostile shapes, leniency).
// Values are written in the tagged notation (spec/notation.md).

const {
  U, num, big, date, ref, map, set, b64, typed, blob, file, fd, fulfilled, rejected, err, sref, cref, fn, inst,
  sym, localSym, stream, bytesStream, asyncIterable, asyncIterator, iter, el,
} = require('./lib/notation.cjs');

const cases = [];
const add = (name, value, opts = {}) => cases.push({name, value, ...opts});
const body = (name, b, opts = {}) => cases.push({name, body: b, ...opts});
const text = (t) => ({text: t});
const fields = (...fs) => ({fields: fs.map(([name, v]) => (typeof v === 'string' ? {name, text: v} : {name, file: v}))});

// --- primitives and escaping
add('string', 'hello');
add('empty string', '');
add('string starting with $', '$dollar');
add('string "$"', '$');
add('string starting with $$', '$$x');
add('string starting with @', '@foo');
add('unicode and control characters', 'é\n☃\u0001\u007f\u2028"\\/\t');
add('astral characters', '😀𝄞');
add('string that looks like a date', '2020-01-01T00:00:00.000Z');
add('string that looks like a reference', '$1:a:b');
add('integer', 42);
add('float', 1.5);
add('large and small numbers', [1e21, 5e-324, 1.7976931348623157e308, -123456789.125, 0.1, 1e-7, 123e-20]);
add('negative zero', num('-0'));
add('NaN', num('NaN'));
add('Infinity', num('Infinity'));
add('-Infinity', num('-Infinity'));
add('numbers in an array', [0, num('-0'), num('Infinity'), num('-Infinity'), num('NaN'), 1e21, 5e-324]);
add('true', true);
add('false', false);
add('null', null);
add('undefined at the root', U);
add('bigint', big('123'));
add('negative bigint', big('-90071992547409910000'));
add('zero bigint', big('0'));
add('bigint of 300 digits', big('9'.repeat(300)));
add('Date', date('2009-02-13T23:31:30.123Z'));
add('Date at the epoch inside an object', {when: date('1970-01-01T00:00:00.000Z')});
add('Date before the epoch', date('1969-07-20T20:17:40.000Z'));
add('Date with an extended year', date('+275760-09-13T00:00:00.000Z'));
add('Date with a negative year', date('-000001-01-01T00:00:00.000Z'));
add('invalid Date', date(null), {expect: null});
add('invalid Date in an array', [date(null), 1], {expect: [null, 1]});
add('same Date twice', [date('2000-01-01T00:00:00.000Z'), date('2000-01-01T00:00:00.000Z')]);

// --- objects and arrays
add('nested object', {a: 1, b: {c: [1, 2, {d: 'x'}]}, e: '$e'});
add('array with undefined', [1, U, null, U, 'x']);
add('object with an undefined value (kept)', {a: U, b: 1}, {reactDiffers: 'React deletes keys whose value is undefined'});
add('empty object and array', {o: {}, a: []});
add('object keys are not escaped', {$key: '$val', '': 'empty key', '$': '$'});
add('integer-like keys come first', {b: 1, 2: 'two', a: 3, 1: 'one', '01': 'zero-one'});
add('key with colon', {'a:b': {x: 1}});
add('the $type key', {$type: 'Object', entries: [['$type', 'not a tag'], ['x', 1]]});
add('deep nesting', JSON.parse('['.repeat(200) + ']'.repeat(200)));
add('deep object nesting', JSON.parse('{"a":'.repeat(150) + '1' + '}'.repeat(150)));
add('wide array', Array.from({length: 1000}, (_, i) => i));
add('long string', 'x'.repeat(100000));

// --- identity: dedupe and cycles
add('same object twice', {first: {x: 1}, second: ref('/first'), list: [ref('/first')]});
add('same array twice', [[1, 2], ref('/0')]);
add('object cycle', {name: 'root', self: ref(''), child: {parent: ref('')}});
add('array cycle', ['x', ref('')]);
add('dedupe under a key containing ":"', {'a:b': {x: 1}, c: ref('/a:b'), d: ref('/a:b')}, {expectFromReact: true});
add('shared object deep inside', {a: {b: {c: {d: 1}}}, e: ref('/a/b/c'), f: ref('/a/b')});
add('shared object in a Map and outside', {m: map(['k', {x: 1}]), again: ref('/m/entries/0/1')});
add('same Map twice', {m1: map([1, 2]), m2: ref('/m1')});
add('same Blob twice', [blob('', [120]), ref('/0')]);
add('same typed array twice', {a: typed('Uint8Array', [42]), b: ref('/a')}, {reactDiffers: 'React decodes the second reference as null'});
add('Map containing itself', map(['me', ref('')]), {reactDiffers: 'React decodes a Map containing itself as null'});
add('Set containing itself', set(1, ref('')), {reactDiffers: 'React loses the self reference'});
add('object shared between a promise and the root', {o: {shared: 1}, p: fulfilled(ref('/o'))});
add('promise containing the root', {p: fulfilled(ref(''))});
add('doubling chain of shared arrays', (() => {
  const v = {l0: ['leaf']};
  for (let i = 1; i < 20; i++) v['l' + i] = [ref('/l' + (i - 1)), ref('/l' + (i - 1))];
  return v;
})(), {error: 'Maximum array nesting exceeded.'});

// --- Map, Set, iterators
add('Map with object keys', map(['hi', {greet: 'world'}], [{obj: 'key'}, 123]));
add('empty Map', map());
add('Map with special keys', map([num('NaN'), 1], [0, 2], [U, 3], [null, 4], [big('5'), 5]));
add('Set', set('hi', {b: 1}, 3));
add('empty Set', set());
add('Set with special values', set(num('NaN'), U, null, date('2000-01-01T00:00:00.000Z')));
add('iterator', iter(1, 'two'));
add('iterator of objects', iter({a: 1}, {b: [2]}));
add('Map inside a Set inside a Map', map(['s', set(map([1, 2]))]));
add('ten Maps (part ids above 9)', {maps: Array.from({length: 12}, (_, i) => map([i, i]))});

// --- FormData, Blob, File
add('FormData argument', fd(['hello', 'world'], ['list', '1'], ['list', '2'], ['blob', file('filename.blob', '', [0, 1, 2, 3])]));
add('two FormData arguments', {a: fd(['greeting', 'hello']), b: fd(['greeting', 'hi'])});
add('empty FormData', fd());
add('FormData with part id 10 and more', {maps: Array.from({length: 10}, (_, i) => map([i, i])), fd: fd(['k', 'v'], ['k2', 'v2'])},
  {reactDiffers: 'React 19.3.1 looks up "_b_" for "$Kb" and returns an empty FormData'});
add('FormData at part id 16 (hex 10)', {maps: Array.from({length: 15}, (_, i) => map([i, i])), fd: fd(['x', 'y'])},
  {reactDiffers: 'React 19.3.1 reads the entries of part 10 instead'});
add('FormData with line breaks in values', fd(['a', 'line1\nline2\rline3\r\nline4']));
add('FormData with unusual names', fd(['', 'empty name'], ['_1_x', 'looks like a part'], ['$ACTION_x', 'looks like an action'], ['é', 'ü']));
add('Blob', blob('text/plain', [104, 101, 108, 108, 111]));
add('Blob without type', blob('', [1, 2, 3]));
add('empty Blob', blob('', []));
add('File', file('a.txt', 'text/plain', [97, 98, 99]));
add('File with a quote in its name', file('a "q".txt', 'text/plain', [1]));
add('Blob with binary content', blob('application/octet-stream', Array.from({length: 256}, (_, i) => i)));
add('Blob type with parameters', blob('text/plain;charset=utf-8', [104, 105]));

// --- binary
add('ArrayBuffer', {$type: 'ArrayBuffer', base64: b64([1, 2, 3])});
add('empty ArrayBuffer', {$type: 'ArrayBuffer', base64: ''});
add('Int8Array', typed('Int8Array', [255, 2]));
add('Uint8Array', typed('Uint8Array', [255, 0, 7]));
add('Uint8ClampedArray', typed('Uint8ClampedArray', [255, 0, 9]));
add('Int16Array', typed('Int16Array', [0xfe, 0xff, 1, 2]));
add('Uint16Array', typed('Uint16Array', [0xff, 0xff, 1, 0]));
add('Int32Array', typed('Int32Array', [255, 255, 255, 255, 4, 3, 2, 1]));
add('Uint32Array', typed('Uint32Array', [255, 255, 255, 255]));
add('Float32Array', typed('Float32Array', [0, 0, 0xc0, 0x3f, 0, 0, 0, 0x80]));
add('Float64Array', typed('Float64Array', [0x18, 0x2d, 0x44, 0x54, 0xfb, 0x21, 0x09, 0x40]));
add('BigInt64Array', typed('BigInt64Array', [255, 255, 255, 255, 255, 255, 255, 255]));
add('BigUint64Array', typed('BigUint64Array', [255, 255, 255, 255, 255, 255, 255, 255]));
add('DataView', typed('DataView', [8, 7]));
add('empty Float64Array', typed('Float64Array', []));
add('several typed arrays', {a: typed('Uint8Array', [1]), b: typed('Float64Array', [0, 0, 0, 0, 0, 0, 0, 0x40])});
add('typed arrays inside a Map', map(['k', typed('Uint8Array', [1, 2])], [typed('Int8Array', [3]), 'v']));

// --- promises
add('promise at the root', fulfilled(5), {reactDiffers: 'await flattens the root promise'});
add('promise inside an object', {p: fulfilled({late: true})});
add('same promise twice', [fulfilled('v'), ref('/0')]);
add('promise of a promise-free Map', {p: fulfilled(map(['a', 1]))});
add('nested promises', {p: fulfilled({q: fulfilled({r: fulfilled(1)})})});
add('two promises and a Map', {a: fulfilled(1), m: map([1, fulfilled(2)]), b: fulfilled(3)});
add('promise of undefined', {p: fulfilled(U)});
add('promise of a string with $', {p: fulfilled('$x')});

// --- streams and async iterables
add('ReadableStream', stream([{a: 1}, 'two']));
add('empty ReadableStream', stream([]));
add('byte ReadableStream', bytesStream([1, 2, 3]));
add('empty byte ReadableStream', bytesStream([]), {reactDiffers: 'React enqueues a zero-length chunk and throws'});
add('byte ReadableStream over 1024 bytes', bytesStream(Array.from({length: 3000}, (_, i) => i & 255)));
add('async iterator with a return value', asyncIterator([1, {b: 2}], {return: 'ret'}));
add('async iterable', asyncIterable(['x']));
add('async iterable with a return value', asyncIterable([1, 2], {return: {done: true}}));
add('two async iterators', {s1: asyncIterator(['a']), s2: asyncIterator(['b'])});
add('stream and promise together', {s: stream([1, 2, 3]), p: fulfilled('p'), it: asyncIterator(['i'])});
add('stream of typed arrays and Maps', stream([typed('Uint8Array', [1]), map(['k', 'v'])]));
add('stream chunk with a shared object from part 0', {o: {x: 1}, s: stream([ref('/o')])});
add('stream chunk with promises', stream([fulfilled('a'), {p: fulfilled('b')}]));
add('byte stream and value stream together', {b: bytesStream([9, 9]), s: stream(['x'])});

// --- server references
add('server reference', sref('mod#fn'));
add('bound server reference', sref('mod#fn', [1, 'two', {three: 3}]));
add('server reference bound to nothing', sref('mod#fn', []));
add('same server reference twice', {a: sref('mod#fn'), b: ref('/a')});
add('two server references', {a: sref('mod#a'), b: sref('mod#b', [date('2000-01-01T00:00:00.000Z')])});
add('server reference id starting with $', sref('$weird#id'));
add('server reference with shared bound object', {o: {k: 1}, f: sref('m#f', [ref('/o')])},
  {reactDiffers: 'React never resolves: the bound arguments wait for the root, which waits for the server reference'});

// --- temporary references and refusals
const T = {temporaryReferences: true};
add('function without temporary references', {fn: fn('f')}, {encodeError: 'Client Functions cannot be passed directly to Server Functions.'});
add('instance without temporary references', {inst: inst('Foo', [['a', 1]])}, {encodeError: 'Only plain objects, and a few built-ins, can be passed to Server Functions.'});
add('null-prototype object', inst(null, [['a', 1]]), {encodeError: 'Only plain objects, and a few built-ins, can be passed to Server Functions.'});
add('registered symbol', sym('reg'), {encodeError: 'Symbols cannot be passed to a Server Function without a temporary reference set.'});
add('local symbol in an object', {s: localSym('local')}, {encodeError: 'Symbols cannot be passed to a Server Function without a temporary reference set.'});
add('React element', {el: el('div', {children: 'x'})}, {encodeError: 'React Element cannot be passed to Server Functions from the Client without a temporary reference set.'});
add('function with temporary references', {fn: fn('f')}, {...T, expectFromReact: true});
add('element with temporary references', {el: el('div', {children: 'x'})}, {...T, expectFromReact: true});
add('element at the root with temporary references', el('div', {}), {...T, expectFromReact: true});
add('local symbol with temporary references', {s: localSym('local')}, {...T, expectFromReact: true});
add('instance with temporary references', {inst: inst('Foo')}, {...T, expectFromReact: true});
add('instance at the root with temporary references', inst('Foo'), {...T, expectFromReact: true});
add('nested function with temporary references', {a: {b: [fn('g')]}}, {...T, expectFromReact: true});
add('temporary references in a Map and a promise', {m: map(['k', fn('f')]), p: fulfilled({q: localSym('s')})}, {...T, expectFromReact: true});
add('function at the root with temporary references', fn('f'), {...T, encodeError: 'Client Functions cannot be passed directly to Server Functions.'});
add('function under a key with ":"', {'a:b': fn('f')}, {...T, encodeError: 'Client Functions cannot be passed directly to Server Functions.'});
add('same instance twice with temporary references', {a: inst('Foo'), b: ref('/a')}, {...T, expectFromReact: true});
add('plain data with temporary references', {a: [1, {b: 'c'}], d: map([1, 2])}, T);
add('rejected promise', {p: {$type: 'Promise', status: 'rejected', reason: 'nope'}}, {encodeError: 'nope'});
add('stream that errors', {$type: 'ReadableStream', chunks: [1], error: 'bad'}, {encodeError: 'bad'});
add('rejected promise with an Error', {p: {$type: 'Promise', status: 'rejected', reason: {$type: 'Error', message: 'boom', digest: null}}}, {encodeError: 'boom'});

// --- found by the live random cross-check (conformance/cross-check.cjs)
// A stream chunk is JSON.stringify'd without a reference of its own: a cycle
// inside it is V8's error, and a value met twice in it is sent twice.
add('stream chunk that contains itself', stream([[ref('/chunks/0')]]), {encodeError: 'Converting circular structure to JSON'});
add('async iterable return value that contains itself', asyncIterable([], {return: {a: ref('/return')}}), {encodeError: 'Converting circular structure to JSON'});
add('stream chunk with one object twice', stream([[{a: 1}, ref('/chunks/0/0')]]), {expectFromReact: true});
// A Map initializer that refers back into the part that refers to it: the
// Map is built only once that part is complete.
add('Map whose key is a stream beside it', map(['k', [stream([true]), map([ref('/entries/0/1/0'), 1])]]));
add('Set whose value is a Map beside it', [[map([1, 2]), set(ref('/0/0'))]]);
add('server reference bound to a value beside it', [[{x: 1}, sref('m#f', [ref('/0/0')])]],
  {reactDiffers: 'React never resolves: the bound arguments wait for the root part, which waits for them'});
// A stream chunk that refers into the root before the root is complete.
add('async iterable chunk referring into the root', [{a: [], s: asyncIterable([ref('/0/a')])}]);
add('stream chunk referring into the root', [{a: {b: 2}, s: stream([ref('/0/a'), 'x'])}]);
// undici leaves out an empty file name: the file arrives as a text field.
add('FormData with a file of empty name', fd(['f', file('', 'text/plain', Buffer.from('hi'))]), {expectViaMultipart: fd(['f', 'hi'])});

// --- a typical call
add('typical call', ['user-123', {title: 'Buy milk', tags: ['home', 'errand', 'today'], done: false, due: date('2026-01-01T10:00:00.000Z')}, 42]);

// --- hand-made bodies: leniency, limits, hostile shapes
body('prefix matching of special strings', text('["$-0","$-Infinity","$-x","$Ifoo","$Nbar","$ubaz"]'), {expect: [num('-0'), num('-Infinity'), num('-Infinity'), num('Infinity'), num('NaN'), U]});
body('$E and $C are part references', fields(['0', '["$E","$C"]'], ['14', '"e"'], ['12', '"c"']), {expect: ['e', 'c']});
body('$Z1 is a missing part', text('"$Z1"'), {error: 'Connection closed.'});
body('a lone $ is a missing part', text('"$"'), {error: 'Connection closed.'});
body('missing part', text('"$1"'), {error: 'Connection closed.'});
body('a later duplicate field wins', fields(['0', '"first"'], ['0', '"second"']), {expect: 'second'});
body('empty form', fields(), {error: 'Connection closed.'});
body('path through __proto__', fields(['0', '["$1:__proto__"]'], ['1', '{}']), {error: 'Invalid reference.'});
body('path through constructor', fields(['0', '["$1:constructor:constructor"]'], ['1', '{}']), {error: 'Invalid reference.'});
body('path into a string', fields(['0', '["$1:a:length"]'], ['1', '{"a":"str"}']), {error: 'Invalid reference.'});
body('path into a Map', fields(['0', '{"m":"$Q1","x":"$0:m:k"}'], ['1', '[["k",1]]']), {error: 'Invalid reference.'});
body('path to array length', fields(['0', '["$1:length"]'], ['1', '[1,2,3]']), {expect: [3]});
body('own __proto__ key is dropped', text('{"__proto__":{"polluted":1},"ok":1}'), {expect: {ok: 1}});
body('CVE-2025-55182 payload shape', fields(
  ['0', '{"then":"$1:__proto__:then","status":"resolved_model","reason":-1,"value":"{\\"then\\":\\"$B1337\\"}","_response":{"_prefix":"process.exit(1)//","_formData":{"get":"$1:constructor:constructor"}}}'],
  ['1', '"$@0"']), {error: 'Invalid reference.'});
body('cyclic thenable at the root', text('"$@0"'), {error: 'Cannot have cyclic thenables.'});
body('mutually cyclic thenables', fields(['0', '"$@1"'], ['1', '"$@0"']), {error: 'Cannot have cyclic thenables.'});
body('Map initializer used twice', fields(['0', '["$Q1","$Q1"]'], ['1', '[["k","v"]]']), {error: 'Already initialized Map.'});
body('Set initializer used twice', fields(['0', '["$W1","$W1"]'], ['1', '[1]']), {error: 'Already initialized Set.'});
body('Iterator initializer used twice', fields(['0', '["$i1","$i1"]'], ['1', '[1]']), {error: 'Already initialized Iterator.'});
body('Map initializer not an array', fields(['0', '"$Q1"'], ['1', '{"a":1}']), {error: 'Invalid Map initializer.'});
body('typed array id used twice', fields(['0', '["$o1","$o1"]'], ['1', {name: 'blob', type: '', base64: 'AQ=='}]), {error: 'Already initialized typed array.'});
body('stream id used twice', fields(['0', '["$R1","$R1"]'], ['S1', 'C']), {error: 'Already initialized stream.'});
body('bad typed array length', fields(['0', '"$L1"'], ['1', {name: 'blob', type: '', base64: 'AQID'}]), {error: 'byte length of Int32Array should be a multiple of 4'});
body('$B to a text field', fields(['0', '"$B1"'], ['1', 'text']), {error: 'Referenced Blob is not a Blob.'});
body('bytes stream with a non-binary chunk', fields(['0', '"$r1"'], ['S1', '"text"'], ['S1', 'C']), {error: 'Invalid data for bytes stream.'});
body('BigInt of 301 digits', text('"$n' + '1'.repeat(301) + '"'), {error: 'BigInt is too large. Received 301 digits but the limit is 300.'});
body('BigInt text BigInt() accepts', text('["$n0x1f","$n","$n-0"," $n7 "]'), {expect: [big('31'), big('0'), big('0'), ' $n7 ']});
body('1000 bound arguments', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":"$@2"}'], ['2', JSON.stringify(Array.from({length: 1000}, (_, i) => i))]),
  {expect: sref('m#f', Array.from({length: 1000}, (_, i) => i))});
body('1001 bound arguments', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":"$@2"}'], ['2', JSON.stringify(Array.from({length: 1001}, (_, i) => i))]),
  {error: 'Server Function has too many bound arguments. Received 1001 but the limit is 1000.'});
body('array budget at its limit', text(JSON.stringify(['a'.repeat(999997), 1])));
body('array budget one past its limit', text(JSON.stringify(['a'.repeat(999998), 1])), {error: 'Maximum array nesting exceeded.'});
body('one long string in an array (no fork)', text(JSON.stringify(['a'.repeat(2000000)])));
body('long string in an object', text(JSON.stringify({s: 'a'.repeat(2000000)})));
body('1000 nested single-element arrays', text('['.repeat(1000) + ']'.repeat(1000)));
body('array budget through a reference', fields(['0', '["$1","$1",1]'], ['1', JSON.stringify(['a'.repeat(600000)])]), {error: 'Maximum array nesting exceeded.'});
body('temporary reference without the option', text('{"a":"$T"}'), {error: 'Could not reference an opaque temporary reference.'});
body('temporary references with the option', text('{"opaque":"$T","list":["$T"]}'), {...T, expectFromReact: true});
body('temporary reference under a key with ":"', text('{"a:b":"$T"}'), {...T, error: 'Could not reference an opaque temporary reference.'});
body('server reference with a non-string id', fields(['0', '{"f":"$h1"}'], ['1', '{"id":5,"bound":null}']), {expect: {f: null}});
body('server reference under the key then', fields(['0', '{"then":"$h1","x":1}'], ['1', '{"id":"m#f","bound":null}']), {expect: {then: null, x: 1}});
body('server reference path', fields(['0', '"$h1:x"'], ['1', '{"x":{"id":"m#f","bound":null}}']), {expect: sref('m#f')});
// React caches a loaded server reference on its metadata object, under
// `$$promise` (19.0.4, 19.1.5, 19.2.4 and later); metadata sent with that key
// set is read as that cache.
body('server reference metadata with a fulfilled $$promise', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":null,"$$promise":{"status":"fulfilled","value":42}}']), {expect: 42, everyVersion: true});
body('server reference metadata with a pending $$promise', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":null,"$$promise":{"status":"pending"}}']), {error: 'cachedPromise.then is not a function', everyVersion: true});
body('server reference metadata with a null $$promise', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":null,"$$promise":null}']), {error: "Cannot read properties of null (reading 'status')", everyVersion: true});
body('server reference metadata with an undefined $$promise', fields(['0', '"$h1"'], ['1', '{"id":"m#f","bound":null,"$$promise":"$undefined"}']), {expect: sref('m#f'), everyVersion: true});
body('FormData entries out of order', fields(['_2_b', 'B'], ['_1_a', 'A'], ['0', '{"x":"$K1","y":"$K2"}']),
  {expect: {x: fd(['a', 'A']), y: fd(['b', 'B'])}, reactDiffers: 'React needs contiguous entries in reference order'});
body('stream with a return value on C', fields(['0', '"$x1"'], ['S1', '1'], ['S1', 'C"r"']), {expect: asyncIterator([1], {return: 'r'})});
body('promise to a forward part', fields(['0', '{"p":"$@2"}'], ['2', '"late"']), {expect: {p: fulfilled('late')}});
body('forward reference to a later path in the same part', text('{"a":"$0:b","b":{"x":1}}'), {expect: {a: {x: 1}, b: ref('/a')}});
body('duplicate JSON keys', text('{"a":1,"b":2,"a":3}'), {expect: {a: 3, b: 2}});

module.exports = {cases};
