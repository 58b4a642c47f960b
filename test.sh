#!/usr/bin/env bash
# Every test: the Rust suite, then a live check that React 19.3.1 (pinned in
# conformance/package-lock.json) still produces exactly the checked-in golden
# vectors. Needs cargo, node and npm; installs the npm packages with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")"

cargo test --all-targets
cargo test --doc

(cd conformance && npm ci --no-audit --no-fund --loglevel=error)
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
conformance/gen-reply-vectors.sh "$fresh" >/dev/null
if ! cmp -s "$fresh" tests/vectors/reply.json; then
  echo "FAILED: React 19.3.1 now produces different reply vectors; see: diff $fresh tests/vectors/reply.json" >&2
  diff <(head -c 2000 "$fresh") <(head -c 2000 tests/vectors/reply.json) >&2 || true
  exit 1
fi
echo "live React check: 1 passed, 0 failed"
