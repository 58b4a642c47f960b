// The Server Functions, as a bundler's 'use server' stubs would make them:
// each call sends encodeReply's body to the Rust server (examples/server.rs)
// with the function's id in the `rsc-action` header, and reads the answer
// with createFromFetch. The same module is bundled for the browser and for
// the build-time prerender (where `react-server-dom-webpack/client` is the
// Node build, whose references carry the progressive-enhancement form
// fields React DOM renders).
import {createFromFetch, createServerReference, encodeReply} from 'react-server-dom-webpack/client';

export async function callServer(id, args) {
  const body = await encodeReply(args);
  const response = fetch('/rsc', {method: 'POST', headers: {'rsc-action': id}, body});
  return createFromFetch(response, {callServer});
}

/** The Server Components page Rust renders (GET /flight). */
export function fetchRustPage() {
  return createFromFetch(fetch('/flight'), {callServer});
}

const fn = (id) => createServerReference(id, callServer);
export const schedule = fn('demo#schedule');
export const upload = fn('demo#upload');
export const countdown = fn('demo#countdown');
export const fail = fn('demo#fail');
export const subscribe = fn('demo#subscribe');
export const describe = fn('demo#describe');
export const bindList = fn('demo#bindList');
