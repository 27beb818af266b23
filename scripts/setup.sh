#!/usr/bin/env bash
# Installs what building and testing parkgrid needs, skipping whatever is already there.
# Used by scripts/run.sh and scripts/test.sh; safe to run again.
#   scripts/setup.sh            toolchain for building and running
#   scripts/setup.sh --browser  plus Debian's Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs a newer rustc than this toolchain
WASM_BINDGEN_VERSION=0.2.129  # must equal the wasm-bindgen crate pinned in Cargo.toml

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

apt_packages=()
command -v cc >/dev/null || apt_packages+=(build-essential)
command -v pkg-config >/dev/null || apt_packages+=(pkg-config)
command -v npm >/dev/null || apt_packages+=(nodejs npm)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null || apt_packages+=(chromium)
  # CJK glyphs for the Chinese UI in headless screenshots (phones have them built in).
  [ -d /usr/share/fonts/opentype/noto ] || apt_packages+=(fonts-noto-cjk)
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "installing ${apt_packages[*]} (apt)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once per machine, ~10 min)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once per machine)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (Leaflet, Playwright, binaryen's wasm-opt)"
  npm ci --no-audit --no-fund --loglevel=error
fi
scripts/vendor.sh
