#!/usr/bin/env bash
# The response vectors of another React version: the value cases of
# conformance/response-cases.cjs rendered by that version's production
# renderToReadableStream and read by its createFromReadableStream.
#
#   conformance/versions/gen.sh VERSION [OUT]
#
# VERSION is a folder under conformance/versions/ whose package.json and
# package-lock.json pin that React (installed here with `npm ci`); OUT
# defaults to tests/vectors/versions/VERSION/response.json.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
out=${2:-../tests/vectors/versions/$version/response.json}
[ -d "versions/$version/node_modules/react-server-dom-webpack" ] \
  || (cd "versions/$version" && npm ci --no-audit --no-fund --loglevel=error)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
mkdir -p "$(dirname "$out")"
RSC_REACT_DIR="versions/$version" NODE_ENV=production node --conditions react-server gen-response-vectors.cjs server "$tmp"
RSC_REACT_DIR="versions/$version" NODE_ENV=production node gen-response-vectors.cjs client "$tmp" "$out"
