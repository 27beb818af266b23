# Sourced by the scripts: the tools they run, found first on PATH.
# npm's binaryen provides wasm-opt: Debian's (version 108) breaks hydration (TOOLCHAIN notes).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_PROGRESS_WHEN=never
