#!/usr/bin/env bash
# Copies the browser libraries from node_modules into public/vendor (served as static files;
# cargo-leptos copies public/ into the site). public/vendor is generated: not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=public/vendor/leaflet
mkdir -p "$dest"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images "$dest/"
cp node_modules/leaflet/LICENSE "$dest/LICENSE"
# idb: promises over IndexedDB for the field app's outbox (public/js/field.js).
mkdir -p public/vendor/idb
cp node_modules/idb/build/umd.js public/vendor/idb/idb.js
cp node_modules/idb/LICENSE public/vendor/idb/LICENSE
# protomaps-leaflet: draws a vector PMTiles basemap (loaded by map.js only when one is configured).
mkdir -p public/vendor/protomaps-leaflet
cp node_modules/protomaps-leaflet/dist/protomaps-leaflet.js public/vendor/protomaps-leaflet/
cp node_modules/protomaps-leaflet/LICENSE public/vendor/protomaps-leaflet/LICENSE
