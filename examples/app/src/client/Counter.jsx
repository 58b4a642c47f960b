// An interactive client component inside Rust's tree: its state lives in
// the browser.
import {useState} from 'react';

export function Counter({start, label}) {
  const [n, setN] = useState(start);
  return (
    <button id="rsc-counter" onClick={() => setN(n + 1)}>
      {label}: {n}
    </button>
  );
}
