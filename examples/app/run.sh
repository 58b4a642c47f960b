#!/usr/bin/env bash
# The React app of examples/app/ served by the Rust server of
# examples/server.rs: installs the pinned npm packages, builds the app with
# esbuild, then starts the server and prints the URL to open.
#
#   examples/app/run.sh              # http://127.0.0.1:3000
#   examples/app/run.sh --port 8080
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
cd ../..
cargo build --quiet --features axum --example server
echo "Open the URL below in a browser (Ctrl-C stops the server)."
exec "${CARGO_TARGET_DIR:-target}/debug/examples/server" "$@"
