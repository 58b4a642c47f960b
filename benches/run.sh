#!/usr/bin/env bash
# The one command of the benchmarks: generate the payload families with
# React 19.3.1, run the criterion benches (rsc-flight and the Rust
# baselines), time React on the same bytes, measure peak memory, and print
# the table (also written to target/bench-results/table.md).
#
#   benches/run.sh               every family
#   benches/run.sh table-1mb     the Rust benches of one family only (the
#                                React timings and memory are always all)
set -euo pipefail
cd "$(dirname "$0")/.."
(cd conformance && [ -d node_modules/react-server-dom-webpack ] || npm ci --no-audit --no-fund --loglevel=error)
dir=target/bench-payloads
results=target/bench-results
mkdir -p "$dir" "$results"
export NODE_ENV=production
node benches/payloads.cjs reply "$dir"
node --conditions react-server benches/payloads.cjs response "$dir"
cargo bench --quiet --bench flight -- "${1:-}" 2>&1 | grep -E '^[a-z0-9-]+/|time:' || true
cargo bench --quiet --bench memory
node --expose-gc benches/react.cjs client "$dir" "$results/react-client.json"
node --expose-gc --conditions react-server benches/react.cjs server "$dir" "$results/react-server.json"
node benches/report.cjs target | tee "$results/table.md"
