#!/usr/bin/env bash
# Builds and runs parkgrid with the demo park on http://127.0.0.1:3000.
# The SQLite file (var/parkgrid.db, or DATABASE_URL) is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
scripts/build.sh
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
target/release/parkgrid demo
echo
echo "Open http://$LEPTOS_SITE_ADDR  (Ctrl-C stops the server)"
exec target/release/parkgrid serve
