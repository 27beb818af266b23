#!/usr/bin/env bash
# Prints what the browser downloads at first load, as the server sends it: raw, gzip and
# brotli bytes of each static asset of a page. Needs a running server (scripts/run.sh).
#   scripts/sizes.sh [http://127.0.0.1:3000]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
assets=(/pkg/parkgrid.wasm /pkg/parkgrid.js /pkg/parkgrid.css /vendor/leaflet/leaflet.js /vendor/leaflet/leaflet.css /js/map.js /favicon.svg)
size() { curl -s -o /dev/null -H "Accept-Encoding: $2" -w '%{size_download}' "$base$1"; }
printf '%-28s %10s %10s %10s\n' asset raw gzip brotli
tr=0; tg=0; tb=0
for a in "${assets[@]}"; do
  r=$(size "$a" identity); g=$(size "$a" gzip); b=$(size "$a" br)
  tr=$((tr + r)); tg=$((tg + g)); tb=$((tb + b))
  printf '%-28s %10s %10s %10s\n' "$a" "$r" "$g" "$b"
done
printf '%-28s %10s %10s %10s\n' total "$tr" "$tg" "$tb"
