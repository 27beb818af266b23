#!/usr/bin/env bash
# Builds the site and the server binary, release: the managers' bundle split into lazy pages
# (cargo-leptos), the field app's bundle, each lazy page's chunks packed into one file, and
# every asset precompressed. The one build that scripts/run.sh, scripts/test.sh and
# scripts/cluster.sh use. Expects scripts/setup.sh to have run and scripts/env.sh sourced.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo leptos build --release --split
scripts/build-field.sh
node scripts/pack-chunks.mjs target/site/pkg
node scripts/precompress.mjs target/site
