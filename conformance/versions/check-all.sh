#!/usr/bin/env bash
# Every stable React 19 release against the crate, run by hand (the README's
# test command checks one release per dialect, pinned under
# conformance/versions/; this checks them all, 10 to 30 minutes):
#
#   conformance/versions/check-all.sh [VERSION ...]
#
# For each release (default: every stable 19.x `npm view` lists):
#   1. install react, react-dom and react-server-dom-webpack at exactly that
#      version into a cache ($RSC_REACT_CACHE, default
#      ~/.cache/rsc-flight/react/VERSION), or use conformance/versions/VERSION
#      where it is pinned. Outside the pinned folders, npm resolves the
#      packages' own dependencies as of today: this script checks, it makes
#      no vectors to check in;
#   2. generate its reply and response vectors (gen.sh) into one folder;
#   3. run the random cross-check against it (CROSS_VERSION_COUNT values,
#      default 50, from CROSS_SEED).
# Then the Rust vector tests run once over every release's vectors
# (RSC_VERSION_VECTORS): decoded under three chunkings, encoded byte for
# byte. A release whose cases its own React cannot run (19.0.0 and 19.2.0
# run out of memory on a few) lists them in conformance/versions/skip/VERSION.json
# ({case: reason}), as a pinned folder's skip.json does.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
cache=${RSC_REACT_CACHE:-$HOME/.cache/rsc-flight/react}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ $# -gt 0 ]; then
  versions=("$@")
else
  mapfile -t versions < <(npm view react-server-dom-webpack versions --json |
    node -e 'for (const v of JSON.parse(require("fs").readFileSync(0, "utf8"))) if (/^19\.\d+\.\d+$/.test(v)) console.log(v)')
fi
(cd conformance && [ -d node_modules/react-server-dom-webpack ] || npm ci --no-audit --no-fund --loglevel=error)
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --quiet --bin rsc-flight
failed=()
for v in "${versions[@]}"; do
  if [ -d "conformance/versions/$v" ]; then
    dir=$root/conformance/versions/$v
  else
    dir=$cache/$v
    if [ ! -d "$dir/node_modules/react-server-dom-webpack" ]; then
      mkdir -p "$dir"
      (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --no-save \
        "react@$v" "react-dom@$v" "react-server-dom-webpack@$v" >/dev/null)
    fi
    if [ -f "conformance/versions/skip/$v.json" ]; then
      cp "conformance/versions/skip/$v.json" "$dir/skip.json"
    else
      rm -f "$dir/skip.json"
    fi
  fi
  echo "== React $v"
  if ! REACT_DIR=$dir conformance/versions/gen.sh "$v" "$out/$v" >/dev/null; then
    echo "FAILED: React $v: generating its vectors" >&2
    failed+=("$v (vectors)")
    rm -rf "${out:?}/$v"
    continue
  fi
  if ! RSC_REACT_DIR=$dir NODE_ENV=production node conformance/cross-check.cjs --bin "$target_dir/debug/rsc-flight" \
    --react "$v" --seed "${CROSS_SEED:-20261121}" --count "${CROSS_VERSION_COUNT:-50}"; then
    failed+=("$v (cross-check)")
  fi
done
echo "== the Rust vector tests over ${#versions[@]} releases"
if ! RSC_VERSION_VECTORS=$out cargo test --quiet --test reply_vectors --test response_vectors; then
  failed+=("vector tests")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "every release checked: ${versions[*]}"
