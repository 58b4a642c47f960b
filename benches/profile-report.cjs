'use strict';
// The table of benches/profile.sh: for each profiled cell, instructions per
// call (callgrind), the ratio to its baseline's, and the share of each kind
// of work, from callgrind_annotate's self cost per function (inlined code
// counts as the function it was inlined into).
//
//   node benches/profile-report.cjs LIST
//
// LIST has one line per cell: `<family> <operation> <calls> <annotate file>`.
const fs = require('fs');

// First match wins; tested against "file:function".
const KINDS = [
  ['drop', /drop_in_place|as core::ops::drop::Drop>::drop/],
  ['allocation', /malloc\.c|\b(malloc|free|realloc|cfree)\b|_int_(malloc|free|realloc)|unlink_chunk|malloc_consolidate|__rdl_|__rust_(alloc|dealloc|realloc)|raw_vec|grow_one|finish_grow|do_reserve|vec_deque.*grow|bumpalo/],
  ['memcpy', /memmove|memcpy|memset/],
  // Before "baseline": the number formatting crates (itoa, ryu) serve both
  // sides, and are counted as numbers for both.
  ['numbers, dates', /write_number|write_model_number|write_short_decimal|ryu_js|ryu::|itoa|date::|push_ascii/],
  ['baseline', /sonic_rs|serde_json|faststr|simdutf8|frame_rows/],
  ['format!', /core::fmt|alloc::fmt|Formatter/],
  ['hashing', /core::hash|sip::|Hasher|hashbrown|indexmap|hash_one/],
  // The one-pass reader's tokens and keys are parsing; the rest of it
  // (building the Value or T, the key and limit checks) is reviving.
  ['JSON parse', /wire::json::(Parser|parse|parse_doc|parse_with|find_special|Doc|Build)|straight::(Cx::tok|Cx::new|plain_key|another|refers)|memchr/],
  ['strings out', /write_str|write_model_str/],
  ['framing, multipart', /response::frame|multipart|multer/],
  ['reviving', /reply::decode|response::decode|response::revive|response::live|reply::action|revived_order|js_key_order|key_fingerprint|wire::ids|stacker|straight::|typed::de/],
  // `from_utf8` and `trunc`: number and date text made in stack buffers.
  ['encode walk', /reply::encode|response::encode|wire::refs|wire::Hex|hex_id|js_entries|wire::json::write_(array|object)|str::converts::from_utf8|math.*trunc/],
  ['Value', /rsc_flight::value|compact_str/],
];
const BASELINE = {
  'reply-decode': 'sonic-decode',
  'reply-encode': 'serde-encode',
  'response-decode': 'sonic-response',
  'response-encode': 'serde-response-encode',
};

function profile(file) {
  const kinds = Object.fromEntries([...KINDS.map(([k]) => [k, 0]), ['other', 0]]);
  let total = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const n = Number(m[1].replace(/,/g, ''));
    if (m[2].startsWith('PROGRAM TOTALS')) { total = n; continue; }
    const name = m[2].replace(/\s+\[[^\]]*\]$/, '');
    const kind = KINDS.find(([, re]) => re.test(name));
    kinds[kind ? kind[0] : 'other'] += n;
    // PROFILE_OTHER=1 lists what no kind matched, to refine KINDS.
    if (!kind && process.env.PROFILE_OTHER) console.error(`${file}: ${n} ${name}`);
  }
  return {total, kinds};
}

const cells = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => {
  const [family, op, calls, file] = l.split(' ');
  const p = profile(file);
  return {family, op, perCall: p.total / Number(calls), kinds: p.kinds, total: p.total};
});

const fmt = (n) => n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : `${Math.round(n)}`;
const kindNames = [...KINDS.map(([k]) => k), 'other'];
console.log('Instructions per call (callgrind, release build with line tables), and where they go: the share of each kind of work in the call\'s own instructions. "baseline" is sonic-rs or serde_json code.\n');
for (const family of [...new Set(cells.map((c) => c.family))]) {
  console.log(`### ${family}\n`);
  console.log(`| operation | instructions | ÷ baseline | ${kindNames.join(' | ')} |`);
  console.log(`| --- | --- | --- | ${kindNames.map(() => '---').join(' | ')} |`);
  for (const c of cells.filter((x) => x.family === family)) {
    const base = cells.find((x) => x.family === family && x.op === BASELINE[c.op]);
    const ratio = base ? `${(c.perCall / base.perCall).toFixed(1)}×` : '';
    const shares = kindNames.map((k) => {
      const s = c.total ? (100 * c.kinds[k]) / c.total : 0;
      return s >= 0.5 ? `${s.toFixed(0)}%` : '';
    });
    console.log(`| ${c.op} | ${fmt(c.perCall)} | ${ratio} | ${shares.join(' | ')} |`);
  }
  console.log('');
}
