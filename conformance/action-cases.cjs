'use strict';
// Progressive-enhancement form posts for decodeAction / decodeFormState.
// `ref` cases: the client's `$$FORM_ACTION(prefix)` of a server reference
// gives the action fields (as React DOM renders them into a form), then the
// form's own `fields` follow. `fields` alone: a hand-made post.
const file = (name, type, text) => ({file: {name, type, base64: Buffer.from(text).toString('base64')}});
const cases = [];
const add = (name, c) => cases.push({name, ...c});

add('unbound action', {ref: {id: 'mod#fn', bound: null}, prefix: 'P', fields: [['name', 'Ann']]});
add('unbound action with a file', {ref: {id: 'app/actions.js#upload', bound: null}, prefix: 'P', fields: [['f', file('a.txt', 'text/plain', 'hi')], ['n', '1']]});
add('bound action', {ref: {id: 'mod#fn', bound: ['bound1', {x: 1}]}, prefix: 'P', fields: [['field', 'v']]});
add('bound action, empty prefix', {ref: {id: 'mod#fn', bound: ['b']}, prefix: '', fields: []});
add('bound action with rich arguments', {
  ref: {id: 'm#save', bound: [{$type: 'Date', value: '2026-01-01T00:00:00.000Z'}, {$type: 'Map', entries: [['k', [1, 2]]]}, {$type: 'bigint', value: '12345678901234567890'}, {$type: 'undefined'}]},
  prefix: 'R', fields: [['q', 'x']],
});
add('bound action with a typed array', {ref: {id: 'm#bin', bound: [{$type: 'Uint8Array', base64: 'AQID'}]}, prefix: 'B', fields: []});
add('bound action with $ACTION_KEY', {ref: {id: 'mod#fn', bound: ['bound1']}, prefix: 'P', fields: [['$ACTION_KEY', 'k0'], ['field', 'v']]});
add('bound action with two bound arguments and $ACTION_KEY', {ref: {id: 'mod#fn', bound: ['a', 'b']}, prefix: 'P', fields: [['$ACTION_KEY', 'k1']]});
add('form fields before the action fields', {ref: {id: 'mod#fn', bound: ['a']}, prefix: 'P', fieldsFirst: true, fields: [['x', '1'], ['y', '2']]});
add('no action field', {fields: [['a', 'b']]});
add('only $ACTION_KEY', {fields: [['$ACTION_KEY', 'k'], ['a', 'b']]});
add('unbound action with $ACTION_KEY', {fields: [['$ACTION_ID_mod#fn', ''], ['$ACTION_KEY', 'k']]});
add('two action ids: the last one wins', {fields: [['$ACTION_ID_first#a', ''], ['$ACTION_ID_second#b', ''], ['z', '1']]});
add('an $ACTION_ field that names no action is dropped', {fields: [['$ACTION_OTHER', 'x'], ['$ACTION_ID_mod#fn', ''], ['k', 'v']]});
add('$ACTION_REF_ with bound null', {fields: [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"mod#fn","bound":null}'], ['k', 'v']]});
add('$ACTION_REF_ with bound null and $ACTION_KEY', {fields: [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"mod#fn","bound":null}'], ['$ACTION_KEY', 'k']]});
add('$ACTION_KEY that is a file', {fields: [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"mod#fn","bound":"$@1"}'], ['$ACTION_1:1', '[1]'], ['$ACTION_KEY', file('k.txt', 'text/plain', 'k')]]});
add('$ACTION_REF_ whose metadata is missing', {fields: [['$ACTION_REF_1', ''], ['k', 'v']], error: true});
add('$ACTION_REF_ whose bound part is missing', {fields: [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"mod#fn","bound":"$@1"}']], error: true});

module.exports = {cases};
