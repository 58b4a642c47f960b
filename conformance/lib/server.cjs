'use strict';
// The example server (examples/server.rs) started on a free loopback port,
// for the end-to-end test (conformance/e2e.cjs) and the browser test
// (examples/app/test/browser.cjs): `ready` resolves to its base URL once it
// says it is listening, `log()` is what it wrote to stderr.
const {spawn} = require('child_process');

function startServer(bin) {
  const child = spawn(bin, ['--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${log}`)));
  });
  return {child, ready, log: () => log};
}

module.exports = {startServer};
