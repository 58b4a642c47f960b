'use strict';
// The table of benches/run.sh: criterion's medians (target/criterion),
// React's (target/bench-results/react-*.json) and peak memory
// (target/bench-results/memory.json), one table per family, with the
// ratios and issue 6's targets. Markdown, so that benches/README.md can
// carry the last run as it was printed.
//
//   node benches/report.cjs [TARGET_DIR]
const fs = require('fs');
const path = require('path');

const target = process.argv[2] || path.join(__dirname, '..', 'target');
const FAMILIES = ['small-args', 'form', 'table-1mb', 'binary-8mb', 'maps-sets', 'deep-shared'];
const OPS = ['reply decode (text)', 'reply decode (multipart)', 'reply decode (parts)', 'reply encode',
  'response decode', 'response decode (64 KiB chunks)', 'response encode'];

function readJson(f) {
  try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; }
}

// criterion: <group>/<function>/<value>/new/{benchmark,estimates}.json
const rust = {};
function walk(dir) {
  for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, {withFileTypes: true}) : []) {
    const p = path.join(dir, e.name);
    if (!e.isDirectory()) continue;
    if (e.name === 'new') {
      const b = readJson(path.join(p, 'benchmark.json'));
      const est = readJson(path.join(p, 'estimates.json'));
      if (b && est) {
        ((rust[b.group_id] ||= {})[b.function_id] ||= {})[b.value_str] = {
          ns: est.median.point_estimate, bytes: b.throughput && b.throughput.Bytes,
        };
      }
    } else if (e.name !== 'report' && e.name !== 'base' && e.name !== 'change') walk(p);
  }
}
walk(path.join(target, 'criterion'));
const react = {...readJson(path.join(target, 'bench-results', 'react-client.json'))};
for (const [fam, ops] of Object.entries(readJson(path.join(target, 'bench-results', 'react-server.json')) || {})) {
  react[fam] = {...react[fam], ...ops};
}
const memory = readJson(path.join(target, 'bench-results', 'memory.json')) || {};

function fmtTime(ns) {
  if (ns === undefined) return '';
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}
function fmtRate(bytes, ns) {
  if (!bytes || !ns) return '';
  const mbs = bytes / ns * 1e3;
  return mbs >= 1000 ? `${(mbs / 1000).toFixed(2)} GB/s` : `${mbs.toFixed(mbs < 10 ? 1 : 0)} MB/s`;
}
function fmtBytes(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(2)} MiB`;
}
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '');

// Issue 6's targets: [ratio or absolute, limit, against].
function targetFor(fam, op) {
  if (fam === 'binary-8mb') return {against: 'memcpy', max: 2};
  if (op.startsWith('reply decode') && op !== 'reply decode (multipart)') {
    if (fam === 'small-args') return {absoluteNs: 500};
    if (['table-1mb', 'maps-sets', 'deep-shared'].includes(fam)) return {against: 'sonic-rs', max: 1.5};
  }
  if (op === 'reply encode' || op === 'response encode') return {against: 'serde_json', max: 1.0};
  if (op.startsWith('response decode')) return {against: 'framing + sonic-rs', max: 1.5};
  return null;
}

const out = [];
out.push(`Medians of one run; times per operation, throughput over the input bytes (the reply body, or the response rows). Allocator: the system allocator (glibc malloc). rsc-flight ÷ X below 1 means rsc-flight is faster; React ÷ rsc-flight above 1 means rsc-flight is faster.`);
// The fixed cost of a call: the number 0 in each direction.
if (rust['fixed-cost']) {
  out.push('', '### fixed cost of a call', '');
  out.push('The smallest body in each direction (the number `0`): what setting a call up and tearing it down costs. Allocations are counted by `benches/memory.rs`; "in output" are those the result keeps.', '');
  out.push('| operation | rsc-flight | allocations (in output) | target |');
  out.push('| --- | --- | --- | --- |');
  for (const op of ['reply decode (text)', 'reply encode', 'response decode', 'response encode']) {
    const m = rust['fixed-cost'][op] && rust['fixed-cost'][op]['rsc-flight'];
    if (!m) continue;
    const a = memory[`fixed-cost/${op}`];
    const allocs = a ? `${a.allocations} (${a.output_allocations})` : '';
    out.push(`| ${op} | ${fmtTime(m.ns)} | ${allocs} | ≤ 300 ns: ${m.ns <= 300 ? 'met' : 'MISSED'} |`);
  }
}
for (const fam of FAMILIES) {
  const r = rust[fam];
  if (!r) continue;
  out.push('', `### ${fam}`, '');
  out.push('| operation | rsc-flight | typed | sonic-rs | serde_json | memcpy | React | rsc ÷ sonic-rs | rsc ÷ serde_json | React ÷ rsc | target | peak memory (input) |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const op of OPS) {
    const row = r[op];
    if (!row || !row['rsc-flight']) continue;
    const base = op.startsWith('response decode') ? r['response decode'] : row;
    const rs = row['rsc-flight'];
    const sonic = base['sonic-rs'] || base['framing + sonic-rs'];
    const sj = base.serde_json || base['framing + serde_json'];
    const mc = base.memcpy;
    const rx = react[fam] && react[fam][op];
    const cell = (m) => (m ? `${fmtTime(m.ns)}<br>${fmtRate(m.bytes, m.ns)}` : '');
    const t = targetFor(fam, op);
    let verdict = '';
    if (t && t.absoluteNs) verdict = `≤ ${t.absoluteNs} ns: ${rs.ns <= t.absoluteNs ? 'met' : 'MISSED'}`;
    else if (t) {
      const b = t.against === 'memcpy' ? mc : t.against === 'serde_json' ? sj : sonic;
      if (b) verdict = `≤ ${t.max}× ${t.against}: ${rs.ns / b.ns <= t.max ? 'met' : 'MISSED'} (${(rs.ns / b.ns).toFixed(2)}×)`;
    }
    const mem = memory[`${fam}/${op}`];
    out.push(`| ${op} | ${cell(rs)} | ${cell(row['rsc-flight typed'])} | ${cell(sonic)} | ${cell(sj)} | ${cell(mc)} | ${rx ? fmtTime(rx.median_ns) : ''} | ${ratio(rs.ns, sonic && sonic.ns)} | ${ratio(rs.ns, sj && sj.ns)} | ${ratio(rx && rx.median_ns, rs.ns)} | ${verdict} | ${mem ? `${fmtBytes(mem.peak_bytes)} (${fmtBytes(mem.input_bytes)})` : ''} |`);
  }
  // Typed decoding into the bench's Rust structs, beside serde_json and
  // sonic-rs reading the same bytes into the same structs (issue 23).
  const typed = r['reply decode (text)'];
  if (typed && typed['rsc-flight typed'] && (typed['serde_json typed'] || typed['sonic-rs typed'])) {
    const t = typed['rsc-flight typed'];
    const sj = typed['serde_json typed'];
    const so = typed['sonic-rs typed'];
    const verdicts = [];
    if (so) verdicts.push(`≤ 1.5× sonic-rs typed: ${t.ns / so.ns <= 1.5 ? 'met' : 'MISSED'}`);
    if (sj) verdicts.push(`≤ 1× serde_json typed: ${t.ns / sj.ns <= 1.0 ? 'met' : 'MISSED'}`);
    if (fam === 'small-args') verdicts.push(`≤ 500 ns: ${t.ns <= 500 ? 'met' : 'MISSED'}`);
    out.push('', 'Typed decode of the text reply into the bench\'s Rust structs, all three on the same bytes:', '');
    out.push('| operation | rsc-flight typed | sonic-rs typed | serde_json typed | typed ÷ sonic-rs typed | typed ÷ serde_json typed | targets |');
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    const cell = (m) => (m ? `${fmtTime(m.ns)}<br>${fmtRate(m.bytes, m.ns)}` : '');
    out.push(`| reply decode (text) | ${cell(t)} | ${cell(so)} | ${cell(sj)} | ${ratio(t.ns, so && so.ns)} | ${ratio(t.ns, sj && sj.ns)} | ${verdicts.join('; ')} |`);
  }
}
console.log(out.join('\n'));
