'use client';
import { useState } from 'react';
export default function Counter({ start, when, tags, big, list }) {
  const [n, setN] = useState(start);
  return <button onClick={() => setN(n + 1)}>{n} {String(when)} {tags.size} {String(big)} {list.length}</button>;
}
