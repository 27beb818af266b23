#!/usr/bin/env bash
# Prints what the browser downloads at first load, as the server sends it (raw, gzip, brotli):
# - the field app (/field, signed in as the demo worker01): the page and each asset it loads;
#   the field app has a wasm bundle of its own (fieldapp);
# - the managers' first load: /park signed in as the demo manager, with every asset its HTML
#   names (styles, scripts, the map's data; a page that hydrates at once: the main bundle and
#   any wasm chunk in its preload links); for a page read first (`app::ssr::hydrate_later`),
#   then the app's code it fetches once it has loaded.
# Needs a running server with the demo park (scripts/run.sh). Stops on any failed request.
#   scripts/sizes.sh [http://127.0.0.1:3000]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
jar=$(mktemp); trap 'rm -f "$jar"' EXIT

sign_in() {
  rm -f "$jar"
  curl -sf -c "$jar" -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"parkgrid-demo\"}" "$base/api/v1/session" \
    || { echo "sizes.sh: could not sign in as $1 at $base" >&2; exit 1; }
}
# Bytes of one response in an encoding; a failed request (4xx, 5xx, a redirect) stops the script.
size() {
  local out code
  out=$(curl -s -b "$jar" -o /dev/null -H "Accept-Encoding: $2" -w '%{http_code} %{size_download}' "$base$1")
  code=${out%% *}
  [ "$code" = 200 ] || { echo "sizes.sh: $1 answered $code" >&2; exit 1; }
  echo "${out#* }"
}

sign_in worker01
assets=(/field /pkg/fieldapp_bg.wasm /pkg/fieldapp.js /pkg/parkgrid.css /vendor/leaflet/leaflet.js /vendor/leaflet/leaflet.css /js/map.js
  /vendor/idb/idb.js /js/field.js /favicon.svg /manifest.webmanifest /sw.js)
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

sign_in manager
page=$(curl -sf -b "$jar" "$base/park") || { echo "sizes.sh: /park failed" >&2; exit 1; }
grep -q 'data-testid="grid-count"' <<<"$page" || { echo "sizes.sh: /park is not the signed-in park page" >&2; exit 1; }
# Every asset the page names (a page that hydrates at once: the main bundle's preload link too)…
linked=$(grep -oE '(href|src)="/[^"]+\.(js|css|wasm)"' <<<"$page" | sed -E 's/^(href|src)="//; s/"$//' | sort -u || true)
# …and what the page's map fetches itself (`data-src`, the park's map data: GET /api/v1/park).
fetched=$(grep -oE 'data-src="/[^"]+"' <<<"$page" | sed -E 's/^data-src="//; s/"$//; s/&amp;/\&/g' | sort -u || true)
# A page read first names the app's code for `hydrate-later.js`, fetched once the page has loaded.
later=$(grep -oE 'data-(js|wasm)="/[^"]+"' <<<"$page" | sed -E 's/^data-(js|wasm)="//; s/"$//' | sort -u || true)
echo
printf '%-44s %10s\n' "/park (manager), asset" brotli
pb=$(size /park br)
printf '%-44s %10s\n' /park "$pb"
total=$pb; wasm_total=0
for a in $linked $fetched; do
  b=$(size "$a" br); total=$((total + b))
  [[ "$a" == *.wasm ]] && wasm_total=$((wasm_total + b))
  printf '%-44s %10s\n' "$a" "$b"
done
printf '%-44s %10s\n' "first load, total" "$total"
after=0
for a in $later; do
  b=$(size "$a" br); after=$((after + b))
  [[ "$a" == *.wasm ]] && wasm_total=$((wasm_total + b))
  printf '%-44s %10s\n' "then (after the page has loaded) $a" "$b"
done
[ "$wasm_total" -gt 0 ] || { echo "sizes.sh: /park names no wasm bundle" >&2; exit 1; }
if [ "$after" -gt 0 ]; then
  echo "managers' first load (issue 16): ${total} B brotli of 256000 (250 KB), the page whole without the app's code; the app's code after it: ${after} B (wasm ${wasm_total} B)"
else
  echo "managers' first load (issue 16): ${total} B brotli of 256000 (250 KB), the app's code included (wasm ${wasm_total} B)"
fi
