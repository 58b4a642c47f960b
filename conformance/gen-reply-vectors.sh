#!/usr/bin/env bash
# Regenerate tests/vectors/reply.json, action.json and response.json (or the
# files named by $1, $2 and $3) from React 19.3.1 (production builds).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/react-server-dom-webpack ] || npm ci --no-audit --no-fund
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
NODE_ENV=production node gen-reply-encode.cjs "$tmp"
out=${1:-../tests/vectors/reply.json}
NODE_ENV=production node --conditions react-server gen-reply-decode.cjs "$tmp" "$out"
tmp2=$(mktemp)
trap 'rm -f "$tmp" "$tmp2"' EXIT
NODE_ENV=production node gen-action-vectors.cjs client "$tmp2"
NODE_ENV=production node --conditions react-server gen-action-vectors.cjs server "$tmp2" "${2:-../tests/vectors/action.json}"
tmp3=$(mktemp)
trap 'rm -f "$tmp" "$tmp2" "$tmp3"' EXIT
NODE_ENV=production node --conditions react-server gen-response-vectors.cjs server "$tmp3"
NODE_ENV=production node gen-response-vectors.cjs client "$tmp3" "${3:-../tests/vectors/response.json}"
