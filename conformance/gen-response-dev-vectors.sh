#!/usr/bin/env bash
# The response value cases rendered by React 19.3.1's development server
# and read by its development client: tests/vectors/response-dev.json (or
# $1). Run by hand, not by ./test.sh: development rows hold timings and this
# machine's file paths, so two runs never write the same bytes. The expected
# values are the production ones (a development stream carries the same
# value, plus rows the decoder sets aside).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/react-server-dom-webpack ] || npm ci --no-audit --no-fund
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
NODE_ENV=development node --conditions react-server gen-response-vectors.cjs server "$tmp"
NODE_ENV=development node gen-response-vectors.cjs client "$tmp" "${1:-../tests/vectors/response-dev.json}"
