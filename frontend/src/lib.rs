//! The browser entry point: hydrates what the server rendered.
// Leptos view types nest deeply (the field page); the default limit of 128 is too low.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
