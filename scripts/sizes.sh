#!/usr/bin/env bash
# Prints what the browser downloads at first load of the field app (/field), as the server
# sends it: raw, gzip and brotli bytes of the page and of each asset it loads (every page
# The field app has a wasm bundle of its own (fieldapp); the main bundle, which the managers'
# pages load, is printed for comparison. Needs a running server
# (scripts/run.sh).
#   scripts/sizes.sh [http://127.0.0.1:3000]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
assets=(/field /pkg/fieldapp_bg.wasm /pkg/fieldapp.js /pkg/parkgrid.css /vendor/leaflet/leaflet.js /vendor/leaflet/leaflet.css /js/map.js
  /vendor/idb/idb.js /js/field.js /favicon.svg /manifest.webmanifest /sw.js)
size() { curl -s -o /dev/null -H "Accept-Encoding: $2" -w '%{size_download}' "$base$1"; }
printf '%-28s %10s %10s %10s\n' asset raw gzip brotli
tr=0; tg=0; tb=0
for a in "${assets[@]}"; do
  r=$(size "$a" identity); g=$(size "$a" gzip); b=$(size "$a" br)
  tr=$((tr + r)); tg=$((tg + g)); tb=$((tb + b))
  printf '%-28s %10s %10s %10s\n' "$a" "$r" "$g" "$b"
done
printf '%-28s %10s %10s %10s\n' total "$tr" "$tg" "$tb"
wasm=$(size /pkg/fieldapp_bg.wasm br)
main=$(size /pkg/parkgrid.wasm br)
echo "budgets (issue 4): first load ${tb} B brotli of 358400 (350 KB); wasm ${wasm} B brotli of 204800 (200 KB)"
echo "the managers' bundle (not loaded by /field): /pkg/parkgrid.wasm ${main} B brotli"
