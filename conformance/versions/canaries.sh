#!/usr/bin/env bash
# What every React canary on npm speaks, by reading its code (run by hand;
# src/version.rs places canaries by date from what this prints):
#
#   conformance/versions/canaries.sh [DIR]
#
# Downloads each `react-server-dom-webpack@19.*-canary-*` tarball into DIR
# (default ~/.cache/rsc-flight/canaries) and prints, in date order, the
# canaries where a flag changes:
#   F     its server reads `$F` as a server reference (else `$h`)
#   U     its client names FormData entries `_<n>_<key>` (else `<n>_<key>`)
#   S     its client sends stream chunks under `S<n>` (else `<n>`)
#   once  its client writes a server reference met twice once
#   P     its server caches a loaded server reference under `$$promise`
#   T     its client writes an element at a part's root as `$T`
#   w, H  its client reads `$w…`, `$H…` as undefined
#   bom   its client keeps a `T` row's byte order mark (ignoreBOM)
#   ctx   its server sends hints for host elements (getChildFormatContext)
#   b     its server writes byte-stream chunks as `b` rows
# The same flags for any installed release: canaries.sh --flags PACKAGE_DIR.
set -euo pipefail

flags() {
  local d=$1 c s
  c=$d/cjs/react-server-dom-webpack-client.node.production.js
  [ -f "$c" ] || c=$d/cjs/react-server-dom-webpack-client.edge.production.js
  s=$d/cjs/react-server-dom-webpack-server.node.production.js
  [ -f "$s" ] || s=$d/cjs/react-server-dom-webpack-server.edge.production.js
  # The `case` labels of a file's parseModelString.
  cases() { awk '/^function parseModelString/,/^}/' "$1" | grep -o 'case "[^"]*"' | awk '{print $2}' | tr -d '"' | tr '\n' ' '; }
  local cc sc
  cc=" $(cases "$c") "
  sc=" $(cases "$s") "
  has() { if "$@" >/dev/null 2>&1; then printf 1; else printf 0; fi; }
  printf 'F=%s U=%s S=%s once=%s P=%s T=%s w=%s H=%s bom=%s ctx=%s b=%s\n' \
    "$(has grep -q ' F ' <<<"$sc")" \
    "$(has grep -qF 'formFieldPrefix + "_" + key + "_"' "$c")" \
    "$(has grep -qF '"S" + streamId' "$c")" \
    "$(has grep -qF 'key = "$h" + parentReference' "$c")" \
    "$(has grep -qF '$$promise' "$s")" \
    "$(has grep -qF '(modelRoot = null), "$T"' "$c")" \
    "$(has grep -q ' w ' <<<"$cc")" \
    "$(has grep -q ' H ' <<<"$cc")" \
    "$(has grep -qF 'ignoreBOM' "$c")" \
    "$(has grep -qF 'getChildFormatContext' "$s")" \
    "$(has grep -qE '^\s+"b",$' "$s")"
}

if [ "${1:-}" = "--flags" ]; then
  flags "$2"
  exit
fi
dir=${1:-$HOME/.cache/rsc-flight/canaries}
mkdir -p "$dir"
mapfile -t canaries < <(npm view react-server-dom-webpack versions --json |
  node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((x) => /^19\.\d+\.\d+-canary-/.test(x));
           v.sort((a, b) => a.slice(-8).localeCompare(b.slice(-8))); console.log(v.join("\n"))')
previous=
for v in "${canaries[@]}"; do
  if [ ! -f "$dir/$v/package/package.json" ]; then
    mkdir -p "$dir/$v"
    (cd "$dir/$v" && npm pack "react-server-dom-webpack@$v" --silent >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  fi
  f=$(flags "$dir/$v/package")
  if [ "$f" != "$previous" ]; then
    echo "$v $f"
    previous=$f
  fi
done
