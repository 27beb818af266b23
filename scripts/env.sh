# Sourced by the scripts: the tools they run, found first on PATH.
# npm's binaryen provides wasm-opt: Debian's (version 108) breaks hydration (TOOLCHAIN notes).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_PROGRESS_WHEN=never
# cargo-leptos sets this while it builds; leptos reads it at compile time. Setting the same
# value for `cargo test` lets both builds share one set of compiled crates.
export LEPTOS_OUTPUT_NAME=parkgrid
