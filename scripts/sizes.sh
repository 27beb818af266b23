#!/usr/bin/env bash
# Prints what the browser downloads at first load, as the server sends it (raw, gzip, brotli):
# - the field app (/field): the page and each asset it loads; the field app has a wasm bundle
#   of its own (fieldapp);
# - the managers' first load: /park signed in as the demo manager, with every asset its HTML
#   names (the main bundle and the page's wasm chunks).
# Needs a running server with the demo park (scripts/run.sh).
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
echo "budgets (issue 4): first load ${tb} B brotli of 358400 (350 KB); wasm ${wasm} B brotli of 204800 (200 KB)"

# The managers' first load: /park as the demo manager gets it — the page and every asset its
# HTML names (styles, scripts, the main bundle and the page's wasm chunks in its preload links).
jar=$(mktemp); trap 'rm -f "$jar"' EXIT
curl -s -c "$jar" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"login":"manager","password":"parkgrid-demo"}' "$base/api/v1/session"
page=$(curl -s -b "$jar" "$base/park")
mapfile -t linked < <(grep -oE '(href|src)="/[^"]+\.(js|css|wasm)"' <<<"$page" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
# The main bundle is loaded by the inline hydration script, not by a link.
linked+=(/pkg/parkgrid.wasm)
echo
printf '%-44s %10s\n' "/park (manager), asset" brotli
pb=$(curl -s -b "$jar" -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "$base/park")
printf '%-44s %10s\n' /park "$pb"
total=$pb; wasm_total=0
for a in $(printf '%s\n' "${linked[@]}" | sort -u); do
  b=$(size "$a" br); total=$((total + b))
  [[ "$a" == *.wasm ]] && wasm_total=$((wasm_total + b))
  printf '%-44s %10s\n' "$a" "$b"
done
printf '%-44s %10s\n' total "$total"
echo "managers' first load (issue 16): wasm ${wasm_total} B brotli of 256000 (250 KB); everything ${total} B"
