// The app: each section calls the Rust server (examples/server.rs) another
// way. The browser test (test/browser.cjs) drives every one of them and
// reads the results from the ids below.
import {Suspense, use, useActionState, useEffect, useState} from 'react';
import {bindList, countdown, describe, fail, fetchRustPage, schedule, subscribe, upload} from './functions.js';

export function App() {
  return (
    <main>
      <h1>React ↔ Rust</h1>
      <p className="lede">
        Every button below calls a Server Function written in Rust, served by <code>examples/server.rs</code> through{' '}
        <code>rsc-flight</code>'s <code>axum</code> feature. The last section is a Server Component tree that Rust
        wrote.
      </p>
      <Subscribe />
      <Upload />
      <Everything />
      <Schedule />
      <Countdown />
      <Failures />
      <RustPage />
    </main>
  );
}

// `demo#subscribe` with "weekly" bound: a form that also works before (or
// without) JavaScript, because React DOM renders the action as hidden
// `$ACTION_` fields that the server reads (React's decodeAction).
const subscribeWeekly = subscribe.bind(null, 'weekly');

function Subscribe() {
  const [message, action, pending] = useActionState(subscribeWeekly, null);
  return (
    <section id="subscribe">
      <h2>A form action with useActionState</h2>
      <form action={action}>
        <input type="email" name="email" placeholder="Email" />
        <button disabled={pending}>Subscribe</button>
      </form>
      {message !== null && <p id="subscribe-result">{message}</p>}
    </section>
  );
}

function Upload() {
  const [result, setResult] = useState(null);
  async function send(form) {
    try {
      setResult(await upload(form));
    } catch (e) {
      setResult({error: e.digest});
    }
  }
  return (
    <section id="upload">
      <h2>A file from &lt;input type="file"&gt;</h2>
      <form action={send}>
        <input name="title" defaultValue="report" />
        <input type="file" name="attachment" id="upload-file" />
        <button id="upload-send">Upload</button>
      </form>
      {result && result.error && <p id="upload-error">Error: {result.error}</p>}
      {result && !result.error && (
        <p id="upload-result">
          The server read <b id="upload-name">{result.name}</b>: <span id="upload-size">{result.size}</span> bytes,
          checksum <span id="upload-sum">{result.sum}</span>, fields <span id="upload-fields">{result.fields.join(',')}</span>;
          it sent the file back as a <span id="upload-echo">{`${result.echo.constructor.name} of ${result.echo.size} bytes`}</span>.
        </p>
      )}
    </section>
  );
}

/** Every kind of value a browser can send, in one call. */
export async function everyArgument() {
  // A server reference with an argument bound on the server: Rust returns
  // it, and it goes back as an argument.
  const weekly = await bindList('weekly');
  const form = new FormData();
  form.append('title', 'report');
  form.append('file', new File(['hello'], 'hello.txt', {type: 'text/plain'}));
  const stream = new ReadableStream({
    start(c) {
      c.enqueue('first');
      c.enqueue({second: 2});
      c.close();
    },
  });
  const bytes = new ReadableStream({
    type: 'bytes',
    start(c) {
      c.enqueue(new Uint8Array([1, 2, 3]));
      c.close();
    },
  });
  const iterable = {
    async *[Symbol.asyncIterator]() {
      yield 'one';
      yield 2;
    },
  };
  return [
    new Date('2026-12-24T18:30:00.000Z'),
    new Map([['design', 2], ['review', 1.5]]),
    new Set(['rust', 'react']),
    12345678901234567890n,
    new Uint8Array([1, 2, 255]),
    new Float64Array([1.5, -0]),
    new DataView(new Uint8Array([9, 8]).buffer),
    new Blob(['a blob'], {type: 'text/plain'}),
    form,
    stream,
    bytes,
    iterable,
    weekly,
    undefined,
    NaN,
    -0,
    -Infinity,
  ];
}

function Everything() {
  const [received, setReceived] = useState(null);
  async function send() {
    try {
      setReceived(await describe(...(await everyArgument())));
    } catch (e) {
      setReceived(`Error: ${e.digest || e.message}`);
    }
  }
  return (
    <section id="everything">
      <h2>Every type a browser can send</h2>
      <button id="everything-send" onClick={send}>
        Send Date, Map, Set, BigInt, typed arrays, Blob, File, FormData, streams, an async iterable and a bound server
        reference
      </button>
      {received !== null && (
        <>
          <p>What the server received, in rsc-flight's notation:</p>
          <pre id="everything-received">{received}</pre>
        </>
      )}
    </section>
  );
}

function Schedule() {
  const [result, setResult] = useState(null);
  async function send() {
    const r = await schedule('ship it', new Date('2026-12-24T18:30:00.000Z'), new Map([['design', 2], ['review', 1.5]]));
    setResult(
      `${r.title}: due ${r.due.toISOString()}, reminder ${r.reminder.toISOString()}, ` +
        `tags ${r.tags instanceof Map ? 'Map' : typeof r.tags} ${JSON.stringify([...r.tags])}, total ${r.total}`,
    );
  }
  return (
    <section id="schedule">
      <h2>Dates and Maps both ways</h2>
      <button id="schedule-send" onClick={send}>Schedule "ship it"</button>
      {result && <p id="schedule-result">{result}</p>}
    </section>
  );
}

function Countdown() {
  const [run, setRun] = useState(null);
  return (
    <section id="countdown">
      <h2>Results that stream</h2>
      <button id="countdown-start" onClick={async () => setRun(await countdown(5))}>Count down from 5</button>
      {run && (
        <>
          <p>From {run.from}:</p>
          <Ticks ticks={run.ticks} />
          <Suspense fallback={<p id="countdown-waiting">Waiting for liftoff…</p>}>
            <Done promise={run.done} />
          </Suspense>
        </>
      )}
    </section>
  );
}

/** An async iterable, rendered item by item as they arrive. */
function Ticks({ticks}) {
  const [items, setItems] = useState([]);
  useEffect(() => {
    let live = true;
    (async () => {
      for await (const t of ticks) {
        if (!live) return;
        setItems((xs) => [...xs, t]);
      }
    })();
    return () => {
      live = false;
    };
  }, [ticks]);
  return (
    <ol id="ticks">
      {items.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ol>
  );
}

function Done({promise}) {
  return <p id="countdown-done">{use(promise)}!</p>;
}

function Failures() {
  const [thrown, setThrown] = useState(null);
  const [refused, setRefused] = useState(null);
  return (
    <section id="failures">
      <h2>Errors</h2>
      <button id="fail-send" onClick={() => fail('on purpose').catch((e) => setThrown(e.digest))}>
        Call a function that throws
      </button>
      {thrown && <p id="fail-result">The server threw; digest: {thrown}</p>}
      <button
        id="refused-send"
        onClick={() => schedule('x'.repeat(2 << 20), new Date(0), new Map()).catch((e) => setRefused(e.digest))}
      >
        Send 2 MiB (over the server's 1 MiB limit)
      </button>
      {refused && <p id="refused-result">The server refused the call: {refused}</p>}
    </section>
  );
}

/** GET /flight: a tree of elements and client components Rust wrote. */
function RustPage() {
  const [page, setPage] = useState(null);
  // Fetched once mounted in the browser (never during the prerender).
  useEffect(() => setPage(fetchRustPage()), []);
  return (
    <section id="rust-page">
      <h2>Server Components rendered by Rust</h2>
      {page === null ? (
        <p>Loading…</p>
      ) : (
        <Suspense fallback={<p>Loading…</p>}>
          <Use promise={page} />
        </Suspense>
      )}
    </section>
  );
}

function Use({promise}) {
  return use(promise);
}
