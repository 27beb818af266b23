#!/usr/bin/env bash
# Starts the release build on a fresh SQLite database with the demo park, for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3107}"
export RUST_LOG=warn
target/release/parkgrid demo >/dev/null
exec target/release/parkgrid serve
