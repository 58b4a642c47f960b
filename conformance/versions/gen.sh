#!/usr/bin/env bash
# The vectors of another React version:
# - reply.json: the value cases of conformance/reply-cases.cjs encoded by
#   that version's encodeReply and read by its decodeReply;
# - response.json: the value cases of conformance/response-cases.cjs
#   rendered by its production renderToReadableStream and read by its
#   createFromReadableStream.
#
#   conformance/versions/gen.sh VERSION [OUT_DIR]
#
# VERSION is a folder under conformance/versions/ whose package.json and
# package-lock.json pin that React (installed here with `npm ci`); OUT_DIR
# defaults to tests/vectors/versions/VERSION. REACT_DIR, when set, names
# another folder with that React installed (check-all.sh's cache).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
out_dir=${2:-../tests/vectors/versions/$version}
mkdir -p "$out_dir"
out=$out_dir/response.json
dir=${REACT_DIR:-versions/$version}
# (A Next.js app's folder holds the React Next.js vendors, under next/.)
[ -d "$dir/node_modules/react-server-dom-webpack" ] || [ -d "$dir/node_modules/next" ] \
  || (cd "$dir" && npm ci --omit=optional --no-audit --no-fund --loglevel=error)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
RSC_REACT_DIR="$dir" NODE_ENV=production node gen-reply-encode.cjs "$tmp"
RSC_REACT_DIR="$dir" NODE_ENV=production node --conditions react-server gen-reply-decode.cjs "$tmp" "$out_dir/reply.json"
RSC_REACT_DIR="$dir" NODE_ENV=production node --conditions react-server gen-response-vectors.cjs server "$tmp"
RSC_REACT_DIR="$dir" NODE_ENV=production node gen-response-vectors.cjs client "$tmp" "$out"
