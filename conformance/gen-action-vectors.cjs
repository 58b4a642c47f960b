'use strict';
// Vectors for decodeAction / decodeFormState (tests/vectors/action.json).
// Step "client" (no conditions): the action fields React's client gives a
// server reference used as a form action. Step "server" (--conditions
// react-server): React's decodeAction and decodeFormState of each post.
//   node gen-action-vectors.cjs client OUT.json
//   node --conditions react-server gen-action-vectors.cjs server IN.json OUT.json
const fs = require('fs');
const {req, serverManifest, fieldsToBody} = require('./lib/react.cjs');
const {fromTagged, toTagged} = require('./lib/tagged.cjs');
const {cases} = require('./action-cases.cjs');

async function formAction(ref, prefix) {
  for (let i = 0; i < 10; i++) {
    try {
      return ref.$$FORM_ACTION(prefix);
    } catch (thenable) {
      // The bound arguments are encoded asynchronously: React throws a
      // thenable until they are ready.
      if (thenable && typeof thenable.then === 'function') await thenable;
      else throw thenable;
    }
  }
  throw new Error('$$FORM_ACTION never finished');
}

async function client(out) {
  const Client = req('react-server-dom-webpack/client.node');
  const posts = [];
  for (const c of cases) {
    let fields = c.fields.map(([name, v]) => (typeof v === 'string' ? {name, text: v} : {name, ...v}));
    if (c.ref) {
      let ref = Client.createServerReference(c.ref.id, () => Promise.resolve());
      if (c.ref.bound) ref = ref.bind(null, ...fromTagged(c.ref.bound));
      const r = await formAction(ref, c.prefix);
      const own = [{name: r.name, text: ''}];
      if (r.data) {
        for (const [name, v] of r.data.entries()) {
          if (typeof v === 'string') own.push({name, text: v});
          else own.push({name, file: {name: v.name, type: v.type, base64: Buffer.from(await v.arrayBuffer()).toString('base64')}});
        }
      }
      fields = c.fieldsFirst ? [...fields, ...own] : [...own, ...fields];
    }
    posts.push({name: c.name, fields, ...(c.ref ? {ref: c.ref} : {})});
  }
  fs.writeFileSync(out, JSON.stringify(posts));
}

async function server(input, out) {
  const Server = req('react-server-dom-webpack/server.node');
  const posts = JSON.parse(fs.readFileSync(input, 'utf8'));
  const vectors = [];
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i];
    const c = cases[i];
    const v = {name: p.name, fields: p.fields};
    try {
      const fn = await Server.decodeAction(fieldsToBody({fields: p.fields}), serverManifest);
      v.action = fn === null ? null : await toTagged(fn);
    } catch (e) {
      v.action = {error: e instanceof Error ? e.message : String(e)};
    }
    try {
      v.formState = await Server.decodeFormState('RESULT', fieldsToBody({fields: p.fields}), serverManifest);
      if (v.formState !== null) v.formState = v.formState.slice(1);
    } catch (e) {
      v.formState = {error: e instanceof Error ? e.message : String(e)};
    }
    if (!!c.error !== ('error' in (v.action || {}))) throw new Error(`${c.name}: unexpected decodeAction result ${JSON.stringify(v.action)}`);
    vectors.push(v);
  }
  fs.writeFileSync(out, JSON.stringify(vectors, null, 1) + '\n');
  console.log(`wrote ${vectors.length} action vectors to ${out}`);
}

const [step, a, b] = process.argv.slice(2);
(step === 'client' ? client(a) : server(a, b)).catch((e) => { console.error(e); process.exit(1); });
