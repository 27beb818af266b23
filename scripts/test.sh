#!/usr/bin/env bash
# The whole test suite: unit, integration (real server over HTTP, fresh database per test) and
# browser (Playwright in Debian's Chromium). Exits non-zero on any failure.
# With DATABASE_URL=postgres://… every database test also runs on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

echo "== build (release: the binary the browser tests run)"
scripts/build.sh
echo "== unit and integration tests"
cargo test --release --workspace --exclude frontend --exclude fieldapp --no-fail-fast
echo "== crash-safe sync, short run (scripts/crash-sync.sh runs the full one)"
cargo run --release -p server --example crash_sync -- --records 600 --phones 12 --kills 2
echo "== failover under load, short run (scripts/cluster-proof.sh runs the full one)"
scripts/cluster-proof.sh --short
echo "== browser tests"
npx playwright test --config end2end/playwright.config.ts
