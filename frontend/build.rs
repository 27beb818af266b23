//! Link flags for the browser bundle.
fn main() {
    // Keep each string constant a data segment of its own, so that `cargo leptos --split` can
    // move the data only one page uses into that page's chunk (merged, wasm-ld's tail-merged
    // strings all stay in the main bundle: cargo-leptos issue 679).
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
}
