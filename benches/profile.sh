#!/usr/bin/env bash
# Where the instructions of each operation go, beside its baseline's: runs
# benches/profile.rs under valgrind's callgrind (instruction counts, which
# do not depend on the machine's load) and prints, per cell, instructions
# per call and their split into what the work is (JSON parsing, reviving,
# building the Value, dropping it, malloc, memcpy, ...).
#
#   benches/profile.sh                         the object families, every operation
#   benches/profile.sh table-1mb               one family
#   benches/profile.sh table-1mb reply-decode  one cell
#
# Needs valgrind, and the payloads (benches/run.sh writes them; this script
# writes them too if they are missing). Writes target/bench-results/profile.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "benches/profile.sh needs valgrind (apt install valgrind)" >&2; exit 2; }
dir=target/bench-payloads
results=target/bench-results
mkdir -p "$dir" "$results"
if [ ! -f "$dir/table-1mb/reply.body" ]; then
  (cd conformance && [ -d node_modules/react-server-dom-webpack ] || npm ci --no-audit --no-fund --loglevel=error)
  NODE_ENV=production node benches/payloads.cjs reply "$dir"
  NODE_ENV=production node --conditions react-server benches/payloads.cjs response "$dir"
fi
# Line tables let callgrind name inlined code; the optimised code is the same.
export CARGO_PROFILE_BENCH_DEBUG=line-tables-only
bin=$(cargo bench --no-run --bench profile --message-format=json 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){try{const m=JSON.parse(l);if(m.executable&&m.target&&m.target.name==="profile")console.log(m.executable)}catch{}}})')
families=${1:-"small-args table-1mb maps-sets deep-shared"}
ops=${2:-"reply-decode sonic-decode reply-encode serde-encode response-decode sonic-response response-encode serde-response-encode"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in $families; do
  # Enough calls that setup and start-up are noise: ~1 MB of input each.
  size=$(stat -c %s "$dir/$f/reply.body")
  calls=$(( 3000000 / (size + 1000) + 2 ))
  for op in $ops; do
    out="$tmp/$f.$op"
    valgrind --tool=callgrind --toggle-collect='*measured*' --callgrind-out-file="$out.cg" \
      "$bin" "$f" "$op" "$calls" >/dev/null 2>&1
    callgrind_annotate --auto=no --inclusive=no --threshold=100 "$out.cg" > "$out.txt" 2>/dev/null
    echo "$f $op $calls $out.txt" >> "$tmp/list"
  done
done
node benches/profile-report.cjs "$tmp/list" | tee "$results/profile.md"
