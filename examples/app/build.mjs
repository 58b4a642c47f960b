// Builds the app into dist/ with esbuild (from npm, pinned by the lockfile):
//
//   dist/static/main-<hash>.js       the browser entry (hydrates the page)
//   dist/static/<Name>-<hash>.js     one ES module chunk per client component
//   dist/static/chunk-<hash>.js      what they share (React)
//   dist/manifest.json               client component -> chunk, for the Rust
//                                    server's `I` rows
//   dist/index.html                  the page, prerendered by React DOM
//
//   node build.mjs
import * as esbuild from 'esbuild';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
process.chdir(here);
const dist = path.join(here, 'dist');
rmSync(dist, {recursive: true, force: true});
mkdirSync(dist, {recursive: true});

// The client components a Server Component may name: each its own entry,
// so that each is a chunk a Flight `I` row can point at.
const clientComponents = ['src/client/Greeting.jsx', 'src/client/Counter.jsx'];
const common = {
  bundle: true,
  jsx: 'automatic',
  define: {'process.env.NODE_ENV': '"production"'},
  logLevel: 'warning',
  legalComments: 'none',
};

const browser = await esbuild.build({
  ...common,
  entryPoints: ['src/main.jsx', ...clientComponents],
  platform: 'browser',
  format: 'esm',
  splitting: true,
  minify: true,
  target: 'es2022',
  outdir: path.join(dist, 'static'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  metafile: true,
});

let main = null;
const manifest = {};
for (const [file, output] of Object.entries(browser.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const url = `/static/${path.basename(file)}`;
  if (output.entryPoint === 'src/main.jsx') {
    main = url;
  } else {
    // The module id is also its chunk's id (see src/webpack.js).
    const id = output.entryPoint.replace(/^src\//, '');
    manifest[id] = {chunk: url, exports: output.exports};
  }
}
writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

// The first HTML: the app rendered by React DOM at build time, from the
// Node builds (whose server references carry the form fields that make
// the subscribe form work without JavaScript).
const prerender = path.join(dist, 'prerender.cjs');
await esbuild.build({...common, entryPoints: ['src/prerender.jsx'], platform: 'node', format: 'cjs', outfile: prerender});
const markup = await createRequire(import.meta.url)(prerender).render();
rmSync(prerender);

const style = readFileSync('src/style.css', 'utf8');
writeFileSync(
  path.join(dist, 'index.html'),
  `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>rsc-flight: React in the browser, Rust on the server</title>
<style>
${style}</style>
<script type="module" src="${main}"></script>
</head>
<body><div id="root">${markup}</div></body>
</html>
`,
);
console.log(`built ${path.relative(process.cwd(), dist)}/: ${Object.keys(manifest).length} client components, entry ${main}`);
