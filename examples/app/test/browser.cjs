'use strict';
// The app in a real browser: headless Chromium (Debian's `chromium`,
// driven by puppeteer-core; no browser is downloaded) loads the React app
// of examples/app/ from the Rust server of examples/server.rs and does what
// a person would: fills and posts forms, picks a file, sends every type a
// browser can send, watches results stream in, and reads errors. It checks
// the DOM after each, and what the server received. It also posts the form
// with JavaScript disabled.
//
//   node test/browser.cjs --bin ../../target/debug/examples/server [--chromium /usr/bin/chromium] [--screenshot FILE]
//
// The app must be built first (npm run build). On a failure it saves a
// screenshot and the page's console under target/browser-test/ and exits 1.
const assert = require('assert/strict');
const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');
// The same start as conformance/e2e.cjs's (a plain file: no package of its own).
const {startServer} = require('../../../conformance/lib/server.cjs');

const root = path.resolve(__dirname, '../../..');
const artifacts = path.join(root, 'target', 'browser-test');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}

async function main() {
  const bin = path.resolve(arg('--bin', path.join(root, 'target/debug/examples/server')));
  const chromium = arg('--chromium', process.env.CHROMIUM || '/usr/bin/chromium');
  if (!fs.existsSync(chromium)) {
    console.error(`browser test FAILED: no Chromium at ${chromium}. Install it (Debian: apt-get install chromium) or pass --chromium PATH.`);
    process.exit(1);
  }
  const server = startServer(bin);
  process.on('exit', () => server.child.kill());
  const base = await server.ready;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsc-flight-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir,
    // As root on a machine without a network: no sandbox, and none of
    // Chromium's background connections.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const consoleLines = [];
  const watch = (page, label) => {
    page.on('console', (m) => consoleLines.push(`[${label}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[${label}] page error: ${e.message}`));
    page.on('requestfailed', (r) => consoleLines.push(`[${label}] request failed: ${r.url()} ${r.failure()?.errorText}`));
  };
  let page = await browser.newPage();
  watch(page, 'js');
  await page.setViewport({width: 900, height: 1400});

  let passed = 0;
  const step = async (name, f) => {
    try {
      await f();
      passed++;
    } catch (e) {
      fs.mkdirSync(artifacts, {recursive: true});
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      const shot = path.join(artifacts, `${slug}.png`);
      const log = path.join(artifacts, `${slug}.console.txt`);
      await page.screenshot({path: shot, fullPage: true}).catch(() => {});
      fs.writeFileSync(log, consoleLines.join('\n') + '\n--- server log ---\n' + server.log());
      console.error(`browser test FAILED: ${name}\n${e && e.stack ? e.stack : e}\nscreenshot: ${shot}\nconsole: ${log}`);
      await browser.close().catch(() => {});
      server.child.kill();
      process.exit(1);
    }
  };
  const text = (selector) => page.$eval(selector, (el) => el.textContent);
  const waitText = async (selector, re) => {
    await page.waitForFunction(
      (s, source) => { const el = document.querySelector(s); return el && new RegExp(source).test(el.textContent); },
      {timeout: 10000}, selector, re.source,
    ).catch(async (e) => {
      const now = await page.$eval(selector, (el) => el.textContent).catch(() => '(no such element)');
      throw new Error(`${selector} never matched ${re}; it reads: ${now}\n${e.message}`);
    });
  };

  await step('the page loads, hydrates, and renders the Server Components Rust wrote', async () => {
    const response = await page.goto(base + '/', {waitUntil: 'domcontentloaded'});
    assert.equal(response.status(), 200);
    // The client components come from the chunks the I rows name, and the
    // Suspense boundary shows its fallback until the promise's row arrives.
    await page.waitForSelector('#rsc-fallback', {timeout: 10000});
    await waitText('#rsc-greeting', /Hello, browser! .* props came from Rust/);
    await page.waitForSelector('#rsc-slow li', {timeout: 10000});
    assert.equal(await page.$('#rsc-fallback'), null, 'the fallback is gone once the content streamed in');
    assert.deepEqual(await page.$$eval('#rsc-slow li', (lis) => lis.map((li) => li.textContent)),
      ['streamed in 600 ms after the rest', 'in a row of its own', 'rendered by React where the fallback was']);
    // The client component is live: its state is the browser's.
    await waitText('#rsc-counter', /: 3$/);
    await page.click('#rsc-counter');
    await waitText('#rsc-counter', /: 4$/);
  });

  await step('the useActionState form calls demo#subscribe with "weekly" bound', async () => {
    await page.type('#subscribe input[name=email]', 'ann@example.com');
    await page.click('#subscribe button');
    await waitText('#subscribe-result', /^Subscribed ann@example\.com to the weekly list\.$/);
    // The state is the server's answer: its own checks show too.
    await page.$eval('#subscribe input[name=email]', (el) => { el.value = ''; });
    await page.type('#subscribe input[name=email]', 'bob@localhost');
    await page.click('#subscribe button');
    await waitText('#subscribe-result', /^Not subscribed: "bob@localhost" has no domain name\.$/);
  });

  await step('a file picked in <input type="file"> is uploaded in a FormData', async () => {
    const bytes = Buffer.alloc(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 0xff;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rsc-flight-upload-')), 'report.bin');
    fs.writeFileSync(file, bytes);
    const input = await page.$('#upload-file');
    await input.uploadFile(file);
    await page.click('#upload-send');
    await page.waitForSelector('#upload-result, #upload-error', {timeout: 10000});
    assert.equal(await page.$('#upload-error'), null, await text('#upload-error').catch(() => ''));
    let sum = 0;
    for (const b of bytes) sum = (Math.imul(sum, 31) + b) >>> 0;
    assert.equal(await text('#upload-name'), 'report.bin');
    assert.equal(await text('#upload-size'), '5000');
    assert.equal(await text('#upload-sum'), String(sum));
    assert.equal(await text('#upload-fields'), 'title');
    assert.equal(await text('#upload-echo'), 'Blob of 5000 bytes');
  });

  await step('every type a browser can send arrives as sent', async () => {
    await page.click('#everything-send');
    await page.waitForSelector('#everything-received', {timeout: 10000});
    const received = await text('#everything-received');
    let got;
    try {
      got = JSON.parse(received);
    } catch {
      throw new Error(`the server did not describe the call: ${received}`);
    }
    const b64 = (x) => Buffer.from(x).toString('base64');
    const expected = [
      {$type: 'Date', value: '2026-12-24T18:30:00.000Z'},
      {$type: 'Map', entries: [['design', 2], ['review', 1.5]]},
      {$type: 'Set', values: ['rust', 'react']},
      {$type: 'bigint', value: '12345678901234567890'},
      {$type: 'Uint8Array', base64: b64([1, 2, 255])},
      {$type: 'Float64Array', base64: b64(new Uint8Array(new Float64Array([1.5, -0]).buffer))},
      {$type: 'DataView', base64: b64([9, 8])},
      // A Blob crosses as a multipart file the browser names "blob": on the
      // server it is that File, as React's decodeReply gives it.
      {$type: 'File', name: 'blob', type: 'text/plain', base64: b64('a blob')},
      {$type: 'FormData', entries: [['title', 'report'],
        ['file', {$type: 'File', name: 'hello.txt', type: 'text/plain', base64: b64('hello')}]]},
      {$type: 'ReadableStream', chunks: ['first', {second: 2}]},
      {$type: 'ReadableByteStream', base64: b64([1, 2, 3])},
      {$type: 'AsyncIterable', values: ['one', 2]},
      {$type: 'ServerReference', id: 'demo#subscribe', bound: ['weekly']},
      {$type: 'undefined'},
      {$type: 'number', value: 'NaN'},
      {$type: 'number', value: '-0'},
      {$type: 'number', value: '-Infinity'},
    ];
    assert.deepEqual(got, expected);
  });

  await step('Dates and a Map come back as Dates and a Map', async () => {
    await page.click('#schedule-send');
    await waitText('#schedule-result', /./);
    assert.equal(await text('#schedule-result'),
      'SHIP IT: due 2026-12-24T18:30:00.000Z, reminder 2026-12-17T18:30:00.000Z, tags Map [["design",2],["review",1.5]], total 3.5');
  });

  await step('a promise and an async iterable render as they settle', async () => {
    await page.click('#countdown-start');
    // The first tick is on the page while the promise is still pending.
    await page.waitForSelector('#ticks li', {timeout: 10000});
    assert.ok(await page.$('#countdown-waiting'), 'the Suspense fallback shows while the promise is pending');
    assert.equal(await page.$('#countdown-done'), null, 'the promise settles after the last tick');
    assert.ok((await page.$$('#ticks li')).length < 5, 'the ticks arrive one by one');
    await waitText('#countdown-done', /^liftoff!$/);
    assert.deepEqual(await page.$$eval('#ticks li', (lis) => lis.map((li) => li.textContent)), ['5', '4', '3', '2', '1']);
  });

  await step("a thrown error is shown from its digest", async () => {
    await page.click('#fail-send');
    await waitText('#fail-result', /digest: DEMO_FAILED$/);
  });

  await step('a body over the limit is refused, readably, and the server goes on', async () => {
    await page.click('#refused-send');
    await waitText('#refused-result', /refused the call: .*max_body_bytes/);
    await page.click('#schedule-send');
    await waitText('#schedule-result', /^SHIP IT/);
  });

  if (arg('--screenshot')) {
    await page.screenshot({path: path.resolve(arg('--screenshot')), fullPage: true});
  }

  await step('without JavaScript, the form posts to the server and the answer shows', async () => {
    page = await browser.newPage();
    watch(page, 'no-js');
    await page.setJavaScriptEnabled(false);
    await page.goto(base + '/', {waitUntil: 'load'});
    assert.equal(await page.$('#rsc-greeting'), null, 'no script ran');
    await page.type('#subscribe input[name=email]', 'nojs@example.com');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#subscribe button')]);
    assert.equal(response.status(), 200);
    assert.equal(await text('#form-result'), 'Subscribed nojs@example.com to the weekly list.');
    await page.type('#subscribe input[name=email]', 'nobody@localhost');
    await Promise.all([page.waitForNavigation(), page.click('#subscribe button')]);
    assert.equal(await text('#form-result'), 'Not subscribed: "nobody@localhost" has no domain name.');
  });

  await browser.close();
  server.child.kill();
  fs.rmSync(userDataDir, {recursive: true, force: true});
  console.log(`browser test: ${passed} steps passed (Chromium ${await browserVersion(chromium)}, React 19.3.1, examples/server.rs)`);
}

async function browserVersion(chromium) {
  return new Promise((resolve) => {
    const p = spawn(chromium, ['--version']);
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', () => resolve((/[\d.]+/.exec(out) || ['?'])[0]));
    p.on('error', () => resolve('?'));
  });
}

main().catch((e) => {
  console.error(`browser test FAILED: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
