//! The browser entry point: hydrates what the server rendered.
// Leptos view types nest deeply (the field page); the default limit of 128 is too low.
#![recursion_limit = "256"]

/// Hydrates the page. Some pages are lazy routes (`app::pages::lazy_page!`): the router waits
/// for such a page's wasm chunks before it hydrates it, so hydration is asynchronous.
/// `data-hydrated` on `<body>` (the browser tests wait for it) is set once all of the page is
/// hydrated, not when the main bundle starts.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else { return };
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
