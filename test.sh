#!/usr/bin/env bash
# Every test: the Rust suite, then a live check that React 19.3.1 (pinned in
# conformance/package-lock.json) and the other versions pinned under
# conformance/versions/ still produce exactly the checked-in golden vectors,
# then a random cross-check between each React and the CLI, then React's
# client calling the example server end to end, and the React app of
# examples/app/ in headless Chromium. Needs cargo, node, npm and Chromium
# (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome); installs
# the npm packages with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")"

cargo test --all-targets --all-features
cargo test --doc --all-features
# The API documentation builds without a warning (broken or private links).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --quiet
# The crate without its optional features (the axum integration).
cargo check --quiet --lib
# The fuzz targets (fuzz/, a crate of its own) must keep compiling.
cargo check --quiet --manifest-path fuzz/Cargo.toml --bins

(cd conformance && npm ci --no-audit --no-fund --loglevel=error)
fresh=$(mktemp)
fresh2=$(mktemp)
fresh3=$(mktemp)
trap 'rm -f "$fresh" "$fresh2" "$fresh3"' EXIT
conformance/gen-reply-vectors.sh "$fresh" "$fresh2" "$fresh3" >/dev/null
for pair in "$fresh tests/vectors/reply.json" "$fresh2 tests/vectors/action.json" "$fresh3 tests/vectors/response.json"; do
  set -- $pair
  if ! cmp -s "$1" "$2"; then
    echo "FAILED: React 19.3.1 now produces different vectors than $2; see: diff $1 $2" >&2
    diff <(head -c 2000 "$1") <(head -c 2000 "$2") >&2 || true
    exit 1
  fi
done
# The vectors of the other React versions pinned under conformance/versions/.
fresh_dir=$(mktemp -d)
trap 'rm -rf "$fresh" "$fresh2" "$fresh3" "$fresh_dir"' EXIT
for dir in conformance/versions/*/; do
  # A version's folder pins it with a package.json (skip/ holds the skip
  # lists of conformance/versions/check-all.sh).
  [ -f "$dir/package.json" ] || continue
  version=$(basename "$dir")
  conformance/versions/gen.sh "$version" "$fresh_dir" >/dev/null
  for f in reply.json response.json; do
    if ! cmp -s "$fresh_dir/$f" "tests/vectors/versions/$version/$f"; then
      echo "FAILED: React $version now produces different vectors than tests/vectors/versions/$version/$f" >&2
      exit 1
    fi
  done
done
echo "live React check: golden vectors unchanged"

# Seeded random values through both encoders and both decoders
# (conformance/cross-check.cjs); CROSS_SEED and CROSS_COUNT choose others.
# Where cargo puts binaries: CARGO_TARGET_DIR when it is set.
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --quiet --bin rsc-flight
NODE_ENV=production node conformance/cross-check.cjs --bin "$target_dir/debug/rsc-flight" \
  --seed "${CROSS_SEED:-20261121}" --count "${CROSS_COUNT:-300}"

# The same against each other React version pinned under
# conformance/versions/ (one per dialect), with the CLI told which.
# A release whose folder holds `no-cross-check` says why it is left out.
for dir in conformance/versions/*/; do
  [ -f "$dir/package.json" ] || continue
  if [ -f "$dir/no-cross-check" ]; then
    echo "cross-check against React $(basename "$dir") left out: $(head -n 1 "$dir/no-cross-check")"
    continue
  fi
  NODE_ENV=production node conformance/cross-check.cjs --bin "$target_dir/debug/rsc-flight" \
    --react "$(basename "$dir")" --seed "${CROSS_SEED:-20261121}" --count "${CROSS_VERSION_COUNT:-50}"
done

# End to end: the axum example server (examples/server.rs) on a loopback
# port, called by React 19.3.1's own client (conformance/e2e.cjs).
cargo build --quiet --features axum --example server
NODE_ENV=production node conformance/e2e.cjs --bin "$target_dir/debug/examples/server"

# The React app of examples/app/ (built with esbuild from its lockfile) in
# headless Chromium, against the same server (examples/app/test/browser.cjs).
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "FAILED: the browser test needs Chromium, and none is installed." >&2
  echo "  Debian or Ubuntu: sudo apt-get install chromium   (or set CHROMIUM=/path/to/chrome)" >&2
  exit 1
fi
(cd examples/app && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
node examples/app/test/browser.cjs --bin "$target_dir/debug/examples/server" --chromium "$chromium"
