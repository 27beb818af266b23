#!/usr/bin/env bash
# Builds the field app's own wasm bundle (the `fieldapp` crate) into target/site/pkg as
# fieldapp.js + fieldapp_bg.wasm, the way cargo-leptos builds the main one: the wasm-release
# profile, wasm-bindgen for the web, wasm-opt -Oz. Run after `cargo leptos build --release`
# (which builds the main bundle) and before scripts/precompress.mjs.
# `--cfg erase_components` (Leptos: components type-erased, less monomorphised view code)
# makes the bundle ~6 KB brotli smaller; it changes RUSTFLAGS, so this build has a target
# directory of its own (target/field) and does not invalidate cargo-leptos's (target/front).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=target/site/pkg
mkdir -p "$out"
RUSTFLAGS="--cfg erase_components" cargo build -p fieldapp --lib --target wasm32-unknown-unknown \
  --profile wasm-release --target-dir target/field
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name fieldapp \
  target/field/wasm32-unknown-unknown/wasm-release/fieldapp.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$out/fieldapp_bg.wasm" -o "$out/fieldapp_bg.wasm"
