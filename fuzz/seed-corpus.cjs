// Writes each fuzz target's seed corpus (fuzz/corpus/<target>/) from the
// golden vectors in tests/vectors/. Run from anywhere: node fuzz/seed-corpus.cjs
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const load = (f) => JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors', f), 'utf8'));
const out = (target, name, bytes) => {
  const dir = path.join(__dirname, 'corpus', target);
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, name.replace(/[^a-zA-Z0-9]+/g, '_').slice(0, 80)), bytes);
};
const b64 = (s) => Buffer.from(s, 'base64');

// A multipart body with boundary X, as the fuzz target reads it.
function multipart(fields) {
  const parts = fields.map((f) => {
    const head = f.file
      ? `Content-Disposition: form-data; name="${f.name}"; filename="${f.file.name}"\r\nContent-Type: ${f.file.type || 'application/octet-stream'}\r\n\r\n`
      : `Content-Disposition: form-data; name="${f.name}"\r\n\r\n`;
    return Buffer.concat([Buffer.from(`--X\r\n${head}`), f.file ? b64(f.file.base64) : Buffer.from(f.text), Buffer.from('\r\n')]);
  });
  return Buffer.concat([...parts, Buffer.from('--X--\r\n')]);
}

let n = 0;
for (const v of [...load('reply.json'), ...load('action.json')]) {
  const body = v.body || {};
  if (typeof body.text === 'string') {
    for (const t of ['reply_text', 'typed', 'round_trip']) out(t, v.name, Buffer.from(body.text));
  }
  if (Array.isArray(body.fields)) {
    out('reply_multipart', v.name, multipart(body.fields));
    out('reply_fields', v.name, Buffer.from(body.fields.filter((f) => !f.file).flatMap((f) => [f.name, f.text]).join('\0')));
  }
  n++;
}
for (const v of load('response.json')) {
  out('response_split', v.name, Buffer.concat([Buffer.from([7]), b64(v.rows)]));
  out('inspect', v.name, Buffer.concat([Buffer.from([1]), b64(v.rows)]));
  n++;
}
// The Next.js pages: inspect reads their HTML.
const nextRoot = path.join(__dirname, '..', 'tests', 'vectors', 'nextjs');
for (const app of fs.readdirSync(nextRoot)) {
  const html = path.join(nextRoot, app, 'page.html');
  if (fs.existsSync(html)) out('inspect', `${app}-page.html`, Buffer.concat([Buffer.from([3]), fs.readFileSync(html)]));
}
console.log(`seed corpora written from ${n} vectors to fuzz/corpus/`);
