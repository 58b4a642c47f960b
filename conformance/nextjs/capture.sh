#!/usr/bin/env bash
# Capture what a real Next.js App Router app sends, for the tests:
#
#   conformance/nextjs/capture.sh [next-16.5 ...]
#
# For each app folder under conformance/nextjs/ (default: all), installs its
# pinned Next.js with `npm ci`, runs `next build` and `next start` on a free
# loopback port, and writes to tests/vectors/nextjs/<folder>/:
#   page.rsc   the page's RSC payload (GET / with `RSC: 1`), a response stream
#   page.html  the page's HTML, whose self.__next_f scripts carry the same
#              Flight data
#   page-dev.rsc  the same RSC payload from `next dev`: a development build,
#              with its debug, timing and console rows
#   call.body, call.content-type  a Server Function call as the page's
#              client sends it: `save(null, formData)` encoded by this
#              crate's CLI in the dialect of the app's React (--react
#              next@<version>), POSTed with `Next-Action: <id>`
#   call.rsc   Next.js's answer to it (the action's result and the page's
#              refreshed tree), a response stream
# Builds are not byte-stable (build ids, chunk file names), so the captures
# are checked in and this script is run by hand, not by ./test.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out_root="$here/../../tests/vectors/nextjs"
apps=("$@")
# The CLI encodes the Server Function call.
(cd "$here/../.." && cargo build --quiet --bin rsc-flight)
rsc_flight="${CARGO_TARGET_DIR:-$here/../../target}/debug/rsc-flight"
[ ${#apps[@]} -gt 0 ] || apps=($(cd "$here" && ls -d next-*/ | tr -d /))
for app in "${apps[@]}"; do
  dir="$here/$app"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && NEXT_TELEMETRY_DISABLED=1 npx next build >/dev/null)
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  # Each server in a process group of its own, so that stopping it stops
  # the node processes npx starts too.
  (cd "$dir" && NEXT_TELEMETRY_DISABLED=1 exec setsid npx next start -H 127.0.0.1 -p "$port" >/dev/null 2>&1) &
  server=$!
  trap 'kill -- -$server 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  mkdir -p "$out_root/$app"
  # Next.js answers `RSC: 1` on / with a redirect to /?_rsc.
  curl -sfL -H 'RSC: 1' "http://127.0.0.1:$port/" -o "$out_root/$app/page.rsc"
  curl -sf "http://127.0.0.1:$port/" -o "$out_root/$app/page.html"
  # The page's form action: its id is in the server reference's row.
  action=$(grep -o '"id":"[0-9a-f]\{40,\}"' "$out_root/$app/page.rsc" | head -n 1 | cut -d'"' -f4)
  next_version=$(node -p "require('$dir/node_modules/next/package.json').version")
  printf '%s' '[null,{"$type":"FormData","entries":[["name","bob"]]}]' \
    | "$rsc_flight" reply encode --react "next@$next_version" --boundary rsc-flight-capture \
        --content-type-out "$out_root/$app/call.content-type" > "$out_root/$app/call.body"
  curl -sf -X POST "http://127.0.0.1:$port/" -H "Next-Action: $action" -H 'Accept: text/x-component' \
    -H "Content-Type: $(cat "$out_root/$app/call.content-type")" --data-binary @"$out_root/$app/call.body" \
    -o "$out_root/$app/call.rsc"
  kill -- -$server 2>/dev/null || true; wait $server 2>/dev/null || true
  # `next dev` writes to .next: let it start from a clean one.
  rm -rf "$dir/.next"
  (cd "$dir" && NEXT_TELEMETRY_DISABLED=1 exec setsid npx next dev -H 127.0.0.1 -p "$port" >/dev/null 2>&1) &
  server=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  curl -sfL -H 'RSC: 1' "http://127.0.0.1:$port/" -o "$out_root/$app/page-dev.rsc"
  kill -- -$server 2>/dev/null || true; wait $server 2>/dev/null || true
  rm -rf "$dir/.next"
  trap - EXIT
  echo "captured $app: $(wc -c <"$out_root/$app/page.rsc") bytes of RSC, $(wc -c <"$out_root/$app/page.html") bytes of HTML"
done
