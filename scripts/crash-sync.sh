#!/usr/bin/env bash
# Crash-safe sync, the full run (issue 14): 10,000 records with photos from 50 simulated phones
# while the server is killed with SIGKILL and restarted five times, connections dropped
# mid-body, every batch sent three times; then every record must be stored once and every
# photo byte-identical. On SQLite, and on PostgreSQL too when DATABASE_URL names one.
#   scripts/crash-sync.sh [--records N] [--phones P] [--kills K]
# scripts/test.sh runs a short version.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ -x target/release/parkgrid ] || cargo leptos build --release --split
cargo run --release -p server --example crash_sync -- "$@"
