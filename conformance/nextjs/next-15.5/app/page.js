import { Suspense } from 'react';
import Counter from './Counter';
import { save } from './actions';
async function Slow() { await new Promise(r => setTimeout(r, 50)); return <p>slow done {new Date(0).toISOString()}</p>; }
export const dynamic = 'force-dynamic';
export default function Page() {
  return (<main>
    <h1>Hello</h1>
    <Counter start={3} when={new Date('2026-01-01T00:00:00Z')} tags={new Set(['a','b'])} big={12345678901234567890n} list={[1, 'two', null, undefined, -0, NaN]} />
    <form action={save}><input name="name" /><button>go</button></form>
    <Suspense fallback={<p>loading</p>}><Slow /></Suspense>
  </main>);
}
